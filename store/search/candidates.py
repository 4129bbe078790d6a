"""A tiny in-memory FTS5 index of one query's candidates, for checks too slow on the whole store.

Asking the store's index which of 60 records hold a phrase, or hold two phrases near each other,
makes FTS5 walk every record holding those words (tens of thousands for "support" or "council");
the same question put to an index of just those 60 records takes a millisecond. It tokenizes and
stems exactly as the store's index does, so the answers agree.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from store.schema import SEARCHED_FIELDS, TOKENIZER
from store.search.weights import shares


class CandidateIndex:
    """The candidates of the current query, re-filled for each query. One per engine (per thread)."""

    def __init__(self) -> None:
        self._db = sqlite3.connect(":memory:")
        self._db.execute(
            f"CREATE VIRTUAL TABLE candidates USING fts5({', '.join(SEARCHED_FIELDS)}, tokenize='{TOKENIZER}')"
        )

    def load(self, records: dict[int, dict]) -> None:
        """Replace the indexed records with these, keyed by their rowid in the store."""
        placeholders = ", ".join("?" * (len(SEARCHED_FIELDS) + 1))
        with self._db:
            self._db.execute("DELETE FROM candidates")
            self._db.executemany(
                f"INSERT INTO candidates (rowid, {', '.join(SEARCHED_FIELDS)}) VALUES ({placeholders})",
                [[rowid, *(record[field] for field in SEARCHED_FIELDS)] for rowid, record in records.items()],
            )

    def matching(self, expression: str) -> set[int]:
        """The rowids of the candidates an FTS5 expression matches."""
        rows = self._db.execute("SELECT rowid FROM candidates WHERE candidates MATCH ?", [expression])
        return {rowid for (rowid,) in rows}

    def coverage(self, groups: list[str], weights: Sequence[float]) -> dict[int, float]:
        """For each candidate, the share of the groups' weight (one group per concept) it matches."""
        held: dict[int, list[int]] = {}
        for index, group in enumerate(groups):
            for rowid in self.matching(group):
                held.setdefault(rowid, []).append(index)
        return shares(held, weights)

    def highlighted(self, field: str, expression: str, open_mark: str, close_mark: str) -> dict[int, str]:
        """One field of each matching candidate with the expression's matched words marked."""
        rows = self._db.execute(
            "SELECT rowid, highlight(candidates, ?, ?, ?) FROM candidates WHERE candidates MATCH ?",
            [SEARCHED_FIELDS.index(field), open_mark, close_mark, expression],
        )
        return {rowid: text for rowid, text in rows if text}
