"""When each of pqbot's scheduled jobs last ran to the end, kept in the store so a restart can catch up."""

from __future__ import annotations

from datetime import datetime

from store.db import QuestionStore


def last_finished(store: QuestionStore, job: str) -> datetime | None:
    """When the job last ran to the end, or None if it never has in this store."""
    row = store.db.execute("SELECT finished_at FROM job_runs WHERE job = ?", [job]).fetchone()
    return datetime.fromisoformat(row[0]) if row else None


def note_finished(store: QuestionStore, job: str, now: datetime) -> None:
    """Remember that the job has just run to the end."""
    with store.transaction():
        store.db["job_runs"].upsert({"job": job, "finished_at": now.isoformat(timespec="seconds")}, pk="job")
