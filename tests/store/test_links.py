"""Pasted links: which question each names, found in the store or, for an official one, in the API."""

from contextlib import closing
from datetime import date

import pytest
from conftest import DATA
from parliament_api_stand_in import LIST_PATH, ParliamentApiStandIn

from store.fetch.client import ParliamentApi
from store.ingest import ingest_paths
from store.links import (
    LinkedQuestions,
    OfficialLink,
    ParallelParliamentLink,
    TheyWorkForYouLink,
    heading_slug,
    parse_link,
)
from store.record import Question

OFFICIAL = "https://questions-statements.parliament.uk/written-questions/detail/2024-09-10/5012"


@pytest.mark.parametrize(
    ("url", "link"),
    [
        (OFFICIAL, OfficialLink(date(2024, 9, 10), "5012")),
        (OFFICIAL + "/", OfficialLink(date(2024, 9, 10), "5012")),
        (OFFICIAL.replace("5012", "hl1234") + "?tab=answer#x", OfficialLink(date(2024, 9, 10), "HL1234")),
        ("https://www.theyworkforyou.com/wrans/?id=2009-10-26f.294961.h", TheyWorkForYouLink("2009-10-26f.294961.h")),
        ("https://www.theyworkforyou.com/wrans/?id=2009-10-26f.294961.q0", TheyWorkForYouLink("2009-10-26f.294961.h")),
        ("http://theyworkforyou.com/wrans?id=2009-10-28a.147.6&s=bats", TheyWorkForYouLink("2009-10-28a.147.6")),
        (
            "https://www.parallelparliament.co.uk/question/72560/national-security-digital-technology",
            ParallelParliamentLink("72560", "national-security-digital-technology"),
        ),
        ("https://www.parallelparliament.co.uk/question/HL1234", ParallelParliamentLink("HL1234", "")),
    ],
)
def test_each_kind_of_link_names_its_question(url, link):
    assert parse_link(url) == link


@pytest.mark.parametrize(
    "url",
    [
        "https://questions-statements.parliament.uk/written-questions/detail/2024-13-45/5012",
        "https://questions-statements.parliament.uk/written-statements/detail/2024-09-10/HCWS1",
        "https://questions-statements.parliament.uk.evil.example/written-questions/detail/2024-09-10/5012",
        "javascript://questions-statements.parliament.uk/written-questions/detail/2024-09-10/5012",
        "https://www.theyworkforyou.com/debates/?id=2009-10-26f.294961.h",
        "https://www.theyworkforyou.com/wrans/?id=%27%20OR%201=1",
        "https://www.parallelparliament.co.uk/debate/2024-01-01/commons",
        "https://questions-statements.parliament.uk/written-questions/detail/2024-09-10/" + "1" * 600,
        "not a link",
    ],
)
def test_anything_else_names_no_question(url):
    assert parse_link(url) is None


def test_a_heading_becomes_parallel_parliaments_slug():
    assert heading_slug("National Security: Digital Technology") == "national-security-digital-technology"


def test_a_theyworkforyou_link_finds_the_first_question_on_its_page(store):
    ingest_paths(store, [DATA / "wrans" / "answers2009-10-29a.xml"])
    record = LinkedQuestions(store).record(TheyWorkForYouLink("2009-10-29a.295056.h"))
    assert (record["uin"], record["heading"]) == ("295056", "Employment: EC Law")
    assert LinkedQuestions(store).record(TheyWorkForYouLink("2009-10-29a.999999.h")) is None


def test_a_parallel_parliament_link_prefers_the_question_whose_heading_fits_its_slug(store):
    """UIN 72 was used in two sessions: the slug picks the right one, and without it the newest wins."""
    store.save(
        [
            Question(question="Old question", uin="72", heading="Respite Care", date_asked="2019-01-02"),
            Question(question="New question", uin="72", heading="School Transport", date_asked="2024-01-02"),
        ]
    )
    linked = LinkedQuestions(store)
    assert linked.record(ParallelParliamentLink("72", "respite-care"))["question"] == "Old question"
    assert linked.record(ParallelParliamentLink("72", ""))["question"] == "New question"
    assert linked.record(ParallelParliamentLink("73", "")) is None


def test_an_official_link_not_stored_is_looked_up_by_day_and_uin_stored_in_full_and_owed(store):
    """The API is asked for the question tabled that day under that UIN; its cut answer is fetched in
    full; the record is stored and on_saved hears of it; a second look needs no request."""
    owed = []
    with closing(ParliamentApiStandIn()) as parliament:
        linked = LinkedQuestions(store, ParliamentApi(parliament.url, tries=1), on_saved=owed.append)
        record = linked.record(parse_link(OFFICIAL))
        again = linked.record(parse_link(OFFICIAL))
        listed = parliament.received(LIST_PATH, uIN="5012", tabledWhenFrom="2024-09-10", tabledWhenTo="2024-09-10")
        detail = parliament.received(f"{LIST_PATH}/1728513")
    assert record["heading"] == "Tom Crick" and record["url"] == OFFICIAL
    assert len(record["answer"]) > 258 and not record["answer_truncated"]
    assert again == record and len(listed) == 1 and len(detail) == 1
    assert [counts.new_ids for counts in owed] == [(record["id"],)]


def test_an_official_link_the_api_cannot_answer_names_nothing_and_stores_nothing(store):
    """A UIN the API does not have, or an API that fails: None, and the store is as it was."""
    with closing(ParliamentApiStandIn()) as parliament:
        linked = LinkedQuestions(store, ParliamentApi(parliament.url, tries=1))
        assert linked.record(OfficialLink(date(2024, 9, 10), "99999")) is None
        parliament.fail(503)
        assert linked.record(parse_link(OFFICIAL)) is None
    assert store.count() == 0
