"""Responses of the official UK Parliament Written Questions API, parsed to Question records.

Accepted shapes: the list response `{"totalResults": N, "results": [{"value": {...}}, ...]}`,
a plain list of `{"value": {...}}` (a bulk download), one `{"value": {...}}`, or a bare value.
"""

from __future__ import annotations

import json
import re

from store.dates import iso_day
from store.parsing.errors import ParseError
from store.record import ANSWERED, CORRECTED, HOLDING, TABLED, WITHDRAWN, Question
from store.text import NotTextError, decode, html_to_text

_TRUNCATED_ANSWER_LENGTH = 255 + len("...")

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_TRAILING_AT = re.compile(r"(?: starting)? at$")  # "Unterminated string starting at" reads as a fragment


def parse(data: bytes, source_file: str) -> list[Question]:
    """Every question in one API response (withdrawn ones marked so); ones without question text are left out."""
    values = [_value(item, index) for index, item in enumerate(_items(_load(data)))]
    questions = [question for value in values if (question := _question(value, source_file)) is not None]
    if not questions:
        raise ParseError("no questions in the file")
    return questions


def _load(data: bytes) -> object:
    """The decoded JSON document, or a ParseError saying where the JSON breaks or that it nests too deep."""
    try:
        text = decode(data)
    except NotTextError as error:
        raise ParseError(str(error)) from error
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ParseError(_json_error_message(error)) from error
    except RecursionError as error:
        raise ParseError("the JSON is nested too deeply to be a Written Questions API response") from error


def _json_error_message(error: json.JSONDecodeError) -> str:
    """Where the JSON breaks and why, suggesting truncation when the text stops mid-value."""
    reason = _TRAILING_AT.sub("", error.msg[:1].lower() + error.msg[1:])
    message = f"invalid JSON at line {error.lineno} column {error.colno}: {reason}"
    if error.pos >= len(error.doc.rstrip()) or error.msg.startswith("Unterminated string"):
        message += " (is the file truncated?)"
    return message


def _items(document: object) -> list:
    """The response's items, whichever of the accepted shapes it comes in."""
    if isinstance(document, list):
        return document
    if not isinstance(document, dict):
        raise _not_api(f"the file holds {_kind(document)}")
    if "results" in document:
        if not isinstance(document["results"], list):
            raise _not_api(f'"results" is {_kind(document["results"])}, not a list')
        return document["results"]
    if "value" in document or "questionText" in document:
        return [document]
    raise _not_api('an object without "results", "value" or "questionText"')


def _value(item: object, index: int) -> dict:
    """The question object inside one item: its "value", or the item itself when bare."""
    if isinstance(item, dict) and isinstance(item.get("value"), dict):
        return item["value"]
    if isinstance(item, dict) and "questionText" in item:
        return item
    if isinstance(item, dict):
        raise _not_api(f'item {index + 1} has no "value" object')
    raise _not_api(f"item {index + 1} is {_kind(item)}, not an object")


def _not_api(detail: str) -> ParseError:
    """The error for JSON that parsed but is not shaped like an API response."""
    return ParseError(f"JSON is not a Written Questions API response: {detail}")


def _kind(value: object) -> str:
    """A JSON value's kind in words, for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a true/false value"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"


def _question(value: dict, source_file: str) -> Question | None:
    """One API question object as a record; None when it has no question text."""
    question = _readable(value.get("questionText"))
    if question is None:
        return None
    asking, answering = _member(value.get("askingMember")), _member(value.get("answeringMember"))
    raw_answer = value.get("answerText")
    answer = _readable(raw_answer)
    return Question(
        question=question,
        answer=answer,
        heading=_readable(value.get("heading")),
        uin=_readable(value.get("uin")),
        house=_readable(value.get("house")),
        asked_by=_readable(asking.get("name")),
        asked_by_party=_readable(asking.get("party")),
        department=_readable(value.get("answeringBodyName")),
        answered_by=_readable(answering.get("name")),
        date_asked=_day(value.get("dateTabled")),
        date_answered=_day(value.get("dateAnswered")),
        answer_truncated=is_truncated(raw_answer),
        source_format="api_json",
        source_file=source_file,
        status=_status(value, answer),
        date_holding=_day(value.get("dateHoldingAnswer")),
        date_corrected=_day(value.get("dateAnswerCorrected")),
        original_answer=_readable(value.get("originalAnswerText")),
    )


def _status(value: dict, answer: str | None) -> str:
    """Where the API says the question is in its life: withdrawn, corrected, holding, answered or tabled."""
    if value.get("isWithdrawn") is True:
        return WITHDRAWN
    if answer is None:
        return TABLED
    if value.get("answerIsCorrection") is True or value.get("dateAnswerCorrected"):
        return CORRECTED
    return HOLDING if value.get("answerIsHolding") is True else ANSWERED


def is_truncated(answer: object) -> bool:
    """Whether the list API cut this answer off: its first 255 characters followed by "...".

    Both must hold: in a real bulk download (September 2024) every one of the 1,783 cut answers is
    exactly 258 characters long, while no full answer among 18,042 ends in "...".
    """
    return isinstance(answer, str) and len(answer) == _TRUNCATED_ANSWER_LENGTH and answer.endswith("...")


def _member(member: object) -> dict:
    """A member object, or an empty one when the API gave only the member's id."""
    return member if isinstance(member, dict) else {}


def _readable(text: object) -> str | None:
    """API text (HTML, or HTML with its tags already stripped) as clean text; None when empty."""
    if not isinstance(text, str):
        return None
    return html_to_text(text) or None


def _day(text: object) -> str | None:
    """`YYYY-MM-DD` from the API's "2024-09-02T00:00:00", or from any other full date."""
    if not isinstance(text, str):
        return None
    if match := _ISO_DAY.match(text):
        return match.group()
    return iso_day(text)
