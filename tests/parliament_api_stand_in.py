"""A stand-in for the Written Questions API over loopback HTTP: real records, real paging, set faults.

It serves a real slice (tests/data/api-listing): sixteen Commons questions answered 16–20 September
2024, listed exactly as the list API gave them (answers over 255 characters cut to 255 plus
"..."), and in full from the detail endpoint, as the live API serves them. Every request is
recorded. A fault answers matching requests wrongly, once or always: with a status (and headers),
or by stalling past the client's timeout until the stand-in is closed.
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from conftest import DATA

LISTED = DATA / "api-listing" / "written-questions-2024-09-16-to-20-listed.json"
FULL = DATA / "api-listing" / "written-questions-2024-09-16-to-20-full.json"
LIST_PATH = "/api/writtenquestions/questions"
DETAIL_PATH = re.compile(re.escape(LIST_PATH) + r"/(?P<id>\d+)")
DEFAULT_TAKE = 20
# The longest a stalled request is held if the stand-in is never closed.
STALL_SECONDS = 10
# How often the server checks whether it has been asked to stop.
POLL_SECONDS = 0.05


@dataclass(frozen=True)
class Received:
    """One request the client made: its path and its query parameters."""

    path: str
    params: dict[str, str]


@dataclass
class Fault:
    """A wrong answer to requests for path whose parameters include params: a status, or a stall when None."""

    path: str
    params: dict[str, str]
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    times: int | None = 1

    def matches(self, request: Received) -> bool:
        """Whether this fault answers the request: it asks for the fault's path and parameters, and tries are left."""
        return _asks_for(request, self.path, self.params) and self.times != 0


class ParliamentApiStandIn:
    """The Written Questions API as the fetcher sees it: a listing, a detail endpoint, and faults on demand."""

    def __init__(self, listed: list[dict] | None = None, full: dict[int, dict] | None = None, delay: float = 0.0):
        """Serve the real slice, or (listed, full) as made by many_questions; each answer after delay seconds."""
        self.listed: list[dict] = listed if listed is not None else json.loads(LISTED.read_text("utf-8"))
        self.full = full if full is not None else _in_full(self.listed)
        self.delay = delay
        self.requests: list[Received] = []
        self.faults: list[Fault] = []
        self.failing_from: int | None = None
        self.in_flight = self.most_at_once = 0
        self.released = threading.Event()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.stand_in = self
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        threading.Thread(target=self._server.serve_forever, args=(POLL_SECONDS,), daemon=True).start()

    def close(self) -> None:
        """Let any stalled request go, and stop serving."""
        self.released.set()
        self._server.shutdown()
        self._server.server_close()

    def fail(
        self, status: int, path: str = LIST_PATH, times: int | None = 1, headers: dict | None = None, **params: str
    ) -> None:
        """Answer the next `times` matching requests (None: all of them) with status instead."""
        with self._lock:
            self.faults.append(Fault(path, params, status, headers or {}, times))

    def stall(self, path: str = LIST_PATH, **params: str) -> None:
        """Hold the next matching request, unanswered, until the stand-in closes."""
        with self._lock:
            self.faults.append(Fault(path, params))

    def fail_from(self, request_number: int) -> None:
        """Answer 503 to every request from the request_number-th on (counting from 1), as an API that goes down."""
        with self._lock:
            self.failing_from = request_number

    def heal(self) -> None:
        """Answer every request rightly from now on."""
        with self._lock:
            self.faults.clear()
            self.failing_from = None

    def received(self, path: str = LIST_PATH, **params: str) -> list[Received]:
        """The requests so far for path whose parameters include params."""
        with self._lock:
            return [request for request in self.requests if _asks_for(request, path, params)]

    def answer(self, path: str, params: dict[str, str]) -> tuple[int, dict[str, str], dict] | None:
        """(status, headers, JSON body) for one request, or None once a stalled request is let go."""
        with self._lock:
            request = Received(path, params)
            self.requests.append(request)
            fault = next((fault for fault in self.faults if fault.matches(request)), None)
            if fault and fault.times is not None:
                fault.times -= 1
            if fault is None and self.failing_from is not None and len(self.requests) >= self.failing_from:
                fault = Fault(path, params, 503)
        with self._lock:
            self.in_flight += 1
            self.most_at_once = max(self.most_at_once, self.in_flight)
        try:
            return self._answer_as_told(path, params, fault)
        finally:
            with self._lock:
                self.in_flight -= 1

    def _answer_as_told(
        self, path: str, params: dict[str, str], fault: Fault | None
    ) -> tuple[int, dict[str, str], dict] | None:
        """The answer to one request, after the stand-in's delay: the fault's, or the API's."""
        if self.delay:
            time.sleep(self.delay)
        if fault and fault.status is None:
            self.released.wait(STALL_SECONDS)
            return None
        if fault:
            return fault.status, fault.headers, {"status": fault.status}
        if path == LIST_PATH:
            return 200, {}, self._listing(params)
        detail = DETAIL_PATH.fullmatch(path)
        if detail and int(detail["id"]) in self.full:
            value = self.full[int(detail["id"])]
            return 200, {}, {"value": value, "links": [{"rel": "self", "href": f"/Questions/{value['id']}"}]}
        return 404, {}, {"status": 404}

    def _listing(self, params: dict[str, str]) -> dict:
        """One page of the questions that pass the filters, as skip and take ask."""
        matching = [entry for entry in self.listed if _passes(entry["value"], params)]
        skip, take = int(params.get("skip", 0)), int(params.get("take", DEFAULT_TAKE))
        return {"totalResults": len(matching), "results": matching[skip : skip + take]}


def _in_full(listed: list[dict]) -> dict[int, dict]:
    """The real slice's questions by id, each with its whole answer, as the detail endpoint serves them."""
    in_full = json.loads(FULL.read_text("utf-8"))["results"]
    full_answers = {item["value"]["id"]: item["value"]["answerText"] for item in in_full}
    return {
        value["id"]: value | {"answerText": full_answers.get(value["id"], value["answerText"])}
        for value in (entry["value"] for entry in listed)
    }


def many_questions(
    first_day: date, days: int, per_day: int, cut_share: float = 0.816
) -> tuple[list[dict], dict[int, dict]]:
    """A listing of per_day questions answered on each of days weekdays from first_day, and their full records.

    Each is a real question of the slice under an id and UIN of its own; cut_share of them (the
    share the real list API cut short in September 2024) have a long answer, listed cut to 255
    characters and "...", the rest a short one listed whole.
    """
    real = json.loads(LISTED.read_text("utf-8"))
    full = _in_full(real)
    cut = [entry for entry in real if entry["value"]["answerText"].endswith("...")]
    whole = [entry for entry in real if not entry["value"]["answerText"].endswith("...")]
    listed, records, day, number = [], {}, first_day, 0
    for _ in range(days):
        while day.weekday() >= 5:
            day += timedelta(days=1)
        for _ in range(per_day):
            number += 1
            pool = cut if (number * cut_share) % 1 < cut_share else whole
            model = pool[number % len(pool)]["value"]
            changed = {"id": 3_000_000 + number, "uin": f"S{number}", "dateAnswered": f"{day}T00:00:00"}
            listed.append({"value": model | changed})
            records[changed["id"]] = full[model["id"]] | changed
        day += timedelta(days=1)
    return listed, records


def _asks_for(request: Received, path: str, params: dict[str, str]) -> bool:
    """Whether a request is for path, with at least these parameters."""
    return request.path == path and request.params.items() >= params.items()


def _passes(value: dict, params: dict[str, str]) -> bool:
    """Whether a question passes a listing's filters, as the live API applies them."""
    return (
        _within(value.get("dateAnswered"), params.get("answeredWhenFrom"), params.get("answeredWhenTo"))
        and _within(value.get("dateAnswerCorrected"), params.get("correctedWhenFrom"), params.get("correctedWhenTo"))
        and _within(value.get("dateTabled"), params.get("tabledWhenFrom"), params.get("tabledWhenTo"))
        and params.get("uIN", value["uin"]) == value["uin"]
        and params.get("answered", "Any") in ("Any", "Answered" if value.get("dateAnswered") else "Unanswered")
        and params.get("house", value["house"]) == value["house"]
        and params.get("answeringBodies", str(value.get("answeringBodyId"))) == str(value.get("answeringBodyId"))
    )


def _within(stamp: str | None, first: str | None, last: str | None) -> bool:
    """Whether a timestamp's day lies from first to last (either open); no day never does, unless both are."""
    if first is None and last is None:
        return True
    day = (stamp or "")[:10]
    return bool(day) and (first is None or day >= first) and (last is None or day <= last)


class _Handler(BaseHTTPRequestHandler):
    """Hands each GET to the stand-in and writes back what it says."""

    server: ThreadingHTTPServer

    def do_GET(self) -> None:
        """Answer as the stand-in says; a stalled request, once let go, is left unanswered."""
        url = urlsplit(self.path)
        outcome = self.server.stand_in.answer(url.path, dict(parse_qsl(url.query)))
        if outcome is None:
            return
        status, headers, body = outcome
        data = json.dumps(body).encode()
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the stand-in records requests itself."""
