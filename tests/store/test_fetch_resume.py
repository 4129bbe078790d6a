"""A long fetch that fails part-way keeps what it finished, and its rerun carries on: few requests twice."""

from contextlib import closing
from datetime import date

import pytest
from parliament_api_stand_in import ParliamentApiStandIn, many_questions

from store.db import QuestionStore
from store.fetch.client import FetchError, ParliamentApi
from store.fetch.run import fetch
from store.ingest import ingest_paths

FIRST_DAY, LAST_DAY, TODAY = date(2024, 9, 2), date(2024, 9, 9), date(2024, 10, 1)
# Six weekdays of 20 answers, 81.6% of them cut short by the list, as the real list API cuts them.
DAYS, PER_DAY = 6, 20
# A stand-in slow enough that a few requests are in flight together.
DELAY_SECONDS = 0.01


@pytest.fixture
def stand_in() -> ParliamentApiStandIn:
    listed, full = many_questions(FIRST_DAY, DAYS, PER_DAY)
    with closing(ParliamentApiStandIn(listed, full, delay=DELAY_SECONDS)) as running:
        yield running


def client(stand_in: ParliamentApiStandIn, concurrency: int = 4) -> ParliamentApi:
    return ParliamentApi(stand_in.url, timeout=5, tries=3, backoff=0, page_size=10, concurrency=concurrency)


def fetched_records(tmp_path, name: str, stand_in: ParliamentApiStandIn, fail_at: float | None = None) -> list[dict]:
    """The records a store holds once one fetch into a fresh inbox (failing from fail_at of the way, and then
    run again) is ingested, without their source files."""
    inbox = tmp_path / f"{name}-inbox"
    with closing(QuestionStore.open(tmp_path / f"{name}.db")) as store:
        if fail_at is not None:
            stand_in.fail_from(len(stand_in.requests) + fail_at)
            with pytest.raises(FetchError):
                fetch(client(stand_in), inbox, store, since=FIRST_DAY, until=LAST_DAY, today=TODAY)
            stand_in.heal()
        fetch(client(stand_in), inbox, store, since=FIRST_DAY, until=LAST_DAY, today=TODAY)
        assert ingest_paths(store, [inbox]).failures == []
        return [record | {"source_file": None} for record in store.records()]


def test_a_fetch_failing_at_ninety_percent_and_its_rerun_make_few_more_requests_and_store_the_same(stand_in, tmp_path):
    """The failed run's finished pages stay in the inbox, and the rerun asks only for the rest: together at
    most 30% more requests than one clean run, and exactly the same records."""
    clean = fetched_records(tmp_path, "clean", stand_in)
    clean_requests = len(stand_in.requests)
    assert len(clean) == DAYS * PER_DAY
    interrupted = fetched_records(tmp_path, "interrupted", stand_in, fail_at=int(clean_requests * 0.9))
    assert len(stand_in.requests) - clean_requests <= 1.3 * clean_requests
    assert interrupted == clean


def test_full_answers_are_fetched_a_few_at_a_time_and_no_more(stand_in, tmp_path):
    """With PQBOT_FETCH_CONCURRENCY at 4, several requests are in flight at once, never more than 4."""
    with closing(QuestionStore.open(tmp_path / "pq.db")) as store:
        report = fetch(client(stand_in), tmp_path / "inbox", store, since=FIRST_DAY, until=LAST_DAY, today=TODAY)
    assert report.completed == sum(
        value["answerText"].endswith("...") for value in (e["value"] for e in stand_in.listed)
    )
    assert 2 <= stand_in.most_at_once <= 4


def test_a_rerun_after_success_asks_for_nothing_already_done(stand_in, tmp_path):
    """The same window fetched again, once complete, makes no request at all."""
    with closing(QuestionStore.open(tmp_path / "pq.db")) as store:
        fetch(client(stand_in), tmp_path / "inbox", store, since=FIRST_DAY, until=LAST_DAY, today=TODAY)
        before = len(stand_in.requests)
        again = fetch(client(stand_in), tmp_path / "inbox", store, since=FIRST_DAY, until=LAST_DAY, today=TODAY)
    assert (len(stand_in.requests), again.listed) == (before, 0)
