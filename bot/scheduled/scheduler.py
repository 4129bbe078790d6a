"""The APScheduler that `pqbot serve` runs beside the Slack app: the inbox, the weekly digest, the
daily fetch from Parliament, embedding new answers for search by meaning, and catching up at start
on the runs missed while pqbot was down."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.scheduled.jobs import FETCH_JOB, WEEKLY_DIGEST_JOB, Jobs
from bot.settings import Settings
from store.db import QuestionStore
from store.job_runs import last_finished

log = logging.getLogger(__name__)

INBOX_JOB = "inbox"
EMBED_JOB = "embed"
# How often the embedding job looks for answers without a vector (each run is bounded: see Jobs.embed).
EMBED_INTERVAL_SECONDS = 60
# A daily fetch that could not run on time still runs within this long.
FETCH_GRACE_SECONDS = 6 * 60 * 60
# A weekly digest that could not run on time (pqbot was busy, or down) still runs within this long.
WEEKLY_GRACE_SECONDS = 24 * 60 * 60
# How far back catching up looks for the time a job was due.
CATCH_UP_LOOKBACK = timedelta(days=8)


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
        _add(
            scheduler, jobs.fetch_answers, trigger, FETCH_JOB, "fetch new answers from Parliament", FETCH_GRACE_SECONDS
        )
    if settings.embed:
        trigger = IntervalTrigger(seconds=EMBED_INTERVAL_SECONDS, timezone=zone)
        _add(
            scheduler, jobs.embed, trigger, EMBED_JOB, "embed new answers for search by meaning", EMBED_INTERVAL_SECONDS
        )
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
        job(datetime.now(UTC))

    run.__name__ = getattr(job, "__name__", "job")
    return run


def catch_up(scheduler: BackgroundScheduler, settings: Settings, now: datetime) -> list[str]:
    """Run at once, on the started scheduler, each job missed since it last ran: the ids of those run.

    The fetch is missed when it last finished (in this store) before the time it was last due, or
    never has: so a new store fetches the past week at once. The weekly digest is caught up only
    within WEEKLY_GRACE_SECONDS of the time it was due; each channel still gets each week once.
    """
    store = QuestionStore.open(settings.db_path)
    try:
        finished = {job_id: last_finished(store, job_id) for job_id in (FETCH_JOB, WEEKLY_DIGEST_JOB)}
    finally:
        store.close()
    graces = {FETCH_JOB: None, WEEKLY_DIGEST_JOB: timedelta(seconds=WEEKLY_GRACE_SECONDS)}
    missed = []
    for job_id, grace in graces.items():
        job = scheduler.get_job(job_id)
        due = job and last_due(job.trigger, now)
        if due and (grace is None or now - due <= grace) and (finished[job_id] is None or finished[job_id] < due):
            log.info("Catching up: %s was due at %s and has not run since", job.name, due)
            job.modify(next_run_time=now)
            missed.append(job_id)
    return missed


def last_due(trigger: BaseTrigger, now: datetime) -> datetime | None:
    """The last time at or before now that the trigger fired (or would have), within CATCH_UP_LOOKBACK."""
    due, fire = None, trigger.get_next_fire_time(None, now - CATCH_UP_LOOKBACK)
    while fire is not None and fire <= now:
        due, fire = fire, trigger.get_next_fire_time(fire, fire + timedelta(seconds=1))
    return due
