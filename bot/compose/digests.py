"""Digest messages: a channel's new answers, grouped by the topics it subscribes to.

Pure functions from subscriptions and search hits to Block Kit. Every answer is listed, never only
counted: a topic's first few in full, the rest compactly (heading and date), each with its Full
answer and Cite buttons, in as many messages as it takes to stay within Slack's limits. Each part
says which answers it carries, so that each is marked sent only when the message carrying it has
been accepted.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.compose import blocks
from bot.compose.blocks import MAX_MESSAGE_BLOCKS, MAX_MESSAGE_TEXT, Message, text_size
from bot.compose.messages import record_buttons
from bot.compose.mrkdwn import bold_matches, clip, escape, escape_inside_formatting
from bot.compose.record_text import answered_on, correction_lines, heading_of, who
from store.search import Hit
from store.subscriptions import Subscription

# A topic's first answers are shown in full (who asked, a line of the answer); the rest compactly.
ANSWERS_IN_FULL = 3
SNIPPET_LENGTH = 240
HEADING_LENGTH = 300
TOPIC_LENGTH = 300
# Room kept in every part for its header.
HEADER_ROOM = 200


@dataclass(frozen=True)
class TopicSection:
    """One subscribed topic and the answers it caught, best first."""

    subscription: Subscription
    hits: list[Hit]


@dataclass(frozen=True)
class DigestPart:
    """One message of a digest, and the (subscription id, record id) of every answer it lists."""

    message: Message
    carried: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class _Unit:
    """Blocks that must stay together in one message, and the answer they list, if any."""

    blocks: list[dict]
    carries: tuple[int, str] | None = None


def digest_parts(title: str, sections: list[TopicSection]) -> list[DigestPart]:
    """A digest as messages in order, each within Slack's limits, together listing every answer."""
    pages = _pages(sections)
    total = sum(len(topic.hits) for topic in sections)
    topics = ", ".join(escape(topic.subscription.topic) for topic in sections)
    parts = []
    for number, page in enumerate(pages, start=1):
        label = f"{title} ({number} of {len(pages)})" if len(pages) > 1 else title
        carried = tuple(unit.carries for unit in page if unit.carries)
        fallback = f"{label}: {total} new {_answers(total)} on {topics}"
        message = blocks.message([blocks.header(label), *(block for unit in page for block in unit.blocks)], fallback)
        parts.append(DigestPart(message, carried))
    return parts


def _pages(sections: list[TopicSection]) -> list[list[_Unit]]:
    """The topics' units packed into pages that fit a message; a topic split across pages is
    introduced again, "continued", at the top of the next."""
    pages: list[list[_Unit]] = [[]]
    for topic in sections:
        title, *answers = _topic_units(topic)
        if not _fits(pages[-1], [title, *answers[:1]]):
            pages.append([])
        pages[-1].append(title)
        for answer in answers:
            if not _fits(pages[-1], [answer]):
                pages.append([_continued(topic)])
            pages[-1].append(answer)
    return [page for page in pages if page]


def _fits(page: list[_Unit], more: list[_Unit]) -> bool:
    """Whether a page still has room for these units, with its header, in blocks and in characters."""
    units = page + more
    block_count = 1 + sum(len(unit.blocks) for unit in units)
    return (
        block_count <= MAX_MESSAGE_BLOCKS
        and HEADER_ROOM + text_size([block for unit in units for block in unit.blocks]) <= MAX_MESSAGE_TEXT
    )


def _topic_units(topic: TopicSection) -> list[_Unit]:
    """A topic's title, then one unit per answer: the first few in full, the rest compactly."""
    subscription = topic.subscription
    count = len(topic.hits)
    title = f"*{_topic_text(subscription)}* · {count} new {_answers(count)} · #{subscription.id}"
    units = [_Unit([blocks.divider(), blocks.section(title)])]
    for rank, hit in enumerate(topic.hits):
        block = _answer_block(hit) if rank < ANSWERS_IN_FULL else _compact_block(hit)
        units.append(_Unit([block, *blocks.actions(*record_buttons(hit.record))], (subscription.id, hit.record["id"])))
    return units


def _continued(topic: TopicSection) -> _Unit:
    """A topic's title again, at the top of a page that carries on its list."""
    text = f"*{_topic_text(topic.subscription)}* (continued) · #{topic.subscription.id}"
    return _Unit([blocks.section(text)])


def _topic_text(subscription: Subscription) -> str:
    """A topic as a digest names it: escaped, and short enough to leave room for its answers."""
    return clip(escape_inside_formatting(subscription.topic), TOPIC_LENGTH)


def _answer_block(hit: Hit) -> dict:
    """One answer in full: heading and date, who asked and answered, a line of the answer."""
    record = hit.record
    title = " · ".join(filter(None, [f"*{clip(heading_of(record), HEADING_LENGTH)}*", answered_on(record)]))
    lines = [title, clip(escape(who(record)), HEADING_LENGTH)]
    if hit.snippet:
        lines.append("> " + bold_matches(clip(escape(hit.snippet), SNIPPET_LENGTH)))
    lines += correction_lines(record)
    return blocks.section("\n".join(lines))


def _compact_block(hit: Hit) -> dict:
    """One answer in a line: heading and date."""
    record = hit.record
    line = " · ".join(filter(None, [f"• *{clip(heading_of(record), HEADING_LENGTH)}*", answered_on(record)]))
    return blocks.section(line)


def _answers(count: int) -> str:
    return "answer" if count == 1 else "answers"
