"""What listeners need besides Bolt's own arguments: a search engine for the thread they run in."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from slack_bolt import Respond

from bot.compose.messages import failure_message
from bot.settings import Settings
from store.db import QuestionStore
from store.fetch.client import ParliamentApi
from store.links import LinkedQuestions
from store.search import SearchEngine, Synonyms
from store.seeding import ensure_seeded
from store.subscriptions import Subscriptions

logger = logging.getLogger(__name__)

# Searches run in a pool of their own, a thread per core (at least two): SQLite does their work
# outside the GIL, and Bolt's own threads stay free to acknowledge Slack within its 3 seconds.
SEARCH_THREADS = max(2, os.cpu_count() or 2)
# A pasted link waits on the Written Questions API for at most this long (per try, two tries).
LOOKUP_TIMEOUT_SECONDS = 10.0
LOOKUP_TRIES = 2
# How long a warming task waits for the others to start before it warms its thread alone.
WARM_WAIT_SECONDS = 30


class Deps:
    """Each thread's own store and search engine, opened on the thread's first question.

    Bolt runs listeners in a pool of threads, and an SQLite connection must stay in its thread.
    """

    def __init__(self, db_path: Path, synonyms: Synonyms, parliament: ParliamentApi | None = None):
        """Engines over the store at db_path; the synonyms, and the API client that looks up pasted
        links (thread-safe), are shared by the threads."""
        self._db_path = db_path
        self._synonyms = synonyms
        self._parliament = parliament
        self._local = threading.local()
        self._searches = ThreadPoolExecutor(SEARCH_THREADS, thread_name_prefix="pqbot-search")

    @classmethod
    def from_settings(cls, settings: Settings) -> Deps:
        """Read the synonyms and seed an empty store now, at start, so that mistakes show at once."""
        store = QuestionStore.open(settings.db_path)
        try:
            if ensure_seeded(store):
                logger.info("New store at %s: added the bundled example answers", store.path)
        finally:
            store.close()
        parliament = ParliamentApi(settings.api_url, timeout=LOOKUP_TIMEOUT_SECONDS, tries=LOOKUP_TRIES)
        return cls(settings.db_path, Synonyms.load(settings.synonyms_path), parliament)

    def in_background(self, work: Callable[[], None], respond: Respond | None = None) -> None:
        """Run slow work (a search and its reply) in the search pool, after the listener has acked.

        A failure there is logged with its traceback and, given the request's respond, told to the
        person privately, as Bolt's error handler does for a failure in the listener itself.
        """

        def run() -> None:
            try:
                work()
            except Exception:
                logger.exception("pqbot failed to answer a request")
                if respond is not None:
                    respond(response_type="ephemeral", replace_original=False, **failure_message())

        self._searches.submit(run)

    def warm(self) -> list[Future[str]]:
        """Warm every search thread's engine in the background (SearchEngine.warm), so that the first
        questions after a start are as quick as any; the futures give each warmed thread's name.

        A barrier holds each task until all have started, so that each runs in a thread of its own.
        """
        everyone = threading.Barrier(SEARCH_THREADS)

        def warm_this_thread() -> str:
            try:
                everyone.wait(WARM_WAIT_SECONDS)
            except threading.BrokenBarrierError:
                logger.info("Search threads busy at start: warming this one alone")
            self.engine().warm()
            return threading.current_thread().name

        return [self._searches.submit(warm_this_thread) for _ in range(SEARCH_THREADS)]

    def engine(self) -> SearchEngine:
        """This thread's search engine over the store."""
        engine = getattr(self._local, "engine", None)
        if engine is None:
            engine = self._local.engine = SearchEngine(QuestionStore.open(self._db_path), self._synonyms)
        return engine

    def store(self) -> QuestionStore:
        """This thread's store."""
        return self.engine().store

    def subscriptions(self) -> Subscriptions:
        """Every channel's subscriptions, in this thread's store."""
        return Subscriptions(self.store(), self.engine())

    def linked_questions(self) -> LinkedQuestions:
        """What pasted links name, looked up in the API when missing and owed, once stored, to the
        subscriptions they match, as any new answer is."""
        subscriptions = self.subscriptions()
        return LinkedQuestions(
            self.store(), self._parliament, on_saved=lambda counts: subscriptions.saved(counts, datetime.now(UTC))
        )
