"""The query language: words, phrases, exclusions and filters typed anywhere in the query."""

import pytest

from store.search.query import Filters, ParsedQuery, QueryError, parse_query


def test_plain_words_are_lower_cased_tokens():
    """Punctuation splits words as the index does; case does not matter."""
    assert parse_query("EHC, timeliness!") == ParsedQuery(words=("ehc", "timeliness"))


def test_every_filter_anywhere_in_the_query():
    """Filters may come before, between or after the words."""
    parsed = parse_query("from:2024 EHC to:2024-06 dept:education plans by:Quince house:lords")
    assert parsed == ParsedQuery(
        words=("ehc", "plans"),
        filters=Filters(
            date_from="2024-01-01", date_to="2024-06-30", department="education", member="Quince", house="Lords"
        ),
    )


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("from:2024", "2024-01-01"),
        ("from:2024-02", "2024-02-01"),
        ("from:2024-02-10", "2024-02-10"),
        ("to:2024", "2024-12-31"),
        ("to:2024-02", "2024-02-29"),
        ("to:2023-02", "2023-02-28"),
    ],
)
def test_dates_widen_to_the_whole_period(typed, expected):
    """from: starts a year or month on its first day; to: ends it on its last."""
    filters = parse_query(typed).filters
    assert expected in (filters.date_from, filters.date_to)


def test_phrases_and_exclusions():
    """Quotes keep words together; a minus drops answers with a word or a phrase."""
    parsed = parse_query('"local offer" SEND -timeliness -"value for money"')
    assert parsed.phrases == (("local", "offer"),)
    assert parsed.words == ("send",)
    assert parsed.excluded == (("timeliness",), ("value", "for", "money"))


def test_a_quoted_filter_value_may_hold_spaces():
    """dept:"health and social care" is one department."""
    assert parse_query('dept:"health and social care"').filters.department == "health and social care"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from:last-week", "from: takes a year, month or day"),
        ("to:2024-13", "to: takes a year, month or day"),
        ("to:2023-02-29", "to: takes a year, month or day"),
        ("house:parliament", "house: is commons or lords"),
        ('by:""', "by: needs a value"),
    ],
)
def test_a_filter_it_cannot_understand_says_how_to_write_it(query, message):
    """A bad filter value is an error with an example, never a silent non-filter."""
    with pytest.raises(QueryError, match=message):
        parse_query(query)


@pytest.mark.parametrize(
    "hostile", ['"', '" OR "', "NEAR(a b)", "*", "col:x", "a AND", "'; DROP TABLE questions; --", "^x"]
)
def test_search_syntax_in_user_text_is_only_words(hostile):
    """FTS5 and SQL syntax characters survive parsing only as plain word tokens."""
    parsed = parse_query(hostile)
    assert all(word.isalnum() for word in parsed.words + tuple(w for p in parsed.phrases for w in p))
