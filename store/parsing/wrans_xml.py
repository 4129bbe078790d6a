"""TheyWorkForYou / parlparse written answers XML (`<publicwhip>` files), parsed to Question records.

A file runs `<major-heading>` (the department, Commons only), `<minor-heading>` (the heading), then
one or more `<ques>` answered together by the `<reply>` that follows. Each `<p qnum="…">` in a
`<ques>` is one question; a `<ques>` that puts several numbered questions to one minister opens
with a paragraph they share ("To ask the Secretary of State for Wales ") and then "(1) …", "(2) …".

The standard library's expat parser is used: it expands the entities the file's own DOCTYPE
declares, never fetches external ones, and refuses runaway entity expansion.
"""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from pathlib import PurePath
from pyexpat import ErrorString, errors

from store.departments import department_from_question, house_from_question
from store.parsing.errors import ParseError
from store.record import Question
from store.text import clean_line

_DAY_IN_ID = re.compile(r"/wrans/(\d{4}-\d{2}-\d{2})")
# A heading's id is TheyWorkForYou's id of its page, after this prefix.
_ID_PREFIX = "uk.org.publicwhip/wrans/"
_DAY_IN_NAME = re.compile(r"\d{4}-\d{2}-\d{2}")
_ITEM_NUMBER = re.compile(r"^\(\d+\)\s*")
_WHITESPACE = re.compile(r"\s+")
_SMALL_WORDS = frozenset({"and", "for", "in", "of", "on", "the", "to"})
_TRUNCATION_ERRORS = frozenset(
    errors.codes[message] for message in (errors.XML_ERROR_NO_ELEMENTS, errors.XML_ERROR_UNCLOSED_TOKEN)
)


def parse(data: bytes, source_file: str) -> list[Question]:
    """Every question in one written answers file, each with the reply that answers it."""
    root = _root(data)
    if root.tag != "publicwhip":
        raise ParseError("XML is not a TheyWorkForYou written answers file")
    questions = list(_questions(root, source_file))
    if not questions:
        raise ParseError("no questions in the file")
    return questions


def _root(data: bytes) -> ElementTree.Element:
    """The document's root element, or a ParseError saying where the XML breaks."""
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        line, column = error.position
        message = f"invalid XML at line {line} column {column + 1}: {ErrorString(error.code)}"
        if error.code in _TRUNCATION_ERRORS:
            message += " (is the file truncated?)"
        raise ParseError(message) from error
    except LookupError as error:
        raise ParseError(f"invalid XML: {error}") from error


def _questions(root: ElementTree.Element, source_file: str) -> Iterator[Question]:
    """The file's questions in order, each `<ques>` waiting for the `<reply>` that follows it."""
    department_heading = heading = page_id = None
    unanswered: list[Question] = []
    for element in root:
        if element.tag == "ques":
            asked = _asked(element, heading, department_heading, source_file)
            unanswered += [dataclasses.replace(question, twfy_id=page_id) for question in asked]
        elif element.tag == "reply":
            yield from (_answered(question, element) for question in unanswered)
            unanswered = []
        elif element.tag in ("major-heading", "minor-heading"):
            yield from unanswered
            unanswered = []
            page_id = _page_id(element)
            if element.tag == "major-heading":
                department_heading, heading = _text(element), None
            else:
                heading = _text(element)
    yield from unanswered


def _asked(
    ques: ElementTree.Element, heading: str | None, department_heading: str | None, source_file: str
) -> list[Question]:
    """The questions one `<ques>` puts, not yet answered."""
    return [
        Question(
            question=question,
            heading=heading,
            uin=uin,
            house=_house(question, uin, source_file),
            asked_by=clean_line(ques.get("speakername", "")) or None,
            department=department_from_question(question) or _readable_heading(department_heading),
            date_answered=_day(ques, source_file),
            source_format="wrans_xml",
            source_file=source_file,
        )
        for uin, question in _numbered_questions(ques)
    ]


def _page_id(heading: ElementTree.Element) -> str | None:
    """TheyWorkForYou's id of the page a heading opens, as its links carry it: `2009-10-26f.294961.h`."""
    element_id = heading.get("id", "")
    return element_id.removeprefix(_ID_PREFIX) if element_id.startswith(_ID_PREFIX) else None


def _numbered_questions(ques: ElementTree.Element) -> list[tuple[str | None, str]]:
    """(uin, text) for each `<p qnum>`; an opening paragraph without one is shared by them all."""
    paragraphs = ques.findall("p")
    starts = [index for index, paragraph in enumerate(paragraphs) if paragraph.get("qnum")]
    if not starts:
        return [(None, text)] if (text := _joined(paragraphs)) else []
    opening = _joined(paragraphs[: starts[0]])
    numbered = []
    for start, end in zip(starts, starts[1:] + [len(paragraphs)], strict=True):
        if body := _joined(paragraphs[start:end]):
            text = f"{opening} {_as_sentence(_ITEM_NUMBER.sub('', body))}" if opening else body
            numbered.append((paragraphs[start].get("qnum"), text))
    return numbered


def _as_sentence(item: str) -> str:
    """A numbered item that ends in the list's ";" as a sentence of its own, ending in "."."""
    return f"{item[:-1]}." if item.endswith(";") else item


def _answered(question: Question, reply: ElementTree.Element) -> Question:
    """The question with the reply's text and who gave it."""
    return dataclasses.replace(
        question,
        answer=_reply_text(reply),
        answered_by=clean_line(reply.get("speakername", "")) or None,
    )


def _reply_text(reply: ElementTree.Element) -> str | None:
    """The reply's paragraphs and tables as blocks apart; None when empty.

    Read straight off the parsed tree, which is several times faster than HTML-to-text.
    """
    blocks = (_table_text(child) if child.tag == "table" else _text(child) for child in reply)
    return "\n\n".join(filter(None, blocks)) or None


def _table_text(table: ElementTree.Element) -> str:
    """A table as one `cell | cell` line per row, rows with no text left out."""
    rows = (clean_line(" | ".join(_text(cell) for cell in row)) for row in table.iter("tr"))
    return "\n".join(row for row in rows if row.strip(" |"))


def _text(element: ElementTree.Element) -> str:
    """All the text inside an element, each run of whitespace one space; only `<br>` breaks a line."""
    lines = "".join(_text_pieces(element)).split("\n")
    return "\n".join(filter(None, map(clean_line, lines)))


def _text_pieces(element: ElementTree.Element) -> Iterator[str]:
    """The element's text in document order, the file's own line breaks folded to spaces."""
    yield _WHITESPACE.sub(" ", element.text or "")
    for child in element:
        yield "\n" if child.tag == "br" else ""
        yield from _text_pieces(child)
        yield _WHITESPACE.sub(" ", child.tail or "")


def _joined(paragraphs: list[ElementTree.Element]) -> str:
    """Paragraphs' text run together as one."""
    return " ".join(filter(None, (_text(paragraph) for paragraph in paragraphs)))


def _readable_heading(heading: str | None) -> str | None:
    """An all-capitals major heading in title case: "WORK AND PENSIONS" → "Work and Pensions"."""
    if not heading:
        return None
    words = heading.lower().split()
    return " ".join(
        word if position and word in _SMALL_WORDS else "-".join(part.capitalize() for part in word.split("-"))
        for position, word in enumerate(words)
    )


def _house(question: str, uin: str | None, source_file: str) -> str:
    """Lords for a Lords file or an "HL" number; otherwise as the question's opening says, or Commons."""
    if PurePath(source_file).name.startswith("lordswrans") or (uin or "").startswith("HL"):
        return "Lords"
    return house_from_question(question) or "Commons"


def _day(element: ElementTree.Element, source_file: str) -> str | None:
    """The sitting day in the element's id, which survives renaming, else the one in the file name."""
    if match := _DAY_IN_ID.search(element.get("id", "")):
        return match.group(1)
    match = _DAY_IN_NAME.search(PurePath(source_file).name)
    return match.group() if match else None
