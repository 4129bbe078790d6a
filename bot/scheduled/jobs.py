"""pqbot's scheduled work as plain functions of `now`: fetching from Parliament, the inbox, new-answer
digests, the week's round-up and embedding new answers.

Each run opens its own store (the scheduler runs jobs on its own threads) and closes it after.
Slack's rate limits and server errors are retried by the Web API client itself (see
bot.bolt.app.with_retries); what Slack refuses for good, such as a channel pqbot may not post in or a
message it will not take, holds the channel's digests, with the reason shown in /pq subscriptions,
until someone resumes it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property

from slack_sdk import WebClient

from bot.compose.blocks import Message
from bot.compose.digests import DigestPart, TopicSection, digest_parts
from bot.compose.news import news_message
from bot.scheduled.posting import Accepted, HistoryUnreadable, NotInHistory, Poster, Refused, Unknown
from bot.settings import Settings
from store.db import QuestionStore, StoreBusy
from store.fetch.client import FetchError, ParliamentApi
from store.fetch.run import FetchReport, fetch
from store.inbox import Inbox, InboxReport
from store.job_runs import note_finished
from store.news import News
from store.posts import Posts
from store.search import SearchEngine, Synonyms
from store.semantic import SemanticIndex, shared_embedder
from store.subscriptions import Delivery, Subscription, Subscriptions

log = logging.getLogger(__name__)

# The scheduler's ids for the jobs whose last run is kept in the store, to be caught up after downtime.
FETCH_JOB = "fetch"
WEEKLY_DIGEST_JOB = "weekly-digest"
NEW_ANSWERS = "New answers"
THE_WEEK = "This week's answers"
WEEK = timedelta(days=7)
# One embedding run works for about this long, a batch at a time, and leaves the rest for the next.
EMBED_SECONDS = 30.0
EMBED_BATCH = 32
# Why an owed answer was dropped without a post: the record changed and its topic no longer catches it.
NO_LONGER_MATCHES = "no longer matches its topic"


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
            report = self.inbox.scan(subscriptions.store, now, on_saved=lambda counts: subscriptions.saved(counts, now))
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
        api = ParliamentApi(self.settings.api_url, concurrency=self.settings.fetch_concurrency)
        today = now.astimezone(self.settings.time_zone).date()
        with self.session() as subscriptions:
            try:
                report = fetch(api, self.settings.inbox, subscriptions.store, today=today)
            except FetchError:
                return None
            note_finished(subscriptions.store, FETCH_JOB, now)
            return report

    def embed(self, now: datetime) -> int:
        """Embed answers that have no vector yet, a committed batch at a time, for about EMBED_SECONDS;
        returns how many. The model runs on one thread, so searches keep the other cores."""
        store = QuestionStore.open(self.settings.db_path)
        try:
            done = SemanticIndex(store, shared_embedder()).embed_pending(batch=EMBED_BATCH, seconds=EMBED_SECONDS)
        except StoreBusy as error:
            log.info("Embedding waits for its next run: %s", error)
            return 0
        finally:
            store.close()
        if done:
            log.info("Embedded %d answers for search by meaning", done)
        return done

    def post_owed(self, subscriptions: Subscriptions, now: datetime) -> None:
        """Post every channel the answers it is owed, in as many messages as it takes.

        Each message's deliveries are marked posted only once Slack has accepted that message, and
        an attempt whose outcome a crash left unknown is looked for in the channel before anything
        is posted there again.
        """
        posts, news = Posts(subscriptions.store), News(subscriptions.store)
        channels = {delivery.subscription.channel for delivery in subscriptions.owed()}
        channels |= {attempt.channel for attempt in posts.unfinished()}
        channels |= {story.channel for story in news.owed()}
        for channel in sorted(channels - subscriptions.held_channels()):
            if self._settle_unfinished(posts, channel, now) and self._post_owed_to(subscriptions, posts, channel, now):
                self._post_news_to(subscriptions, posts, news, channel, now)

    def _post_owed_to(self, subscriptions: Subscriptions, posts: Posts, channel: str, now: datetime) -> bool:
        """Post the channel the new answers it is owed; True once every part is posted."""
        deliveries = subscriptions.owed(channel)
        sections = _sections(subscriptions.engine, deliveries)
        delivery_ids = {(delivery.subscription.id, delivery.record_id): delivery.id for delivery in deliveries}
        parts = digest_parts(NEW_ANSWERS, sections)
        shown = {key for part in parts for key in part.carried}
        subscriptions.drop([number for key, number in delivery_ids.items() if key not in shown], NO_LONGER_MATCHES)
        for part in parts:
            if not self._deliver(
                subscriptions, posts, channel, part.message, now, [delivery_ids[key] for key in part.carried]
            ):
                return False
        return True

    def _post_news_to(
        self, subscriptions: Subscriptions, posts: Posts, news: News, channel: str, now: datetime
    ) -> None:
        """Tell the channel each piece of news it is owed, once: in the thread of the digest that carried
        the answer where that message is known, else in the channel."""
        for story in news.owed(channel):
            record = subscriptions.store.get(story.record_id)
            if record is not None and not posts.part_posted(channel, story.key):
                message = news_message(record, story.stage, story.topics)
                if not self._deliver(
                    subscriptions, posts, channel, message, now, part_key=story.key, thread_ts=news.thread_of(story)
                ):
                    return
            news.mark_posted(story, now)

    def post_weekly(self, now: datetime) -> None:
        """Each subscribed channel's answers of the past week, once per channel and week, part by part."""
        week_starting = (now.astimezone(self.settings.time_zone) - WEEK).date().isoformat()
        with self.session() as subscriptions:
            posts, held = Posts(subscriptions.store), subscriptions.held_channels()
            for channel, sections in self.digests_since(subscriptions, now - WEEK, now).items():
                if channel in held or subscriptions.weekly_posted(channel, week_starting):
                    continue
                if self._settle_unfinished(posts, channel, now) and self._post_parts(
                    subscriptions, posts, channel, digest_parts(THE_WEEK, sections), f"weekly:{week_starting}", now
                ):
                    subscriptions.mark_weekly_posted(channel, week_starting, now)
            note_finished(subscriptions.store, WEEKLY_DIGEST_JOB, now)

    def _post_parts(
        self, subscriptions: Subscriptions, posts: Posts, channel: str, parts: list[DigestPart], key: str, now: datetime
    ) -> bool:
        """Post the parts of a round-up not yet in the channel, in order; True once all of them are."""
        for number, part in enumerate(parts, start=1):
            part_key = f"{key}:{number}"
            if not posts.part_posted(channel, part_key) and not self._deliver(
                subscriptions, posts, channel, part.message, now, part_key=part_key
            ):
                return False
        return True

    def _deliver(
        self,
        subscriptions: Subscriptions,
        posts: Posts,
        channel: str,
        message: Message,
        now: datetime,
        delivery_ids: Sequence[int] = (),
        part_key: str | None = None,
        thread_ts: str | None = None,
    ) -> bool:
        """Record the attempt, post the message (in the thread under thread_ts, if given), and settle the
        attempt by Slack's answer; True if posted."""
        attempt = posts.begin(channel, delivery_ids, now, part_key, thread_ts)
        match self.poster.post(channel, message, attempt.id, thread_ts):
            case Accepted(ts):
                posts.finish(attempt, ts, now)
                return True
            case Refused(code, permanent):
                posts.abandon(attempt)
                if permanent:
                    subscriptions.hold(channel, code, now)
        return False

    def _settle_unfinished(self, posts: Posts, channel: str, now: datetime) -> bool:
        """Settle the channel's attempts that a crash left open; False while one cannot be told yet."""
        for attempt in posts.unfinished(channel):
            match self.poster.find(
                channel, attempt.id, datetime.fromisoformat(attempt.attempted_at), attempt.thread_ts
            ):
                case Accepted(ts):
                    posts.finish(attempt, ts, now)
                case NotInHistory():
                    posts.abandon(attempt)
                case HistoryUnreadable(code):
                    log.warning(
                        "Cannot read %s's history (%s) to see whether an interrupted digest arrived; posting it again",
                        channel,
                        code,
                    )
                    posts.abandon(attempt)
                case Unknown():
                    return False
        return True

    def digests_since(
        self, subscriptions: Subscriptions, since: datetime, now: datetime, channel: str | None = None
    ) -> dict[str, list[TopicSection]]:
        """Per channel (or just one), the topics that caught answers first stored since `since`."""
        record_ids = subscriptions.store.ids_first_seen(since, now)
        wanted = [sub for sub in subscriptions.all() if channel is None or sub.channel == channel]
        digests: dict[str, list[TopicSection]] = {}
        for subscription in wanted:
            heard_of = subscriptions.heard_of(subscription, record_ids)
            hits = subscriptions.engine.matches(subscription.topic, heard_of) if heard_of else []
            if hits:
                digests.setdefault(subscription.channel, []).append(TopicSection(subscription, hits))
        return digests

    @cached_property
    def poster(self) -> Poster:
        """Posts digests through the jobs' Web API client."""
        return Poster(self.client)

    @contextmanager
    def session(self) -> Iterator[Subscriptions]:
        """Subscriptions over a store opened for one run, closed after it."""
        store = QuestionStore.open(self.settings.db_path)
        try:
            yield Subscriptions(store, SearchEngine(store, self.synonyms))
        finally:
            store.close()


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
