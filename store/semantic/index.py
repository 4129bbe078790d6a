"""The semantic index of a store: each record's vector in the question_vectors table, kept in step
with the records by triggers, embedded in the background, and searched by meaning."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

from store.db import QuestionStore
from store.semantic.embedder import MODEL_ID, Embedder, shared_embedder
from store.semantic.vectors import SignMatrix, cosine_int8, sign_bits, to_int8

# How much of an answer joins the heading and question in a record's text (the model reads
# 128 tokens, about 500 characters, of it).
ANSWER_CHARS = 600
# Rows the sign-bit scan hands on to exact rescoring: at 600,000 vectors 1,024 keep 91% of the true
# nearest ten (256 kept 83%) for 5 ms more.
SHORTLIST = 1024
# Sign bits are read this many rows at a time, so a first search at 600,000 never holds them all as Python objects.
LOAD_CHUNK = 20_000
# SQLite takes at most this many parameters in one IN list here.
IN_CHUNK = 500

_TEXT_SQL = (
    "SELECT questions.rowid, questions.heading, questions.question, substr(questions.answer, 1, ?) FROM questions"
)

_matrices: dict[Path, SignMatrix] = {}
_matrices_lock = threading.Lock()


def record_text(heading: str | None, question: str | None, answer_start: str | None) -> str:
    """What a record is embedded as: its heading, its question and the start of its answer."""
    return " ".join(part.strip() for part in (heading and f"{heading.strip()}.", question, answer_start) if part)


def _shared_matrix(path: Path | None) -> SignMatrix:
    """One SignMatrix per store file in a process, so every thread's index shares one copy of the bits."""
    if path is None:
        return SignMatrix()
    with _matrices_lock:
        return _matrices.setdefault(path.resolve(), SignMatrix())


class SemanticIndex:
    """Embeds a store's records and finds them by meaning; search uses whatever is embedded so far."""

    def __init__(self, store: QuestionStore, embedder: Embedder | None = None):
        self.store = store
        self.embedder = embedder or shared_embedder()
        self._matrix = _shared_matrix(store.path)

    def pending_count(self) -> int:
        """How many records have no vector of this model yet (new, changed, or never embedded)."""
        if self._stored_model() != MODEL_ID:
            return self.store.count()
        (count,) = self.store.db.execute(
            "SELECT count(*) FROM questions LEFT JOIN question_vectors ON question_rowid = questions.rowid "
            "WHERE question_rowid IS NULL"
        ).fetchone()
        return count

    def embedded_count(self) -> int:
        if self._stored_model() != MODEL_ID:
            return 0
        return self.store.db.execute("SELECT count(*) FROM question_vectors").fetchone()[0]

    def embed_pending(
        self,
        batch: int = 64,
        limit: int | None = None,
        progress: Callable[[int], object] | None = None,
        seconds: float | None = None,
    ) -> int:
        """Embed records without a vector, `batch` at a time, each batch committed (so an interrupted
        run loses at most one batch and the next run goes on from there); at most `limit` records,
        and no new batch once `seconds` have passed. Returns how many were embedded. progress, if
        given, is called with each batch's count."""
        self._adopt_model()
        done, after = 0, -1
        stop_at = None if seconds is None else time.monotonic() + seconds
        while (limit is None or done < limit) and (stop_at is None or time.monotonic() < stop_at):
            size = batch if limit is None else min(batch, limit - done)
            rows = self._pending_after(after, size)
            if not rows:
                break
            after = rows[-1][0]
            vectors = self.embedder.embed([text for _, text in rows])
            written = self._write_batch(rows, vectors)
            done += written
            if progress is not None:
                progress(written)
        return done

    def _pending_after(self, after: int, size: int) -> list[tuple[int, str]]:
        rows = self.store.db.execute(
            f"{_TEXT_SQL} LEFT JOIN question_vectors ON question_rowid = questions.rowid "
            "WHERE question_rowid IS NULL AND questions.rowid > ? ORDER BY questions.rowid LIMIT ?",
            [ANSWER_CHARS, after, size],
        )
        return [(rowid, record_text(heading, question, answer)) for rowid, heading, question, answer in rows]

    def _write_batch(self, rows: list[tuple[int, str]], vectors: np.ndarray) -> int:
        """Store the batch's vectors in one transaction, skipping any record whose text changed
        while it was being embedded (its new text is embedded by a later run)."""
        bits, small = sign_bits(vectors), to_int8(vectors)
        with self.store.transaction():
            current = dict(self._texts([rowid for rowid, _ in rows]))
            (seq,) = self.store.db.execute(
                "INSERT INTO semantic_state (key, value) VALUES ('seq', 1) "
                "ON CONFLICT (key) DO UPDATE SET value = value + 1 RETURNING CAST(value AS INTEGER)"
            ).fetchone()
            values = [
                (rowid, seq, bits[i].tobytes(), small[i].tobytes())
                for i, (rowid, text) in enumerate(rows)
                if current.get(rowid) == text
            ]
            self.store.db.conn.executemany(
                "INSERT OR REPLACE INTO question_vectors (question_rowid, seq, bits, vector) VALUES (?, ?, ?, ?)",
                values,
            )
        return len(values)

    def _texts(self, rowids: list[int]) -> Iterator[tuple[int, str]]:
        for chunk in _chunks(rowids):
            placeholders = ", ".join("?" * len(chunk))
            rows = self.store.db.execute(
                f"{_TEXT_SQL} WHERE questions.rowid IN ({placeholders})", [ANSWER_CHARS, *chunk]
            )
            for rowid, heading, question, answer in rows:
                yield rowid, record_text(heading, question, answer)

    def warm(self) -> None:
        """Load the shared sign bits and the model now, if the store holds vectors of this model."""
        if self._stored_model() == MODEL_ID:
            self._refresh()
            self.embedder.embed_query("written question")

    def nearest(self, query_text: str, k: int = 10) -> list[tuple[int, float]]:
        """The k embedded records nearest the query in meaning, as (rowid, cosine similarity), best first."""
        if k < 1 or self._stored_model() != MODEL_ID:
            return []
        self._refresh()
        query = self.embedder.embed_query(query_text)
        shortlist = self._matrix.shortlist(sign_bits(query[None, :])[0], max(SHORTLIST, k))
        scores = self._scores(query, [int(rowid) for rowid in shortlist])
        return sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:k]

    def similarity(self, query_text: str, rowids: list[int]) -> dict[int, float]:
        """Cosine similarity of the query to each of these records that is embedded (others left out)."""
        if not rowids or self._stored_model() != MODEL_ID:
            return {}
        return self._scores(self.embedder.embed_query(query_text), rowids)

    def _scores(self, query: np.ndarray, rowids: list[int]) -> dict[int, float]:
        scores: dict[int, float] = {}
        for chunk in _chunks(rowids):
            placeholders = ", ".join("?" * len(chunk))
            rows = self.store.db.execute(
                f"SELECT question_rowid, vector FROM question_vectors WHERE question_rowid IN ({placeholders})", chunk
            ).fetchall()
            if rows:
                stored = np.frombuffer(b"".join(vector for _, vector in rows), dtype=np.int8).reshape(len(rows), -1)
                similarities = cosine_int8(query, stored)
                scores.update((rowid, float(sim)) for (rowid, _), sim in zip(rows, similarities, strict=True))
        return scores

    def _refresh(self) -> None:
        """Bring the shared sign bits up to date with the table: only rows embedded since last time."""
        (latest,) = self.store.db.execute("SELECT coalesce(max(seq), 0) FROM question_vectors").fetchone()
        matrix = self._matrix
        if latest < matrix.seq:
            matrix.clear()
        if latest == matrix.seq:
            return
        cursor = self.store.db.execute("SELECT question_rowid, bits FROM question_vectors WHERE seq > ?", [matrix.seq])
        rowid_parts, bits_parts = [], []
        while rows := cursor.fetchmany(LOAD_CHUNK):
            rowid_parts.append(np.fromiter((rowid for rowid, _ in rows), dtype=np.int64, count=len(rows)))
            packed = b"".join(bits for _, bits in rows)
            bits_parts.append(np.frombuffer(packed, dtype=np.uint64).reshape(len(rows), -1))
        if rowid_parts:
            matrix.merge(np.concatenate(rowid_parts), np.concatenate(bits_parts), latest)

    def _stored_model(self) -> str | None:
        row = self.store.db.execute("SELECT value FROM semantic_state WHERE key = 'model'").fetchone()
        return row[0] if row else None

    def _adopt_model(self) -> None:
        """Vectors of another model mean nothing to this one: drop them all and start again."""
        if self._stored_model() == MODEL_ID:
            return
        with self.store.transaction():
            self.store.db.execute("DELETE FROM question_vectors")
            self.store.db.execute("INSERT OR REPLACE INTO semantic_state (key, value) VALUES ('model', ?)", [MODEL_ID])


def _chunks(items: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(items), IN_CHUNK):
        yield items[start : start + IN_CHUNK]
