"""The scheduler serve runs: fixed job ids and options, and when each job next fires."""

from datetime import datetime
from zoneinfo import ZoneInfo

from slack_sdk import WebClient

from bot.scheduled.jobs import Jobs
from bot.scheduled.scheduler import (
    EMBED_INTERVAL_SECONDS,
    EMBED_JOB,
    FETCH_JOB,
    INBOX_JOB,
    WEEKLY_DIGEST_JOB,
    at_now,
    build_scheduler,
)
from bot.settings import Settings, TimeOfWeek
from store.search import Synonyms

LONDON = ZoneInfo("Europe/London")


def scheduler_for(tmp_path, **settings):
    settings = Settings(db_path=tmp_path / "pq.db", **settings)
    return build_scheduler(settings, Jobs(settings, WebClient(token="xoxb-test"), Synonyms.load()))


def test_jobs_have_fixed_ids_and_never_pile_up(tmp_path):
    """Each job has its id, runs one at a time, and coalesces missed runs into one."""
    jobs = {job.id: job for job in scheduler_for(tmp_path).get_jobs()}
    assert set(jobs) == {INBOX_JOB, WEEKLY_DIGEST_JOB, FETCH_JOB, EMBED_JOB}
    for job in jobs.values():
        assert (job.coalesce, job.max_instances) == (True, 1)
        assert job.misfire_grace_time > 0


def test_the_inbox_is_scanned_every_interval(tmp_path):
    """PQBOT_INBOX_INTERVAL seconds apart."""
    job = scheduler_for(tmp_path, inbox_interval=90).get_job(INBOX_JOB)
    now = datetime(2025, 3, 3, 9, 0, tzinfo=LONDON)
    fire = job.trigger.get_next_fire_time(None, now)
    assert (job.trigger.get_next_fire_time(fire, fire) - fire).total_seconds() == 90


def test_the_weekly_digest_fires_on_its_day_and_hour_in_london_time(tmp_path):
    """Monday 09:00 Europe/London, across the change to summer time."""
    job = scheduler_for(tmp_path).get_job(WEEKLY_DIGEST_JOB)
    saturday_before_clocks_change = datetime(2025, 3, 29, 12, 0, tzinfo=LONDON)
    fire = job.trigger.get_next_fire_time(None, saturday_before_clocks_change)
    assert fire == datetime(2025, 3, 31, 9, 0, tzinfo=LONDON)
    assert fire.utcoffset().total_seconds() == 3600


def test_the_weekly_digest_follows_its_settings_or_is_off(tmp_path):
    """PQBOT_WEEKLY_DIGEST picks the day and time; off removes the job."""
    job = scheduler_for(tmp_path, weekly_digest=TimeOfWeek("fri", 17, 30)).get_job(WEEKLY_DIGEST_JOB)
    fire = job.trigger.get_next_fire_time(None, datetime(2025, 3, 3, 9, 0, tzinfo=LONDON))
    assert fire == datetime(2025, 3, 7, 17, 30, tzinfo=LONDON)
    assert scheduler_for(tmp_path, weekly_digest=None).get_job(WEEKLY_DIGEST_JOB) is None


def test_the_fetch_runs_daily_at_its_time_or_is_off(tmp_path):
    """PQBOT_FETCH: every day at 07:00 London time by default; off removes the job."""
    job = scheduler_for(tmp_path).get_job(FETCH_JOB)
    fire = job.trigger.get_next_fire_time(None, datetime(2025, 3, 3, 9, 0, tzinfo=LONDON))
    assert fire == datetime(2025, 3, 4, 7, 0, tzinfo=LONDON)
    assert scheduler_for(tmp_path, daily_fetch=None).get_job(FETCH_JOB) is None


def test_embedding_runs_every_minute_or_is_off(tmp_path):
    """New answers are embedded in the background unless PQBOT_EMBED is off."""
    job = scheduler_for(tmp_path).get_job(EMBED_JOB)
    now = datetime(2025, 3, 3, 9, 0, tzinfo=LONDON)
    fire = job.trigger.get_next_fire_time(None, now)
    assert (job.trigger.get_next_fire_time(fire, fire) - fire).total_seconds() == EMBED_INTERVAL_SECONDS
    assert scheduler_for(tmp_path, embed=False).get_job(EMBED_JOB) is None


def test_a_job_body_is_given_the_time_it_runs():
    """Job bodies take now; the scheduler calls them with the current, timezone-aware time."""
    seen = []
    at_now(seen.append)()
    assert seen[0].tzinfo is not None
