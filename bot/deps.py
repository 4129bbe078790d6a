"""What listeners need besides Bolt's own arguments: a search engine for the thread they run in."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from bot.settings import Settings
from store.db import QuestionStore
from store.search import SearchEngine, Synonyms
from store.seeding import ensure_seeded

logger = logging.getLogger(__name__)


class Deps:
    """Each thread's own store and search engine, opened on the thread's first question.

    Bolt runs listeners in a pool of threads, and an SQLite connection must stay in its thread.
    """

    def __init__(self, db_path: Path, synonyms: Synonyms):
        """Engines over the store at db_path; the synonyms are read-only, so threads share them."""
        self._db_path = db_path
        self._synonyms = synonyms
        self._local = threading.local()

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

    def engine(self) -> SearchEngine:
        """This thread's search engine over the store."""
        engine = getattr(self._local, "engine", None)
        if engine is None:
            engine = self._local.engine = SearchEngine(QuestionStore.open(self._db_path), self._synonyms)
        return engine

    def store(self) -> QuestionStore:
        """This thread's store."""
        return self.engine().store
