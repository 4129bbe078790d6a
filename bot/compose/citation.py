"""A written question cited for a letter or a tribunal bundle: one sentence, and a short reference.

Pure functions of a stored record, in plain text (Slack escaping is the caller's job). Only what
the record knows is said: a field it lacks is left out of both forms, never guessed or filled in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

HOUSE_NAMES = {"Commons": "House of Commons", "Lords": "House of Lords"}
HOUSE_ABBREVIATIONS = {"Commons": "HC", "Lords": "HL"}
# Department names that read wrongly after "the": "for HM Treasury", not "for the HM Treasury".
_NO_ARTICLE = ("HM ", "His Majesty", "Her Majesty", "The ", "the ")


@dataclass(frozen=True)
class Citation:
    """The same question cited twice: as a sentence to paste into prose, and as a short reference."""

    sentence: str
    reference: str


def cite(record: dict) -> Citation:
    """The citation of one record, saying only what the record knows."""
    return Citation(_sentence(record), _reference(record))


def _sentence(record: dict) -> str:
    """`Written question 12345 (“Heading”), tabled in the House of Commons by … on …, was answered
    for … by … on ….`, then the official link."""
    subject = f"Written question {record['uin']}" if record["uin"] else "A written question"
    if record["heading"]:
        subject += f" (“{record['heading']}”)"
    tabled, answered = _tabled(record), _answered(record)
    if tabled and answered:
        sentence = f"{subject}, {tabled}, was {answered}."
    elif tabled or answered:
        sentence = f"{subject} was {tabled or answered}."
    else:
        sentence = f"{subject}."
    return f"{sentence} Official record: {record['url']}" if record["url"] else sentence


def _tabled(record: dict) -> str | None:
    """`tabled in the House of Commons by Jane Smith (Labour) on 1 February 2024`, or None if none is known."""
    parts = []
    if record["house"]:
        parts.append(f"in the {HOUSE_NAMES.get(record['house'], record['house'])}")
    if record["asked_by"]:
        parts.append(f"by {_with_detail(record['asked_by'], record['asked_by_party'])}")
    if record["date_asked"]:
        parts.append(f"on {_day(record['date_asked'])}")
    return "tabled " + " ".join(parts) if parts else None


def _answered(record: dict) -> str | None:
    """`answered for the Department for Education by … (Minister) on …`, or None if none is known."""
    parts = []
    if record["department"]:
        parts.append(f"for {_department(record['department'])}")
    if record["answered_by"]:
        parts.append(f"by {_with_detail(record['answered_by'], record['answered_by_role'])}")
    if record["date_answered"]:
        parts.append(f"on {_day(record['date_answered'])}")
    return "answered " + " ".join(parts) if parts else None


def _reference(record: dict) -> str:
    """`HC WQ 12345, “Heading”, tabled 1 February 2024, answered 10 February 2024, Department for Education, URL`."""
    house = HOUSE_ABBREVIATIONS.get(record["house"] or "", record["house"] or "")
    if record["uin"] and house and record["uin"].startswith(house):
        house = ""  # a Lords number already says HL
    number = " ".join(filter(None, [house, "WQ", record["uin"]]))
    parts = [number]
    if record["heading"]:
        parts.append(f"“{record['heading']}”")
    if record["date_asked"]:
        parts.append(f"tabled {_day(record['date_asked'])}")
    if record["date_answered"]:
        parts.append(f"answered {_day(record['date_answered'])}")
    parts += [record["department"], record["url"]]
    return ", ".join(filter(None, parts))


def _with_detail(name: str, detail: str | None) -> str:
    """`Name (detail)`, or the name alone."""
    return f"{name} ({detail})" if detail else name


def _department(name: str) -> str:
    """The department with "the" before it where English puts one."""
    return name if name.startswith(_NO_ARTICLE) else f"the {name}"


def _day(stamp: str) -> str:
    """An ISO day as `1 February 2024`; anything else as it was stored."""
    try:
        day = date.fromisoformat(stamp[:10])
    except ValueError:
        return stamp
    return f"{day.day} {day:%B %Y}"
