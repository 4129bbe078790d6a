"""The SQL search asks of the questions table and its FTS5 index: parameters only, every read bounded."""

from __future__ import annotations

import json
from collections.abc import Sequence

from store.db import QuestionStore
from store.schema import SEARCHED_FIELDS
from store.search import fts
from store.search.query import Filters, tokens

# BM25 weights of the index's columns (store.db.SEARCHED_FIELDS): heading, question, answer,
# asker and answerer.
COLUMN_WEIGHTS = (8.0, 3.0, 1.0, 2.0, 2.0)


class RecordLookups:
    """Reads of one store's questions for search, over the store's own connection."""

    def __init__(self, store: QuestionStore):
        self.store = store

    def bm25(self, expression: str, filters: Filters, limit: int) -> list[tuple[int, float]]:
        """The best records for an FTS5 expression by weighted BM25 (negative: lower is better).

        With filters, CROSS JOIN makes SQLite walk the index's matches and look each record up,
        never the other way round (one index probe per filtered record, which is far slower);
        without them the index alone answers, and no record is looked up at all.
        """
        weights = ", ".join("?" * len(COLUMN_WEIGHTS))
        if not filters:
            return self.store.db.execute(
                f"SELECT rowid, bm25(questions_fts, {weights}) AS relevance FROM questions_fts "
                "WHERE questions_fts MATCH ? ORDER BY relevance LIMIT ?",
                [*COLUMN_WEIGHTS, expression, limit],
            ).fetchall()
        where, params = filter_clauses(filters)
        return self.store.db.execute(
            f"SELECT questions.rowid, bm25(questions_fts, {weights}) AS relevance "
            "FROM questions_fts CROSS JOIN questions ON questions.rowid = questions_fts.rowid "
            f"WHERE questions_fts MATCH ? {''.join(' AND ' + clause for clause in where)} "
            "ORDER BY relevance LIMIT ?",
            [*COLUMN_WEIGHTS, expression, *params, limit],
        ).fetchall()

    def newest(self, expression: str, filters: Filters, limit: int) -> list[tuple[int, float]]:
        """The newest records an FTS5 expression matches, each with the same relevance (-1).

        For a word so common that ranking its every record by BM25 would walk them all: in rowid
        order FTS5 stops at the limit, whatever the store's size.
        """
        where, params = filter_clauses(filters)
        rows = self.store.db.execute(
            "SELECT questions.rowid FROM questions_fts CROSS JOIN questions ON questions.rowid = questions_fts.rowid "
            f"WHERE questions_fts MATCH ? {''.join(' AND ' + clause for clause in where)} "
            "ORDER BY questions_fts.rowid DESC LIMIT ?",
            [expression, *params, limit],
        )
        return [(rowid, -1.0) for (rowid,) in rows]

    def searched_fields(self, rowids: list[int]) -> dict[int, dict]:
        """The searched fields and answer date of each candidate, by rowid."""
        fields = (*SEARCHED_FIELDS, "date_answered")
        rows = self.store.db.execute(
            f"SELECT rowid, {', '.join(fields)} FROM questions WHERE rowid IN ({', '.join('?' * len(rowids))})",
            rowids,
        )
        return {row[0]: dict(zip(fields, row[1:], strict=True)) for row in rows}

    def ids_of(self, rowids: list[int]) -> dict[str, int]:
        """Record id → rowid, for these rowids."""
        rows = self.store.db.execute(
            "SELECT id, rowid FROM questions WHERE rowid IN (SELECT value FROM json_each(?))", [json.dumps(rowids)]
        )
        return dict(rows)

    def passing(self, rowids: list[int], filters: Filters) -> list[int]:
        """Those of these rowids whose records pass the filters."""
        return self._passing_by("rowid", rowids, filters)

    def rowids(self, record_ids: Sequence[str], filters: Filters) -> list[int]:
        """The rowids of the records with these ids that pass the filters."""
        return self._passing_by("id", list(record_ids), filters)

    def _passing_by(self, key: str, values: list, filters: Filters) -> list[int]:
        """The rowids of the records whose key (rowid or id, a constant here) is one of these values
        and that pass the filters."""
        where, params = filter_clauses(filters)
        rows = self.store.db.execute(
            f"SELECT rowid FROM questions WHERE {key} IN (SELECT value FROM json_each(?))"
            f"{''.join(' AND ' + clause for clause in where)}",
            [json.dumps(values), *params],
        )
        return [rowid for (rowid,) in rows]

    def latest(self, filters: Filters, limit: int) -> list[int]:
        """With filters but no words: the rowids of the newest answers that pass the filters.

        A member filter is first narrowed through the index of members' names, so that only
        that member's records are compared, not every record in the store.
        """
        where, params = filter_clauses(filters)
        named = tokens(filters.member or "")
        if named:
            where.append("questions.rowid IN (SELECT rowid FROM questions_fts WHERE questions_fts MATCH ?)")
            params.append(fts.in_columns(("asked_by", "answered_by"), fts.phrase(named)))
        rows = self.store.db.execute(
            f"SELECT rowid FROM questions WHERE {' AND '.join(where)} ORDER BY date_answered DESC, id LIMIT ?",
            [*params, limit],
        )
        return [rowid for (rowid,) in rows]


def filter_clauses(filters: Filters) -> tuple[list[str], list[str]]:
    """SQL conditions on the questions table, each a constant with its value as a parameter."""
    clauses: list[tuple[str, list[str]]] = []
    if filters.date_from:
        clauses.append(("questions.date_answered >= ?", [filters.date_from]))
    if filters.date_to:
        clauses.append(("questions.date_answered <= ?", [filters.date_to]))
    if filters.department:
        clauses.append(("questions.department LIKE ? ESCAPE '\\'", [contains(filters.department)]))
    if filters.member:
        pattern = contains(filters.member)
        clauses.append(
            ("(questions.asked_by LIKE ? ESCAPE '\\' OR questions.answered_by LIKE ? ESCAPE '\\')", [pattern, pattern])
        )
    if filters.house:
        clauses.append(("questions.house = ?", [filters.house]))
    return [clause for clause, _ in clauses], [param for _, params in clauses for param in params]


def contains(text: str) -> str:
    """A LIKE pattern for text anywhere, with LIKE's own wildcards in the text escaped."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
