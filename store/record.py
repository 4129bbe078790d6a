"""The written question record: one question, its answer and who was involved."""

from __future__ import annotations

import dataclasses
import hashlib
import re
from dataclasses import dataclass

RECORD_FIELDS = (
    "id",
    "uin",
    "house",
    "heading",
    "question",
    "answer",
    "asked_by",
    "asked_by_party",
    "department",
    "answered_by",
    "answered_by_role",
    "date_asked",
    "date_answered",
    "answer_truncated",
    "source_format",
    "source_file",
    "url",
    "twfy_id",
    "status",
    "date_holding",
    "date_corrected",
    "original_answer",
)

# Where a question is in its life, earliest first: tabled (awaiting an answer), given a holding
# answer, answered, its answer corrected; or withdrawn, which ends it.
TABLED, HOLDING, ANSWERED, CORRECTED, WITHDRAWN = "tabled", "holding", "answered", "corrected", "withdrawn"
LIFE_ORDER = {TABLED: 0, HOLDING: 1, ANSWERED: 2, CORRECTED: 3, WITHDRAWN: 4}

OFFICIAL_PAGE = "https://questions-statements.parliament.uk/written-questions/detail/{date_asked}/{uin}"

# How much each source is trusted when two disagree: structured feeds over saved pages.
SOURCE_RANK = {
    "api_json": 6,
    "wrans_xml": 5,
    "parliament_page": 4,
    "parallel_parliament": 3,
    "theyworkforyou_page": 3,
    "bare_text": 1,
}

_NOT_WORD = re.compile(r"[\W_]+")


def question_key(question: str) -> str:
    """A hash of the question's words, blind to case, punctuation and spacing."""
    normalised = " ".join(_NOT_WORD.sub(" ", question.casefold()).split())
    return hashlib.sha256(normalised.encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Question:
    """A written question as parsed from one source; a missing field is None, never guessed."""

    question: str
    answer: str | None = None
    heading: str | None = None
    uin: str | None = None
    house: str | None = None
    asked_by: str | None = None
    asked_by_party: str | None = None
    department: str | None = None
    answered_by: str | None = None
    answered_by_role: str | None = None
    date_asked: str | None = None
    date_answered: str | None = None
    answer_truncated: bool = False
    source_format: str = "bare_text"
    source_file: str | None = None
    # TheyWorkForYou's id of the page the question is on (`2009-10-26f.294961.h`), for its links.
    twfy_id: str | None = None
    status: str | None = None
    date_holding: str | None = None
    date_corrected: str | None = None
    original_answer: str | None = None

    @property
    def id(self) -> str:
        """`<date_asked>/<uin>` when both are known (UINs restart each session), else a text hash."""
        if self.uin and self.date_asked:
            return f"{self.date_asked}/{self.uin}"
        return question_key(self.question)

    @property
    def url(self) -> str | None:
        """The official page, which exists only for questions with a date and a UIN."""
        if self.uin and self.date_asked:
            return OFFICIAL_PAGE.format(date_asked=self.date_asked, uin=self.uin)
        return None

    def as_record(self) -> dict:
        """The record as stored and exported, keyed by RECORD_FIELDS; a status the source did not state is
        read from whether there is an answer."""
        return {field: getattr(self, field) for field in RECORD_FIELDS} | {"status": life_of(self.status, self.answer)}

    @classmethod
    def from_record(cls, record: dict) -> Question:
        """The Question behind a stored or exported record (its id and url are derived again)."""
        return cls(**{field.name: record[field.name] for field in dataclasses.fields(cls)})


def life_of(status: str | None, answer: str | None) -> str:
    """A record's status: as its source stated it, else answered when it has an answer and tabled when not."""
    return status or (ANSWERED if answer else TABLED)
