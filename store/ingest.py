"""Files in, records stored: one transaction per file, and one bad file never stops the rest."""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import stat
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from store.db import QuestionStore, SaveCounts, StoreBusy
from store.parse_ahead import PARSE_AHEAD_FROM_BYTES, Parse, parse_here, parser_for
from store.parsing import ParseError
from store.record import Question

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
    store: QuestionStore,
    paths: Iterable[Path],
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_saved: OnSaved | None = None,
    parse_ahead_from: int = PARSE_AHEAD_FROM_BYTES,
) -> IngestReport:
    """Ingest files and folders; failures are reported, never raised, and never undo other files.

    Files are stored in order, one transaction each. In a batch of parse_ahead_from bytes or more,
    the next few are parsed in other processes meanwhile. A store busy with another writer is
    waited for, file by file, and said so in the log.
    """
    report = IngestReport()
    files = list(expand_paths(paths, report.failures))
    with parser_for(files, parse_ahead_from) as (parse, ahead):
        started: deque[tuple[Path, Started]] = deque()
        for path in files:
            started.append((path, _start_file(store, path, max_bytes, parse)))
            if len(started) > ahead:
                _finish(store, report, *started.popleft(), on_saved)
        while started:
            _finish(store, report, *started.popleft(), on_saved)
    return report


# A file read and its parse begun; called, it waits for the parse and stores what it found.
Started = Callable[[OnSaved | None], SaveCounts]


def _finish(store: QuestionStore, report: IngestReport, path: Path, started: Started, on_saved: OnSaved | None) -> None:
    """Store one started file, waiting while another process keeps the store busy; failures reported."""
    report.files += 1
    try:
        report.counts += _waiting_while_busy(
            path, lambda: _unexpected_as_ingest_error(path, partial(started, on_saved))
        )
    except IngestError as error:
        report.failures.append(FileFailure(str(path), str(error)))


def _waiting_while_busy(path: Path, store_it: Callable[[], SaveCounts]) -> SaveCounts:
    """store_it, tried again while another process keeps the store busy; then an IngestError."""
    for attempt in range(1, BUSY_RETRIES + 1):
        try:
            return store_it()
        except StoreBusy:
            log.warning(
                "%s: the store is busy with another writer; waiting (try %d of %d)", path, attempt, BUSY_RETRIES
            )
    raise IngestError("the store stayed busy with another writer; nothing was stored, try it again")


def _unexpected_as_ingest_error(path: Path, ingest_it: Callable[[], SaveCounts]) -> SaveCounts:
    """Every failure, a bug included, as an IngestError: one file must never stop a batch or the inbox.

    The one exception is StoreBusy, which says nothing about the file: try it again later.
    """
    try:
        return ingest_it()
    except (IngestError, StoreBusy):
        raise
    except Exception as error:
        log.exception("Unexpected error ingesting %s", path)
        raise IngestError(f"unexpected error ({type(error).__name__}); see the log") from error


def _start_file(store: QuestionStore, path: Path, max_bytes: int, parse: Parse) -> Started:
    """Read a file and begin parsing it; whatever goes wrong is raised when the file's turn to be stored comes."""
    try:
        return _start_bytes(store, read_limited(path, max_bytes), str(path), parse)
    except Exception as error:
        return partial(_raise, error)


def _raise(error: Exception, _on_saved: OnSaved | None) -> SaveCounts:
    raise error


def ingest_file(
    store: QuestionStore,
    path: Path,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_saved: OnSaved | None = None,
    follow_symlinks: bool = True,
) -> SaveCounts:
    """Ingest one regular file from disk, reading no more of it than the size limit allows.

    Every failure is an IngestError, but StoreBusy: the store is busy, try the file again later.
    """
    data = read_limited(path, max_bytes, follow_symlinks)
    return _unexpected_as_ingest_error(path, lambda: ingest_bytes(store, data, str(path), on_saved))


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
    return _start_bytes(store, data, source_file, parse_here)(on_saved)


def _start_bytes(store: QuestionStore, data: bytes, source_file: str, parse: Parse) -> Started:
    """Begin parsing bytes the store has not taken before; the same bytes again are unchanged at once."""
    sha256 = hashlib.sha256(data).hexdigest()
    seen = store.file_record(sha256)
    if seen and seen["status"] == "ok":
        return lambda _on_saved: SaveCounts(unchanged=seen["records"])
    parsing = parse(data, source_file)
    return partial(_store_parsed, store, sha256, source_file, parsing)


def _store_parsed(
    store: QuestionStore, sha256: str, source_file: str, parsing: Future[list[Question]], on_saved: OnSaved | None
) -> SaveCounts:
    """What a parse found, stored as one transaction with the file's own record; a ParseError remembered."""
    try:
        questions = parsing.result()
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
