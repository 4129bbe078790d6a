"""The APScheduler that `pqbot serve` runs beside the Slack app: the inbox, the weekly digest, the
daily fetch from Parliament and embedding new answers for search by meaning."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timezone

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.jobs import Jobs
from bot.settings import Settings

log = logging.getLogger(__name__)

INBOX_JOB = "inbox"
WEEKLY_DIGEST_JOB = "weekly-digest"
FETCH_JOB = "fetch"
EMBED_JOB = "embed"
# How often the embedding job looks for answers without a vector (each run is bounded: see Jobs.embed).
EMBED_INTERVAL_SECONDS = 60
# A daily fetch that could not run on time still runs within this long.
FETCH_GRACE_SECONDS = 6 * 60 * 60
# A weekly digest that could not run on time (pqbot was down) still runs within this long.
WEEKLY_GRACE_SECONDS = 6 * 60 * 60


def build_scheduler(settings: Settings, jobs: Jobs) -> BackgroundScheduler:
    """A scheduler, not yet started, holding pqbot's jobs under fixed ids.

    Missed runs are coalesced into one and a job never overlaps itself, so a slow inbox scan or
    a restart cannot post the same digest twice.
    """
    zone = settings.time_zone
    scheduler = BackgroundScheduler(timezone=zone)
    trigger = IntervalTrigger(seconds=settings.inbox_interval, timezone=zone)
    _add(scheduler, jobs.scan_inbox, trigger, INBOX_JOB, "ingest the inbox and post digests", settings.inbox_interval)
    if when := settings.weekly_digest:
        trigger = CronTrigger(day_of_week=when.day, hour=when.hour, minute=when.minute, timezone=zone)
        _add(scheduler, jobs.post_weekly, trigger, WEEKLY_DIGEST_JOB, "post the weekly digests", WEEKLY_GRACE_SECONDS)
    if settings.daily_fetch:
        hour, minute = settings.daily_fetch
        trigger = CronTrigger(hour=hour, minute=minute, timezone=zone)
        _add(scheduler, jobs.fetch_answers, trigger, FETCH_JOB, "fetch new answers from Parliament", FETCH_GRACE_SECONDS)
    if settings.embed:
        trigger = IntervalTrigger(seconds=EMBED_INTERVAL_SECONDS, timezone=zone)
        _add(scheduler, jobs.embed, trigger, EMBED_JOB, "embed new answers for search by meaning", EMBED_INTERVAL_SECONDS)
    return scheduler


def _add(
    scheduler: BackgroundScheduler,
    body: Callable[[datetime], object],
    trigger: BaseTrigger,
    job_id: str,
    name: str,
    grace_seconds: int,
) -> None:
    """Add a job under a fixed id, replacing any of that id, never overlapping itself, and with
    missed runs coalesced into one that still runs within grace_seconds."""
    scheduler.add_job(
        at_now(body),
        trigger,
        id=job_id,
        name=name,
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=grace_seconds,
    )


def at_now(job: Callable[[datetime], object]) -> Callable[[], None]:
    """A job body that takes `now` (so tests can fix it), run with the time it is actually run."""

    def run() -> None:
        job(datetime.now(timezone.utc))

    run.__name__ = getattr(job, "__name__", "job")
    return run
