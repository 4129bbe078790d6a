"""The subscription commands: subscribe a channel to a topic, list its topics, unsubscribe.

A subscription is confirmed in the channel itself, so the team sees who subscribed it to what;
mistakes and lists are shown only to the person who typed the command.
"""

from __future__ import annotations

from datetime import date, datetime

from bot.compose import blocks, grammar
from bot.compose.blocks import Message
from bot.compose.buttons import MORE_TOPICS
from bot.compose.conversation import Asker, Reply
from bot.compose.grammar import COMMAND
from bot.compose.messages import usage_message
from bot.compose.mrkdwn import clip, escape, escape_inside_formatting
from store.search import QueryError
from store.subscriptions import AlreadySubscribed, Subscription, Subscriptions


def subscription_reply(
    command: grammar.Subscribe | grammar.Unsubscribe | grammar.ListSubscriptions | grammar.Resume,
    subscriptions: Subscriptions,
    asker: Asker,
    now: datetime,
) -> Reply:
    """Carry out a subscription command for the asker's channel and say what happened."""
    match command:
        case grammar.Subscribe(topic, tabled):
            return _subscribe(subscriptions, asker, topic, tabled, now)
        case grammar.Unsubscribe(topic_or_id):
            removed = subscriptions.remove(asker.channel, topic_or_id)
            if removed is None:
                return Reply(
                    _say(f"This channel has no subscription “{clip(escape(topic_or_id), TOPIC_LENGTH)}”. {LIST_HINT}")
                )
            return Reply(unsubscribed_message(removed, asker.user), True)
        case grammar.ListSubscriptions():
            return Reply(subscriptions_message(subscriptions.of_channel(asker.channel)))
        case grammar.Resume():
            if not subscriptions.resume(asker.channel):
                return Reply(_say(f"This channel's digests are not held. {LIST_HINT}"))
            text = f"{_mention(asker.user)} resumed this channel's digests: what it is owed is posted at the next scan."
            return Reply(_say(text), for_everyone=True)


LIST_HINT = f"`{COMMAND} subscriptions` lists this channel's topics."
# Topics listed in one message: each takes a few hundred characters at most, well within Slack's limits.
TOPICS_PER_PAGE = 20
TOPIC_LENGTH = 300


def _subscribe(subscriptions: Subscriptions, asker: Asker, topic: str, tabled: bool, now: datetime) -> Reply:
    try:
        added = subscriptions.add(asker.channel, topic, asker.user, now, tabled)
    except QueryError as error:
        return Reply(usage_message(str(error)))
    except AlreadySubscribed:
        return Reply(_say(f"This channel is already subscribed to “{clip(escape(topic), TOPIC_LENGTH)}”. {LIST_HINT}"))
    news = (
        "questions on it will be posted here as they are tabled and as they are answered"
        if tabled
        else ("new answers on it will be posted here as they arrive")
    )
    text = (
        f"{_mention(asker.user)} subscribed this channel to {_topic(added)}: {news}, "
        f"with a round-up each week. `{COMMAND} unsubscribe {added.id}` stops them."
    )
    return Reply(_say(text), for_everyone=True)


def unsubscribed_message(removed: Subscription, user: str) -> Message:
    """What the channel is told when someone stops one of its subscriptions."""
    return _say(f"{_mention(user)} unsubscribed this channel from {_topic(removed)}.")


def subscriptions_message(subscriptions: list[Subscription], offset: int = 0) -> Message:
    """A page of the channel's topics, each with its id, who subscribed when, its last digest and any
    problem; a *More topics* button shows the next page, however many there are."""
    if not subscriptions:
        text = f"This channel has no subscriptions. `{COMMAND} subscribe EHC plans` starts one."
        return _say(text)
    shown = subscriptions[offset : offset + TOPICS_PER_PAGE]
    heading = f"*This channel's subscriptions* ({len(subscriptions)})"
    if len(subscriptions) > TOPICS_PER_PAGE:
        heading += f": {offset + 1}–{offset + len(shown)}"
    page = [blocks.section(heading)] + [blocks.section(_describe(subscription)) for subscription in shown]
    if any(subscription.problem for subscription in subscriptions):
        page.append(blocks.context(f"Once the problem is mended, `{COMMAND} resume` posts what the channel is owed."))
    if offset + len(shown) < len(subscriptions):
        page += blocks.actions(blocks.button("More topics", MORE_TOPICS, str(offset + len(shown))))
    return blocks.message(page, f"This channel's subscriptions ({len(subscriptions)})")


def _describe(subscription: Subscription) -> str:
    made = f"by {_mention(subscription.created_by)} on {_day(subscription.created_at)}"
    last = f"last digest {_day(subscription.last_digest_at)}" if subscription.last_digest_at else "no digest yet"
    line = " · ".join(
        filter(None, [_topic(subscription), "tabled questions too" if subscription.tabled else None, made, last])
    )
    if subscription.problem:
        line += f"\n:warning: Slack refused this channel's digests, so they are held: {escape(subscription.problem)}"
    return line


def _topic(subscription: Subscription) -> str:
    """A topic named in a message: short enough that what follows it (the unsubscribe hint) is never cut."""
    return f"*{clip(escape_inside_formatting(subscription.topic), TOPIC_LENGTH)}* (#{subscription.id})"


def _mention(user_id: str) -> str:
    return f"<@{user_id}>" if user_id.isalnum() else escape(user_id)


def _day(stamp: str) -> str:
    day = date.fromisoformat(stamp[:10])
    return f"{day.day} {day:%B %Y}"


def _say(text: str) -> Message:
    return blocks.message([blocks.section(text)], text)
