"""Channels' subscriptions to topics, and the outbox of answers owed to them.

A topic is a saved search query. When new answers are stored, each subscription's topic is matched
against them and a delivery row is written for every answer it catches, in the same transaction
as the answers themselves. Digests are built from the deliveries not yet posted, and a delivery is
marked posted once Slack has the message: so a crash between storing and posting loses nothing,
and an answer already sent to a channel for a topic is never sent there again.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from store.db import QuestionStore, SaveCounts
from store.news import News
from store.record import LIFE_ORDER, TABLED, WITHDRAWN, life_of
from store.search import SearchEngine
from store.search.query import parse_search


class AlreadySubscribed(Exception):
    """The channel already follows this topic (spelt the same, ignoring case and punctuation)."""


@dataclass(frozen=True)
class Subscription:
    """A channel's saved topic, who saved it and when, and how its digests are going."""

    id: int
    channel: str
    topic: str
    created_by: str
    created_at: str
    last_digest_at: str | None = None
    problem: str | None = None
    tabled: bool = False


@dataclass(frozen=True)
class Delivery:
    """An answer owed to a channel for one of its topics."""

    id: int
    subscription: Subscription
    record_id: str


def topic_key(topic: str) -> str:
    """Topics that differ only in case or spacing are the same topic."""
    return " ".join(topic.casefold().split())


class Subscriptions:
    """Subscriptions and deliveries in one store. Like the store, use one per thread."""

    def __init__(self, store: QuestionStore, engine: SearchEngine):
        self.store = store
        self.engine = engine

    def add(self, channel: str, topic: str, created_by: str, now: datetime, tabled: bool = False) -> Subscription:
        """Subscribe a channel to a topic (with tabled, to questions on it as they are tabled, too);
        raises QueryError for a topic search cannot read.

        A new subscription is someone's sign that the channel works again: a held channel resumes.
        """
        parse_search(topic)
        key = topic_key(topic)
        if self._where("channel = ? AND topic_key = ?", [channel, key]):
            raise AlreadySubscribed(topic)
        row = {
            "channel": channel,
            "topic": " ".join(topic.split()),
            "topic_key": key,
            "created_by": created_by,
            "created_at": now.isoformat(timespec="seconds"),
            "tabled": int(tabled),
        }
        with self.store.transaction():
            self.resume(channel)
            self.store.db["subscriptions"].insert(row)
        return self._where("channel = ? AND topic_key = ?", [channel, key])[0]

    def remove(self, channel: str, id_or_topic: str) -> Subscription | None:
        """Unsubscribe by the id shown in the list or by the topic's words; None if there is none."""
        found = self._where(
            "channel = ? AND (CAST(id AS TEXT) = ? OR topic_key = ?)",
            [channel, id_or_topic.strip().lstrip("#"), topic_key(id_or_topic)],
        )
        if not found:
            return None
        with self.store.transaction():
            self.store.db.execute(
                "DELETE FROM deliveries WHERE subscription_id = ? AND posted_at IS NULL", [found[0].id]
            )
            self.store.db.execute("DELETE FROM subscriptions WHERE id = ?", [found[0].id])
        return found[0]

    def of_channel(self, channel: str) -> list[Subscription]:
        """A channel's subscriptions, oldest first."""
        return self._where("channel = ?", [channel])

    def all(self) -> list[Subscription]:
        return self._where("1 = 1", [])

    def made_by(self, user: str) -> list[Subscription]:
        """The subscriptions one person made, in every channel, oldest first."""
        return self._where("created_by = ?", [user])

    def newest_caught(self, subscription_ids: Sequence[int], limit: int) -> list[str]:
        """Ids of the answers these subscriptions caught most recently, newest answer first, each once."""
        rows = self.store.db.execute(
            "SELECT record_id FROM deliveries JOIN questions ON questions.id = deliveries.record_id "
            "WHERE subscription_id IN (SELECT value FROM json_each(?)) "
            "GROUP BY record_id ORDER BY max(questions.date_answered) DESC, max(deliveries.id) DESC LIMIT ?",
            [json.dumps(list(subscription_ids)), limit],
        )
        return [record_id for (record_id,) in rows]

    def saved(self, counts: SaveCounts, now: datetime) -> None:
        """Owe what a file just stored: its new answers, the answers to questions that were waiting for one,
        and the news of answers channels already had (see store.news). Call it inside the file's transaction."""
        self.queue(counts.new_ids + tuple(record_id for record_id, _ in counts.moved_on), now)
        News(self.store).queue(counts.moved_on, now)

    def queue(self, record_ids: Sequence[str], now: datetime) -> int:
        """Owe every subscription the new answers its topic catches; returns how many were owed.

        A tabled question is owed only to subscriptions that asked for them, a withdrawn one to none. Call it inside the
        transaction that stored the answers, so both happen or neither does.
        """
        subscriptions = self.all()
        stages = self._stages(record_ids)
        record_ids = [record_id for record_id in record_ids if stages.get(record_id, WITHDRAWN) != WITHDRAWN]
        if not subscriptions or not record_ids:
            return 0
        caught = self.engine.catches(sorted({subscription.topic for subscription in subscriptions}), record_ids)
        rows = [
            [subscription.id, record_id, now.isoformat(timespec="seconds")]
            for subscription in subscriptions
            for record_id in caught[subscription.topic]
            if subscription.tabled or stages[record_id] != TABLED
        ]
        before = self.store.db.conn.total_changes
        self.store.db.conn.executemany(
            "INSERT OR IGNORE INTO deliveries (subscription_id, record_id, queued_at) VALUES (?, ?, ?)", rows
        )
        return self.store.db.conn.total_changes - before

    def heard_of(self, subscription: Subscription, record_ids: Sequence[str]) -> list[str]:
        """Those of the records a subscription hears of, in the order given: answered ones, and tabled
        ones too if it asked for them; never withdrawn ones."""
        stages = self._stages(record_ids)
        wanted = {stage for stage in LIFE_ORDER if stage != WITHDRAWN and (subscription.tabled or stage != TABLED)}
        return [record_id for record_id in record_ids if stages.get(record_id) in wanted]

    def _stages(self, record_ids: Sequence[str]) -> dict[str, str]:
        """Each stored record's status, by id."""
        rows = self.store.db.execute(
            "SELECT id, status, answer FROM questions WHERE id IN (SELECT value FROM json_each(?))",
            [json.dumps(list(record_ids))],
        )
        return {record_id: life_of(status, answer) for record_id, status, answer in rows}

    def owed(self, channel: str | None = None) -> list[Delivery]:
        """Deliveries not yet posted, oldest first, optionally for one channel; none for a held channel."""
        rows = self.store.db.execute(
            "SELECT deliveries.id, subscription_id, record_id FROM deliveries "
            "JOIN subscriptions ON subscriptions.id = deliveries.subscription_id "
            "WHERE posted_at IS NULL AND failed IS NULL AND problem IS NULL AND (? IS NULL OR channel = ?) "
            "ORDER BY deliveries.id",
            [channel, channel],
        ).fetchall()
        by_id = {subscription.id: subscription for subscription in self.all()}
        return [
            Delivery(delivery_id, by_id[subscription_id], record_id) for delivery_id, subscription_id, record_id in rows
        ]

    def drop(self, delivery_ids: Sequence[int], reason: str) -> None:
        """Owe these no more, with the reason: for answers whose topic no longer catches them."""
        self.store.db.execute(
            "UPDATE deliveries SET failed = ? WHERE id IN (SELECT value FROM json_each(?))",
            [reason, json.dumps(list(delivery_ids))],
        )

    def hold(self, channel: str, problem: str, now: datetime) -> None:
        """Slack refused the channel's digest for good: keep why, and post nothing there until resumed.

        What it is owed stays owed: nothing is lost while the channel is held.
        """
        stamped = f"{problem} ({now.isoformat(timespec='seconds')})"
        self.store.db.execute("UPDATE subscriptions SET problem = ? WHERE channel = ?", [stamped, channel])

    def resume(self, channel: str) -> int:
        """Try a held channel again: its problems cleared, what it is owed posted at the next scan."""
        with self.store.transaction():
            self.store.db.execute(
                "UPDATE deliveries SET failed = NULL "
                "WHERE subscription_id IN (SELECT id FROM subscriptions WHERE channel = ?)",
                [channel],
            )
            return self.store.db.execute(
                "UPDATE subscriptions SET problem = NULL WHERE channel = ? AND problem IS NOT NULL", [channel]
            ).rowcount

    def held_channels(self) -> set[str]:
        """Channels whose digests Slack refused for good, until someone resumes them."""
        rows = self.store.db.execute("SELECT DISTINCT channel FROM subscriptions WHERE problem IS NOT NULL")
        return {channel for (channel,) in rows}

    def weekly_posted(self, channel: str, week_starting: str) -> bool:
        """Whether this channel has had its digest for the week starting that day."""
        return bool(
            self.store.db.execute(
                "SELECT 1 FROM weekly_digests WHERE channel = ? AND week_starting = ?", [channel, week_starting]
            ).fetchall()
        )

    def mark_weekly_posted(self, channel: str, week_starting: str, now: datetime) -> None:
        """Note a channel's weekly digest as posted, so the week is never posted again."""
        stamp = now.isoformat(timespec="seconds")
        with self.store.transaction():
            self.store.db["weekly_digests"].insert(
                {"channel": channel, "week_starting": week_starting, "posted_at": stamp}
            )
            self.store.db.execute("UPDATE subscriptions SET last_digest_at = ? WHERE channel = ?", [stamp, channel])

    def _where(self, condition: str, params: list) -> list[Subscription]:
        """Subscriptions meeting a condition that is always a constant of this module."""
        cursor = self.store.db.execute(
            "SELECT id, channel, topic, created_by, created_at, last_digest_at, problem, tabled = 1 "
            f"FROM subscriptions WHERE {condition} ORDER BY id",
            params,
        )
        return [Subscription(*row[:-1], tabled=bool(row[-1])) for row in cursor]
