"""What pqbot answers to each command, over a real seeded store."""

import pytest
from block_kit import sections

from bot import grammar
from bot.replies import PAGE_SIZE, reply, search_page
from store.record import Question
from store.search import SearchEngine, Synonyms
from store.seeding import ensure_seeded


@pytest.fixture
def engine(store):
    """A search engine over the five seeds."""
    ensure_seeded(store)
    return SearchEngine(store, Synonyms.load())


def test_a_search_answers_with_the_best_match_first(engine):
    """EHC timeliness finds the 2024 answer on EHC plan timeliness first."""
    message = reply(grammar.Search("EHC timeliness"), engine, shareable=True)
    assert sections(message)[0].startswith("*1. Special Educational Needs* · answered 31 October 2024\n")


def test_help_answers_with_help(engine):
    """Help is answered with how to search."""
    assert sections(reply(grammar.Help(), engine, shareable=True))[0].startswith("*pqbot finds")


@pytest.mark.parametrize("command", [grammar.Subscribe("EHC"), grammar.Unsubscribe("3"), grammar.ListSubscriptions()])
def test_subscription_commands_say_they_are_not_available_yet(engine, command):
    """Until subscriptions exist, each of their commands says so and suggests a search."""
    assert sections(reply(command, engine, shareable=True))[0].startswith("Subscriptions are not available yet.")


def test_an_unparseable_command_gets_its_problem_as_a_hint(engine):
    """The grammar's problem is shown with an example."""
    [text] = sections(reply(grammar.Unparseable("subscribe needs a topic"), engine, shareable=True))
    assert text.startswith("subscribe needs a topic\nFor example `/pq EHC timeliness`")


def test_a_query_the_engine_cannot_search_gets_a_hint(engine):
    """A bad filter is answered with the engine's explanation, not an error."""
    [text] = sections(reply(grammar.Search("EHC from:yesterday"), engine, shareable=True))
    assert text.startswith("from: takes a year, month or day")


def test_search_page_starts_where_asked(engine, store):
    """A later page numbers its hits on from the offset."""
    store.save(
        Question(question=f"To ask about Kittiwake ferries, route {n}.", uin=str(n), date_asked="2024-01-01")
        for n in range(PAGE_SIZE + 2)
    )
    message = search_page(engine, "Kittiwake ferries", PAGE_SIZE, shareable=True)
    titles = [text for text in sections(message) if text.startswith("*")]
    assert [title.split(".")[0] for title in titles] == ["*6", "*7"]
