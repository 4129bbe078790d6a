"""The plan of a query: its ideas as the index will see them, each weighed, with bounds on their number."""

from __future__ import annotations

from dataclasses import dataclass

from store.search import fts
from store.search.query import ParsedQuery
from store.search.scoring import sentence_share
from store.search.synonyms import Concept, Synonyms
from store.search.vocabulary import Vocabulary
from store.search.weights import EVERYDAY_WORDS, everyday, heaviest_first, light, likely_holding, weigh

# Concepts within this many words of each other count as used together.
NEAR_WORDS = 12
# Past this many combinations of alternatives, proximity is not worth asking about.
MOST_NEAR_COMBINATIONS = 32
# About how many records the loosest stage of candidate gathering may make FTS5 score, at any
# store size.
POSTINGS_BUDGET = 4_000
# The most distinct words of a query read, and the most ideas searched for: a pasted question's
# heaviest ideas say what it is about, and its cost stays bounded.
MOST_WORDS = 40
# The most words of a query read at all, stop words included.
MOST_TOKENS = 400
MOST_CONCEPTS = 8

STOP_WORDS = frozenset(
    "a about an and any are as at be been being by can could did do does for from had has have how i "
    "if in into is it its many me much my no not of on or our should so than that the their them then "
    "there these they this those to too us was we were what when where which who why will with would "
    "you your".split()
)


@dataclass(frozen=True)
class Plan:
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


def plan_for(parsed: ParsedQuery, vocabulary: Vocabulary, synonyms: Synonyms) -> Plan:
    """Correct mistyped words, group words with their synonyms, and drop stop words and repeats.

    Synonyms are looked up in the words as typed, stop words included ("heat their homes").
    However long the query, at most MOST_WORDS distinct words are read and MOST_CONCEPTS ideas
    kept (the heaviest, which say the most), so its cost has a bound.
    """
    words = bounded(parsed.words)
    fixes = {
        word: vocabulary.correct(word) for word in dict.fromkeys(words) if not filler(word) and (word,) not in synonyms
    }
    corrections = [(word, fixed) for word, fixed in fixes.items() if fixed]
    found = synonyms.concepts(tuple(fixes.get(word) or word for word in words))
    said = [concept for concept in found if len(concept.typed) > 1 or not filler(concept.typed[0])]
    concepts = (said or found) + [Concept(phrase, (phrase,)) for phrase in parsed.phrases]
    concepts = list({concept.alternatives: concept for concept in concepts}.values())
    holding = [vocabulary.holding(concept.alternatives) for concept in concepts]
    records = vocabulary.records
    likely = [likely_holding(map(vocabulary.counts, concept.alternatives), records) for concept in concepts]
    weights = weigh(concepts, likely, records)
    kept = sorted(heaviest_first(weights)[:MOST_CONCEPTS])
    grammar = sum(word in STOP_WORDS or word in EVERYDAY_WORDS for word in words)
    return Plan(
        tuple(concepts[index] for index in kept),
        parsed.excluded[:MOST_CONCEPTS],
        tuple(corrections),
        tuple(holding[index] for index in kept),
        tuple(weights[index] for index in kept),
        records,
        sentence_share(grammar),
        " ".join(words + tuple(" ".join(phrase) for phrase in parsed.phrases)),
    )


def filler(word: str) -> bool:
    """A word that says nothing on its own: a stop word, or a lone letter (the t of can't)."""
    return word in STOP_WORDS or (len(word) == 1 and word.isalpha())


def minor(index: int, among: list[int], weights: tuple[float, ...]) -> bool:
    """Whether an idea weighs less than the others among these together: one a record may lack."""
    return weights[index] < sum(weights[other] for other in among if other != index)


def bounded(words: tuple[str, ...]) -> tuple[str, ...]:
    """The query's words up to its MOST_WORDS-th distinct word that is not filler, and at most MOST_TOKENS."""
    seen: set[str] = set()
    for position, word in enumerate(words[:MOST_TOKENS]):
        if not filler(word):
            seen.add(word)
            if len(seen) > MOST_WORDS:
                return words[:position]
    return words[:MOST_TOKENS]


def within_budget(groups: list[str], holding: list[int]) -> list[str]:
    """The groups, taken in order, whose records, added up, stay within POSTINGS_BUDGET."""
    chosen, total = [], 0
    for count, group in zip(holding, groups, strict=True):
        if total + count <= POSTINGS_BUDGET:
            chosen.append(group)
            total += count
    return chosen
