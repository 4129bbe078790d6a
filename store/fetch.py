"""Answered written questions from the official Written Questions API, into the inbox as answer files.

A run lists the questions answered in a window of days, then those whose answers were corrected
in it, page by page; fetches in full each answer that the list cut short; and writes the records
of each page that the store does not already hold, unchanged, as one JSON answer file, which
`pqbot ingest` and the inbox job read like any other. Files are written under hidden temporary
names and renamed into place only once the whole run has succeeded: a failed run leaves the inbox
as it was, and the last day it remembers having fetched moves on only after a success.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import tempfile
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib.resources import files
from pathlib import Path
from typing import Self
from urllib.parse import urlencode

import urllib3
from rapidfuzz import fuzz, process, utils
from tqdm import tqdm
from urllib3.util import Retry, Timeout

from store.db import QuestionStore
from store.merge import changes, merge
from store.parsing import ParseError
from store.parsing.api_json import is_truncated, parse
from store.record import Question

log = logging.getLogger(__name__)

QUESTIONS_PATH = "/api/writtenquestions/questions"
HOUSES = ("Commons", "Lords")
RETRIED_STATUSES = (429, 500, 502, 503, 504)
# The longest a Retry-After header may make a run wait before trying again.
MAX_RETRY_AFTER_SECONDS = 300
ONE_DAY = timedelta(days=1)
# How far back the first run of all looks, with no day remembered.
FIRST_LOOKBACK = timedelta(days=7)
LAST_FETCHED_DAY = "last_fetched_day"
# Each listing a run makes, and the API's parameters for its first and last day.
LISTINGS = {
    "answered": ("answeredWhenFrom", "answeredWhenTo"),
    "corrected": ("correctedWhenFrom", "correctedWhenTo"),
}


class FetchError(Exception):
    """The API could not be read, even after retries; the message says which request failed and how."""


class FetchRequestError(ValueError):
    """What was asked for cannot be fetched: an unknown house or department, or a window ending before it starts."""


class UnknownDepartment(FetchRequestError):
    """A department that matches no answering body, or several; the message names the close ones."""


@dataclass(frozen=True)
class Window:
    """The days a run asks about, the first and the last included."""

    since: date
    until: date

    def __str__(self) -> str:
        return f"{self.since} to {self.until}"


@dataclass
class FetchReport:
    """What one run did: its window, what the API listed, and the answer files it put in the inbox."""

    window: Window
    listed: int = 0
    completed: int = 0
    already_stored: int = 0
    left_out: int = 0
    written: int = 0
    files: list[Path] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the log and the terminal."""
        return (
            f"{self.window}: {self.listed} listed ({self.completed} fetched again in full), "
            f"{self.written} written in {len(self.files)} files, {self.already_stored} already stored, "
            f"{self.left_out} withdrawn or without text"
        )


class ParliamentApi:
    """The Written Questions API over HTTP: GETs of its JSON, retried on timeouts, lost connections, 429 and 5xx.

    :param base_url: the API's address (PQBOT_API_URL); no other host is ever contacted (redirects
        are not followed).
    :param timeout: seconds to wait for a connection, and then for each part of an answer.
    :param tries: attempts at each request, the first included.
    :param backoff: seconds; the wait between tries doubles from it, unless Retry-After says otherwise.
    :param page_size: how many questions each page of a listing asks for (the API's `take`).
    """

    def __init__(
        self,
        base_url: str,
        timeout: float = 30.0,
        tries: int = 4,
        backoff: float = 1.0,
        page_size: int = 100,
    ):
        self.base_url = base_url.rstrip("/")
        self.page_size = page_size
        self.tries = tries
        retry = Retry(
            total=tries - 1,
            status_forcelist=RETRIED_STATUSES,
            backoff_factor=backoff,
            retry_after_max=MAX_RETRY_AFTER_SECONDS,
            raise_on_status=False,
        )
        self._http = urllib3.PoolManager(
            retries=retry,
            timeout=Timeout(connect=timeout, read=timeout),
            headers={"Accept": "application/json", "User-Agent": "pqbot"},
        )

    def list_page(self, query: dict[str, str], skip: int) -> dict:
        """One page of a listing: `{"totalResults": n, "results": [{"value": {...}}, ...]}`."""
        params = query | {"skip": str(skip), "take": str(self.page_size)}
        page = self._get(QUESTIONS_PATH, params)
        results = page.get("results")
        listed = isinstance(results, list) and all(
            isinstance(entry, dict) and isinstance(entry.get("value"), dict) for entry in results
        )
        if not (listed and isinstance(page.get("totalResults"), int)):
            raise FetchError(f"{_described(QUESTIONS_PATH, params)}: not a list of written questions")
        return page

    def question_tabled(self, day: date, uin: str) -> dict | None:
        """The entry (`{"value": {...}}`) of the question tabled on day under this UIN, in full, or None.

        UINs restart each session, so the day tells apart two questions with one number.
        """
        query = {"uIN": uin, "tabledWhenFrom": day.isoformat(), "tabledWhenTo": day.isoformat(), "expandMember": "true"}
        entries = self.list_page(query, skip=0)["results"]
        found = next(
            (
                entry
                for entry in entries
                if str(entry["value"].get("uin")) == uin and str(entry["value"].get("dateTabled", ""))[:10] == day.isoformat()
            ),
            None,
        )
        return self.in_full(found) if found else None

    def in_full(self, entry: dict) -> dict:
        """A listed entry as it is, or with the full record in place of one whose answer the list cut off."""
        if not is_truncated(entry["value"].get("answerText")):
            return entry
        question_id = entry["value"].get("id")
        try:
            return entry | {"value": self.question(question_id)}
        except FetchError as error:
            raise FetchError(f"the full answer to question {question_id}: {error}") from error

    def question(self, question_id: int) -> dict:
        """One question in full, its answer uncut: the API's `value` object."""
        path, params = f"{QUESTIONS_PATH}/{question_id}", {"expandMember": "true"}
        value = self._get(path, params).get("value")
        if not isinstance(value, dict):
            raise FetchError(f"{_described(path, params)}: not a written question")
        return value

    def _get(self, path: str, params: dict[str, str]) -> dict:
        """The JSON object at path?params, or a FetchError once every try has failed."""
        described = _described(path, params)
        try:
            response = self._http.request("GET", self.base_url + path, fields=params, redirect=False)
        except urllib3.exceptions.MaxRetryError as error:
            raise FetchError(f"{described}: {_plain_reason(error.reason)} after {self.tries} tries") from error
        except urllib3.exceptions.HTTPError as error:
            raise FetchError(f"{described}: {_plain_reason(error)}") from error
        if response.status != 200:
            tries = len(response.retries.history) + 1 if response.retries else 1
            raise FetchError(f"{described}: HTTP {response.status}" + (f" after {tries} tries" if tries > 1 else ""))
        try:
            document = response.json()
        except ValueError as error:
            raise FetchError(f"{described}: the answer is not JSON") from error
        if not isinstance(document, dict):
            raise FetchError(f"{described}: the answer is not a JSON object")
        return document


def _described(path: str, params: dict[str, str]) -> str:
    """A request as an error message names it: method, path and query."""
    return f"GET {path}?{urlencode(params)}"


def _plain_reason(error: Exception | None) -> str:
    """Why a request failed, in a few words (urllib3 counts a refused connection as a kind of timeout)."""
    if isinstance(error, urllib3.exceptions.NewConnectionError):
        return "could not connect"
    if isinstance(error, urllib3.exceptions.TimeoutError):
        return "timed out"
    if isinstance(error, urllib3.exceptions.ProtocolError):
        return "the connection was dropped"
    return str(error)


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
    """Fetch the answers given or corrected in a window of days into the inbox: all the run's files, or none.

    A record the store already holds unchanged is not written again, and a page with nothing new
    writes no file, so a second run over the same days adds nothing.

    :param today: the day it is in the UK; the default window ends on it.
    :param since: the window's first day; by default the day after the last day fetched completely
        (see fetch_window), or a week back on the first run of all.
    :param until: the window's last day; today by default.
    :param department: an answering body's id ("60"), or its name or part of it, case blind ("education").
    :param house: "commons" or "lords", in any case; both by default.
    :param progress: show a progress bar on the terminal (stderr); quiet otherwise.
    :raises FetchError: when a request fails after every try; the inbox and the remembered day are unchanged.
    :raises FetchRequestError: for an unknown house or department (UnknownDepartment), or since after until.
    """
    window = fetch_window(store, today, since, until)
    filters = _filters(department, house)
    report = FetchReport(window)
    try:
        with StagedFiles(inbox) as staged:
            run = _Run(api, store, staged, report, progress)
            for kind in LISTINGS:
                run.listing(kind, window, filters)
            report.files = staged.publish()
    except FetchError as error:
        log.error("Fetch of %s failed, nothing was written to the inbox: %s", window, error)
        raise
    _advance_last_fetched_day(store, window, today)
    log.info("Fetched %s", report.summary())
    return report


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
    row = store.db.execute("SELECT value FROM fetch_state WHERE key = ?", [LAST_FETCHED_DAY]).fetchone()
    return date.fromisoformat(row[0]) if row else None


def _advance_last_fetched_day(store: QuestionStore, window: Window, today: date) -> None:
    """Remember the last complete day a successful run covered, if it carried on from the day remembered.

    Today is never complete (answers appear all day), so the next run fetches it again. A window
    that leaves a gap after the day remembered, or lies wholly before it, moves nothing; nor, with
    nothing remembered, does one that ends before the week the first default run would look back on.
    """
    remembered = last_fetched_day(store)
    covered_to = min(window.until, today - ONE_DAY)
    carries_on = remembered is None or window.since <= remembered + ONE_DAY
    if carries_on and covered_to >= _default_first_day(store, today):
        with store.transaction():
            store.db["fetch_state"].upsert({"key": LAST_FETCHED_DAY, "value": covered_to.isoformat()}, pk="key")


def _filters(department: str | None, house: str | None) -> dict[str, str]:
    """The query every listing of a run shares: members' names and parties, and the body and house chosen."""
    filters = {"expandMember": "true"}
    if department:
        filters["answeringBodies"] = str(answering_body_id(department))
    if house:
        filters["house"] = house_name(house)
    return filters


def house_name(house: str) -> str:
    """The API's name for a house given in any case: "lords" is "Lords"."""
    for name in HOUSES:
        if house.strip().casefold() == name.casefold():
            return name
    raise FetchRequestError(f"no house called “{house}”: choose commons or lords")


def answering_body_id(department: str) -> int:
    """The API's id for a department given by its id ("60"), or by its name or part of it ("education")."""
    wanted = department.strip()
    if wanted.isdigit():
        return int(wanted)
    bodies = _answering_bodies()
    exact = {name: body for name, body in bodies.items() if name.casefold() == wanted.casefold()}
    matches = exact or {name: body for name, body in bodies.items() if wanted.casefold() in name.casefold()}
    if len(matches) == 1:
        return next(iter(matches.values()))
    if matches:
        raise UnknownDepartment(f"“{wanted}” could be any of: {'; '.join(sorted(matches))}")
    close = process.extract(
        wanted, list(bodies), scorer=fuzz.partial_ratio, processor=utils.default_process, score_cutoff=70, limit=3
    )
    hint = f"; did you mean {' or '.join(name for name, _, _ in close)}?" if close else "; give its id instead"
    raise UnknownDepartment(f"no department called “{wanted}”{hint}")


@functools.cache
def _answering_bodies() -> dict[str, int]:
    """The bundled table of answering bodies' names and ids (store/answering_bodies.toml)."""
    return tomllib.loads(files("store").joinpath("answering_bodies.toml").read_text("utf-8"))["answering_bodies"]


class _Run:
    """One run under way: the questions taken so far, its report, and where its files are staged."""

    def __init__(
        self, api: ParliamentApi, store: QuestionStore, staged: StagedFiles, report: FetchReport, progress: bool
    ):
        self.api = api
        self.store = store
        self.staged = staged
        self.report = report
        self.progress = progress
        self._taken: set[int] = set()

    def listing(self, kind: str, window: Window, filters: dict[str, str]) -> None:
        """Every page of one listing over the window; each page's new records are staged as one file."""
        first, last = LISTINGS[kind]
        query = filters | {first: window.since.isoformat(), last: window.until.isoformat()}
        with tqdm(desc=f"{kind} {window}", unit=" questions", disable=not self.progress) as bar:
            for number, total, entries in self._pages(query, f"{kind} {window}"):
                bar.total = total
                records = [record for entry in entries if (record := self._record(entry)) is not None]
                bar.update(len(entries))
                if records:
                    self.staged.add(_file_name(kind, window, filters, number), answer_file(records))
                    self.report.written += len(records)

    def _pages(self, query: dict[str, str], listing: str) -> Iterator[tuple[int, int, list[dict]]]:
        """(page number, totalResults, entries) for each page in turn, until totalResults are listed."""
        skip, number = 0, 1
        while True:
            try:
                page = self.api.list_page(query, skip)
            except FetchError as error:
                raise FetchError(f"{listing}, page {number}: {error}") from error
            entries = page["results"]
            yield number, page["totalResults"], entries
            skip, number = skip + len(entries), number + 1
            if not entries or skip >= page["totalResults"]:
                return

    def _record(self, entry: dict) -> dict | None:
        """The entry with its answer in full, or None when ingesting it would add nothing."""
        question_id = entry["value"].get("id")
        if question_id in self._taken:
            return None
        self._taken.add(question_id)
        self.report.listed += 1
        record = self.api.in_full(entry)
        if record is not entry:
            self.report.completed += 1
        question = _as_ingested(record)
        if question is None:
            self.report.left_out += 1
            return None
        if _held_unchanged(self.store, question):
            self.report.already_stored += 1
            return None
        return record


def _as_ingested(record: dict) -> Question | None:
    """The question ingest will make of one API record; None when it leaves it out (withdrawn, no text)."""
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


def _file_name(kind: str, window: Window, filters: dict[str, str], page: int) -> str:
    """A name that says what a file holds, the same for the same page of the same listing."""
    house = f"-{filters['house'].lower()}" if "house" in filters else ""
    body = f"-body{filters['answeringBodies']}" if "answeringBodies" in filters else ""
    return f"api-{kind}-{window.since}-to-{window.until}{house}{body}-p{page}.json"


def answer_file(records: list[dict]) -> bytes:
    """Records as the API's own list response, which the answer file parser reads."""
    return json.dumps({"totalResults": len(records), "results": records}, ensure_ascii=False).encode("utf-8")


class StagedFiles:
    """Files written into a folder under hidden temporary names, then put in place together or not at all.

    A leading dot and a .part suffix keep the inbox job and ingest off a file until it is renamed.
    A file already in place is never replaced (the inbox job may be reading it): where the name is
    taken, by the same page of the same listing not yet ingested, the new file gets -2, -3, …
    """

    def __init__(self, folder: Path):
        self.folder = folder
        self._staged: list[tuple[Path, Path]] = []

    def __enter__(self) -> Self:
        self.folder.mkdir(parents=True, exist_ok=True)
        return self

    def __exit__(self, *exc_info: object) -> None:
        """Delete what is still staged: nothing after publish, everything after a failure."""
        for temporary, _ in self._staged:
            temporary.unlink(missing_ok=True)
        self._staged.clear()

    def add(self, name: str, data: bytes) -> None:
        """Write data, safely on disk, under a temporary name; it becomes name when published.

        Its modification time is then set a second back, so that its change time lies past it: the
        inbox's sign that a file was finished before it arrived, and can be taken at once.
        """
        handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=f".{name}.", suffix=".part")
        self._staged.append((Path(temporary), self.folder / name))
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            written = os.fstat(file.fileno())
            os.utime(file.fileno(), ns=(written.st_atime_ns, written.st_mtime_ns - 1_000_000_000))
            os.fsync(file.fileno())

    def publish(self) -> list[Path]:
        """Rename every staged file into place, each atomically, and return where they are."""
        published = []
        while self._staged:
            temporary, wanted = self._staged.pop(0)
            final = _free_name(wanted)
            os.replace(temporary, final)
            published.append(final)
        return published


def _free_name(path: Path) -> Path:
    """The path itself if nothing is there, else the first of path-2, path-3, … that is free."""
    number, free = 1, path
    while free.exists():
        number += 1
        free = path.with_stem(f"{path.stem}-{number}")
    return free
