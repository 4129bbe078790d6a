"""FTS5 match expressions built from word tokens, never from raw user text.

Every word reaches SQLite inside a quoted FTS5 string with its quotes doubled, so characters such
as `"`, `*`, `:` or words such as NEAR, OR and NOT are always searched for, never obeyed.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence

Phrase = tuple[str, ...]


def phrase(words: Phrase) -> str:
    """An FTS5 string: the words in order, quoted so that none of them is syntax."""
    return '"' + " ".join(words).replace('"', '""') + '"'


def any_of(phrases: Iterable[Phrase]) -> str:
    """Matches a record holding at least one of the phrases."""
    return "(" + " OR ".join(phrase(words) for words in phrases) + ")"


def combine(groups: list[str], operator: str, excluded: list[Phrase]) -> str:
    """Groups joined by AND or OR, then records with any excluded phrase dropped."""
    if operator not in ("AND", "OR"):
        raise ValueError(operator)
    expression = f" {operator} ".join(groups)
    if excluded:
        expression = f"({expression}) NOT {any_of(excluded)}"
    return expression


def in_columns(columns: Sequence[str], expression: str) -> str:
    """The expression, matched only within these columns of the index."""
    return "{" + " ".join(columns) + "} : (" + expression + ")"


def near(alternatives: Sequence[Sequence[Phrase]], distance: int, most: int) -> str | None:
    """Matches records where one phrase of each group stands within distance words of the others.

    NEAR takes single phrases, so every combination of alternatives is asked for; None when
    there would be more than `most` combinations.
    """
    if math.prod(len(group) for group in alternatives) > most:
        return None
    return " OR ".join(
        f"NEAR({' '.join(phrase(words) for words in combination)}, {distance})"
        for combination in itertools.product(*alternatives)
    )


def all_but_one(groups: list[str], droppable: Sequence[int]) -> list[str]:
    """For each droppable group, the others ANDed: OR them to match records missing at most one of those."""
    return [f"({' AND '.join(groups[:index] + groups[index + 1 :])})" for index in droppable]
