"""Fetching from the Written Questions API: complete answers in, nothing twice, nothing half-written."""

import logging
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest
from parliament_api_stand_in import FULL, LIST_PATH, ParliamentApiStandIn

from store.db import QuestionStore
from store.fetch.client import FetchError, FetchRequestError, ParliamentApi
from store.fetch.filters import UnknownDepartment
from store.fetch.run import fetch
from store.fetch.window import Window, fetch_window, last_fetched_day
from store.ingest import ingest_paths
from store.parsing import parse_document

SINCE, UNTIL = date(2024, 9, 16), date(2024, 9, 20)
LATER = date(2024, 9, 30)
# Short enough that a stalled page costs the suite half a second, long enough for loopback.
CLIENT_TIMEOUT = 0.5
ANSWERED_IN_WINDOW = 16


@pytest.fixture
def stand_in() -> ParliamentApiStandIn:
    with closing(ParliamentApiStandIn()) as running:
        yield running


@pytest.fixture
def api(stand_in: ParliamentApiStandIn) -> ParliamentApi:
    """The real client against the stand-in: short timeouts, three tries, no waiting between them."""
    return ParliamentApi(stand_in.url, timeout=CLIENT_TIMEOUT, tries=3, backoff=0, page_size=5)


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    return tmp_path / "inbox"


def ingested(inbox: Path, db_path: Path) -> list[dict]:
    """The records a fresh store holds once every file in the inbox is ingested, none failing."""
    fresh = QuestionStore.open(db_path)
    try:
        assert ingest_paths(fresh, [inbox]).failures == []
        return list(fresh.records())
    finally:
        fresh.close()


def test_a_fetch_fills_the_inbox_with_complete_answers(api, inbox, store, tmp_path):
    """Every answer the list cut short arrives in full, and no record is left marked truncated."""
    report = fetch(api, inbox, store, since=SINCE, until=UNTIL, today=LATER)
    records = ingested(inbox, tmp_path / "fresh.db")
    in_full = {question.id: question.answer for question in parse_document(FULL.read_bytes(), FULL.name)}
    assert (report.listed, report.completed, report.written) == (ANSWERED_IN_WINDOW, 7, ANSWERED_IN_WINDOW)
    assert len(records) == ANSWERED_IN_WINDOW
    assert [record["id"] for record in records if record["answer_truncated"]] == []
    assert {record["id"]: record["answer"] for record in records if record["id"] in in_full} == in_full


def test_a_second_run_the_same_day_fetches_only_today_and_adds_nothing(api, inbox, store):
    """Run again once its files are ingested, a fetch asks for today alone and writes no file."""
    first = fetch(api, inbox, store, today=UNTIL)
    ingest_paths(store, [inbox])
    files_before = sorted(inbox.iterdir())
    second = fetch(api, inbox, store, today=UNTIL)
    assert first.window == Window(date(2024, 9, 13), UNTIL)
    assert second.window == Window(UNTIL, UNTIL)
    assert (second.files, second.already_stored) == ([], 3)
    assert sorted(inbox.iterdir()) == files_before
    assert ingest_paths(store, [inbox]).counts.new == 0


def test_each_day_is_listed_page_by_page_until_total_results(stand_in, inbox, store):
    """Each day's listing is asked for with skip and take until totalResults are listed, one file per page."""
    api = ParliamentApi(stand_in.url, timeout=CLIENT_TIMEOUT, tries=3, backoff=0, page_size=2)
    fetch(api, inbox, store, since=SINCE, until=UNTIL, today=LATER)
    answered = stand_in.received(answeredWhenFrom="2024-09-17", answeredWhenTo="2024-09-17")
    assert [request.params["skip"] for request in answered] == ["0", "2"]
    assert {request.params["take"] for request in answered} == {"2"}
    assert len(stand_in.received(correctedWhenFrom="2024-09-17")) == 1
    assert sorted(path.name for path in inbox.iterdir()) == [
        f"api-answered-2024-09-{day}-p{page}.json" for day in range(16, 21) for page in (1, 2) if (day, page) != (21, 2)
    ]


def test_a_file_waiting_in_the_inbox_is_never_replaced(api, inbox, store, tmp_path):
    """Fetched again into an inbox not yet ingested, the new files take new names; the waiting ones stay as they are."""
    first = fetch(api, inbox, store, since=SINCE, until=UNTIL, today=LATER)
    waiting = {path: path.read_bytes() for path in first.files}
    other = QuestionStore.open(tmp_path / "other.db")
    try:
        second = fetch(api, inbox, other, since=SINCE, until=UNTIL, today=LATER)
    finally:
        other.close()
    assert {path: path.read_bytes() for path in first.files} == waiting
    assert second.files[0].name == "api-answered-2024-09-16-p1-2.json"
    assert len(list(inbox.iterdir())) == len(first.files) + len(second.files) == 10


def test_house_and_department_reach_the_api_and_narrow_the_fetch(api, stand_in, inbox, store, tmp_path):
    """A department named in part and a house in any case become answeringBodies=<id> and house=<House>."""
    fetch(api, inbox, store, since=SINCE, until=UNTIL, today=LATER, department="education", house="commons")
    asked = {(request.params["answeringBodies"], request.params["house"]) for request in stand_in.received()}
    assert asked == {("60", "Commons")}
    assert stand_in.received(expandMember="true") == stand_in.received()
    records = ingested(inbox, tmp_path / "fresh.db")
    assert [record["department"] for record in records] == ["Department for Education"] * 5


def test_a_department_by_id_and_a_house_without_answers_fetch_nothing(api, stand_in, inbox, store):
    """An answering body's id passes through as it is; a house with no answers in the window writes no file."""
    report = fetch(api, inbox, store, since=SINCE, until=UNTIL, today=LATER, department="60", house="Lords")
    assert len(stand_in.received(answeringBodies="60", house="Lords")) == 3 * 5
    assert (report.listed, report.files, list(inbox.iterdir())) == (0, [], [])


@pytest.mark.parametrize(
    ("department", "named"),
    [("educaton", "did you mean Department for Education?"), ("office", "Cabinet Office; Foreign, Commonwealth")],
)
def test_an_unknown_or_ambiguous_department_is_refused_with_close_names(api, stand_in, inbox, store, department, named):
    """A misspelt department is answered with the names close to it, an ambiguous one with all it could be."""
    with pytest.raises(UnknownDepartment, match=named) as refused:
        fetch(api, inbox, store, since=SINCE, until=UNTIL, today=LATER, department=department)
    assert isinstance(refused.value, FetchRequestError)
    assert stand_in.requests == []


@pytest.mark.parametrize(
    ("house", "since", "until"),
    [("senate", SINCE, UNTIL), ("lords", UNTIL, SINCE)],
)
def test_an_unknown_house_or_a_backwards_window_is_refused(api, stand_in, inbox, store, house, since, until):
    """A house that is not commons or lords, or a first day after the last, is refused before any request."""
    with pytest.raises(FetchRequestError, match="no house called “senate”|the first day, 2024-09-20, is after"):
        fetch(api, inbox, store, since=since, until=until, today=LATER, house=house)
    assert stand_in.requests == []


ANSWERED = {"answeredWhenFrom": "2024-09-17"}
FULL_ANSWER_PATH = f"{LIST_PATH}/1728513"


@pytest.mark.parametrize(
    ("fault", "path", "params"),
    [
        (lambda server: server.fail(500, **ANSWERED), LIST_PATH, ANSWERED),
        (lambda server: server.fail(429, headers={"Retry-After": "0"}, **ANSWERED), LIST_PATH, ANSWERED),
        (lambda server: server.stall(**ANSWERED), LIST_PATH, ANSWERED),
        (lambda server: server.fail(503, path=FULL_ANSWER_PATH), FULL_ANSWER_PATH, {}),
    ],
    ids=["500 once", "429 with Retry-After: 0", "slower than the timeout", "503 for a full answer"],
)
def test_a_request_that_fails_once_is_retried(api, stand_in, inbox, store, fault, path, params):
    """A 5xx, a 429 or a timeout costs one more try of the same request, and the run still completes."""
    fault(stand_in)
    report = fetch(api, inbox, store, since=SINCE, until=UNTIL, today=LATER)
    assert len(stand_in.received(path, **params)) == 2
    assert report.written == ANSWERED_IN_WINDOW


def test_a_run_that_fails_for_good_keeps_the_days_it_finished_and_the_next_carries_on(
    api, stand_in, inbox, store, caplog
):
    """A day failing every try: a plain error, logged and raised; the days before it in the inbox, no temporary
    file left; the next run asks only for that day and after."""
    fetch(api, inbox, store, today=SINCE)
    stand_in.fail(500, times=None, answeredWhenFrom="2024-09-18")
    expected = (
        r"answered 2024-09-18, page 1: GET .*: HTTP 500 after 3 tries \(2 files written before it are in the inbox"
    )
    with caplog.at_level(logging.ERROR, logger="store.fetch.run"), pytest.raises(FetchError, match=expected):
        fetch(api, inbox, store, today=UNTIL)
    assert "HTTP 500 after 3 tries" in caplog.text
    assert len(stand_in.received(answeredWhenFrom="2024-09-18")) == 3
    assert sorted(path.name for path in inbox.iterdir()) == [
        "api-answered-2024-09-16-p1-2.json",
        "api-answered-2024-09-16-p1.json",
        "api-answered-2024-09-17-p1.json",
    ]
    assert last_fetched_day(store) == date(2024, 9, 17)
    stand_in.heal()
    before = len(stand_in.requests)
    resumed = fetch(api, inbox, store, today=UNTIL)
    assert resumed.window == Window(date(2024, 9, 18), UNTIL)
    assert {request.params.get("answeredWhenFrom") for request in stand_in.requests[before:]} - {None} == {
        "2024-09-18",
        "2024-09-19",
        "2024-09-20",
    }


def test_the_remembered_day_advances_after_success_and_is_kept_in_the_store(api, inbox, store):
    """A run remembers its last complete day (yesterday at most), and the next default window starts after it."""
    assert last_fetched_day(store) is None
    fetch(api, inbox, store, today=UNTIL)
    reopened = QuestionStore.open(store.path)
    try:
        assert last_fetched_day(reopened) == date(2024, 9, 19)
        assert fetch_window(reopened, date(2024, 9, 23)) == Window(UNTIL, date(2024, 9, 23))
    finally:
        reopened.close()


@pytest.mark.parametrize(
    ("since", "until"),
    [(date(2024, 9, 1), date(2024, 9, 5)), (date(2024, 9, 22), date(2024, 9, 23))],
    ids=["a backfill", "a window after a gap"],
)
def test_a_window_apart_from_the_remembered_day_leaves_it_alone(api, inbox, store, since, until):
    """Days fetched before the remembered one, or after a gap, do not move it: nothing is skipped later."""
    fetch(api, inbox, store, today=UNTIL)
    fetch(api, inbox, store, since=since, until=until, today=LATER)
    assert last_fetched_day(store) == date(2024, 9, 19)


def test_answers_corrected_in_the_window_arrive_in_full(api, stand_in, inbox, store, tmp_path):
    """A question answered before the window but corrected in it is listed by correctedWhen and fetched in full."""
    report = fetch(api, inbox, store, since=date(2024, 9, 21), until=date(2024, 9, 23), today=LATER)
    assert [path.name for path in report.files] == ["api-corrected-2024-09-23-p1.json"]
    assert stand_in.received(f"{LIST_PATH}/1728076", expandMember="true")
    (record,) = ingested(inbox, tmp_path / "fresh.db")
    assert (record["heading"], record["answer_truncated"]) == ("Azerbaijan: Prisoners", False)
    assert len(record["answer"]) > 258


def test_a_progress_bar_only_when_asked(api, inbox, store, tmp_path, capsys):
    """Quiet by default, as the scheduler runs it; a bar on stderr when asked, as on a terminal."""
    fetch(api, inbox, store, since=SINCE, until=UNTIL, today=LATER)
    assert capsys.readouterr().err == ""
    fetch(api, tmp_path / "other", store, since=SINCE, until=UNTIL, today=LATER, progress=True)
    assert "fetch 2024-09-16 to 2024-09-20" in capsys.readouterr().err
