"""The subscription commands: subscribe a channel to a topic, list its topics, unsubscribe.

A subscription is confirmed in the channel itself, so the team sees who subscribed it to what;
mistakes and lists are shown only to the person who typed the command.
"""

from __future__ import annotations

from datetime import date, datetime

from bot import blocks, grammar
from bot.blocks import MAX_MESSAGE_BLOCKS, Message
from bot.conversation import Asker, Reply
from bot.grammar import COMMAND
from bot.messages import usage_message
from bot.mrkdwn import escape, escape_inside_formatting
from store.search import QueryError
from store.subscriptions import AlreadySubscribed, Subscription, Subscriptions


def subscription_reply(
    command: grammar.Subscribe | grammar.Unsubscribe | grammar.ListSubscriptions,
    subscriptions: Subscriptions,
    asker: Asker,
    now: datetime,
) -> Reply:
    """Carry out a subscription command for the asker's channel and say what happened."""
    match command:
        case grammar.Subscribe(topic):
            return _subscribe(subscriptions, asker, topic, now)
        case grammar.Unsubscribe(topic_or_id):
            removed = subscriptions.remove(asker.channel, topic_or_id)
            if removed is None:
                return Reply(_say(f"This channel has no subscription “{escape(topic_or_id)}”. {LIST_HINT}"))
            return Reply(_say(f"{_mention(asker.user)} unsubscribed this channel from {_topic(removed)}."), True)
        case grammar.ListSubscriptions():
            return Reply(subscriptions_message(subscriptions.of_channel(asker.channel)))


LIST_HINT = f"`{COMMAND} subscriptions` lists this channel's topics."


def _subscribe(subscriptions: Subscriptions, asker: Asker, topic: str, now: datetime) -> Reply:
    try:
        added = subscriptions.add(asker.channel, topic, asker.user, now)
    except QueryError as error:
        return Reply(usage_message(str(error)))
    except AlreadySubscribed:
        return Reply(_say(f"This channel is already subscribed to “{escape(topic)}”. {LIST_HINT}"))
    text = (
        f"{_mention(asker.user)} subscribed this channel to {_topic(added)}: new answers on it will be "
        f"posted here as they arrive, with a round-up each week. `{COMMAND} unsubscribe {added.id}` stops them."
    )
    return Reply(_say(text), for_everyone=True)


def subscriptions_message(subscriptions: list[Subscription]) -> Message:
    """The channel's topics, each with its id, who subscribed when, its last digest and any problem."""
    if not subscriptions:
        text = f"This channel has no subscriptions. `{COMMAND} subscribe EHC plans` starts one."
        return _say(text)
    room = MAX_MESSAGE_BLOCKS - 2
    page = [blocks.section(f"*This channel's subscriptions* ({len(subscriptions)})")]
    page += [blocks.section(_describe(subscription)) for subscription in subscriptions[:room]]
    if len(subscriptions) > room:
        page.append(blocks.context(f"and {len(subscriptions) - room} more"))
    return blocks.message(page, f"This channel's subscriptions ({len(subscriptions)})")


def _describe(subscription: Subscription) -> str:
    made = f"by {_mention(subscription.created_by)} on {_day(subscription.created_at)}"
    last = f"last digest {_day(subscription.last_digest_at)}" if subscription.last_digest_at else "no digest yet"
    line = f"{_topic(subscription)} · {made} · {last}"
    if subscription.problem:
        line += f"\n:warning: Slack refused the last digest: {escape(subscription.problem)}"
    return line


def _topic(subscription: Subscription) -> str:
    return f"*{escape_inside_formatting(subscription.topic)}* (#{subscription.id})"


def _mention(user_id: str) -> str:
    return f"<@{user_id}>" if user_id.isalnum() else escape(user_id)


def _day(stamp: str) -> str:
    day = date.fromisoformat(stamp[:10])
    return f"{day.day} {day:%B %Y}"


def _say(text: str) -> Message:
    return blocks.message([blocks.section(text)], text)
