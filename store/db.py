"""The SQLite question store: saving with de-duplication, and reading records back."""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlite_utils import Database

from store.merge import IDENTITY_FIELDS, agreement, changes, life_moved_on, merge
from store.record import RECORD_FIELDS, Question, life_of, question_key
from store.schema import migrations

# How long a writer waits for another connection's write to finish before the store counts as busy.
BUSY_SECONDS = 10.0
# Two records with the same question text are one question unless an identity field they both know
# differs (MPs table identical words; a different UIN is a different question). Named parameters only.
NO_IDENTITY_CLASH = " AND ".join(
    f"({field} IS NULL OR :{field} IS NULL OR {field} = :{field})" for field in IDENTITY_FIELDS
)


class StoreBusy(Exception):
    """Another connection held the store's write lock for longer than the busy timeout: try again later."""


@dataclass(frozen=True)
class SaveCounts:
    """What saving a batch of questions did to the store, and the ids of the records it added."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    new_ids: tuple[str, ...] = field(default=(), compare=False, repr=False)
    # (record id, stage reached) for each stored record whose life moved on: see merge.life_moved_on.
    moved_on: tuple[tuple[str, str], ...] = field(default=(), compare=False, repr=False)

    def __add__(self, other: SaveCounts) -> SaveCounts:
        return SaveCounts(
            self.new + other.new,
            self.updated + other.updated,
            self.unchanged + other.unchanged,
            self.new_ids + other.new_ids,
            self.moved_on + other.moved_on,
        )


class QuestionStore:
    """Questions and the files they came from, in one SQLite file shared by the bot and its jobs.

    A store holds one connection: open one per thread or unit of work, as sqlite3 requires.
    """

    def __init__(self, db: Database, path: Path | None = None):
        self.db = db
        self.path = path

    @classmethod
    def open(cls, path: Path | str, busy_seconds: float = BUSY_SECONDS) -> QuestionStore:
        """Open (creating if need be) the store at path, in WAL mode so readers never wait on a writer.

        The connection autocommits each statement outside transaction(), so nothing is ever
        left half-written in a transaction that Python's sqlite3 opened behind the code's back.
        """
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        db = Database(sqlite3.connect(path, timeout=busy_seconds, isolation_level=None))
        with _busy_as_store_busy():
            db.enable_wal()
            db.execute("PRAGMA synchronous = NORMAL")  # with WAL: still never corrupt, far fewer fsyncs
            migrations.apply(db)
        return cls(db, path)

    def close(self) -> None:
        self.db.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing: the store as it was before, if anything inside raises.

        The write lock is taken up front (BEGIN IMMEDIATE), waiting out another writer for up to
        the busy timeout: a transaction that read first and asked for the lock later would be
        refused at once whenever another connection had committed in between. A nested
        transaction is a savepoint inside the outer one. Raises StoreBusy if the lock never came.
        """
        if self.db.conn.in_transaction:
            with self.db.atomic():
                yield
            return
        with _busy_as_store_busy():
            self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.rollback()
            raise
        self.db.execute("COMMIT")

    def save(self, questions: Iterable[Question], now: datetime | None = None) -> SaveCounts:
        """Insert new questions and merge ones already stored (by id, or by the same question text)."""
        stamp = (now or datetime.now(UTC)).isoformat(timespec="seconds")
        tally, new_ids, moved_on = Counter(), [], []
        for question in questions:
            outcome, record_id, stage = self._save_one(question, stamp)
            tally[outcome] += 1
            if outcome == "new":
                new_ids.append(record_id)
            if stage:
                moved_on.append((record_id, stage))
        return SaveCounts(tally["new"], tally["updated"], tally["unchanged"], tuple(new_ids), tuple(moved_on))

    def _save_one(self, question: Question, stamp: str) -> tuple[str, str, str | None]:
        """("new" | "updated" | "unchanged", the record's id, the stage its life moved on to) for one
        incoming question."""
        incoming = question.as_record()
        stored = self._find_same(incoming, question_key(question.question))
        if stored is None:
            self._write(incoming, first_seen=stamp, updated_at=stamp)
            return "new", incoming["id"], None
        merged = merge(stored, incoming)
        if not changes(stored, merged):
            return "unchanged", stored["id"], None
        if merged["id"] != stored["id"]:
            self._rekey(stored["id"], merged["id"])
        self._write(merged, first_seen=stored["first_seen"], updated_at=stamp)
        return "updated", merged["id"], life_moved_on(stored, merged)

    def _rekey(self, old_id: str, new_id: str) -> None:
        """A record takes its official id once its UIN is known; what was sent of it goes along."""
        self.db.execute("DELETE FROM questions WHERE id = ?", [old_id])
        self.db.execute("UPDATE deliveries SET record_id = ? WHERE record_id = ?", [new_id, old_id])
        self.db.execute("UPDATE news SET record_id = ? WHERE record_id = ?", [new_id, old_id])

    def _find_same(self, incoming: dict, key: str) -> dict | None:
        """The stored record this one is another copy of: the same id, else the same text and no clash."""
        by_id = self._questions_where("id = ?", [incoming["id"]])
        if by_id:
            return by_id[0]
        return max(self._same_text_without_clash(incoming, key), key=lambda row: agreement(row, incoming), default=None)

    def _same_text_without_clash(self, incoming: dict, key: str) -> list[dict]:
        """Whole rows of the records with this question text whose identity does not clash.

        The clash is tested in SQL: a common question text ("To ask ... pursuant to the answer
        of ...") can be held by many records, and only the few that could be this question are read.
        """
        identity = {field: incoming[field] for field in IDENTITY_FIELDS}
        return self._questions_where(f"question_key = :key AND {NO_IDENTITY_CLASH}", {"key": key, **identity})

    def _write(self, record: dict, **stamps: str) -> None:
        row = record | stamps | {"question_key": question_key(record["question"])}
        columns = ", ".join(row)
        self.db.execute(
            f"INSERT OR REPLACE INTO questions ({columns}) VALUES ({', '.join('?' * len(row))})",
            list(row.values()),
        )

    def _select(self, sql: str, params: list | dict) -> Iterator[dict]:
        cursor = self.db.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return (dict(zip(names, values, strict=True)) for values in cursor)

    def _questions_where(self, condition: str, params: list | dict) -> list[dict]:
        """Whole stored rows; condition is always a constant of this module, never user text."""
        return [_typed(row) for row in self._select(f"SELECT * FROM questions WHERE {condition}", params)]

    def get(self, record_id: str) -> dict | None:
        """One record by id, with the export keys, or None."""
        rows = self._questions_where("id = ?", [record_id])
        return _public(rows[0]) if rows else None

    def records_by_rowid(self, rowids: list[int]) -> list[dict]:
        """Records with the export keys plus their SQLite rowid (which search works in), any order."""
        placeholders = ", ".join("?" * len(rowids))
        rows = self._select(
            f"SELECT rowid, {', '.join(RECORD_FIELDS)} FROM questions WHERE rowid IN ({placeholders})", rowids
        )
        return [_typed(row) for row in rows]

    def records(self) -> Iterator[dict]:
        """Every record with the export keys, oldest answer first."""
        rows = self._select(f"SELECT {', '.join(RECORD_FIELDS)} FROM questions ORDER BY date_answered, id", [])
        return (_typed(row) for row in rows)

    def ids_first_seen(self, since: datetime, until: datetime) -> list[str]:
        """Ids of the records the store first got from since to until, both included to the second, oldest first."""
        rows = self.db.execute(
            "SELECT id FROM questions WHERE first_seen >= ? AND first_seen <= ? ORDER BY first_seen, id",
            [since.isoformat(timespec="seconds"), until.isoformat(timespec="seconds")],
        )
        return [record_id for (record_id,) in rows]

    def count(self) -> int:
        return self.db["questions"].count

    def counts_by(self, expression: str) -> list[tuple[str | None, int]]:
        """(value, count) pairs for one of the fixed breakdowns that stats reports, largest first."""
        allowed = {"source_format", "house", "department", "substr(date_answered, 1, 4)"}
        if expression not in allowed:
            raise ValueError(f"not a breakdown: {expression}")
        cursor = self.db.execute(f"SELECT {expression}, count(*) AS n FROM questions GROUP BY 1 ORDER BY n DESC, 1")
        return list(cursor)

    def remember_query(self, query: str) -> str:
        """Keep a query too long for a button to carry; returns the short key that brings it back."""
        key = _query_key(query)
        self.db.execute(
            "INSERT OR IGNORE INTO saved_queries (key, query, saved_at) VALUES (?, ?, ?)",
            [key, query, datetime.now(UTC).isoformat(timespec="seconds")],
        )
        return key

    def recalled_query(self, key: str | None) -> str | None:
        """The query kept under this key, or None if there is none."""
        row = self.db.execute("SELECT query FROM saved_queries WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def first_sighting(self, key: str, now: datetime, remember_for: timedelta) -> bool:
        """True the first time a request key (a Slack event id) is seen; False for a retry or a replay.

        Keys older than remember_for are forgotten, so the table stays small.
        """
        stamp = now.isoformat(timespec="seconds")
        with self.transaction():
            self.db.execute(
                "DELETE FROM seen_requests WHERE seen_at < ?", [(now - remember_for).isoformat(timespec="seconds")]
            )
            inserted = self.db.execute("INSERT OR IGNORE INTO seen_requests (key, seen_at) VALUES (?, ?)", [key, stamp])
        return inserted.rowcount == 1

    def file_record(self, sha256: str) -> dict | None:
        """What happened the last time these exact bytes were ingested, if ever."""
        return next(self._select("SELECT * FROM files WHERE sha256 = ?", [sha256]), None)

    def remember_file(self, sha256: str, path: str, status: str, records: int = 0, error: str | None = None) -> None:
        """Note a file's outcome, so the same bytes are skipped next time (unless they failed)."""
        row = {
            "sha256": sha256,
            "path": path,
            "status": status,
            "error": error,
            "records": records,
            "ingested_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        with self.transaction():
            self.db["files"].upsert(row, pk="sha256")


def _query_key(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()[:24]


@contextlib.contextmanager
def _busy_as_store_busy() -> Iterator[None]:
    """SQLite's "database is locked" (after the busy timeout) as StoreBusy; other errors as they are."""
    try:
        yield
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            raise StoreBusy(f"the store is busy: another process held its write lock ({error})") from error
        raise


def _typed(row: dict) -> dict:
    """A row as Python values: SQLite keeps booleans as 0 and 1, and a row stored before statuses has none."""
    typed = row | {"answer_truncated": bool(row["answer_truncated"])}
    if "status" in row:
        typed["status"] = life_of(row["status"], row["answer"])
    return typed


def _public(row: dict) -> dict:
    return {field: row[field] for field in RECORD_FIELDS}
