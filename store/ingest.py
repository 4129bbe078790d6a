"""Files in, records stored: one transaction per file, and one bad file never stops the rest."""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from store.db import QuestionStore, SaveCounts, StoreBusy
from store.parsing import ParseError, parse_document

log = logging.getLogger(__name__)

# Files larger than this are refused unread; PQBOT_MAX_FILE_MB overrides it.
DEFAULT_MAX_MB = 20
DEFAULT_MAX_BYTES = DEFAULT_MAX_MB * 1024 * 1024
# How often a file is tried again while another process holds the store's write lock.
BUSY_RETRIES = 3


class IngestError(Exception):
    """One file could not be ingested; the message is the plain reason."""


@dataclass(frozen=True)
class FileFailure:
    """A file that could not be ingested, and why, in words a campaigner can act on."""

    path: str
    reason: str


@dataclass
class IngestReport:
    """What a batch of files did to the store."""

    counts: SaveCounts = SaveCounts()
    failures: list[FileFailure] = field(default_factory=list)
    files: int = 0

    def summary(self) -> str:
        return (
            f"{self.files} files: {self.counts.new} new, {self.counts.updated} updated, "
            f"{self.counts.unchanged} unchanged, {len(self.failures)} failed"
        )


def expand_paths(paths: Iterable[Path], failures: list[FileFailure]) -> Iterator[Path]:
    """Each path named, and every file under each folder named, in a stable order; hidden ones skipped.

    A folder that cannot be listed is added to failures, never skipped in silence; a path that
    cannot be read is yielded all the same, for ingest_file to say why.
    """
    for path in paths:
        if path.is_dir():
            yield from sorted(_files_under(path, failures))
        else:
            yield path


def _files_under(folder: Path, failures: list[FileFailure]) -> Iterator[Path]:
    """Everything but folders under folder, at any depth; hidden names and hidden folders left out."""

    def unreadable(error: OSError) -> None:
        failures.append(FileFailure(str(error.filename), f"cannot read: {error.strerror or error}"))

    for parent, folders, names in os.walk(folder, onerror=unreadable):
        folders[:] = [name for name in folders if not name.startswith(".")]
        yield from (Path(parent, name) for name in names if not name.startswith("."))


# Called with what a file did to the store (the records it added, those whose life moved on), inside
# the transaction that does it, when it added or moved on any.
OnSaved = Callable[[SaveCounts], object]


def ingest_paths(
    store: QuestionStore, paths: Iterable[Path], max_bytes: int = DEFAULT_MAX_BYTES, on_saved: OnSaved | None = None
) -> IngestReport:
    """Ingest files and folders; failures are reported, never raised, and never undo other files.

    A store busy with another writer is waited for, file by file, and said so in the log.
    """
    report = IngestReport()
    for path in expand_paths(paths, report.failures):
        report.files += 1
        try:
            report.counts += _ingest_waiting_while_busy(store, path, max_bytes, on_saved)
        except IngestError as error:
            report.failures.append(FileFailure(str(path), str(error)))
    return report


def _ingest_waiting_while_busy(
    store: QuestionStore, path: Path, max_bytes: int, on_saved: OnSaved | None
) -> SaveCounts:
    """ingest_file, tried again while another process keeps the store busy; then an IngestError."""
    for attempt in range(1, BUSY_RETRIES + 1):
        try:
            return ingest_file(store, path, max_bytes, on_saved)
        except StoreBusy:
            log.warning(
                "%s: the store is busy with another writer; waiting (try %d of %d)", path, attempt, BUSY_RETRIES
            )
    raise IngestError("the store stayed busy with another writer; nothing was stored, try it again")


def ingest_file(
    store: QuestionStore,
    path: Path,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_saved: OnSaved | None = None,
    follow_symlinks: bool = True,
) -> SaveCounts:
    """Ingest one regular file from disk, reading no more of it than the size limit allows.

    Every failure, a bug included, is an IngestError: one file must never stop a batch or the inbox.
    The one exception is StoreBusy, which says nothing about the file: try it again later.
    """
    data = read_limited(path, max_bytes, follow_symlinks)
    try:
        return ingest_bytes(store, data, str(path), on_saved)
    except (IngestError, StoreBusy):
        raise
    except Exception as error:
        log.exception("Unexpected error ingesting %s", path)
        raise IngestError(f"unexpected error ({type(error).__name__}); see the log") from error


def read_limited(path: Path, max_bytes: int, follow_symlinks: bool = True) -> bytes:
    """A regular file's bytes, reading at most max_bytes + 1 of them whatever its size claims.

    Opened without blocking, so a named pipe is refused at once rather than waited on; pipes,
    devices such as /dev/zero and folders are refused before a byte is read. Without
    follow_symlinks a link is refused as it is opened, so none can be swapped in after a check.
    """
    limit = f"over the {max_bytes / 2**20:.0f} MB limit"
    flags = os.O_RDONLY | os.O_NONBLOCK | (0 if follow_symlinks else os.O_NOFOLLOW)
    try:
        with open(os.open(path, flags), "rb") as handle:
            status = os.fstat(handle.fileno())
            if not stat.S_ISREG(status.st_mode):
                raise IngestError("not a regular file")
            if status.st_size > max_bytes:
                raise IngestError(f"too large: {status.st_size / 2**20:.1f} MB, {limit}")
            data = handle.read(max_bytes + 1)
    except OSError as error:
        if error.errno == errno.ELOOP and not follow_symlinks:
            raise IngestError("a symbolic link, not followed") from error
        raise IngestError(f"cannot read: {error.strerror or error}") from error
    if len(data) > max_bytes:
        raise IngestError(f"too large: {limit}")
    return data


def ingest_bytes(store: QuestionStore, data: bytes, source_file: str, on_saved: OnSaved | None = None) -> SaveCounts:
    """Parse and store one file's bytes as a single transaction; the same bytes twice are a no-op.

    on_saved, if given, runs inside that transaction with what the file added or moved on, so that
    what it writes (the digest outbox) lands with them or not at all.
    """
    sha256 = hashlib.sha256(data).hexdigest()
    seen = store.file_record(sha256)
    if seen and seen["status"] == "ok":
        return SaveCounts(unchanged=seen["records"])
    try:
        questions = parse_document(data, source_file)
    except ParseError as error:
        store.remember_file(sha256, source_file, "failed", error=str(error))
        log.info("Could not ingest %s: %s", source_file, error)
        raise IngestError(str(error)) from error
    with store.transaction():
        counts = store.save(questions)
        if on_saved and (counts.new_ids or counts.moved_on):
            on_saved(counts)
        store.remember_file(sha256, source_file, "ok", records=len(questions))
    log.info("Ingested %s: %s", source_file, counts)
    return counts
