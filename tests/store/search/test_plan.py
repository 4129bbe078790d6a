"""The plan's bounds, as plain functions: how much of a query is read and how much the loosest stage may cost."""

from store.search.plan import MOST_TOKENS, MOST_WORDS, POSTINGS_BUDGET, bounded, filler, minor, within_budget


def test_a_query_is_read_up_to_its_last_allowed_distinct_word():
    """The query is cut just before its (MOST_WORDS + 1)th distinct word that says something; filler does not count."""
    words = tuple(word for number in range(MOST_WORDS + 5) for word in ("the", f"word{number}"))
    kept = bounded(words)
    assert len({word for word in kept if not filler(word)}) == MOST_WORDS
    assert kept == words[: 2 * MOST_WORDS + 1]


def test_repeats_and_filler_are_read_only_up_to_the_token_bound():
    """A query of one word repeated is cut at MOST_TOKENS words, whatever its length."""
    assert bounded(("cod",) * (MOST_TOKENS * 3)) == ("cod",) * MOST_TOKENS


def test_stop_words_and_lone_letters_are_filler_and_lone_digits_are_not():
    assert filler("the") and filler("t")
    assert not filler("7") and not filler("cod")


def test_an_idea_is_minor_only_when_the_others_outweigh_it():
    weights = (5.0, 1.0, 1.0)
    assert not minor(0, [0, 1, 2], weights)
    assert minor(1, [0, 1, 2], weights)


def test_the_loosest_stage_takes_groups_in_order_while_their_records_fit_the_budget():
    """A group too costly is skipped, and a cheaper one after it still taken."""
    groups = ["a", "b", "c", "d"]
    holding = [POSTINGS_BUDGET // 2, POSTINGS_BUDGET, POSTINGS_BUDGET // 4, POSTINGS_BUDGET]
    assert within_budget(groups, holding) == ["a", "c"]
