"""Search: full-text candidates from SQLite, re-ranked by how fully and how closely they match.

1. The query is taken apart (filters, phrases, exclusions), mistyped words are corrected from the
   store's own vocabulary, and acronyms are joined to their spelled-out forms as one concept.
2. Each concept weighs what it says (store.search.weights: IDF, little for the words of asking).
   Candidates come from the FTS5 index (BM25, heading weighted over question over answer): first
   records holding every concept, then, when those are few, records holding the weightier ones.
3. Candidates are re-ranked by the share of the concepts' weight they hold, by rapidfuzz
   closeness of each concept to the heading and question, and by BM25; the newer answer wins a tie.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from store.db import QuestionStore
from store.schema import SEARCHED_FIELDS
from store.search import fts
from store.search.candidates import CandidateIndex
from store.search.query import Filters, ParsedQuery, parse_search, tokens
from store.search.snippet import CLOSE, OPEN, best_sentences
from store.search.synonyms import Concept, Synonyms
from store.search.vocabulary import Vocabulary, newest_rowid
from store.search.scoring import Evidence, confident, meaning, score, sentence_share
from store.search.weights import EVERYDAY_WORDS, everyday, heaviest_first, light, likely_holding, weigh
from store.semantic import SemanticIndex

CANDIDATES = 60
# Below this many candidates, records holding only some of the concepts are gathered too.
FEW_CANDIDATES = 20
# BM25 weights of the index's columns (store.db.SEARCHED_FIELDS): heading, question, answer,
# asker and answerer.
COLUMN_WEIGHTS = (8.0, 3.0, 1.0, 2.0, 2.0)
# A concept counts as echoed in a heading or question only this close (rapidfuzz partial ratio).
ECHO_CLOSENESS = 85
# Concepts within this many words of each other count as used together.
NEAR_WORDS = 12
# Past this many combinations of alternatives, proximity is not worth asking about.
MOST_NEAR_COMBINATIONS = 32
# About how many records the loosest stage of candidate gathering may make FTS5 score, at any
# store size; and past how many records holding a query's rarest idea its first stage looks in
# headings alone.
POSTINGS_BUDGET = 4_000
HEADINGS_ONLY_ABOVE = 20_000
# The "all but one" stage asks for all but one of this many of the query's rarest ideas.
MOST_REQUIRED = 5
# The most distinct words of a query read, and the most ideas searched for: a pasted question's
# heaviest ideas say what it is about, and its cost stays bounded.
MOST_WORDS = 40
# The most words of a query read at all, stop words included.
MOST_TOKENS = 400
MOST_CONCEPTS = 8
# The typo vocabulary is read whole again once records added since reach this share of the store.
FULL_RELOAD_SHARE = 0.1
# A query read as a sentence also takes this many of the records nearest it in meaning as candidates.
MEANING_CANDIDATES = 20

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
    # Roughly how many records hold each concept, and how much each says, in the order of concepts.
    holding: tuple[int, ...] = ()
    weights: tuple[float, ...] = ()
    records: int = 0
    # How much the query reads as a sentence (0-1), and its words as the meaning model reads them.
    sentence: float = 0.0
    said: str = ""

    def groups(self) -> list[str]:
        return [fts.any_of(concept.alternatives) for concept in self.concepts]

    def saying(self) -> list[int]:
        """The indexes of the concepts that are not words of asking or talk."""
        return [index for index, concept in enumerate(self.concepts) if not everyday(concept)]

    def weighty(self) -> list[int]:
        """The indexes of the concepts that are not light beside the heaviest: the query's subject."""
        return [index for index, is_light in enumerate(light(self.weights)) if not is_light]

    def every_concept(self) -> str:
        """An expression for records holding every concept and none of the exclusions."""
        return fts.combine(self.groups(), "AND", list(self.excluded))

    def together(self) -> str | None:
        """An expression for every concept within a few words of the others, if worth asking."""
        subject = [self.concepts[index].alternatives for index in self.weighty()]
        if len(subject) < 2:
            return None
        return fts.near(subject, NEAR_WORDS, MOST_NEAR_COMBINATIONS)

    def describe(self) -> str:
        parts = []
        for concept in self.concepts:
            others = [" ".join(alt) for alt in concept.alternatives if alt != concept.typed]
            parts.append(" ".join(concept.typed) + (f" (or {', '.join(others)})" if others else ""))
        text = " + ".join(parts)
        return text + "".join(f" -{' '.join(words)}" for words in self.excluded)


@dataclass(frozen=True)
class _Ranked:
    rowid: int
    score: int
    coverage: float
    similarity: float | None = None


class SearchEngine:
    """Searches one store. Keep one per thread (it holds the store's connection)."""

    def __init__(self, store: QuestionStore, synonyms: Synonyms | None = None, by_meaning: bool = True):
        """by_meaning=False searches by words alone, as before any answer is embedded."""
        self.store = store
        self.synonyms = synonyms or Synonyms.load()
        self._candidates = CandidateIndex()
        self._vocabulary: Vocabulary | None = None
        self._meaning = SemanticIndex(store) if by_meaning else None

    def search(self, text: str, limit: int = 5, offset: int = 0) -> SearchResult:
        """A page of the best records for a typed query; raises QueryError for an unsearchable one."""
        parsed = parse_search(text)
        plan = self._plan(parsed)
        ranked = self._rank(plan, parsed.filters) if plan.concepts else self._latest(parsed.filters)
        top = ranked[0] if ranked else None
        return SearchResult(
            query=text,
            hits=tuple(self._hits(ranked[offset : offset + limit], plan)),
            confident=top is not None and self._confident(top, plan),
            searched_for=plan.describe(),
            corrections=plan.corrections,
            offset=offset,
            more=offset + limit < len(ranked),
        )

    def _confident(self, top: _Ranked, plan: _Plan) -> bool:
        """Whether the top answer is a confident match (scoring.confident); for a keyword query, whose
        ranking did without meaning, its closeness in meaning is looked up only if its words fall short."""
        similarity = top.similarity
        if confident(top.coverage, top.score, similarity):
            return True
        if similarity is None and plan.concepts and self._meaning:
            similarity = self._meaning.similarity(plan.said, [top.rowid]).get(top.rowid)
        return confident(top.coverage, top.score, similarity)

    def matches(self, topic: str, record_ids: Sequence[str]) -> list[Hit]:
        """Which of these records a saved topic catches, best first, with snippets.

        A topic catches a record that holds every idea in it (acronyms, synonyms and typo fixes
        as in search), passes its filters and holds none of its exclusions: the same language as
        search, judged record by record rather than ranked against the whole store.
        """
        parsed = parse_search(topic)
        plan = self._plan(parsed)
        rowids = self._rowids(record_ids, parsed.filters)
        if not rowids or not plan.concepts:
            return self._hits([_Ranked(rowid, 100, 1.0) for rowid in rowids], plan)
        ranked = self._score(plan, dict.fromkeys(rowids, -1.0), by_meaning=False)
        caught = self._candidates.matching(plan.every_concept())
        return self._hits([candidate for candidate in ranked if candidate.rowid in caught], plan)

    def catches(self, topics: Sequence[str], record_ids: Sequence[str]) -> dict[str, list[str]]:
        """For each topic, the ids of the records among these that it catches (as matches() judges).

        The batch is loaded into the candidate index once, and each topic costs one FTS match there
        (and, with filters, one query of the batch's ids): 200 topics over 2,000 new answers read
        the answers once, not 200 times.
        """
        every = self._rowids(record_ids, Filters())
        ids = {rowid: record_id for record_id, rowid in self._ids_of(every).items()}
        if every:
            self._candidates.load(self._searched_fields(every))
        caught: dict[str, list[str]] = {}
        for topic in topics:
            parsed = parse_search(topic)
            plan = self._plan(parsed)
            passing = set(self._rowids(record_ids, parsed.filters)) if parsed.filters else set(every)
            if plan.concepts and passing:
                passing &= self._candidates.matching(plan.every_concept())
            caught[topic] = [ids[rowid] for rowid in every if rowid in passing]
        return caught

    def _ids_of(self, rowids: list[int]) -> dict[str, int]:
        """Record id → rowid, for these rowids."""
        rows = self.store.db.execute(
            "SELECT id, rowid FROM questions WHERE rowid IN (SELECT value FROM json_each(?))", [json.dumps(rowids)]
        )
        return dict(rows)

    def _passing(self, rowids: list[int], filters: Filters) -> list[int]:
        """Those of these rowids whose records pass the filters."""
        where, params = _filter_clauses(filters)
        rows = self.store.db.execute(
            "SELECT rowid FROM questions WHERE rowid IN (SELECT value FROM json_each(?))"
            f"{''.join(' AND ' + clause for clause in where)}",
            [json.dumps(rowids), *params],
        )
        return [rowid for (rowid,) in rows]

    def _rowids(self, record_ids: Sequence[str], filters: Filters) -> list[int]:
        """The rowids of the records with these ids that pass the filters."""
        where, params = _filter_clauses(filters)
        rows = self.store.db.execute(
            "SELECT rowid FROM questions WHERE id IN (SELECT value FROM json_each(?))"
            f"{''.join(' AND ' + clause for clause in where)}",
            [json.dumps(list(record_ids)), *params],
        )
        return [rowid for (rowid,) in rows]

    def _plan(self, parsed: ParsedQuery) -> _Plan:
        """Correct mistyped words, group words with their synonyms, and drop stop words and repeats.

        Synonyms are looked up in the words as typed, stop words included ("heat their homes").
        However long the query, at most MOST_WORDS distinct words are read and MOST_CONCEPTS ideas
        kept (the heaviest, which say the most), so its cost has a bound.
        """
        vocabulary = self.vocabulary()
        words = _bounded(parsed.words)
        fixes = {
            word: vocabulary.correct(word)
            for word in dict.fromkeys(words)
            if not _filler(word) and (word,) not in self.synonyms
        }
        corrections = [(word, fixed) for word, fixed in fixes.items() if fixed]
        found = self.synonyms.concepts(tuple(fixes.get(word) or word for word in words))
        said = [concept for concept in found if len(concept.typed) > 1 or not _filler(concept.typed[0])]
        concepts = (said or found) + [Concept(phrase, (phrase,)) for phrase in parsed.phrases]
        concepts = list({concept.alternatives: concept for concept in concepts}.values())
        holding = [vocabulary.holding(concept.alternatives) for concept in concepts]
        records = vocabulary.records
        likely = [likely_holding(map(vocabulary.counts, concept.alternatives), records) for concept in concepts]
        weights = weigh(concepts, likely, records)
        kept = sorted(heaviest_first(weights)[:MOST_CONCEPTS])
        grammar = sum(word in STOP_WORDS or word in EVERYDAY_WORDS for word in words)
        return _Plan(
            tuple(concepts[index] for index in kept),
            parsed.excluded[:MOST_CONCEPTS],
            tuple(corrections),
            tuple(holding[index] for index in kept),
            tuple(weights[index] for index in kept),
            records,
            sentence_share(grammar),
            " ".join(words + tuple(" ".join(phrase) for phrase in parsed.phrases)),
        )

    def vocabulary(self) -> Vocabulary:
        """The store's words: read whole once, then kept up to date with the records added since.

        Writes that add no record (deliveries, subscriptions) change nothing here. Once additions
        reach a tenth of the store, it is read whole again, so that replaced records' words do not
        pile up.
        """
        vocabulary = self._vocabulary
        if vocabulary is None or vocabulary.rows_added > vocabulary.records * FULL_RELOAD_SHARE:
            self._vocabulary = vocabulary = Vocabulary.of(self.store)
        elif newest_rowid(self.store) != vocabulary.newest_rowid:
            vocabulary.take_new(self.store)
        return vocabulary

    def _rank(self, plan: _Plan, filters: Filters) -> list[_Ranked]:
        """The best records in the store for a plan, scored and best first.

        A query read as a sentence also takes the records nearest it in meaning (and not unrelated)
        that pass its filters, so that an answer in other words than the query's can still be found.
        """
        relevance = self._gather(plan, filters)
        if plan.sentence and self._meaning:
            found = self._meaning.nearest(plan.said, MEANING_CANDIDATES)
            nearest = [rowid for rowid, similarity in found if meaning(similarity) > 0]
            for rowid in self._passing(nearest, filters):
                relevance.setdefault(rowid, 0.0)
        return self._score(plan, relevance) if relevance else []

    def _score(self, plan: _Plan, relevance: dict[int, float], by_meaning: bool = True) -> list[_Ranked]:
        """Candidates scored 0-100 (scoring.score) and sorted, best first, the newer answer first on a
        tie; any holding an excluded word left out.

        Leaves the candidates loaded in the candidate index, for snippets and further checks.
        """
        records = self._searched_fields(list(relevance))
        self._candidates.load(records)
        excluded = self._candidates.matching(fts.any_of(plan.excluded)) if plan.excluded else set()
        coverage = self._candidates.coverage(plan.groups(), plan.weights)
        near = plan.together()
        together = self._candidates.matching(near) if near else set(relevance) if len(plan.concepts) == 1 else set()
        closeness = self._closeness(plan, records)
        similarity = {}
        if by_meaning and plan.sentence and self._meaning:
            similarity = self._meaning.similarity(plan.said, list(relevance))
        best = min(relevance.values()) or -1.0
        scored = []
        for rowid, bm25 in relevance.items():
            if rowid in excluded:
                continue
            evidence = Evidence(
                coverage.get(rowid, 0.0), closeness[rowid] / 100, bm25 / best, rowid in together, similarity.get(rowid)
            )
            points = round(score(evidence, plan.sentence), 1)
            scored.append((points, records[rowid]["date_answered"] or "", rowid, evidence))
        scored.sort(reverse=True)
        return [
            _Ranked(rowid, round(points), evidence.coverage, evidence.similarity) for points, _, rowid, evidence in scored
        ]

    def _gather(self, plan: _Plan, filters: Filters) -> dict[int, float]:
        """Candidates by BM25, in ever looser stages while they are few: records holding every
        weighty concept (the light ones, and those most records hold, which FTS5 would walk for
        nothing, left out); then all but one of the rarest that are not words of talk (never the
        one that outweighs the rest); then, while very few, any of the heaviest concepts.

        Each stage's cost has a bound, whatever the store's size: each is one expression of at
        most MOST_CONCEPTS groups (MOST_REQUIRED² for all but one), the loosest takes only the
        concepts that fit POSTINGS_BUDGET, and when even the rarest concept is held by more than
        HEADINGS_ONLY_ABOVE records (a single common word), the first stage looks in headings
        alone, where such a word says the most.
        """
        groups, excluded, holding = plan.groups(), list(plan.excluded), plan.holding
        weighty = [groups[index] for index in plan.weighty()]
        telling = [groups[index] for index in plan.weighty() if holding[index] <= plan.records / 2]
        every = fts.combine(telling or weighty, "AND", [])
        if min(holding) > HEADINGS_ONLY_ABOVE:
            every = fts.in_columns(("heading",), every)
        stages = [(fts.combine([every], "AND", excluded), math.inf)]
        required = sorted(sorted(plan.saying(), key=lambda index: holding[index])[:MOST_REQUIRED])
        droppable = [place for place, index in enumerate(required) if _minor(index, required, plan.weights)]
        if len(required) >= 3 and droppable:
            all_but_one = fts.all_but_one([groups[index] for index in required], droppable)
            stages.append((fts.combine(all_but_one, "OR", excluded), CANDIDATES))
        heaviest = heaviest_first(plan.weights)
        affordable = _within_budget([groups[index] for index in heaviest], [holding[index] for index in heaviest])
        if len(groups) >= 2 and affordable:
            stages.append((fts.combine(affordable, "OR", excluded), FEW_CANDIDATES))
        found: dict[int, float] = {}
        for expression, run_while_fewer_than in stages:
            if len(found) < run_while_fewer_than:
                for rowid, relevance in self._bm25(expression, filters):
                    found.setdefault(rowid, relevance)
        return found

    def _bm25(self, expression: str, filters: Filters) -> list[tuple[int, float]]:
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
                [*COLUMN_WEIGHTS, expression, CANDIDATES],
            ).fetchall()
        where, params = _filter_clauses(filters)
        return self.store.db.execute(
            f"SELECT questions.rowid, bm25(questions_fts, {weights}) AS relevance "
            "FROM questions_fts CROSS JOIN questions ON questions.rowid = questions_fts.rowid "
            f"WHERE questions_fts MATCH ? {''.join(' AND ' + clause for clause in where)} "
            "ORDER BY relevance LIMIT ?",
            [*COLUMN_WEIGHTS, expression, *params, CANDIDATES],
        ).fetchall()

    def _searched_fields(self, rowids: list[int]) -> dict[int, dict]:
        """The searched fields and answer date of each candidate, by rowid."""
        fields = (*SEARCHED_FIELDS, "date_answered")
        rows = self.store.db.execute(
            f"SELECT rowid, {', '.join(fields)} FROM questions WHERE rowid IN ({', '.join('?' * len(rowids))})",
            rowids,
        )
        return {row[0]: dict(zip(fields, row[1:], strict=True)) for row in rows}

    def _closeness(self, plan: _Plan, records: dict[int, dict]) -> dict[int, float]:
        """How closely, on average over concepts weighted as in the plan, each candidate's heading
        and question echo them.

        A concept scores its rapidfuzz partial ratio when that is close enough to be the same
        words (plurals, typos, inflections), and nothing otherwise: near-misses are noise.
        """
        spelled = [[" ".join(alt) for alt in concept.alternatives] for concept in plan.concepts]
        total = sum(plan.weights) or 1.0
        closeness = {}
        for rowid, record in records.items():
            text = default_process(f"{record['heading'] or ''} {record['question']}")
            echoes = [
                process.extractOne(text, alternatives, scorer=fuzz.partial_ratio, score_cutoff=ECHO_CLOSENESS)
                for alternatives in spelled
            ]
            closeness[rowid] = sum(echo[1] * weight for echo, weight in zip(echoes, plan.weights) if echo) / total
        return closeness

    def _latest(self, filters: Filters) -> list[_Ranked]:
        """With filters but no words: the newest answers that pass the filters.

        A member filter is first narrowed through the index of members' names, so that only
        that member's records are compared, not every record in the store.
        """
        where, params = _filter_clauses(filters)
        named = tokens(filters.member or "")
        if named:
            where.append("questions.rowid IN (SELECT rowid FROM questions_fts WHERE questions_fts MATCH ?)")
            params.append(fts.in_columns(("asked_by", "answered_by"), fts.phrase(named)))
        rows = self.store.db.execute(
            f"SELECT rowid FROM questions WHERE {' AND '.join(where)} ORDER BY date_answered DESC, id LIMIT ?",
            [*params, CANDIDATES],
        )
        return [_Ranked(rowid, 100, 1.0) for (rowid,) in rows]

    def _hits(self, page: list[_Ranked], plan: _Plan) -> list[Hit]:
        """Whole records and snippets for one page of ranked candidates."""
        if not page:
            return []
        records = {row.pop("rowid"): row for row in self.store.records_by_rowid([ranked.rowid for ranked in page])}
        marked = {}
        if plan.concepts:
            marked = self._candidates.highlighted("answer", fts.combine(plan.groups(), "OR", []), OPEN, CLOSE)
        return [
            Hit(records[ranked.rowid], ranked.score, best_sentences(marked.get(ranked.rowid) or records[ranked.rowid]["answer"] or ""))
            for ranked in page
        ]


def _filler(word: str) -> bool:
    """A word that says nothing on its own: a stop word, or a lone letter (the t of can't)."""
    return word in STOP_WORDS or (len(word) == 1 and word.isalpha())


def _minor(index: int, among: list[int], weights: tuple[float, ...]) -> bool:
    """Whether an idea weighs less than the others among these together: one a record may lack."""
    return weights[index] < sum(weights[other] for other in among if other != index)


def _bounded(words: tuple[str, ...]) -> tuple[str, ...]:
    """The query's words up to its MOST_WORDS-th distinct word that is not filler, and at most MOST_TOKENS."""
    seen: set[str] = set()
    for position, word in enumerate(words[:MOST_TOKENS]):
        if not _filler(word):
            seen.add(word)
            if len(seen) > MOST_WORDS:
                return words[:position]
    return words[:MOST_TOKENS]


def _within_budget(groups: list[str], holding: list[int]) -> list[str]:
    """The groups, taken in order, whose records, added up, stay within POSTINGS_BUDGET."""
    chosen, total = [], 0
    for count, group in zip(holding, groups, strict=True):
        if total + count <= POSTINGS_BUDGET:
            chosen.append(group)
            total += count
    return chosen


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
