"""What listeners need besides Bolt's own arguments: a search engine for the thread they run in."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from slack_bolt import Respond

from bot.compose.messages import failure_message
from bot.settings import Settings
from store.db import QuestionStore
from store.search import SearchEngine, Synonyms
from store.seeding import ensure_seeded

logger = logging.getLogger(__name__)

# Searches run in a pool of their own, a thread per core (at least two): SQLite does their work
# outside the GIL, and Bolt's own threads stay free to acknowledge Slack within its 3 seconds.
SEARCH_THREADS = max(2, os.cpu_count() or 2)


class Deps:
    """Each thread's own store and search engine, opened on the thread's first question.

    Bolt runs listeners in a pool of threads, and an SQLite connection must stay in its thread.
    """

    def __init__(self, db_path: Path, synonyms: Synonyms):
        """Engines over the store at db_path; the synonyms are read-only, so threads share them."""
        self._db_path = db_path
        self._synonyms = synonyms
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
        return cls(settings.db_path, Synonyms.load(settings.synonyms_path))

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

    def engine(self) -> SearchEngine:
        """This thread's search engine over the store."""
        engine = getattr(self._local, "engine", None)
        if engine is None:
            engine = self._local.engine = SearchEngine(QuestionStore.open(self._db_path), self._synonyms)
        return engine

    def store(self) -> QuestionStore:
        """This thread's store."""
        return self.engine().store
