"""Embedding for search by meaning, as people start it: `pqbot embed` on a small store, and the
background job run by the real scheduler that `pqbot serve` starts."""

import threading
from datetime import UTC, datetime

import pytest
from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED
from click.testing import CliRunner
from conftest import DATA
from slack_sdk import WebClient

from bot.cli import cli
from bot.scheduled.jobs import Jobs
from bot.scheduled.scheduler import EMBED_JOB, build_scheduler
from bot.settings import Settings
from store.db import QuestionStore
from store.ingest import ingest_paths
from store.search import Synonyms
from store.seeding import ensure_seeded
from store.semantic import SemanticIndex

WAIT_SECONDS = 60


@pytest.fixture
def db_path(tmp_path):
    """A store of the bundled seeds and the real sample API answers, none of them embedded."""
    path = tmp_path / "pq.db"
    store = QuestionStore.open(path)
    ensure_seeded(store)
    ingest_paths(store, [DATA / "api"])
    store.close()
    return path


def embedded_and_pending(path) -> tuple[int, int]:
    store = QuestionStore.open(path)
    try:
        index = SemanticIndex(store)
        return index.embedded_count(), index.pending_count()
    finally:
        store.close()


def test_pqbot_embed_embeds_what_is_pending_and_says_so(db_path):
    """A limited run embeds that many; the next carries on; then there is nothing left to do."""
    runner = CliRunner()
    env = {"PQBOT_DB": str(db_path), "PQBOT_LOG_LEVEL": ""}
    total = sum(embedded_and_pending(db_path))
    first = runner.invoke(cli, ["embed", "--limit", "3", "--batch", "2"], env=env, catch_exceptions=False)
    assert first.exit_code == 0
    assert first.stdout == f"Embedded 3 answers; {total - 3} still to embed, 3 embedded.\n"
    rest = runner.invoke(cli, ["embed"], env=env, catch_exceptions=False)
    assert rest.stdout == f"Embedded {total - 3} answers; 0 still to embed, {total} embedded.\n"
    assert embedded_and_pending(db_path) == (total, 0)


def test_pqbot_embed_refuses_a_batch_of_nothing(db_path):
    result = CliRunner().invoke(cli, ["embed", "--batch", "0"], env={"PQBOT_DB": str(db_path)})
    assert result.exit_code == 2 and "--batch" in result.output


def test_the_scheduler_embeds_new_answers_in_the_background(db_path):
    """The embed job, run by the scheduler pqbot serve starts, embeds every pending answer."""
    settings = Settings(db_path=db_path, inbox_interval=3600, weekly_digest=None, daily_fetch=None)
    scheduler = build_scheduler(settings, Jobs(settings, WebClient(token="xoxb-test"), Synonyms.load()))
    ran, events = threading.Event(), []
    scheduler.add_listener(lambda event: (events.append(event), ran.set()), EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
    scheduler.start()
    try:
        scheduler.get_job(EMBED_JOB).modify(next_run_time=datetime.now(UTC))
        assert ran.wait(WAIT_SECONDS)
    finally:
        scheduler.shutdown()
    [event] = events
    assert event.job_id == EMBED_JOB and event.exception is None
    embedded, pending = embedded_and_pending(db_path)
    assert embedded > 0 and pending == 0
