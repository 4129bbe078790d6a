"""Search: full-text candidates from SQLite, re-ranked by how fully and how closely they match.

1. The query is taken apart (filters, phrases, exclusions), mistyped words are corrected from the
   store's own vocabulary, and acronyms are joined to their spelled-out forms as one concept.
2. Each concept weighs what it says (store.search.weights: IDF, little for the words of asking).
   Candidates come from the FTS5 index (BM25, heading weighted over question over answer): first
   records holding every concept, then, when those are few, records holding the weightier ones.
   A query that reads as a sentence also takes the records nearest it in meaning (store.semantic).
3. Candidates are re-ranked (store.search.scoring) by the share of the concepts' weight they hold,
   by rapidfuzz closeness of each concept to the heading and question, by BM25, and, for a
   sentence, by closeness in meaning; the newer answer wins a tie.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from store.db import QuestionStore
from store.search import fts
from store.search.candidates import CandidateIndex
from store.search.lookups import RecordLookups
from store.search.plan import Plan, minor, plan_for, within_budget
from store.search.query import Filters, parse_search
from store.search.scoring import Evidence, TopMatch, confident, meaning, score
from store.search.snippet import CLOSE, OPEN, best_sentences
from store.search.synonyms import Synonyms
from store.search.vocabulary import Vocabulary, newest_rowid
from store.search.weights import heaviest_first
from store.semantic import SemanticIndex

CANDIDATES = 60
# Below this many candidates, records holding only some of the concepts are gathered too.
FEW_CANDIDATES = 20
# A concept counts as echoed in a heading or question only this close (rapidfuzz partial ratio).
ECHO_CLOSENESS = 85
# Past how many records holding a query's rarest idea the first stage of candidate gathering
# looks in headings alone.
HEADINGS_ONLY_ABOVE = 20_000
# The "all but one" stage asks for all but one of this many of the query's rarest ideas.
MOST_REQUIRED = 5
# The typo vocabulary is read whole again once records added since reach this share of the store.
FULL_RELOAD_SHARE = 0.1
# A query read as a sentence also takes this many of the records nearest it in meaning as candidates.
MEANING_CANDIDATES = 20


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
    # What the confident flag was judged on, for calibrating it (eval/calibrate.py).
    top_match: TopMatch | None = None


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
        self._lookups = RecordLookups(store)
        self.synonyms = synonyms or Synonyms.load()
        self._candidates = CandidateIndex()
        self._vocabulary: Vocabulary | None = None
        self._meaning = SemanticIndex(store) if by_meaning else None

    def search(self, text: str, limit: int = 5, offset: int = 0) -> SearchResult:
        """A page of the best records for a typed query; raises QueryError for an unsearchable one."""
        parsed = parse_search(text)
        plan = plan_for(parsed, self.vocabulary(), self.synonyms)
        nearest = self._nearest(plan)
        ranked = self._rank(plan, parsed.filters, nearest) if plan.concepts else self._latest(parsed.filters)
        top_match = self._top_match(ranked, plan, nearest)
        return SearchResult(
            query=text,
            hits=tuple(self._hits(ranked[offset : offset + limit], plan)),
            confident=top_match is not None and confident(top_match),
            searched_for=plan.describe(),
            corrections=plan.corrections,
            offset=offset,
            more=offset + limit < len(ranked),
            top_match=top_match,
        )

    def _nearest(self, plan: Plan) -> list[tuple[int, float]]:
        """The records nearest the query in meaning, best first: enough to be candidates for a
        sentence, and for keywords the nearest one, which the confident flag asks about."""
        if not plan.concepts or not self._meaning:
            return []
        return self._meaning.nearest(plan.said, MEANING_CANDIDATES if plan.sentence else 1)

    def _top_match(self, ranked: list[_Ranked], plan: Plan, nearest: list[tuple[int, float]]) -> TopMatch | None:
        """The top answer's evidence for the confident flag; for a keyword query, whose ranking did
        without meaning, its closeness in meaning is looked up here (one vector)."""
        if not ranked:
            return None
        top = ranked[0]
        similarity = top.similarity
        if similarity is None and self._meaning and plan.concepts:
            similarity = self._meaning.similarity(plan.said, [top.rowid]).get(top.rowid)
        return TopMatch(top.coverage, top.score, similarity, bool(nearest) and nearest[0][0] == top.rowid)

    def matches(self, topic: str, record_ids: Sequence[str]) -> list[Hit]:
        """Which of these records a saved topic catches, best first, with snippets.

        A topic catches a record that holds every idea in it (acronyms, synonyms and typo fixes
        as in search), passes its filters and holds none of its exclusions: the same language as
        search, judged record by record rather than ranked against the whole store.
        """
        parsed = parse_search(topic)
        plan = plan_for(parsed, self.vocabulary(), self.synonyms)
        rowids = self._lookups.rowids(record_ids, parsed.filters)
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
        every = self._lookups.rowids(record_ids, Filters())
        ids = {rowid: record_id for record_id, rowid in self._lookups.ids_of(every).items()}
        if every:
            self._candidates.load(self._lookups.searched_fields(every))
        caught: dict[str, list[str]] = {}
        for topic in topics:
            parsed = parse_search(topic)
            plan = plan_for(parsed, self.vocabulary(), self.synonyms)
            passing = set(self._lookups.rowids(record_ids, parsed.filters)) if parsed.filters else set(every)
            if plan.concepts and passing:
                passing &= self._candidates.matching(plan.every_concept())
            caught[topic] = [ids[rowid] for rowid in every if rowid in passing]
        return caught

    def warm(self) -> None:
        """Read what a first search would (the typo vocabulary, the meaning index and its model), so
        that no one's first question pays for it: 2–3 seconds at 600,000 answers."""
        self.vocabulary()
        if self._meaning:
            self._meaning.warm()

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

    def _rank(self, plan: Plan, filters: Filters, nearest: list[tuple[int, float]]) -> list[_Ranked]:
        """The best records in the store for a plan, scored and best first.

        A query read as a sentence also takes the records nearest it in meaning (and not unrelated)
        that pass its filters, so that an answer in other words than the query's can still be found.
        """
        relevance = self._gather(plan, filters)
        if plan.sentence:
            related = [rowid for rowid, similarity in nearest if meaning(similarity) > 0]
            for rowid in self._lookups.passing(related, filters):
                relevance.setdefault(rowid, 0.0)
        return self._score(plan, relevance) if relevance else []

    def _score(self, plan: Plan, relevance: dict[int, float], by_meaning: bool = True) -> list[_Ranked]:
        """Candidates scored 0-100 (scoring.score) and sorted, best first, the newer answer first on a
        tie; any holding an excluded word left out.

        Leaves the candidates loaded in the candidate index, for snippets and further checks.
        """
        records = self._lookups.searched_fields(list(relevance))
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
            _Ranked(rowid, round(points), evidence.coverage, evidence.similarity)
            for points, _, rowid, evidence in scored
        ]

    def _gather(self, plan: Plan, filters: Filters) -> dict[int, float]:
        """Candidates by BM25, in ever looser stages while they are few: records holding every
        weighty concept (the light ones, and those most records hold, which FTS5 would walk for
        nothing, left out); then all but one of the rarest that are not words of talk (never the
        one that outweighs the rest); then, while very few, any of the heaviest concepts.

        Each stage's cost has a bound, whatever the store's size: each is one expression of at
        most MOST_CONCEPTS groups (MOST_REQUIRED² for all but one), the loosest takes only the
        concepts that fit POSTINGS_BUDGET, and when even the rarest concept is held by more than
        HEADINGS_ONLY_ABOVE records (a single common word), the first stage looks in headings
        alone, where such a word says the most, and takes the newest there rather than ranking them
        all by BM25.
        """
        groups, excluded, holding = plan.groups(), list(plan.excluded), plan.holding
        weighty = [groups[index] for index in plan.weighty()]
        telling = [groups[index] for index in plan.weighty() if holding[index] <= plan.records / 2]
        every = fts.combine(telling or weighty, "AND", [])
        common = min(holding) > HEADINGS_ONLY_ABOVE
        if common:
            every = fts.in_columns(("heading",), every)
        stages = [(fts.combine([every], "AND", excluded), math.inf)]
        required = sorted(sorted(plan.saying(), key=lambda index: holding[index])[:MOST_REQUIRED])
        droppable = [place for place, index in enumerate(required) if minor(index, required, plan.weights)]
        if len(required) >= 3 and droppable:
            all_but_one = fts.all_but_one([groups[index] for index in required], droppable)
            stages.append((fts.combine(all_but_one, "OR", excluded), CANDIDATES))
        heaviest = heaviest_first(plan.weights)
        affordable = within_budget([groups[index] for index in heaviest], [holding[index] for index in heaviest])
        if len(groups) >= 2 and affordable:
            stages.append((fts.combine(affordable, "OR", excluded), FEW_CANDIDATES))
        found: dict[int, float] = {}
        for stage, (expression, run_while_fewer_than) in enumerate(stages):
            if len(found) < run_while_fewer_than:
                lookup = self._lookups.newest if common and stage == 0 else self._lookups.bm25
                for rowid, relevance in lookup(expression, filters, CANDIDATES):
                    found.setdefault(rowid, relevance)
        return found

    def _closeness(self, plan: Plan, records: dict[int, dict]) -> dict[int, float]:
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
            closeness[rowid] = (
                sum(echo[1] * weight for echo, weight in zip(echoes, plan.weights, strict=True) if echo) / total
            )
        return closeness

    def _latest(self, filters: Filters) -> list[_Ranked]:
        """With filters but no words: the newest answers that pass the filters."""
        return [_Ranked(rowid, 100, 1.0) for rowid in self._lookups.latest(filters, CANDIDATES)]

    def _hits(self, page: list[_Ranked], plan: Plan) -> list[Hit]:
        """Whole records and snippets for one page of ranked candidates."""
        if not page:
            return []
        records = {row.pop("rowid"): row for row in self.store.records_by_rowid([ranked.rowid for ranked in page])}
        marked = {}
        if plan.concepts:
            marked = self._candidates.highlighted("answer", fts.combine(plan.groups(), "OR", []), OPEN, CLOSE)
        return [
            Hit(
                records[ranked.rowid],
                ranked.score,
                best_sentences(marked.get(ranked.rowid) or records[ranked.rowid]["answer"] or ""),
            )
            for ranked in page
        ]
