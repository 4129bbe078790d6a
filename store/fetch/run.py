"""A fetch run: day by day over a window, each day's listings page by page, each page into the inbox.

For each day a run lists the questions answered that day, then those whose answers were corrected
that day, then those tabled that day and not yet answered; fetches in full, a few at a time, each
answer that the list cut short; and writes the records of each page that the store does not already
hold, unchanged, as one JSON answer file, renamed into the inbox as soon as the page is done. Where
it has got to is remembered in the store after every page, so a run that fails keeps what it
finished, and the next carries on.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from tqdm import tqdm

from store.db import QuestionStore
from store.fetch.client import FetchError, ParliamentApi
from store.fetch.filters import filters_label, listing_filters
from store.fetch.staging import answer_file, put_in_place
from store.fetch.window import (
    Position,
    Window,
    advance_last_fetched_day,
    fetch_window,
    remember_position,
    starting_position,
)
from store.merge import changes, merge
from store.parsing import ParseError
from store.parsing.api_json import parse
from store.record import Question

log = logging.getLogger(__name__)

# Each listing of a day, in the order they are made (a remembered position counts them, so a new one
# goes last): the API's parameters for its first and last day, and any other it needs.
LISTINGS = {
    "answered": ("answeredWhenFrom", "answeredWhenTo", {}),
    "corrected": ("correctedWhenFrom", "correctedWhenTo", {}),
    "tabled": ("tabledWhenFrom", "tabledWhenTo", {"answered": "Unanswered"}),
}


@dataclass
class FetchReport:
    """What one run did: its window, where it started, what the API listed, and the files it put in the inbox."""

    window: Window
    started: date | None = None
    listed: int = 0
    completed: int = 0
    already_stored: int = 0
    left_out: int = 0
    written: int = 0
    files: list[Path] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the log and the terminal."""
        if self.started and self.started > self.window.until:
            return f"{self.window}: already fetched completely, nothing to ask for"
        carried_on = f" (carried on from {self.started})" if self.started and self.started != self.window.since else ""
        return (
            f"{self.window}{carried_on}: {self.listed} listed ({self.completed} fetched again in full), "
            f"{self.written} written in {len(self.files)} files, {self.already_stored} already stored, "
            f"{self.left_out} without question text"
        )


def fetch(
    api: ParliamentApi,
    inbox: Path,
    store: QuestionStore,
    *,
    today: date,
    since: date | None = None,
    until: date | None = None,
    department: str | None = None,
    house: str | None = None,
    progress: bool = False,
) -> FetchReport:
    """Fetch the answers given or corrected, and the questions tabled, in a window of days into the inbox.

    A record the store already holds unchanged is not written again, and a page with nothing new
    writes no file, so a second run over the same days adds nothing. A window that begins inside
    the stretch an earlier run completed carries on from where that run got to.

    :param today: the day it is in the UK; the default window ends on it.
    :param since: the window's first day; by default the day after the last day fetched completely
        (see fetch_window), or a week back on the first run of all.
    :param until: the window's last day; today by default.
    :param department: an answering body's id ("60"), or its name or part of it, case blind ("education").
    :param house: "commons" or "lords", in any case; both by default.
    :param progress: show a progress bar on the terminal (stderr); quiet otherwise.
    :raises FetchError: when a request fails after every try; what was finished stays in the inbox.
    :raises FetchRequestError: for an unknown house or department (UnknownDepartment), or since after until.
    """
    window = fetch_window(store, today, since, until)
    filters = listing_filters(department, house)
    position = starting_position(store, window, filters)
    report = FetchReport(window, started=position.day)
    inbox.mkdir(parents=True, exist_ok=True)
    try:
        with _Run(api, store, inbox, filters, report, progress) as run:
            while position.day <= window.until:
                day, position = position.day, run.day(position, window, today)
                if day == today:
                    break
    except FetchError as error:
        kept = f"{len(report.files)} files written before it are in the inbox; the next run carries on from there"
        log.error("Fetch of %s stopped: %s; %s", window, error, kept)
        raise FetchError(f"{error} ({kept})") from error
    log.info("Fetched %s", report.summary())
    return report


class _Run:
    """One run under way: the questions taken so far, its report, its progress bar and its few workers."""

    def __init__(
        self,
        api: ParliamentApi,
        store: QuestionStore,
        inbox: Path,
        filters: dict[str, str],
        report: FetchReport,
        progress: bool,
    ):
        self.api, self.store, self.inbox, self.filters, self.report = api, store, inbox, filters, report
        window = report.window
        self.bar = tqdm(
            desc=f"fetch {window}",
            total=window.days,
            initial=min((report.started - window.since).days, window.days) if report.started else 0,
            unit=" days",
            disable=not progress,
        )
        self.workers = ThreadPoolExecutor(api.concurrency, thread_name_prefix="fetch")
        self._taken: set[int] = set()

    def __enter__(self) -> _Run:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.workers.shutdown(cancel_futures=True)
        self.bar.close()

    def day(self, position: Position, window: Window, today: date) -> Position:
        """Every listing of one day from position on; the position after it, remembered."""
        kinds = list(LISTINGS)
        for number in range(position.listing, len(kinds)):
            position = self._listing(kinds[number], replace(position, listing=number))
        advance_last_fetched_day(self.store, window, position.day, today)
        after = position.next_day(today)
        remember_position(self.store, self.filters, after)
        self.bar.update(1)
        self.bar.set_postfix(listed=self.report.listed, in_full=self.report.completed, files=len(self.report.files))
        return after

    def _listing(self, kind: str, position: Position) -> Position:
        """One listing of the position's day, page by page from its skip; each page's new records as one file."""
        first, last, more = LISTINGS[kind]
        query = self.filters | more | {first: position.day.isoformat(), last: position.day.isoformat()}
        for number, entries, next_skip in self._pages(query, position.skip, f"{kind} {position.day}"):
            records = [record for record in self._in_full(entries) if self._wanted(record)]
            if records:
                name = f"api-{kind}-{position.day}{filters_label(self.filters)}-p{number}.json"
                self.report.files.append(put_in_place(self.inbox, name, answer_file(records)))
                self.report.written += len(records)
            position = replace(position, skip=next_skip)
            remember_position(self.store, self.filters, position)
        return replace(position, skip=0)

    def _pages(self, query: dict[str, str], skip: int, listing: str) -> Iterator[tuple[int, list[dict], int]]:
        """(page number, the entries new to the run, the skip after it) for each page in turn from skip,
        until totalResults are listed."""
        while True:
            number = skip // self.api.page_size + 1
            try:
                page = self.api.list_page(query, skip)
            except FetchError as error:
                raise FetchError(f"{listing}, page {number}: {error}") from error
            listed = page["results"]
            skip += len(listed)
            yield number, [entry for entry in listed if self._first_sight(entry)], skip
            if not listed or skip >= page["totalResults"]:
                return

    def _first_sight(self, entry: dict) -> bool:
        """Whether the run meets this question for the first time (it may be listed twice in a day)."""
        question_id = entry["value"].get("id")
        if question_id in self._taken:
            return False
        self._taken.add(question_id)
        self.report.listed += 1
        return True

    def _in_full(self, entries: list[dict]) -> list[dict]:
        """The page's entries, those the list cut short fetched again in full, a few at a time.

        At the first failure the requests not yet started are called off, and the failure raised.
        """
        futures = [self.workers.submit(self._completed, entry) for entry in entries]
        try:
            return [future.result() for future in futures]
        except FetchError:
            for future in futures:
                future.cancel()
            raise

    def _completed(self, entry: dict) -> dict:
        """The entry as listed, or with the full record in place of one whose answer the list cut off."""
        record = self.api.in_full(entry)
        if record is not entry:
            self.report.completed += 1
        return record

    def _wanted(self, record: dict) -> bool:
        """Whether ingesting the record would add anything: it has text, and the store lacks it as it is."""
        question = _as_ingested(record)
        if question is None:
            self.report.left_out += 1
            return False
        if _held_unchanged(self.store, question):
            self.report.already_stored += 1
            return False
        return True


def _as_ingested(record: dict) -> Question | None:
    """The question ingest will make of one API record; None when it leaves it out (no question text)."""
    try:
        (question,) = parse(json.dumps(record).encode(), "")
    except ParseError:
        return None
    return question


def _held_unchanged(store: QuestionStore, question: Question) -> bool:
    """Whether the store holds this question already, so that ingesting it would change nothing but its source file."""
    stored = store.get(question.id)
    if stored is None:
        return False
    return not changes(stored, merge(stored, question.as_record()), ignoring=frozenset({"source_file"}))
