"""What pqbot answers to each command, over a real seeded store."""

import pytest
from block_kit import buttons, sections

from bot.compose import grammar
from bot.compose.buttons import MORE_RESULTS, NextPage
from bot.compose.conversation import Asker
from bot.compose.replies import PAGE_SIZE, reply, search_page
from store.record import Question
from store.search import SearchEngine, Synonyms
from store.seeding import ensure_seeded

ASKER = Asker("CCHANNEL", "UPERSON")


@pytest.fixture
def engine(store):
    """A search engine over the five seeds."""
    ensure_seeded(store)
    return SearchEngine(store, Synonyms.load())


def test_a_search_answers_with_the_best_match_first(engine):
    """EHC timeliness finds the 2024 answer on EHC plan timeliness first."""
    answer = reply(grammar.Search("EHC timeliness"), engine, ASKER, shareable=True)
    assert not answer.for_everyone
    assert sections(answer.message)[0].startswith("*1. Special Educational Needs* · answered 31 October 2024\n")


def test_help_answers_with_help(engine):
    """Help is answered with how to search."""
    assert sections(reply(grammar.Help(), engine, ASKER, shareable=True).message)[0].startswith("*pqbot finds")


def test_subscription_commands_act_on_the_askers_channel(engine):
    """subscribe, subscriptions and unsubscribe work on the channel the command came from."""
    subscribed = reply(grammar.Subscribe("EHC plans"), engine, ASKER, shareable=True)
    assert subscribed.for_everyone
    assert sections(subscribed.message)[0].startswith("<@UPERSON> subscribed this channel to *EHC plans* (#1)")
    listed = reply(grammar.ListSubscriptions(), engine, ASKER, shareable=True)
    assert "*EHC plans* (#1)" in sections(listed.message)[1]
    elsewhere = reply(grammar.ListSubscriptions(), engine, Asker("COTHER", "UPERSON"), shareable=True)
    assert sections(elsewhere.message)[0].startswith("This channel has no subscriptions.")
    assert reply(grammar.Unsubscribe("1"), engine, ASKER, shareable=True).for_everyone


def test_an_unparseable_command_gets_its_problem_as_a_hint(engine):
    """The grammar's problem is shown with an example."""
    [text] = sections(reply(grammar.Unparseable("subscribe needs a topic"), engine, ASKER, shareable=True).message)
    assert text.startswith("subscribe needs a topic\nFor example `/pq EHC timeliness`")


def test_a_query_the_engine_cannot_search_gets_a_hint(engine):
    """A bad filter is answered with the engine's explanation, not an error."""
    [text] = sections(reply(grammar.Search("EHC from:yesterday"), engine, ASKER, shareable=True).message)
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


def test_more_results_carries_a_short_key_for_a_query_too_long_for_a_button(engine, store):
    """A 4,000-character query still gets *More results*; its key brings the whole query back from the store."""
    store.save([Question(question=f"To ask about respite care number {n}.", heading="Respite care") for n in range(8)])
    query = "respite " + "care " * 790
    [more] = buttons(search_page(engine, query, offset=0, shareable=True), MORE_RESULTS)
    page = NextPage.from_value(more["value"])
    assert (page.query, page.offset, len(more["value"]) <= 2000) == (None, PAGE_SIZE, True)
    assert store.recalled_query(page.query_key) == query


def test_more_results_carries_a_short_query_itself(engine, store):
    """No store round trip for a query that fits in the button."""
    store.save([Question(question=f"To ask about respite care number {n}.", heading="Respite care") for n in range(8)])
    [more] = buttons(search_page(engine, "respite care", offset=0, shareable=True), MORE_RESULTS)
    assert NextPage.from_value(more["value"]) == NextPage("respite care", PAGE_SIZE)
