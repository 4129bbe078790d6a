"""The store's own words, to map a mistyped query word to the word it was meant to be."""

from __future__ import annotations

from collections import defaultdict

from rapidfuzz import fuzz, process

from store.db import QuestionStore

# A correction must be this close (rapidfuzz ratio, 0-100) to be trusted.
CLOSENESS = 84
# Words this short are acronyms or numbers far more often than typos.
SHORTEST_CORRECTABLE = 4


class Vocabulary:
    """Words of the store, unstemmed, with how many records hold each, and how many records there are."""

    def __init__(self, document_counts: dict[str, int], records: int):
        self._counts = document_counts
        self._records = records
        self._by_length: dict[int, list[str]] = defaultdict(list)
        for word in document_counts:
            if word.isalpha():
                self._by_length[len(word)].append(word)

    @classmethod
    def of(cls, store: QuestionStore) -> Vocabulary:
        """Read the vocabulary that the store's word index keeps in step with its records."""
        rows = store.db.execute("SELECT term, doc FROM questions_vocabulary")
        return cls(dict(rows), store.count())

    def __contains__(self, word: str) -> bool:
        return word in self._counts

    def share(self, phrases: tuple[tuple[str, ...], ...]) -> float:
        """Roughly what share of records hold any of the phrases: at most the sum, over phrases,
        of the records holding each phrase's rarest word."""
        holding = sum(min(self._counts.get(word, 0) for word in phrase) for phrase in phrases if phrase)
        return holding / max(self._records, 1)

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
