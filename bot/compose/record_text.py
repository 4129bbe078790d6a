"""A record in words: who asked whom, its heading and where it is in its life, for every reply.

A leaf that the Slack messages, the digests and the terminal all read from, so that none of
them has to borrow from another.
"""

from __future__ import annotations

from bot.compose.life import correction_note, life_line
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
    """Where the question is in its life and since when, escaped: `answered 31 October 2024`,
    `holding answer, 5 September 2024`, `tabled 3 September 2024 · awaiting an answer`, …"""
    line = life_line(record)
    return escape(line) if line else None


def correction_lines(record: dict) -> list[str]:
    """A line quoting what a corrected answer said at first, escaped; none for any other answer."""
    note = correction_note(record)
    return [f"_{escape_inside_formatting(note[0].upper() + note[1:])}_"] if note else []
