"""One question seen in two sources becomes one record, keeping the richer fields of each."""

from __future__ import annotations

from store.record import LIFE_ORDER, RECORD_FIELDS, SOURCE_RANK, Question

# Fields that say which question this is; two records that disagree on one are two questions.
IDENTITY_FIELDS = ("uin", "date_asked", "house", "asked_by")


def agreement(stored: dict, incoming: dict) -> int:
    """How many fields two records both fill in alike: the better of several candidates to merge."""
    return sum(stored[field] is not None and stored[field] == incoming[field] for field in RECORD_FIELDS)


# The fields that say where a question is in its life, and what its answer was at that point.
LIFE_FIELDS = (
    "status",
    "answer",
    "answer_truncated",
    "answered_by",
    "answered_by_role",
    "date_answered",
    "date_holding",
    "date_corrected",
    "original_answer",
)


def merge(stored: dict, incoming: dict) -> dict:
    """The record that keeps every field either source knows; on a clash the better source wins.

    A structured feed outranks a saved page (SOURCE_RANK); at equal rank the newer arrival wins,
    so a corrected answer replaces the old one. A full answer is never replaced by a truncated one,
    and a question's life never goes back: an older copy (a holding answer dropped in again after
    the real one) leaves the answer and its status as they are.
    """
    incoming_wins = SOURCE_RANK.get(incoming["source_format"], 0) >= SOURCE_RANK.get(stored["source_format"], 0)
    preferred, other = (incoming, stored) if incoming_wins else (stored, incoming)
    merged = {field: preferred[field] if preferred[field] is not None else other[field] for field in RECORD_FIELDS}
    if LIFE_ORDER.get(incoming["status"], 0) < LIFE_ORDER.get(stored["status"], 0):
        merged |= {field: stored[field] for field in LIFE_FIELDS}
    if incoming["answer_truncated"] != stored["answer_truncated"] and stored["answer"] and incoming["answer"]:
        full = stored if incoming["answer_truncated"] else incoming
        merged["answer"], merged["answer_truncated"] = full["answer"], False
    if merged["answer"] is None:
        merged["answer_truncated"] = False
    question = Question.from_record(merged)
    return merged | {"id": question.id, "url": question.url}


def changes(stored: dict, merged: dict, ignoring: frozenset[str] = frozenset()) -> bool:
    """Whether merging changed any record field of the stored record (those ignored aside)."""
    return any(merged[name] != stored[name] for name in RECORD_FIELDS if name not in ignoring)


def life_moved_on(stored: dict, merged: dict) -> str | None:
    """What happened to a question between its stored and its merged record, if its life moved on: the
    stage it reached and when, as "answered:2024-09-05" or "corrected:2024-11-26"; else None."""
    before, after = stored["status"], merged["status"]
    if after == "corrected" and (before != "corrected" or stored["date_corrected"] != merged["date_corrected"]):
        return f"corrected:{merged['date_corrected'] or ''}"
    if LIFE_ORDER.get(after, 0) > LIFE_ORDER.get(before, 0) and after in ("holding", "answered"):
        return f"{after}:{merged['date_answered'] or merged['date_holding'] or ''}"
    return None
