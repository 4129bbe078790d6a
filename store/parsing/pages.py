"""Written questions saved as text from web pages: the Parliament site, Parallel Parliament,
TheyWorkForYou, or bare question-and-answer text.

A page is read as its cleaned, non-blank lines with the sites' furniture taken out. Its layout is
told from one marker line; each layout's reader then cuts the page at the labels it prints
("Answered by", "Photo of …") and reads its fields from the pieces.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from store.dates import iso_day
from store.departments import department_from_question, house_from_question
from store.parsing.errors import ParseError
from store.record import Question
from store.text import clean_text

# Whole lines the sites print around a question and its answer, never part of either.
_FURNITURE = re.compile(
    r"""
      Reticulating\ Splines                                     # Parallel Parliament's loading message
    | View\ Source                                              # its link to the official record
    | Alert\ me\ about\ debates\ like\ this                     # TheyWorkForYou's alert link
    | Does\ this\ answer\ the\ above\ question\?                # its feedback prompt
    | (?:Yes|No)\ ?\d+\ people\ think\ (?:so|not)               # the votes on that prompt
    | Would\ you\ like\ to\ ask\ a\ question\ like\ this\ yourself\?.*  # its pointer to WhatDoTheyKnow
    | Contains\ Parliamentary\ information\ licensed\ under\ .*  # the Parliament site's licence line
    """,
    re.VERBOSE | re.IGNORECASE,
)

# The Parliament site's page title.
_PARLIAMENT_MARKER = re.compile(r"PARLIAMENTARY\ WRITTEN\ QUESTION", re.VERBOSE | re.IGNORECASE)
_QUESTION_ASKED = re.compile(r"Question\ Asked", re.VERBOSE | re.IGNORECASE)
_ASKED_BY = re.compile(r"Asked\ by:?", re.VERBOSE | re.IGNORECASE)
_ANSWER = re.compile(r"Answer", re.VERBOSE | re.IGNORECASE)
_ANSWERED_BY = re.compile(r"Answered\ by:?", re.VERBOSE | re.IGNORECASE)

# Parallel Parliament's date line: "(asked on 15th October 2021) - View Source".
_ASKED_ON = re.compile(
    r"""
    \( \s* asked\ on\ (?P<date>[^)]+?) \s* \)   # the date asked, in brackets
    (?: \s* [-–] \s* View\ Source )?            # the link to the official record, when saved
    """,
    re.VERBOSE | re.IGNORECASE,
)
# "Question to the Department for Education:"
_QUESTION_TO = re.compile(r"Question\ to\ (?:the\ )?(?P<department>.+?)\ ?:", re.VERBOSE | re.IGNORECASE)
# "This question was answered on 20th October 2021"
_ANSWERED_ON = re.compile(r"This\ question\ was\ answered\ on\ (?P<date>.+?)\.?", re.VERBOSE | re.IGNORECASE)
# A minister's name beside their photo on Parallel Parliament: "Will Quince Portrait".
_PORTRAIT = re.compile(r"(?P<name>.+?)\ Portrait", re.VERBOSE)

# TheyWorkForYou's date line: "Department for Education written question – answered on 3rd June 2019."
_WRITTEN_QUESTION_ANSWERED = re.compile(
    r"""
    (?P<department>.+?) \ written\ question   # the department the question was put to
    \ ? [–-] \ ?                              # an en dash, or a hyphen where the dash was lost
    answered\ on\ (?P<date>.+?) \.?           # the date answered, before the full stop
    """,
    re.VERBOSE | re.IGNORECASE,
)
# A member beside their photo on TheyWorkForYou: "Photo of Lord Agnew of Oulton Lord Agnew of Oulton …".
_PHOTO_OF = re.compile(r"Photo\ of\ (?P<member>.+)", re.VERBOSE)

# The sentence every written question opens with.
_TO_ASK = re.compile(r"(?P<question>To\ ask\ .+)", re.VERBOSE)

# "Special Educational Needs (23 October 2024)", "David Williams (Labour (Co-op))": text, then an aside.
_TRAILING_ASIDE = re.compile(
    r"""
    (?P<main>.+?) \s*
    \( (?P<aside> [^()]* (?: \( [^()]* \) [^()]* )? ) \)   # the aside, which may hold one bracketed part
    """,
    re.VERBOSE,
)

# Party names TheyWorkForYou prints after a member's name; anything else there is a role.
_PARTIES = frozenset(
    party.casefold()
    for party in (
        "Labour",
        "Labour (Co-op)",
        "Labour/Co-operative",
        "Conservative",
        "Liberal Democrat",
        "Scottish National Party",
        "Green Party",
        "Reform UK",
        "Plaid Cymru",
        "DUP",
        "Democratic Unionist Party",
        "Sinn Féin",
        "SDLP",
        "Social Democratic and Labour Party",
        "Ulster Unionist Party",
        "Alliance",
        "UKIP",
        "Independent",
        "Crossbench",
        "Non-affiliated",
        "Bishops",
    )
)

_NOT_A_QUESTION = "not a written question: no 'To ask …' question found"


@dataclass(frozen=True, slots=True)
class _Section:
    """A label line of a page, as its label matched it, and the lines under it up to the next label."""

    label: re.Match[str] | None = None
    lines: tuple[str, ...] = ()

    def field(self, name: str) -> str | None:
        """A named part of the label line; None when the page lacks the label."""
        return self.label.group(name) if self.label else None

    @property
    def text(self) -> str:
        """The lines under the label as one line."""
        return " ".join(self.lines)

    @property
    def first(self) -> str | None:
        """The first line under the label, if any."""
        return self.lines[0] if self.lines else None

    @property
    def last(self) -> str | None:
        """The last line, which is the heading when it comes just before a layout's marker."""
        return self.lines[-1] if self.lines else None


def parse(text: str, source_file: str) -> Question:
    """The written question and answer on one saved page; raises ParseError when there is none."""
    lines = _content_lines(text)
    source_format, read = _layout_of(lines)
    record = read(lines)
    return dataclasses.replace(
        record,
        department=record.department or department_from_question(record.question),
        house=house_from_question(record.question),
        source_format=source_format,
        source_file=source_file,
    )


def _content_lines(text: str) -> list[str]:
    """The page's non-blank lines, cleaned, without the furniture the sites print around an answer."""
    lines = clean_text(text.removeprefix("\ufeff")).split("\n")
    return [line for line in lines if line and not _FURNITURE.fullmatch(line)]


# ---- Telling the layouts apart -------------------------------------------------------------


def _layout_of(lines: Sequence[str]) -> tuple[str, Callable[[Sequence[str]], Question]]:
    """The source format and reader of the layout whose marker line the page holds; else bare text."""
    for marker, source_format, read in _MARKED_LAYOUTS:
        if any(marker.fullmatch(line) for line in lines):
            return source_format, read
    return "bare_text", _bare_text


# ---- Reading each layout -------------------------------------------------------------------


def _parliament_page(lines: Sequence[str]) -> Question:
    """The Parliament site: a dated heading, then "Question Asked", "Asked by:", "Answer", "Answered by:"."""
    _, title, question, asker, answer, answerer = _cut(
        lines, _PARLIAMENT_MARKER, _QUESTION_ASKED, _ASKED_BY, _ANSWER, _ANSWERED_BY
    )
    heading, date_asked = _dated_heading(title.first)
    asked_by, asked_by_party = _split_aside(asker.first)
    answered_by, _answerer_party = _split_aside(answerer.first)  # a record keeps no answerer's party
    return Question(
        question=_question(question.text),
        answer=_paragraphs(answer.lines),
        heading=heading,
        asked_by=asked_by,
        asked_by_party=asked_by_party,
        answered_by=answered_by,
        date_asked=date_asked,
        date_answered=_first_date(answerer.lines[1:]),
    )


def _parallel_parliament(lines: Sequence[str]) -> Question:
    """Parallel Parliament: heading, "(asked on …)", "Question to …:", "Answered by", "answered on …"."""
    heading, asked_on, question, answerer, answered_on = _cut(
        lines, _ASKED_ON, _QUESTION_TO, _ANSWERED_BY, _ANSWERED_ON
    )
    answered_by, answered_by_role = _portrait_name_and_role(answerer.lines)
    return Question(
        question=_question(question.text),
        answer=_paragraphs(answered_on.lines),
        heading=heading.last,
        department=question.field("department"),
        answered_by=answered_by,
        answered_by_role=answered_by_role,
        date_asked=iso_day(asked_on.field("date")),
        date_answered=iso_day(answered_on.field("date")),
    )


def _theyworkforyou_page(lines: Sequence[str]) -> Question:
    """TheyWorkForYou: heading, "… written question – answered on …", then asker and answerer photos."""
    heading, answered_on, asker, answerer = _cut(lines, _WRITTEN_QUESTION_ANSWERED, _PHOTO_OF, _PHOTO_OF)
    asked_by, asker_title = _split_repeated_name(asker.field("member"))
    answered_by, answerer_title = _split_repeated_name(answerer.field("member"))
    return Question(
        question=_question(asker.text),
        answer=_paragraphs(answerer.lines),
        heading=heading.last,
        asked_by=asked_by,
        asked_by_party=_party(asker_title),
        department=answered_on.field("department"),
        answered_by=answered_by,
        answered_by_role=None if _party(answerer_title) else answerer_title,
        date_answered=iso_day(answered_on.field("date")),
    )


def _bare_text(lines: Sequence[str]) -> Question:
    """Bare text: an optional "Question to …:" line, the "To ask …" sentence, then the answer."""
    _, addressee, question = _cut(lines, _QUESTION_TO, _TO_ASK)
    return Question(
        question=_question(question.field("question")),
        answer=_paragraphs(question.lines),
        department=addressee.field("department"),
    )


# Each marked layout: the line that gives it away, the source format it records, and its reader.
_MARKED_LAYOUTS: tuple[tuple[re.Pattern[str], str, Callable[[Sequence[str]], Question]], ...] = (
    (_PARLIAMENT_MARKER, "parliament_page", _parliament_page),
    (_ASKED_ON, "parallel_parliament", _parallel_parliament),
    (_WRITTEN_QUESTION_ANSWERED, "theyworkforyou_page", _theyworkforyou_page),
)


# ---- Pieces the layouts share --------------------------------------------------------------


def _cut(lines: Sequence[str], *labels: re.Pattern[str]) -> list[_Section]:
    """The page cut at the first line each label matches, searched in the order given: the lines
    before the first label found, then one section per label (empty where the page lacks it)."""
    hits: list[tuple[int, re.Match[str]] | None] = []
    start = 0
    for label in labels:
        hit = _find(lines, label, start)
        hits.append(hit)
        start = hit[0] + 1 if hit else start
    boundaries = [index for index, _ in filter(None, hits)] + [len(lines)]
    sections = [_Section(lines=tuple(lines[: boundaries[0]]))]
    for hit in hits:
        if hit is None:
            sections.append(_Section())
            continue
        index, match = hit
        end = next(boundary for boundary in boundaries if boundary > index)
        sections.append(_Section(match, tuple(lines[index + 1 : end])))
    return sections


def _find(lines: Sequence[str], label: re.Pattern[str], start: int) -> tuple[int, re.Match[str]] | None:
    """The index and match of the first line from `start` on that the label matches whole."""
    for index in range(start, len(lines)):
        if match := label.fullmatch(lines[index]):
            return index, match
    return None


def _question(text: str | None) -> str:
    """The question sentence; a page without one holds no written question, so it is refused."""
    if not text or not _TO_ASK.fullmatch(text):
        raise ParseError(_NOT_A_QUESTION)
    return text


def _paragraphs(lines: Sequence[str]) -> str | None:
    """An answer with one line per paragraph and a blank line between them; None when empty."""
    return "\n\n".join(lines) or None


def _first_date(lines: Sequence[str]) -> str | None:
    """The first line that is a full date, as an ISO day."""
    return next((day for line in lines if (day := iso_day(line))), None)


def _split_aside(line: str | None) -> tuple[str | None, str | None]:
    """Text and its bracketed aside: "David Williams (Labour)" → ("David Williams", "Labour")."""
    match = _TRAILING_ASIDE.fullmatch(line or "")
    return (match["main"], match["aside"].strip()) if match else (line, None)


def _dated_heading(line: str | None) -> tuple[str | None, str | None]:
    """Heading and ISO date from "Special Educational Needs (23 October 2024)"; undated, all heading."""
    heading, aside = _split_aside(line)
    date = iso_day(aside)
    return (heading, date) if date else (line, None)


def _portrait_name_and_role(lines: Sequence[str]) -> tuple[str | None, str | None]:
    """Name and role from Parallel Parliament's "Name Portrait", "Name" and optional role lines."""
    if not lines:
        return None, None
    portrait = _PORTRAIT.fullmatch(lines[0])
    name = portrait["name"] if portrait else lines[0]
    rest = [line for line in lines[1:] if line != name]
    return name, rest[0] if rest else None


def _split_repeated_name(member: str | None) -> tuple[str | None, str | None]:
    """TheyWorkForYou writes a name twice, then a party or role: the name is the repeated prefix."""
    if not member:
        return None, None
    words = member.split()
    for size in range(len(words) // 2, 0, -1):
        if words[:size] == words[size : 2 * size]:
            return " ".join(words[:size]), " ".join(words[2 * size :]) or None
    return member, None


def _party(title: str | None) -> str | None:
    """The party a member's title names ("Liberal Democrat, Richmond Park" → "Liberal Democrat")."""
    party = (title or "").split(",")[0].strip()
    return party if party.casefold() in _PARTIES else None
