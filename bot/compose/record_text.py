"""A record in words: who asked whom, its heading and when it was answered, for every reply.

A leaf that the Slack messages, the digests and the terminal all read from, so that none of
them has to borrow from another.
"""

from __future__ import annotations

from datetime import date

from bot.compose.mrkdwn import escape, escape_inside_formatting


def who(record: dict) -> str:
    """Asker (party) → department, answered by minister (role), as far as the record knows them."""
    asker = record["asked_by"] or "Unknown member"
    if record["asked_by_party"]:
        asker += f" ({record['asked_by_party']})"
    line = f"{asker} → {record['department'] or 'unknown department'}"
    if record["answered_by"]:
        role = f" ({record['answered_by_role']})" if record["answered_by_role"] else ""
        line += f"; answered by {record['answered_by']}{role}"
    return line


def heading_of(record: dict) -> str:
    """The record's heading, escaped to sit inside bold; a written question without one is called just that."""
    return escape_inside_formatting(record["heading"] or "Written question")


def answered_on(record: dict) -> str | None:
    """`answered 31 October 2024`, or None when the date is not known."""
    if not record["date_answered"]:
        return None
    try:
        day = date.fromisoformat(record["date_answered"])
    except ValueError:
        return f"answered {escape(record['date_answered'])}"
    return f"answered {day.day} {day:%B %Y}"
