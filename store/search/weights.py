"""How much each idea of a query says: its IDF over the store, and little for the words of asking.

A long sentence ("what is the government still doing about X") holds the words of a request as
well as its subject. IDF from the store's own counts makes the words most records hold
("government", "ask", "state") weigh little; but the words of talk ("still", "really",
"happening") are rare in parliamentary prose, so IDF alone would weigh them as heavily as a
subject. Those are listed here and weighed at a quarter of a word half the store holds.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

from store.search.synonyms import Concept

# Words of asking, talking and time, and of who is asked, not of any subject: each weighs a
# quarter of the least any other idea weighs.
EVERYDAY_WORDS = frozenset(
    "actually already also anyone anything around ask asked asking currently did doing done else even ever "
    "every everyone "
    "everything going gone government happen happened happening happens just know latest like lot lots "
    "minister ministers please really recently said say saying says something still stuff tell thing "
    "things think today update updates see want way ways wondering yet".split()
)
EVERYDAY_SHARE = 0.25
# Below this share of the heaviest idea's weight, an idea is light: the query's subject lies elsewhere.
LIGHT_SHARE = 0.4


def idf(holding: float, records: int) -> float:
    """BM25's inverse document frequency: near 0 for a word every record holds, high for a rare one."""
    held = min(max(holding, 0), records)
    return math.log(1 + (records - held + 0.5) / (held + 0.5))


def likely_holding(word_counts: Iterable[Sequence[int]], records: int) -> float:
    """About how many records hold any of an idea's phrases, given how many hold each word of each.

    A phrase's rarest word bounds it from above and the words taken as independent from below;
    between the two (their geometric mean) is nearer the truth than either, which matters for a
    long spelled-out form, whose rarest word is far commoner than the phrase.
    """
    total = 0.0
    for counts in word_counts:
        if not counts or not records:
            continue
        rarest = min(counts)
        independent = records * math.prod(min(count, records) / records for count in counts)
        total += math.sqrt(rarest * independent)
    return total


def everyday(concept: Concept) -> bool:
    """An idea made only of words of asking or talking ("still", "really", "happening")."""
    return all(word in EVERYDAY_WORDS for word in concept.typed)


def weigh(concepts: Sequence[Concept], holding: Sequence[float], records: int) -> tuple[float, ...]:
    """Each idea's weight: its IDF, at least that of a word half the store holds; an everyday idea
    weighs a quarter of that least.

    The least keeps a small store, where every idea is common, weighing its ideas about alike.
    """
    least = idf(records // 2, records)
    return tuple(
        EVERYDAY_SHARE * least if everyday(concept) else max(idf(held, records), least)
        for concept, held in zip(concepts, holding, strict=True)
    )


def light(weights: Sequence[float]) -> tuple[bool, ...]:
    """For each idea, whether it weighs too little beside the heaviest to be the query's subject."""
    heaviest = max(weights, default=0.0)
    return tuple(weight < LIGHT_SHARE * heaviest for weight in weights)


def weighted_share(held: Iterable[int], weights: Sequence[float]) -> float:
    """The share of the total weight carried by the ideas (by index) a record holds."""
    total = sum(weights)
    if total <= 0:
        return 0.0
    return sum(weights[index] for index in set(held)) / total


def heaviest_first(weights: Sequence[float]) -> list[int]:
    """The ideas' indexes, heaviest first (the earlier idea first on a tie)."""
    return sorted(range(len(weights)), key=lambda index: (-weights[index], index))


def shares(held_by_record: Mapping[int, Iterable[int]], weights: Sequence[float]) -> dict[int, float]:
    """For each record, the weighted share of the ideas it holds."""
    return {record: weighted_share(held, weights) for record, held in held_by_record.items()}
