"""Search results as plain text for a terminal."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from bot.compose.citation import cite
from bot.compose.life import correction_note, life_line
from bot.compose.record_text import who
from store.search import Hit, SearchResult

if TYPE_CHECKING:
    from bot.compose.digests import TopicSection

WIDTH = 100


def render_result(result: SearchResult, with_citations: bool = False) -> str:
    """A readable page of results: what was searched for, then each hit (and its citation), or a plain no-match."""
    lines = [f"Searched for: {result.searched_for or result.query}"]
    lines += [f"Corrected: {typed} → {fixed}" for typed, fixed in result.corrections]
    if not result.hits:
        lines.append("\nNo answers match. Try fewer words, or other words for the same thing.")
    elif not result.confident:
        lines.append("\nNo confident match. The nearest answers:")
    for number, hit in enumerate(result.hits, start=result.offset + 1):
        lines.append("\n" + render_hit(number, hit))
        if with_citations:
            lines.append(render_citation(hit.record))
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


def render_citation(record: dict) -> str:
    """A record's citation, as its Cite button shows it: the sentence, then the short reference, each
    on one unwrapped line, so that it pastes as it is."""
    citation = cite(record)
    return f"   Cite: {citation.sentence}\n   Reference: {citation.reference}"


def _wrapped(text: str) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent="   ", subsequent_indent="      ")
