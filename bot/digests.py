"""Digest messages: a channel's new answers, grouped by the topics it subscribes to.

Pure functions from subscriptions and search hits to Block Kit. Each answer is one section with
its Full answer button beside it, so that a digest of many topics stays within Slack's limits.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot import blocks
from bot.blocks import MAX_MESSAGE_BLOCKS, Message
from bot.buttons import FULL_ANSWER
from bot.grammar import COMMAND
from bot.messages import answered_on, heading_of
from bot.mrkdwn import bold_matches, clip, escape, escape_inside_formatting
from bot.terminal import who
from store.search import Hit
from store.subscriptions import Subscription

ANSWERS_PER_TOPIC = 5
SNIPPET_LENGTH = 240


@dataclass(frozen=True)
class TopicSection:
    """One subscribed topic and the answers it caught, best first."""

    subscription: Subscription
    hits: list[Hit]


def digest_message(title: str, sections: list[TopicSection]) -> Message:
    """A digest: a title, then per topic its best few answers and how to see the rest."""
    page = [blocks.header(title)]
    shown_topics = 0
    for topic in sections:
        topic_blocks = _topic_blocks(topic)
        if len(page) + len(topic_blocks) > MAX_MESSAGE_BLOCKS - 1:
            break
        page += topic_blocks
        shown_topics += 1
    if shown_topics < len(sections):
        page.append(blocks.context(f"And {len(sections) - shown_topics} more topics: `{COMMAND} subscriptions` lists them."))
    answers = sum(len(topic.hits) for topic in sections)
    topics = ", ".join(escape(topic.subscription.topic) for topic in sections)
    return blocks.message(page, f"{title}: {answers} new {_answers(answers)} on {topics}")


def _topic_blocks(topic: TopicSection) -> list[dict]:
    """A topic's title, its first few answers, and a pointer to the rest."""
    subscription = topic.subscription
    count = len(topic.hits)
    title = f"*{escape_inside_formatting(subscription.topic)}* · {count} new {_answers(count)} · #{subscription.id}"
    topic_blocks = [blocks.divider(), blocks.section(title)]
    topic_blocks += [_answer_block(hit) for hit in topic.hits[:ANSWERS_PER_TOPIC]]
    rest = count - ANSWERS_PER_TOPIC
    if rest > 0:
        topic_blocks.append(blocks.context(f"and {rest} more: `{COMMAND} {escape(subscription.topic)}`"))
    return topic_blocks


def _answer_block(hit: Hit) -> dict:
    """One answer: heading and date, who asked and answered, a line of the answer, Full answer."""
    record = hit.record
    title = " · ".join(filter(None, [f"*{heading_of(record)}*", answered_on(record)]))
    lines = [title, escape(who(record))]
    if hit.snippet:
        lines.append("> " + bold_matches(clip(escape(hit.snippet), SNIPPET_LENGTH)))
    section = blocks.section("\n".join(lines))
    button = blocks.button("Full answer", FULL_ANSWER, record["id"])
    if button and record["answer"]:
        section["accessory"] = button
    return section


def _answers(count: int) -> str:
    return "answer" if count == 1 else "answers"
