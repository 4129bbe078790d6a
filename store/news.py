"""The outbox of news about answers channels already had: a holding answer answered, an answer corrected.

When a file moves a question's life on, every subscription that has been sent that question is
owed the news, in the same transaction as the change itself. A channel hears each piece of news
once, however many of its topics caught the question, and however often the file is dropped in.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from store.db import QuestionStore


@dataclass(frozen=True)
class Story:
    """News owed to one channel about one question: the stage it reached, and the news rows it settles."""

    channel: str
    record_id: str
    stage: str
    news_ids: tuple[int, ...]
    topics: tuple[str, ...]

    @property
    def key(self) -> str:
        """What makes this piece of news one: the same in a channel however many topics owe it."""
        return f"news:{self.record_id}:{self.stage}"


class News:
    """News rows in one store; use one per thread, like the store."""

    def __init__(self, store: QuestionStore):
        self.store = store

    def queue(self, moved_on: Sequence[tuple[str, str]], now: datetime) -> int:
        """Owe every subscription that has been sent a question the news of its life moving on; how many were owed.

        Call it inside the transaction that stored the change.
        """
        stamp, before = now.isoformat(timespec="seconds"), self.store.db.conn.total_changes
        for record_id, stage in moved_on:
            self.store.db.execute(
                "INSERT OR IGNORE INTO news (subscription_id, record_id, stage, queued_at) "
                "SELECT subscription_id, record_id, ?, ? FROM deliveries WHERE record_id = ? AND posted_at IS NOT NULL",
                [stage, stamp, record_id],
            )
        return self.store.db.conn.total_changes - before

    def owed(self, channel: str | None = None) -> list[Story]:
        """The news not yet posted, oldest first, one story per channel and question; none for a held channel."""
        rows = self.store.db.execute(
            "SELECT channel, record_id, stage, json_group_array(news.id), json_group_array(topic) FROM news "
            "JOIN subscriptions ON subscriptions.id = news.subscription_id "
            "WHERE posted_at IS NULL AND failed IS NULL AND problem IS NULL AND (? IS NULL OR channel = ?) "
            "GROUP BY channel, record_id, stage ORDER BY min(news.id)",
            [channel, channel],
        )
        return [
            Story(where, record_id, stage, tuple(json.loads(ids)), tuple(json.loads(topics)))
            for where, record_id, stage, ids, topics in rows
        ]

    def thread_of(self, story: Story) -> str | None:
        """The timestamp of the latest digest message in the channel that carried the question, if one is known."""
        row = self.store.db.execute(
            "SELECT digest_posts.ts FROM digest_posts, json_each(digest_posts.delivery_ids) AS carried "
            "JOIN deliveries ON deliveries.id = carried.value "
            "JOIN subscriptions ON subscriptions.id = deliveries.subscription_id "
            "WHERE digest_posts.channel = ? AND deliveries.record_id = ? AND digest_posts.ts IS NOT NULL "
            "AND subscriptions.channel = ? ORDER BY digest_posts.id DESC LIMIT 1",
            [story.channel, story.record_id, story.channel],
        ).fetchone()
        return row[0] if row else None

    def mark_posted(self, story: Story, now: datetime) -> None:
        """Slack has the story: every news row it settles is posted."""
        self.store.db.execute(
            "UPDATE news SET posted_at = ? WHERE id IN (SELECT value FROM json_each(?))",
            [now.isoformat(timespec="seconds"), json.dumps(list(story.news_ids))],
        )
