"""Where a question is in its life, in words: for search results, digests and the terminal alike.

Plain text, not yet escaped: callers escape it for Slack as they do any text from a record.
"""

from __future__ import annotations

from datetime import date

# How much of a corrected answer's original a result or digest quotes.
ORIGINAL_LENGTH = 300


def life_line(record: dict) -> str | None:
    """`answered 31 October 2024`, `holding answer, 5 September 2024`, `tabled 3 September 2024 · awaiting
    an answer`, `answered 10 September 2024 · corrected 26 November 2024` or `withdrawn`; None when no date
    is known for an answered question."""
    status = record.get("status") or ("answered" if record["answer"] else "tabled")
    if status == "withdrawn":
        return "withdrawn"
    if status == "tabled":
        tabled = _day(record["date_asked"])
        return f"tabled {tabled} · awaiting an answer" if tabled else "awaiting an answer"
    if status == "holding":
        held = _day(record.get("date_holding") or record["date_answered"])
        return f"holding answer, {held}" if held else "holding answer"
    answered = f"answered {_day(record['date_answered'])}" if record["date_answered"] else None
    if status == "corrected":
        corrected = _day(record.get("date_corrected"))
        return " · ".join(filter(None, [answered, f"corrected {corrected}" if corrected else "corrected"]))
    return answered


def correction_note(record: dict) -> str | None:
    """`corrected 12 March 2025: the original said “…”`, for a corrected answer whose original is known."""
    if record.get("status") != "corrected" or not record.get("original_answer"):
        return None
    original = record["original_answer"]
    quoted = original if len(original) <= ORIGINAL_LENGTH else original[: ORIGINAL_LENGTH - 1].rstrip() + "…"
    corrected = _day(record.get("date_corrected"))
    return f"{'corrected ' + corrected if corrected else 'corrected'}: the original said “{quoted}”"


def _day(text: str | None) -> str | None:
    """`5 September 2024` from `2024-09-05`; the text as it is when it is no such date; None for none."""
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return text
    return f"{day.day} {day:%B %Y}"
