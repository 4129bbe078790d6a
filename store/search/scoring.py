"""The arithmetic of ranking: a candidate's 0-100 score from what it holds of the query, and when the
best of them is a confident match. Pure functions of numbers, tested on their own.

A query typed as keywords is ranked by its words: the weighted share of its ideas a record holds,
how closely its heading echoes them, BM25, and whether they stand together. A query written as a
sentence ("what is being done about kids waiting too long for a plan") says what it means in words
Parliament may not use, so the closeness in meaning of the query and the record (cosine similarity
of their MiniLM vectors) takes a share of the score that grows with how much the query reads as a
sentence: nothing for keywords, up to MEANING_SHARE for a question in full.
"""

from __future__ import annotations

from dataclasses import dataclass

# Shares of the words' part of the score.
COVERAGE_SHARE, CLOSENESS_SHARE, BM25_SHARE, PROXIMITY_SHARE = 0.45, 0.25, 0.15, 0.15
# The most of the score that closeness in meaning takes, for a query that reads wholly as a sentence.
MEANING_SHARE = 0.4
# A query holding this many words of grammar or talk (stop words, "still", "doing") reads wholly
# as a sentence; fewer, partly.
SENTENCE_WORDS = 3
# Cosine similarities of MiniLM vectors below the first mean unrelated, above the second the same
# subject; in between, the score's share of meaning grows in a straight line.
UNRELATED, SAME_SUBJECT = 0.25, 0.7


@dataclass(frozen=True)
class Evidence:
    """What a candidate holds of a query: each part 0-1, except bm25_share (its BM25 over the best's)."""

    coverage: float
    closeness: float
    bm25_share: float
    together: bool
    similarity: float | None = None


def sentence_share(grammar_words: int) -> float:
    """How much a query reads as a sentence rather than keywords, 0-1, from its count of words of
    grammar and talk: keywords have none."""
    return min(grammar_words, SENTENCE_WORDS) / SENTENCE_WORDS


def meaning(similarity: float | None) -> float:
    """Closeness in meaning, 0-1, from a cosine similarity (None: the record is not embedded yet)."""
    if similarity is None:
        return 0.0
    return min(max((similarity - UNRELATED) / (SAME_SUBJECT - UNRELATED), 0.0), 1.0)


def score(evidence: Evidence, sentence: float) -> float:
    """A candidate's score, 0-100: its words' evidence, with closeness in meaning in proportion to
    how much the query reads as a sentence."""
    words = (
        COVERAGE_SHARE * evidence.coverage
        + CLOSENESS_SHARE * evidence.closeness
        + BM25_SHARE * evidence.bm25_share
        + PROXIMITY_SHARE * evidence.together
    )
    share = MEANING_SHARE * sentence if evidence.similarity is not None else 0.0
    return 100 * ((1 - share) * words + share * meaning(evidence.similarity))


@dataclass(frozen=True)
class TopMatch:
    """What the confident flag weighs: the top answer's weighted share of the query's ideas, its
    score, its closeness in meaning (None: not embedded), and whether it is the record nearest the
    query in meaning of all those embedded."""

    coverage: float
    score: float
    similarity: float | None = None
    nearest_in_meaning: bool = False


@dataclass(frozen=True)
class ConfidentRule:
    """When the top answer can be put forward as the answer, not only the nearest one: it holds
    `coverage` of the query's weight and scores `score`; or words and meaning agree on it (it is
    the record nearest the query in meaning, at least `meaning` close, holding `meaning_coverage`).

    Meaning alone is not enough: a query the store cannot answer still has a nearest record, about
    as close as a right answer put in other words. The defaults are calibrated by eval/calibrate.py
    on all three graded query sets together: the best share of right answers marked that still
    flags 90% of no-answer queries in each set.
    """

    coverage: float = 0.6
    score: float = 65
    meaning: float = 0.55
    meaning_coverage: float = 0.4

    def __call__(self, top: TopMatch) -> bool:
        if top.coverage >= self.coverage and top.score >= self.score:
            return True
        return (
            top.nearest_in_meaning
            and top.similarity is not None
            and top.similarity >= self.meaning
            and top.coverage >= self.meaning_coverage
        )


confident = ConfidentRule()
