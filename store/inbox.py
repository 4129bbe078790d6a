"""The inbox folder: answer files dropped in are ingested, then moved to done/ or failed/.

A file is taken only once it has stopped changing (not modified for `settle` seconds), so one
still being copied or downloaded is left for a later scan. Temporary names (a leading dot, or
.part, .tmp, .crdownload and the like) are never taken: writers that rename a finished file into
place, as `pqbot fetch` does, are picked up the moment they are done.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from store.db import QuestionStore, SaveCounts, StoreBusy
from store.ingest import DEFAULT_MAX_BYTES, FileFailure, IngestError, OnNew, ingest_file

log = logging.getLogger(__name__)

DONE, FAILED = "done", "failed"
TEMPORARY_SUFFIXES = (".part", ".partial", ".tmp", ".crdownload", ".download", ".swp")
DEFAULT_SETTLE_SECONDS = 10


@dataclass
class InboxReport:
    """What one scan of the inbox did."""

    counts: SaveCounts = SaveCounts()
    done: list[str] = field(default_factory=list)
    failures: list[FileFailure] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)


class Inbox:
    """A folder that answer files are dropped into, with done/ and failed/ beside them."""

    def __init__(self, path: Path, max_bytes: int = DEFAULT_MAX_BYTES, settle_seconds: float = DEFAULT_SETTLE_SECONDS):
        self.path = path
        self.max_bytes = max_bytes
        self.settle_seconds = settle_seconds

    def scan(self, store: QuestionStore, now: datetime, on_new: OnNew | None = None) -> InboxReport:
        """Ingest every finished file, oldest first, and move each out of the way."""
        for folder in (self.path, self.path / DONE, self.path / FAILED):
            folder.mkdir(parents=True, exist_ok=True)
        report = InboxReport()
        for path in self._candidates():
            if now.timestamp() - path.stat().st_mtime < self.settle_seconds:
                report.waiting.append(path.name)
                continue
            self._take(store, path, on_new, report)
        return report

    def _candidates(self) -> list[Path]:
        """Files at the top of the inbox that are not temporary, oldest first."""
        files = [
            path
            for path in self.path.iterdir()
            if path.is_file() and not path.name.startswith(".") and not path.name.lower().endswith(TEMPORARY_SUFFIXES)
        ]
        return sorted(files, key=lambda path: (path.stat().st_mtime, path.name))

    def _take(self, store: QuestionStore, path: Path, on_new: OnNew | None, report: InboxReport) -> None:
        """Ingest one file; move it to done/, or to failed/ with a .error.txt saying why.

        A store busy with another writer is no fault of the file's: it stays for the next scan.
        """
        try:
            report.counts += ingest_file(store, path, self.max_bytes, on_new)
        except StoreBusy:
            log.info("Inbox: the store is busy with another writer; %s waits for the next scan", path.name)
            report.waiting.append(path.name)
            return
        except IngestError as error:
            reason = str(error)
            moved = _move(path, self.path / FAILED)
            moved.with_name(moved.name + ".error.txt").write_text(f"{path.name}: {reason}\n", "utf-8")
            report.failures.append(FileFailure(path.name, reason))
            log.warning("Inbox: %s failed: %s", path.name, reason)
            return
        _move(path, self.path / DONE)
        report.done.append(path.name)


def _move(path: Path, folder: Path) -> Path:
    """Move a file into a folder without overwriting: a name already there gets -1, -2, …"""
    target = folder / path.name
    number = 0
    while target.exists():
        number += 1
        target = folder / f"{path.stem}-{number}{path.suffix}"
    os.replace(path, target)
    return target
