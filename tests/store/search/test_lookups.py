"""The search's SQL over a real store: filters as parameters, LIKE's wildcards taken literally."""

import pytest

from store.db import QuestionStore
from store.record import Question
from store.search.lookups import RecordLookups, contains
from store.search.query import Filters

RECORDS = [
    Question(
        uin="1",
        date_asked="2024-01-02",
        date_answered="2024-01-10",
        house="Commons",
        heading="Schools: Transport",
        department="Department for Education",
        asked_by="Ann Asker",
        question="To ask about school transport.",
        answer="Councils arrange school transport.",
    ),
    Question(
        uin="2",
        date_asked="2024-02-02",
        date_answered="2024-02-10",
        house="Lords",
        heading="Schools: Meals",
        department="100% Department_of Food",
        asked_by="Lord Fisher",
        question="To ask about school meals.",
        answer="School meals are free for some pupils.",
    ),
]


@pytest.fixture
def lookups(tmp_path):
    store = QuestionStore.open(tmp_path / "pq.db")
    store.save(RECORDS)
    yield RecordLookups(store)
    store.close()


def test_like_wildcards_in_a_filter_are_matched_as_themselves():
    """% and _ typed in a department or member filter match only those characters, not any."""
    assert contains("100%_\\") == "%100\\%\\_\\\\%"


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(), {"2024-01-02/1", "2024-02-02/2"}),
        (Filters(department="100%"), {"2024-02-02/2"}),
        (Filters(department="t_of"), {"2024-02-02/2"}),
        (Filters(department="%"), {"2024-02-02/2"}),
        (Filters(department="t%of"), set()),
        (Filters(house="Lords"), {"2024-02-02/2"}),
        (Filters(date_to="2024-01-31"), {"2024-01-02/1"}),
        (Filters(member="asker"), {"2024-01-02/1"}),
    ],
)
def test_bm25_keeps_only_the_records_passing_the_filters(lookups, filters, expected):
    """The FTS5 match is narrowed by each filter, whose text is a parameter, never SQL."""
    ids = lookups.ids_of([rowid for rowid, _ in lookups.bm25("school", filters, 10)])
    assert set(ids) == expected


def test_the_newest_answers_come_first_within_the_limit_and_a_member_is_found_by_name(lookups):
    """With filters but no words: newest first, at most the limit, a member narrowed by name."""
    every = lookups.rowids(["2024-01-02/1", "2024-02-02/2"], Filters())
    by_rowid = {rowid: record_id for record_id, rowid in lookups.ids_of(every).items()}
    newest = lookups.latest(Filters(date_from="2024-01-01"), 10)
    assert [by_rowid[rowid] for rowid in newest] == ["2024-02-02/2", "2024-01-02/1"]
    assert [by_rowid[rowid] for rowid in lookups.latest(Filters(date_from="2024-01-01"), 1)] == ["2024-02-02/2"]
    assert [by_rowid[rowid] for rowid in lookups.latest(Filters(member="Fisher"), 10)] == ["2024-02-02/2"]


def test_rowids_and_passing_keep_only_records_passing_the_filters(lookups):
    """Looking records up by id or by rowid applies the same filters."""
    every = lookups.rowids(["2024-01-02/1", "2024-02-02/2", "no-such-id"], Filters())
    lords = lookups.rowids(["2024-01-02/1", "2024-02-02/2"], Filters(house="Lords"))
    assert len(every) == 2
    assert lookups.passing(every, Filters(house="Lords")) == lords
    assert list(lookups.ids_of(lords)) == ["2024-02-02/2"]
