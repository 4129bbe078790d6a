"""The ledger of digest messages: each attempt recorded before it is made, and finished once Slack has it.

With the deliveries it carries marked in the same transaction as the message, a digest is never
marked sent unless Slack accepted it; and an attempt left unfinished by a crash is looked up in
the channel's history (by the id Slack keeps in the message's metadata) before it is made again.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from store.db import QuestionStore


@dataclass(frozen=True)
class Attempt:
    """A digest message pqbot set out to post: its ledger id, channel, and the deliveries it carries."""

    id: int
    channel: str
    delivery_ids: tuple[int, ...]
    attempted_at: str
    part_key: str | None = None
    thread_ts: str | None = None


class Posts:
    """Digest attempts in one store; use one per thread, like the store."""

    def __init__(self, store: QuestionStore):
        self.store = store

    def begin(
        self,
        channel: str,
        delivery_ids: Sequence[int],
        now: datetime,
        part_key: str | None = None,
        thread_ts: str | None = None,
    ) -> Attempt:
        """Record, before posting, that this message (a reply under thread_ts, if given) is about to be
        posted; its id goes in the metadata."""
        stamp = now.isoformat(timespec="seconds")
        cursor = self.store.db.execute(
            "INSERT INTO digest_posts (channel, part_key, delivery_ids, attempted_at, thread_ts) "
            "VALUES (?, ?, ?, ?, ?)",
            [channel, part_key, json.dumps(list(delivery_ids)), stamp, thread_ts],
        )
        return Attempt(cursor.lastrowid, channel, tuple(delivery_ids), stamp, part_key, thread_ts)

    def finish(self, attempt: Attempt, ts: str | None, now: datetime) -> None:
        """Slack has the message: note it, and mark its deliveries posted, in one transaction."""
        stamp, carried = now.isoformat(timespec="seconds"), json.dumps(list(attempt.delivery_ids))
        with self.store.transaction():
            self.store.db.execute("UPDATE digest_posts SET ts = ?, posted_at = ? WHERE id = ?", [ts, stamp, attempt.id])
            self.store.db.execute(
                "UPDATE deliveries SET posted_at = ? WHERE id IN (SELECT value FROM json_each(?))", [stamp, carried]
            )
            self.store.db.execute(
                "UPDATE subscriptions SET last_digest_at = ? WHERE id IN "
                "(SELECT subscription_id FROM deliveries WHERE id IN (SELECT value FROM json_each(?)))",
                [stamp, carried],
            )

    def abandon(self, attempt: Attempt) -> None:
        """Slack surely does not have the message (it said no): forget the attempt; its deliveries stay owed."""
        self.store.db.execute("DELETE FROM digest_posts WHERE id = ? AND posted_at IS NULL", [attempt.id])

    def unfinished(self, channel: str | None = None) -> list[Attempt]:
        """Attempts whose outcome is unknown, oldest first, for one channel or all."""
        rows = self.store.db.execute(
            "SELECT id, channel, delivery_ids, attempted_at, part_key, thread_ts FROM digest_posts "
            "WHERE posted_at IS NULL AND (? IS NULL OR channel = ?) ORDER BY id",
            [channel, channel],
        )
        return [
            Attempt(post_id, where, tuple(json.loads(ids)), attempted_at, part_key, thread_ts)
            for post_id, where, ids, attempted_at, part_key, thread_ts in rows
        ]

    def part_posted(self, channel: str, part_key: str) -> bool:
        """Whether this part of a round-up (say, the second message of a week's) has reached the channel."""
        row = self.store.db.execute(
            "SELECT 1 FROM digest_posts WHERE channel = ? AND part_key = ? AND posted_at IS NOT NULL",
            [channel, part_key],
        ).fetchone()
        return row is not None
