"""The store's own words, to map a mistyped query word to the word it was meant to be."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

from rapidfuzz import fuzz, process

from store.db import QuestionStore
from store.schema import SEARCHED_FIELDS

# Words as the store's word index splits them (unicode61): runs of letters and digits.
_WORD = re.compile(r"[^\W_]+")

# A correction must be this close (rapidfuzz ratio, 0-100) to be trusted.
CLOSENESS = 84
# Words this short are acronyms or numbers far more often than typos.
SHORTEST_CORRECTABLE = 4


class Vocabulary:
    """Words of the store, unstemmed, with how many records hold each, and how many records there are."""

    def __init__(self, document_counts: dict[str, int], records: int, newest_rowid: int = 0):
        self._counts = document_counts
        self._records = records
        self._by_length: dict[int, list[str]] = defaultdict(list)
        self.newest_rowid = newest_rowid
        self.rows_added = 0
        for word in document_counts:
            self._index(word)

    @classmethod
    def of(cls, store: QuestionStore) -> Vocabulary:
        """Read the whole vocabulary that the store's word index keeps in step with its records."""
        newest = newest_rowid(store)
        rows = store.db.execute("SELECT term, doc FROM questions_vocabulary")
        return cls(dict(rows), store.count(), newest)

    def take_new(self, store: QuestionStore) -> None:
        """Add the words of the records stored since this vocabulary was read, without reading it all again.

        A record that replaced an older one counts once more than it should; the engine reads the
        whole vocabulary again once such additions reach a tenth of the store.
        """
        rows = store.db.execute(
            f"SELECT rowid, {', '.join(SEARCHED_FIELDS)} FROM questions WHERE rowid > ? ORDER BY rowid",
            [self.newest_rowid],
        )
        for rowid, *fields in rows:
            for word in set(words_of(" ".join(field for field in fields if field))):
                if word not in self._counts:
                    self._index(word)
                self._counts[word] = self._counts.get(word, 0) + 1
            self._records += 1
            self.rows_added += 1
            self.newest_rowid = rowid

    @property
    def records(self) -> int:
        return self._records

    def _index(self, word: str) -> None:
        if word.isalpha():
            self._by_length[len(word)].append(word)

    def holding(self, phrases: tuple[tuple[str, ...], ...]) -> int:
        """Roughly how many records hold any of the phrases: at most the sum, over phrases, of the
        records holding each phrase's rarest word."""
        return sum(min(self._counts.get(word, 0) for word in phrase) for phrase in phrases if phrase)

    def counts(self, phrase: tuple[str, ...]) -> list[int]:
        """How many records hold each word of a phrase."""
        return [self._counts.get(word, 0) for word in phrase]

    def correct(self, word: str) -> str | None:
        """The store's word nearest to a word it lacks, preferring common words; None if none is close."""
        if word in self._counts or len(word) < SHORTEST_CORRECTABLE or not word.isalpha():
            return None
        candidates = [
            candidate for length in range(len(word) - 2, len(word) + 3) for candidate in self._by_length.get(length, ())
        ]
        matches = process.extract(word, candidates, scorer=fuzz.ratio, score_cutoff=CLOSENESS, limit=5)
        if not matches:
            return None
        best, _, _ = max(matches, key=lambda match: (match[1], self._counts[match[0]]))
        return best


def words_of(text: str) -> list[str]:
    """A text's words as the store's word index holds them: folded to lower case, accents removed."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    return _WORD.findall("".join(character for character in folded if not unicodedata.combining(character)))


def newest_rowid(store: QuestionStore) -> int:
    """The highest rowid in the store: any record added or replaced since raises it (a cheap change check)."""
    return store.db.execute("SELECT coalesce(max(rowid), 0) FROM questions").fetchone()[0]
