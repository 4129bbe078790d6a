"""Listeners' dependencies: a seeded store, and a search engine of each thread's own."""

import threading

from bot.bolt.deps import SEARCH_THREADS, Deps
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


def test_warming_reaches_every_search_thread_once_and_searches_still_answer(tmp_path):
    """Each of the pool's threads is warmed, each in a thread of its own; searches then run as ever."""
    deps = Deps.from_settings(Settings(db_path=tmp_path / "pq.db"))
    warmed = [future.result(timeout=60) for future in deps.warm()]
    assert len(warmed) == len(set(warmed)) == SEARCH_THREADS
    answered = []
    done = threading.Event()
    deps.in_background(lambda: (answered.append(deps.engine().search("EHC timeliness").hits), done.set()))
    assert done.wait(60) and answered[0]
