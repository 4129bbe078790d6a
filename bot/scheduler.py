"""The APScheduler that `pqbot serve` runs beside the Slack app: the inbox, the weekly digest and the
daily fetch from Parliament."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timezone

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.jobs import Jobs
from bot.settings import Settings

log = logging.getLogger(__name__)

INBOX_JOB = "inbox"
WEEKLY_DIGEST_JOB = "weekly-digest"
FETCH_JOB = "fetch"
# A daily fetch that could not run on time still runs within this long.
FETCH_GRACE_SECONDS = 6 * 60 * 60
# A weekly digest that could not run on time (pqbot was down) still runs within this long.
WEEKLY_GRACE_SECONDS = 6 * 60 * 60


def build_scheduler(settings: Settings, jobs: Jobs) -> BackgroundScheduler:
    """A scheduler, not yet started, holding pqbot's jobs under fixed ids.

    Missed runs are coalesced into one and a job never overlaps itself, so a slow inbox scan or
    a restart cannot post the same digest twice.
    """
    scheduler = BackgroundScheduler(timezone=settings.time_zone)
    scheduler.add_job(
        at_now(jobs.scan_inbox),
        IntervalTrigger(seconds=settings.inbox_interval, timezone=settings.time_zone),
        id=INBOX_JOB,
        name="ingest the inbox and post digests",
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=settings.inbox_interval,
    )
    if settings.weekly_digest:
        when = settings.weekly_digest
        scheduler.add_job(
            at_now(jobs.post_weekly),
            CronTrigger(day_of_week=when.day, hour=when.hour, minute=when.minute, timezone=settings.time_zone),
            id=WEEKLY_DIGEST_JOB,
            name="post the weekly digests",
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=WEEKLY_GRACE_SECONDS,
        )
    if settings.daily_fetch:
        hour, minute = settings.daily_fetch
        scheduler.add_job(
            at_now(jobs.fetch_answers),
            CronTrigger(hour=hour, minute=minute, timezone=settings.time_zone),
            id=FETCH_JOB,
            name="fetch new answers from Parliament",
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=FETCH_GRACE_SECONDS,
        )
    return scheduler


def at_now(job: Callable[[datetime], object]) -> Callable[[], None]:
    """A job body that takes `now` (so tests can fix it), run with the time it is actually run."""

    def run() -> None:
        job(datetime.now(timezone.utc))

    run.__name__ = getattr(job, "__name__", "job")
    return run
