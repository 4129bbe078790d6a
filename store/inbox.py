"""The inbox folder: answer files dropped in are ingested, then moved to done/ or failed/.

A file is taken once it is finished: renamed into place after its last write (as `pqbot fetch`
writes its files), unchanged since the previous scan, or not modified for `settle` seconds. So one
still being copied or downloaded is left for a later scan, and a finished one waits one scan at
most. Temporary names (a leading dot, or .part, .tmp, .crdownload and the like) are never taken.

Only regular files that really live in the inbox are taken: symbolic links (which could point
anywhere), named pipes, devices and folders other than done/ and failed/ are left where they are,
and named once in the log with the reason.
"""

from __future__ import annotations

import logging
import os
import stat
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from store.db import QuestionStore, SaveCounts, StoreBusy
from store.fetch.staging import free_name
from store.ingest import DEFAULT_MAX_BYTES, FileFailure, IngestError, OnSaved, ingest_file

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
    ignored: list[tuple[str, str]] = field(default_factory=list)


class Inbox:
    """A folder that answer files are dropped into, with done/ and failed/ beside them.

    Keep one Inbox across scans: it remembers what it has warned about, so each entry it
    ignores is logged once, not on every scan.
    """

    def __init__(self, path: Path, max_bytes: int = DEFAULT_MAX_BYTES, settle_seconds: float = DEFAULT_SETTLE_SECONDS):
        self.path = path
        self.max_bytes = max_bytes
        self.settle_seconds = settle_seconds
        self._warned: set[str] = set()
        self._previous_scan: dict[str, tuple[int, int]] = {}

    def scan(self, store: QuestionStore, now: datetime, on_saved: OnSaved | None = None) -> InboxReport:
        """Ingest every finished file, oldest first, and move each out of the way."""
        for folder in (self.path, self.path / DONE, self.path / FAILED):
            folder.mkdir(parents=True, exist_ok=True)
        files, ignored = self._survey()
        self._warn_once(ignored)
        report = InboxReport(ignored=ignored)
        previous, self._previous_scan = self._previous_scan, {path.name: _shape(status) for path, status in files}
        for path, status in files:
            if not self._finished(status, previous.get(path.name), now):
                report.waiting.append(path.name)
                continue
            self._take(store, path, on_saved, report)
        return report

    def _finished(self, status: os.stat_result, previously: tuple[int, int] | None, now: datetime) -> bool:
        """Whether a file is done being written.

        Renamed (or otherwise touched) after its last write, its change time is past its
        modification time, where each write of a copy in progress sets both alike.
        """
        return (
            status.st_ctime_ns > status.st_mtime_ns
            or previously == _shape(status)
            or now.timestamp() - status.st_mtime >= self.settle_seconds
        )

    def ignored(self) -> list[tuple[str, str]]:
        """What the inbox will never take, as (name, why); nothing when the folder does not exist."""
        return self._survey()[1] if self.path.is_dir() else []

    def _survey(self) -> tuple[list[tuple[Path, os.stat_result]], list[tuple[str, str]]]:
        """The files at the top of the inbox, oldest first, and what is ignored there, with why.

        Entries are judged by lstat, never followed; temporary names are neither, being unfinished.
        """
        files, ignored = [], []
        with os.scandir(self.path) as entries:
            for entry in entries:
                if _is_temporary(entry.name) or (entry.name in (DONE, FAILED) and entry.is_dir(follow_symlinks=False)):
                    continue
                status = entry.stat(follow_symlinks=False)
                if reason := _refusal(status.st_mode):
                    ignored.append((entry.name, reason))
                else:
                    files.append((Path(entry.path), status))
        return sorted(files, key=lambda file: (file[1].st_mtime, file[0].name)), sorted(ignored)

    def _warn_once(self, ignored: list[tuple[str, str]]) -> None:
        """Log each ignored entry the first time this Inbox sees it."""
        for name, reason in ignored:
            if name not in self._warned:
                self._warned.add(name)
                log.warning("Inbox: ignoring %s: %s", name, reason)

    def _take(self, store: QuestionStore, path: Path, on_saved: OnSaved | None, report: InboxReport) -> None:
        """Ingest one file; move it to done/, or to failed/ with a .error.txt saying why.

        A store busy with another writer is no fault of the file's: it stays for the next scan.
        """
        try:
            report.counts += ingest_file(store, path, self.max_bytes, on_saved, follow_symlinks=False)
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


def _is_temporary(name: str) -> bool:
    """A hidden or part-written name, which its writer has not finished with."""
    return name.startswith(".") or name.lower().endswith(TEMPORARY_SUFFIXES)


def _refusal(mode: int) -> str | None:
    """Why an inbox entry of this lstat mode is never taken, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return "a symbolic link; only files that really live in the inbox are taken"
    if stat.S_ISDIR(mode):
        return "a folder; only files at the top of the inbox are taken"
    if stat.S_ISFIFO(mode):
        return "a named pipe, not a regular file"
    return "not a regular file"


def _shape(status: os.stat_result) -> tuple[int, int]:
    """A file's size and modification time: what changes while it is still being written."""
    return status.st_size, status.st_mtime_ns


def _move(path: Path, folder: Path) -> Path:
    """Move a file into a folder without overwriting: a name already there gets -1, -2, …"""
    target = free_name(folder / path.name, first=1)
    os.replace(path, target)
    return target
