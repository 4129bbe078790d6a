"""pqbot's scheduled work as plain functions of `now`: fetching from Parliament, the inbox, new-answer
digests and the week's round-up.

Each run opens its own store (the scheduler runs jobs on its own threads) and closes it after.
Slack's rate limits and server errors are retried by the Web API client itself (see
bot.app.with_retries); what Slack refuses for good, such as a channel pqbot may not post in, is
recorded on the subscriptions and not tried again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from itertools import groupby

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks import Message
from bot.digests import TopicSection, digest_message
from bot.settings import Settings
from store.db import QuestionStore
from store.fetch import FetchError, FetchReport, ParliamentApi, fetch
from store.inbox import Inbox, InboxReport
from store.search import SearchEngine, Synonyms
from store.subscriptions import Delivery, Subscription, Subscriptions

log = logging.getLogger(__name__)

NEW_ANSWERS = "New answers"
THE_WEEK = "This week's answers"
WEEK = timedelta(days=7)
# Slack's errors that trying again will not mend: the channel is gone, or pqbot may not post there.
REFUSALS = frozenset({"not_in_channel", "channel_not_found", "is_archived", "restricted_action"})


@dataclass(frozen=True)
class Jobs:
    """The scheduled jobs, sharing settings, synonyms and the Slack Web API client."""

    settings: Settings
    client: WebClient
    synonyms: Synonyms

    def scan_inbox(self, now: datetime) -> InboxReport:
        """Ingest the inbox's finished files (owing new answers to the topics that catch them,
        in the same transaction), then post every channel the digest it is owed."""
        with self.session() as subscriptions:
            report = self.inbox.scan(subscriptions.store, now, on_new=lambda ids: subscriptions.queue(ids, now))
            if report.done or report.failures:
                log.info("Inbox: %d files done, %d failed: %s", len(report.done), len(report.failures), report.counts)
            self.post_owed(subscriptions, now)
        return report

    @cached_property
    def inbox(self) -> Inbox:
        """The one Inbox every scan shares, so what it ignores is logged once, not every scan."""
        return Inbox(self.settings.inbox, self.settings.max_file_bytes)

    def fetch_answers(self, now: datetime) -> FetchReport | None:
        """Fetch the answers given since the last fetch from Parliament into the inbox, whose own job
        ingests them. A failed run (already logged by fetch) leaves the inbox as it was and is
        tried again next time."""
        api = ParliamentApi(self.settings.api_url)
        today = now.astimezone(self.settings.time_zone).date()
        with self.session() as subscriptions:
            try:
                return fetch(api, self.settings.inbox, subscriptions.store, today=today)
            except FetchError:
                return None

    def post_owed(self, subscriptions: Subscriptions, now: datetime) -> None:
        """One digest per channel of the answers it is owed; marked posted only once Slack has it."""
        owed = subscriptions.owed()
        for channel, deliveries in groupby(sorted(owed, key=_channel), key=_channel):
            deliveries = list(deliveries)
            sections = _sections(subscriptions.engine, deliveries)
            refusal = self.post(channel, digest_message(NEW_ANSWERS, sections)) if sections else None
            if refusal is None:
                subscriptions.mark_posted(deliveries, now)
            elif refusal in REFUSALS:
                subscriptions.mark_failed(deliveries, refusal, now)

    def post_weekly(self, now: datetime) -> None:
        """Each subscribed channel's answers of the past week, once per channel and week."""
        week_starting = (now.astimezone(self.settings.time_zone) - WEEK).date().isoformat()
        with self.session() as subscriptions:
            for channel, sections in self.digests_since(subscriptions, now - WEEK, now).items():
                if subscriptions.weekly_posted(channel, week_starting):
                    continue
                refusal = self.post(channel, digest_message(THE_WEEK, sections))
                if refusal is None:
                    subscriptions.mark_weekly_posted(channel, week_starting, now)
                elif refusal in REFUSALS:
                    subscriptions.note_problem([topic.subscription for topic in sections], refusal, now)

    def digests_since(
        self, subscriptions: Subscriptions, since: datetime, now: datetime, channel: str | None = None
    ) -> dict[str, list[TopicSection]]:
        """Per channel (or just one), the topics that caught answers first stored since `since`."""
        record_ids = subscriptions.store.ids_first_seen(since, now)
        wanted = [sub for sub in subscriptions.all() if channel is None or sub.channel == channel]
        digests: dict[str, list[TopicSection]] = {}
        for subscription in wanted:
            hits = subscriptions.engine.matches(subscription.topic, record_ids) if record_ids else []
            if hits:
                digests.setdefault(subscription.channel, []).append(TopicSection(subscription, hits))
        return digests

    def post(self, channel: str, message: Message) -> str | None:
        """Post a message to a channel; None once Slack has it, else Slack's error code."""
        try:
            self.client.chat_postMessage(channel=channel, unfurl_links=False, unfurl_media=False, **message)
        except SlackApiError as error:
            code = error.response.get("error", "unknown_error")
            log.warning("Slack refused a digest for %s: %s", channel, code)
            return code
        return None

    @contextmanager
    def session(self) -> Iterator[Subscriptions]:
        """Subscriptions over a store opened for one run, closed after it."""
        store = QuestionStore.open(self.settings.db_path)
        try:
            yield Subscriptions(store, SearchEngine(store, self.synonyms))
        finally:
            store.close()


def _channel(delivery: Delivery) -> str:
    return delivery.subscription.channel


def _sections(engine: SearchEngine, deliveries: list[Delivery]) -> list[TopicSection]:
    """The owed answers by topic, each topic's best first, with snippets."""
    by_subscription: dict[int, tuple[Subscription, list[str]]] = {}
    for delivery in deliveries:
        by_subscription.setdefault(delivery.subscription.id, (delivery.subscription, []))[1].append(delivery.record_id)
    sections = []
    for subscription, record_ids in by_subscription.values():
        hits = engine.matches(subscription.topic, record_ids)
        if hits:
            sections.append(TopicSection(subscription, hits))
    return sections
