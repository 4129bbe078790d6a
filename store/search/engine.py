"""Search: full-text candidates from SQLite, re-ranked by how fully and how closely they match.

1. The query is taken apart (filters, phrases, exclusions), mistyped words are corrected from the
   store's own vocabulary, and acronyms are joined to their spelled-out forms as one concept.
2. Candidates come from the FTS5 index (BM25, heading weighted over question over answer): first
   records holding every concept, then, when those are few, records holding any of them.
3. Candidates are re-ranked by the share of concepts they hold, by rapidfuzz closeness of each
   concept to the heading and question, and by BM25; the newer answer wins a tie.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from store.db import SEARCHED_FIELDS, QuestionStore
from store.search import fts
from store.search.query import Filters, ParsedQuery, QueryError, parse_query
from store.search.snippet import CLOSE, OPEN, best_sentences
from store.search.synonyms import Concept, Synonyms
from store.search.vocabulary import Vocabulary

CANDIDATES = 60
# BM25 weights of the index's columns (store.db.SEARCHED_FIELDS): heading, question, answer,
# asker and answerer.
COLUMN_WEIGHTS = (8.0, 3.0, 1.0, 2.0, 2.0)
# Shares of the final 0-100 score.
COVERAGE_SHARE, CLOSENESS_SHARE, BM25_SHARE, PROXIMITY_SHARE = 0.45, 0.25, 0.15, 0.15
# A concept counts as echoed in a heading or question only this close (rapidfuzz partial ratio).
ECHO_CLOSENESS = 85
# Concepts within this many words of each other count as used together.
NEAR_WORDS = 12
# Past this many combinations of alternatives, proximity is not worth asking about.
MOST_NEAR_COMBINATIONS = 32
# A top hit holding every concept and scoring this much is a confident match.
CONFIDENT_SCORE = 60

STOP_WORDS = frozenset(
    "a about an and any are as at be been being by can could did do does for from had has have how i "
    "if in into is it its many me much my no not of on or our should so than that the their them then "
    "there these they this those to too us was we were what when where which who why will with would "
    "you your".split()
)


@dataclass(frozen=True)
class Hit:
    """One result: the record, its 0-100 score, and the best-matching part of its answer."""

    record: dict
    score: int
    snippet: str

    def as_dict(self) -> dict:
        return self.record | {"score": self.score, "snippet": self.snippet}


@dataclass(frozen=True)
class SearchResult:
    """A page of hits, what was really searched for, and whether the top hit is a confident match."""

    query: str
    hits: tuple[Hit, ...]
    confident: bool
    searched_for: str
    corrections: tuple[tuple[str, str], ...] = ()
    offset: int = 0
    more: bool = False


@dataclass(frozen=True)
class _Plan:
    """The query as the index will see it."""

    concepts: tuple[Concept, ...]
    excluded: tuple[tuple[str, ...], ...]
    corrections: tuple[tuple[str, str], ...]

    def groups(self) -> list[str]:
        return [fts.any_of(concept.alternatives) for concept in self.concepts]

    def together(self) -> str | None:
        """An expression for every concept within a few words of the others, if worth asking."""
        if len(self.concepts) < 2:
            return None
        return fts.near([concept.alternatives for concept in self.concepts], NEAR_WORDS, MOST_NEAR_COMBINATIONS)

    def describe(self) -> str:
        parts = []
        for concept in self.concepts:
            others = [" ".join(alt) for alt in concept.alternatives if alt != concept.typed]
            parts.append(" ".join(concept.typed) + (f" (or {', '.join(others)})" if others else ""))
        text = " + ".join(parts)
        return text + "".join(f" -{' '.join(words)}" for words in self.excluded)


@dataclass(frozen=True)
class _Candidate:
    rowid: int
    relevance: float
    text: str
    date_answered: str | None


class SearchEngine:
    """Searches one store. Keep one per thread (it holds the store's connection)."""

    def __init__(self, store: QuestionStore, synonyms: Synonyms | None = None):
        self.store = store
        self.synonyms = synonyms or Synonyms.load()
        self._vocabulary: Vocabulary | None = None
        self._vocabulary_version: tuple[int, int] | None = None

    def search(self, text: str, limit: int = 5, offset: int = 0) -> SearchResult:
        """A page of the best records for a typed query; raises QueryError for an unsearchable one."""
        parsed = parse_query(text)
        if not parsed.has_text and not parsed.filters:
            raise QueryError("there is nothing to search for: type some words, like EHC timeliness")
        plan = self._plan(parsed)
        ranked = self._rank(plan, parsed.filters) if plan.concepts else self._latest(parsed.filters)
        page = ranked[offset : offset + limit]
        top_score, top_coverage = (ranked[0][1], ranked[0][2]) if ranked else (0, 0.0)
        return SearchResult(
            query=text,
            hits=tuple(self._hits(page, plan)),
            confident=bool(ranked) and top_coverage == 1.0 and top_score >= CONFIDENT_SCORE,
            searched_for=plan.describe(),
            corrections=plan.corrections,
            offset=offset,
            more=offset + limit < len(ranked),
        )

    def _plan(self, parsed: ParsedQuery) -> _Plan:
        """Correct mistyped words, drop stop words, and group words with their synonyms."""
        vocabulary = self.vocabulary()
        corrections, words = [], []
        for word in parsed.words:
            fixed = None if (word,) in self.synonyms else vocabulary.correct(word)
            if fixed:
                corrections.append((word, fixed))
            words.append(fixed or word)
        content = tuple(word for word in words if word not in STOP_WORDS) or tuple(words)
        concepts = self.synonyms.concepts(content) + [Concept(phrase, (phrase,)) for phrase in parsed.phrases]
        return _Plan(tuple(concepts), parsed.excluded, tuple(corrections))

    def vocabulary(self) -> Vocabulary:
        """The store's words, read again only when the store has changed since last time."""
        version = (self.store.db.execute("PRAGMA data_version").fetchone()[0], self.store.db.conn.total_changes)
        if self._vocabulary is None or version != self._vocabulary_version:
            self._vocabulary, self._vocabulary_version = Vocabulary.of(self.store), version
        return self._vocabulary

    def _rank(self, plan: _Plan, filters: Filters) -> list[tuple[int, int, float]]:
        """(rowid, score, coverage) for the candidates, best first."""
        groups = plan.groups()
        candidates = self._candidates(fts.combine(groups, "AND", list(plan.excluded)), filters)
        coverage = {candidate.rowid: 1.0 for candidate in candidates}
        if len(candidates) < CANDIDATES and len(groups) > 1:
            partial = [
                candidate
                for candidate in self._candidates(fts.combine(groups, "OR", list(plan.excluded)), filters)
                if candidate.rowid not in coverage
            ]
            coverage |= self._coverage(groups, [candidate.rowid for candidate in partial])
            candidates += partial
        if not candidates:
            return []
        closeness = self._closeness(plan.concepts, candidates)
        together = self._matching(plan.together(), [candidate.rowid for candidate in candidates])
        best_relevance = min(candidate.relevance for candidate in candidates)
        scored = [
            (
                candidate,
                100
                * (
                    COVERAGE_SHARE * coverage[candidate.rowid]
                    + CLOSENESS_SHARE * closeness[index] / 100
                    + BM25_SHARE * candidate.relevance / best_relevance
                    + PROXIMITY_SHARE * (candidate.rowid in together or len(plan.concepts) == 1)
                ),
            )
            for index, candidate in enumerate(candidates)
        ]
        scored.sort(key=lambda pair: (round(pair[1], 1), pair[0].date_answered or ""), reverse=True)
        return [(candidate.rowid, round(score), coverage[candidate.rowid]) for candidate, score in scored]

    def _candidates(self, expression: str, filters: Filters) -> list[_Candidate]:
        """The best records for an FTS5 expression by weighted BM25, within the filters."""
        where, params = _filter_clauses(filters)
        rows = self.store.db.execute(
            f"SELECT questions.rowid, bm25(questions_fts, {', '.join('?' * len(COLUMN_WEIGHTS))}) AS relevance, "
            "coalesce(questions.heading, '') || ' ' || questions.question, questions.date_answered "
            "FROM questions_fts JOIN questions ON questions.rowid = questions_fts.rowid "
            f"WHERE questions_fts MATCH ? {''.join(' AND ' + clause for clause in where)} "
            "ORDER BY relevance LIMIT ?",
            [*COLUMN_WEIGHTS, expression, *params, CANDIDATES],
        )
        return [_Candidate(*row) for row in rows]

    def _coverage(self, groups: list[str], rowids: list[int]) -> dict[int, float]:
        """For each record, the share of the query's concepts it holds anywhere in its text."""
        held = dict.fromkeys(rowids, 0)
        for group in groups:
            for rowid in self._matching(group, rowids):
                held[rowid] += 1
        return {rowid: count / len(groups) for rowid, count in held.items()}

    def _matching(self, expression: str | None, rowids: list[int]) -> set[int]:
        """Which of these records an FTS5 expression matches."""
        if expression is None or not rowids:
            return set()
        rows = self.store.db.execute(
            f"SELECT rowid FROM questions_fts WHERE questions_fts MATCH ? AND rowid IN ({', '.join('?' * len(rowids))})",
            [expression, *rowids],
        )
        return {rowid for (rowid,) in rows}

    def _closeness(self, concepts: tuple[Concept, ...], candidates: list[_Candidate]) -> list[float]:
        """How closely, on average over concepts, each candidate's heading and question echo them.

        A concept scores its rapidfuzz partial ratio when that is close enough to be the same
        words (plurals, typos, inflections), and nothing otherwise: near-misses are noise.
        """
        spelled = [[" ".join(alt) for alt in concept.alternatives] for concept in concepts]
        closeness = []
        for candidate in candidates:
            text = default_process(candidate.text)
            echoes = [
                process.extractOne(text, alternatives, scorer=fuzz.partial_ratio, score_cutoff=ECHO_CLOSENESS)
                for alternatives in spelled
            ]
            closeness.append(sum(echo[1] for echo in echoes if echo) / len(spelled))
        return closeness

    def _latest(self, filters: Filters) -> list[tuple[int, int, float]]:
        """With filters but no words: the newest answers that pass the filters."""
        where, params = _filter_clauses(filters)
        rows = self.store.db.execute(
            f"SELECT rowid FROM questions WHERE {' AND '.join(where)} "
            "ORDER BY date_answered DESC, id LIMIT ?",
            [*params, CANDIDATES],
        )
        return [(rowid, 100, 1.0) for (rowid,) in rows]

    def _hits(self, page: list[tuple[int, int, float]], plan: _Plan) -> list[Hit]:
        """Whole records and snippets for one page of ranked rowids."""
        if not page:
            return []
        rowids = [rowid for rowid, _, _ in page]
        placeholders = ", ".join("?" * len(rowids))
        records = {row.pop("rowid"): row for row in self.store.records_by_rowid(rowids)}
        highlighted = {}
        if plan.concepts:
            expression = fts.combine(plan.groups(), "OR", [])
            highlighted = dict(
                self.store.db.execute(
                    "SELECT rowid, highlight(questions_fts, ?, ?, ?) FROM questions_fts "
                    f"WHERE questions_fts MATCH ? AND rowid IN ({placeholders})",
                    [SEARCHED_FIELDS.index("answer"), OPEN, CLOSE, expression, *rowids],
                )
            )
        return [
            Hit(records[rowid], score, best_sentences(highlighted.get(rowid) or records[rowid]["answer"] or ""))
            for rowid, score, _ in page
        ]


def _filter_clauses(filters: Filters) -> tuple[list[str], list[str]]:
    """SQL conditions on the questions table, each a constant with its value as a parameter."""
    clauses: list[tuple[str, list[str]]] = []
    if filters.date_from:
        clauses.append(("questions.date_answered >= ?", [filters.date_from]))
    if filters.date_to:
        clauses.append(("questions.date_answered <= ?", [filters.date_to]))
    if filters.department:
        clauses.append(("questions.department LIKE ? ESCAPE '\\'", [_contains(filters.department)]))
    if filters.member:
        pattern = _contains(filters.member)
        clauses.append(
            ("(questions.asked_by LIKE ? ESCAPE '\\' OR questions.answered_by LIKE ? ESCAPE '\\')", [pattern, pattern])
        )
    if filters.house:
        clauses.append(("questions.house = ?", [filters.house]))
    return [clause for clause, _ in clauses], [param for _, params in clauses for param in params]


def _contains(text: str) -> str:
    """A LIKE pattern for text anywhere, with LIKE's own wildcards in the text escaped."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
