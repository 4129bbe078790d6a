"""Catching up at start, as `pqbot serve` does: the real scheduler beside the served app, a stand-in
Slack and a stand-in Parliament, and the runs missed while pqbot was down made at once, once."""

from contextlib import closing, contextmanager
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from block_kit import sections
from parliament_api_stand_in import ParliamentApiStandIn
from slack_stand_in import WAIT_SECONDS, SlackStandIn

from bot.scheduled.jobs import FETCH_JOB, WEEKLY_DIGEST_JOB
from bot.scheduled.scheduler import catch_up
from bot.settings import TimeOfWeek
from scheduled.test_serve_digests import POST, Served
from store.db import QuestionStore
from store.job_runs import last_finished

LONDON = ZoneInfo("Europe/London")
LONDON_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@contextmanager
def serving(tmp_path, parliament: ParliamentApiStandIn | None = None, **settings):
    """pqbot served over a store and inbox in tmp_path, its scheduler started, nothing caught up yet."""
    settings = {"inbox": tmp_path / "inbox", "inbox_interval": 3600, "daily_fetch": None} | settings
    if parliament:
        settings |= {"api_url": parliament.url, "daily_fetch": (7, 0)}
    with SlackStandIn.running(tmp_path / "pq.db", **settings) as slack:
        served = Served(slack)
        try:
            yield served
        finally:
            served.scheduler.shutdown()


def caught_up(served: Served) -> list[str]:
    """Catch up as serve does at start, and wait until every job it ran has run cleanly."""
    missed = catch_up(served.scheduler, served.slack.settings, datetime.now(UTC))
    with served.ran:
        assert served.ran.wait_for(lambda: {event.job_id for event in served.runs} >= set(missed), WAIT_SECONDS)
    assert all(event.exception is None for event in served.runs)
    return missed


def weekly_at(moment: datetime) -> TimeOfWeek:
    """A weekly digest time that falls at this moment, London time."""
    london = moment.astimezone(LONDON)
    return TimeOfWeek(LONDON_DAYS[london.weekday()], london.hour, london.minute)


def finished(served: Served, job: str) -> datetime | None:
    """When the job last ran to the end, as the store says."""
    with closing(QuestionStore.open(served.slack.settings.db_path)) as store:
        return last_finished(store, job)


def test_serve_on_a_new_store_fetches_the_past_week_at_once_and_not_again_after_a_restart(tmp_path):
    """Started after the day's fetch time with no fetch ever made, serve fetches at once from a week back;
    restarted, with that fetch made, it fetches nothing until the next one is due."""
    with closing(ParliamentApiStandIn()) as parliament:
        with serving(tmp_path, parliament) as served:
            assert caught_up(served) == [FETCH_JOB]
            today = datetime.now(served.slack.settings.time_zone).date()
            assert parliament.received(answeredWhenFrom=str(today - timedelta(days=7)))
            assert finished(served, FETCH_JOB) is not None
        asked = len(parliament.requests)
        with serving(tmp_path, parliament) as restarted:
            assert caught_up(restarted) == []
        assert len(parliament.requests) == asked


def test_a_weekly_round_up_missed_within_the_grace_period_is_posted_on_start_once(tmp_path):
    """The round-up was due an hour ago while pqbot was down: posted at start, and not again after a restart."""
    an_hour_ago = weekly_at(datetime.now(UTC) - timedelta(hours=1))
    with serving(tmp_path, weekly_digest=an_hour_ago) as served:
        served.pq("subscribe EHC plans", "CSEND", "subscribe")
        served.drop_answers("answers.json")
        served.scan_inbox_now()
        assert caught_up(served) == [WEEKLY_DIGEST_JOB]
        new_answers, week = served.slack.received(POST, channel="CSEND")
        assert week.body["blocks"][0]["text"]["text"] == "This week's answers"
        assert sections(week.body)[0].startswith("*EHC plans* · ")
    with serving(tmp_path, weekly_digest=an_hour_ago) as restarted:
        assert caught_up(restarted) == []
        restarted.scan_inbox_now()
        assert len(restarted.slack.received(POST, channel="CSEND")) == 0


def test_a_weekly_round_up_missed_by_more_than_a_day_is_left_for_next_week(tmp_path):
    """Due two days before pqbot started: too late to be this week's news, so nothing is posted."""
    two_days_ago = weekly_at(datetime.now(UTC) - timedelta(days=2))
    with serving(tmp_path, weekly_digest=two_days_ago) as served:
        served.pq("subscribe EHC plans", "CSEND", "subscribe")
        assert caught_up(served) == []
