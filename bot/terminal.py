"""Search results as plain text for a terminal."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from bot.life import correction_note, life_line
from store.search import Hit, SearchResult

if TYPE_CHECKING:
    from bot.digests import TopicSection

WIDTH = 100


def render_result(result: SearchResult) -> str:
    """A readable page of results: what was searched for, then each hit, or a plain no-match."""
    lines = [f"Searched for: {result.searched_for or result.query}"]
    lines += [f"Corrected: {typed} → {fixed}" for typed, fixed in result.corrections]
    if not result.hits:
        lines.append("\nNo answers match. Try fewer words, or other words for the same thing.")
    elif not result.confident:
        lines.append("\nNo confident match. The nearest answers:")
    for number, hit in enumerate(result.hits, start=result.offset + 1):
        lines.append("\n" + render_hit(number, hit))
    if result.more:
        lines.append(f"\nMore results: --offset {result.offset + len(result.hits)}")
    return "\n".join(lines)


def render_digest(channel: str, sections: list[TopicSection]) -> str:
    """A channel's digest: per topic, every answer it caught."""
    lines = [f"== {channel}"]
    for topic in sections:
        lines.append(f"\n# {topic.subscription.topic} (#{topic.subscription.id}): {len(topic.hits)} answers")
        lines += ["\n" + render_hit(number, hit) for number, hit in enumerate(topic.hits, start=1)]
    return "\n".join(lines) + "\n"


def render_hit(number: int, hit: Hit) -> str:
    record = hit.record
    heading = record["heading"] or "(no heading)"
    life = life_line(record)
    lines = [f"{number}. {heading}{' · ' + life if life else ''} · score {hit.score}", "   " + who(record)]
    lines += _wrapped("Q: " + record["question"])
    if hit.snippet:
        lines += _wrapped("A: " + hit.snippet)
    if note := correction_note(record):
        lines += _wrapped(note[0].upper() + note[1:])
    if record["url"]:
        lines.append("   " + record["url"])
    return "\n".join(lines)


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


def _wrapped(text: str) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent="   ", subsequent_indent="      ")
