"""Dates as answer files write them ("15th October 2021", "2024-10-14T00:00:00"), as ISO days."""

from __future__ import annotations

import re
from datetime import datetime

from dateutil import parser as dateutil_parser

_ORDINAL_SUFFIX = re.compile(r"(?<=\d)(?:st|nd|rd|th)\b", re.IGNORECASE)


def iso_day(text: str | None) -> str | None:
    """`YYYY-MM-DD` for a date written in words or ISO form; None when there is no full date."""
    if not text or not text.strip():
        return None
    cleaned = _ORDINAL_SUFFIX.sub("", text.strip())
    try:
        # Parsed against two different defaults: a date that lacks a day, month or year differs.
        first, second = (
            dateutil_parser.parse(cleaned, dayfirst=True, default=default)
            for default in (datetime(1, 1, 1), datetime(2, 2, 2))
        )
    except (ValueError, OverflowError):
        return None
    return first.date().isoformat() if first == second else None
