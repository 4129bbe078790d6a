"""pqbot's Home tab: how to use it, the person's subscriptions in every channel, and the newest
answers on them. home_view is a pure function from subscriptions and records to a Home view."""

from __future__ import annotations

import re

from bot.compose import blocks
from bot.compose.buttons import HOME_UNSUBSCRIBE
from bot.compose.grammar import COMMAND
from bot.compose.messages import HELP, record_buttons
from bot.compose.mrkdwn import clip, escape, escape_inside_formatting
from bot.compose.record_text import answered_on, heading_of, who
from store.subscriptions import Subscription, Subscriptions

# A Home view holds at most 100 blocks: this many topics (a block each) and answers (two each) fit.
MAX_TOPICS = 40
MAX_ANSWERS = 8
TOPIC_LENGTH = 300
_CHANNEL_ID = re.compile(r"[CGD][A-Z0-9]+")


def home_for(subscriptions: Subscriptions, user: str) -> dict:
    """The Home tab for one person, read from the store."""
    made = subscriptions.made_by(user)
    newest_ids = subscriptions.newest_caught([subscription.id for subscription in made], MAX_ANSWERS)
    newest = [record for record_id in newest_ids if (record := subscriptions.store.get(record_id))]
    return home_view(made, newest)


def home_view(subscriptions: list[Subscription], newest: list[dict]) -> dict:
    """The Home tab for one person: how to use pqbot, their subscriptions, the newest answers on them."""
    page = [blocks.header("pqbot"), blocks.section(HELP), blocks.divider()]
    page += _subscription_blocks(subscriptions)
    if subscriptions:
        page += [blocks.divider(), blocks.section("*Newest answers on your topics*")]
        page += _answer_blocks(newest) or [blocks.context("None yet: answers appear here as your topics catch them.")]
    return {"type": "home", "blocks": page}


def _subscription_blocks(subscriptions: list[Subscription]) -> list[dict]:
    """A line per subscription, each with its Unsubscribe button; a hint when there are none."""
    if not subscriptions:
        text = f"*Your subscriptions*\nYou have none. In a channel, `{COMMAND} subscribe EHC plans` starts one."
        return [blocks.section(text)]
    shown = subscriptions[:MAX_TOPICS]
    found = [blocks.section(f"*Your subscriptions* ({len(subscriptions)}), in every channel")]
    found += [_subscription_block(subscription) for subscription in shown]
    if len(subscriptions) > len(shown):
        more = len(subscriptions) - len(shown)
        found.append(blocks.context(f"…and {more} more: `{COMMAND} subscriptions` in a channel lists its topics."))
    return found


def _subscription_block(subscription: Subscription) -> dict:
    """Topic, channel, last digest and any problem, with an Unsubscribe button that asks first."""
    topic = clip(escape_inside_formatting(subscription.topic), TOPIC_LENGTH)
    last = f"last digest {subscription.last_digest_at[:10]}" if subscription.last_digest_at else "no digest yet"
    line = f"*{topic}* (#{subscription.id}) in {_channel(subscription.channel)} · {last}"
    if subscription.problem:
        line += f"\n:warning: Slack refused its digests, so they are held: {escape(subscription.problem)}"
    section = blocks.section(line)
    button = blocks.button("Unsubscribe", HOME_UNSUBSCRIBE, str(subscription.id))
    section["accessory"] = button | {
        "confirm": {
            "title": {"type": "plain_text", "text": "Unsubscribe?"},
            "text": {"type": "plain_text", "text": f"Stop new answers on topic #{subscription.id} in its channel?"},
            "confirm": {"type": "plain_text", "text": "Unsubscribe"},
            "deny": {"type": "plain_text", "text": "Keep it"},
        }
    }
    return section


def _answer_blocks(records: list[dict]) -> list[dict]:
    """Each answer: heading, date and who asked → department, then Full answer and Cite."""
    found = []
    for record in records[:MAX_ANSWERS]:
        title = " · ".join(filter(None, [f"*{heading_of(record)}*", answered_on(record)]))
        found.append(blocks.section(f"{title}\n{escape(who(record))}"))
        found += blocks.actions(*record_buttons(record))
    return found


def _channel(channel: str) -> str:
    """A channel as Slack shows it, by its id; anything that is not an id, escaped."""
    return f"<#{channel}>" if _CHANNEL_ID.fullmatch(channel) else escape(channel)
