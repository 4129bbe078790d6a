"""The search language campaigners type: words, "phrases", -exclusions and filters such as from:2024."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field

WORD = re.compile(r"\w+")

_PART = re.compile(
    r"""
    (?P<exclude>-)?                                   # a leading minus drops matching answers
    (?:(?P<key>from|to|dept|by|house):)?              # an optional filter name
    (?: "(?P<quoted>[^"]*)"                           # a "quoted phrase" ...
      | (?P<bare>[^\s"]+) )                           # ... or a bare run of text
    """,
    re.VERBOSE | re.IGNORECASE,
)
_DATE = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?)?$")
_HOUSES = {"commons": "Commons", "lords": "Lords"}


class QueryError(ValueError):
    """The query cannot be searched as typed; the message says how to write it."""


@dataclass(frozen=True)
class Filters:
    """Conditions on a record's fields rather than its words."""

    date_from: str | None = None
    date_to: str | None = None
    department: str | None = None
    member: str | None = None
    house: str | None = None

    def __bool__(self) -> bool:
        return any((self.date_from, self.date_to, self.department, self.member, self.house))


@dataclass(frozen=True)
class ParsedQuery:
    """A query taken apart: loose words, exact phrases, excluded words and phrases, filters."""

    words: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    excluded: tuple[tuple[str, ...], ...] = ()
    filters: Filters = field(default_factory=Filters)

    @property
    def has_text(self) -> bool:
        return bool(self.words or self.phrases)


def tokens(text: str) -> tuple[str, ...]:
    """Lower-case word tokens, split as the full-text index splits them."""
    return tuple(WORD.findall(text.casefold()))


def parse_query(text: str) -> ParsedQuery:
    """Take a typed query apart; raises QueryError for a filter whose value cannot be understood."""
    words: list[str] = []
    phrases: list[tuple[str, ...]] = []
    excluded: list[tuple[str, ...]] = []
    filters: dict[str, str] = {}
    for match in _PART.finditer(text):
        value = match["quoted"] if match["quoted"] is not None else match["bare"]
        if match["key"]:
            name, parsed = _filter(match["key"].casefold(), value)
            filters[name] = parsed
        elif match["exclude"] and tokens(value):
            excluded.append(tokens(value))
        elif match["quoted"] is not None and tokens(value):
            phrases.append(tokens(value))
        else:
            words.extend(tokens(value))
    return ParsedQuery(tuple(words), tuple(phrases), tuple(excluded), Filters(**filters))


def parse_search(text: str) -> ParsedQuery:
    """A query that has something to search for: words, a phrase or a filter; else QueryError."""
    parsed = parse_query(text)
    if not parsed.has_text and not parsed.filters:
        raise QueryError("there is nothing to search for: type some words, like EHC timeliness")
    return parsed


def _filter(key: str, value: str) -> tuple[str, str]:
    """A filter's field name and its value, checked."""
    if not value.strip():
        raise QueryError(f"{key}: needs a value, like {_EXAMPLES[key]}")
    if key == "from":
        return "date_from", _day(value, key, last=False)
    if key == "to":
        return "date_to", _day(value, key, last=True)
    if key == "house":
        if value.casefold() not in _HOUSES:
            raise QueryError(f"house: is commons or lords, not {value!r}")
        return "house", _HOUSES[value.casefold()]
    return ("department" if key == "dept" else "member"), value.strip()


_EXAMPLES = {
    "from": "from:2024 or from:2024-06",
    "to": "to:2024-06 or to:2024-06-30",
    "dept": "dept:education",
    "by": "by:Quince",
    "house": "house:lords",
}


def _day(value: str, key: str, last: bool) -> str:
    """A year, month or day as an ISO day: the first of the period for from:, the last for to:."""
    match = _DATE.match(value.strip())
    problem = QueryError(f"{key}: takes a year, month or day, like {_EXAMPLES[key]}; not {value!r}")
    if not match:
        raise problem
    year = int(match["year"])
    month = int(match["month"] or (12 if last else 1))
    if not 1 <= month <= 12:
        raise problem
    final_day = calendar.monthrange(year, month)[1]
    day = int(match["day"] or (final_day if last else 1))
    if not 1 <= day <= final_day:
        raise problem
    return f"{year:04d}-{month:02d}-{day:02d}"
