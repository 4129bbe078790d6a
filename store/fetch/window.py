"""Which days a run asks about, and what fetching remembers in the store between runs.

Two things are remembered, in the fetch_state table: the last day whose answers a run has put in
the inbox completely (where the default window starts next time), and, for each house and body
asked about, the position a run got to (a day, a listing of that day, and how far into it), so
that a rerun after a failure carries on from there rather than asking for everything again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date, timedelta

from store.db import QuestionStore
from store.fetch.client import FetchRequestError
from store.fetch.filters import filters_label

ONE_DAY = timedelta(days=1)
# How far back the first run of all looks, with no day remembered.
FIRST_LOOKBACK = timedelta(days=7)
LAST_FETCHED_DAY = "last_fetched_day"
POSITION = "position"


@dataclass(frozen=True)
class Window:
    """The days a run asks about, the first and the last included."""

    since: date
    until: date

    def __str__(self) -> str:
        return f"{self.since} to {self.until}" if self.since != self.until else str(self.since)

    @property
    def days(self) -> int:
        return (self.until - self.since).days + 1


@dataclass(frozen=True)
class Position:
    """Where a run has got to: every day from since up to day is in the inbox, and on day itself the
    listings before the listing-th, and the first skip questions of that one."""

    since: date
    day: date
    listing: int = 0
    skip: int = 0

    def next_day(self, today: date) -> Position:
        """The position once its day is complete; today never is (answers appear all day), so it stays."""
        return replace(self, day=min(self.day + ONE_DAY, today), listing=0, skip=0)


def fetch_window(store: QuestionStore, today: date, since: date | None = None, until: date | None = None) -> Window:
    """The days to fetch: as given, else from the day after the last day fetched completely to today."""
    last = until or today
    first = since or min(_default_first_day(store, today), last)
    if first > last:
        raise FetchRequestError(f"the first day, {first}, is after the last, {last}")
    return Window(first, last)


def _default_first_day(store: QuestionStore, today: date) -> date:
    remembered = last_fetched_day(store)
    return remembered + ONE_DAY if remembered else today - FIRST_LOOKBACK


def last_fetched_day(store: QuestionStore) -> date | None:
    """The last day whose answers a run has put in the inbox completely, if any run has."""
    value = _state(store, LAST_FETCHED_DAY)
    return date.fromisoformat(value) if value else None


def advance_last_fetched_day(store: QuestionStore, window: Window, completed: date, today: date) -> None:
    """Remember a day a run has just completed, if the run carried on from the day remembered.

    Today is never complete, so the next run fetches it again. A window that leaves a gap after
    the day remembered, or lies wholly before it, moves nothing; nor, with nothing remembered,
    does a day before the week the first default run would look back on.
    """
    remembered = last_fetched_day(store)
    if completed >= today or (remembered and completed <= remembered):
        return
    carries_on = remembered is None or window.since <= remembered + ONE_DAY
    if carries_on and completed >= _default_first_day(store, today):
        _remember(store, LAST_FETCHED_DAY, completed.isoformat())


def starting_position(store: QuestionStore, window: Window, filters: dict[str, str]) -> Position:
    """Where a run over window starts: where an earlier run got to, if the window begins inside the
    stretch that run completed, else the window's first day."""
    value = _state(store, POSITION + filters_label(filters))
    if value:
        stored = json.loads(value)
        position = Position(
            date.fromisoformat(stored["since"]), date.fromisoformat(stored["day"]), stored["listing"], stored["skip"]
        )
        if position.since <= window.since <= position.day:
            return position
    return Position(window.since, window.since)


def remember_position(store: QuestionStore, filters: dict[str, str], position: Position) -> None:
    """Keep where a run has got to, for the run after it."""
    value = {"since": position.since.isoformat(), "day": position.day.isoformat()}
    _remember(
        store,
        POSITION + filters_label(filters),
        json.dumps(value | {"listing": position.listing, "skip": position.skip}),
    )


def _state(store: QuestionStore, key: str) -> str | None:
    row = store.db.execute("SELECT value FROM fetch_state WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def _remember(store: QuestionStore, key: str, value: str) -> None:
    with store.transaction():
        store.db["fetch_state"].upsert({"key": key, "value": value}, pk="key")
