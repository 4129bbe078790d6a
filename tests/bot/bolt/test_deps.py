"""Listeners' dependencies: a seeded store, and a search engine of each thread's own."""

import threading

from bot.bolt.deps import Deps
from bot.settings import Settings
from store.db import QuestionStore


def test_from_settings_seeds_an_empty_store_at_once(tmp_path):
    """The store is filled with the bundled seeds when the app is built, not on the first question."""
    Deps.from_settings(Settings(db_path=tmp_path / "pq.db"))
    store = QuestionStore.open(tmp_path / "pq.db")
    assert store.count() == 5
    store.close()


def test_each_thread_has_its_own_engine_and_keeps_it(tmp_path):
    """Two threads never share an SQLite connection; one thread reuses its own."""
    deps = Deps.from_settings(Settings(db_path=tmp_path / "pq.db"))
    engines = []
    thread = threading.Thread(target=lambda: engines.append(deps.engine()))
    thread.start()
    thread.join()
    assert deps.engine() is deps.engine()
    assert deps.engine() is not engines[0]
    assert deps.store() is deps.engine().store
    assert deps.engine().search("EHC timeliness").hits
