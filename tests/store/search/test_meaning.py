"""Search by meaning joined to search by words, over a real store and the shipped model: a sentence
finds an answer put in Parliament's words rather than its own, keywords are ranked as before, and
the answers not yet embedded are searched by their words."""

import pytest
from conftest import FISHING, FIT_NOTES, HEATING

from store.record import Question
from store.search import SearchEngine
from store.search.scoring import confident
from store.semantic import SemanticIndex

YOUNG_PEOPLE_IN_WORK = Question(
    heading="Employment: Young People",
    question="To ask the Secretary of State for Work and Pensions, how many young people are in work.",
    answer="The employment rate of people aged 16 to 24 was 53 per cent; more young people are in work than in 2010.",
    uin="104",
    date_asked="2024-01-10",
    date_answered="2024-01-21",
)
# Not one word in common with the fuel poverty answer.
ASKED_AS_A_SENTENCE = "how many families are struggling to pay to keep warm this winter"


@pytest.fixture
def engine(store):
    store.save([FIT_NOTES, YOUNG_PEOPLE_IN_WORK, FISHING, HEATING])
    return SearchEngine(store)


def headings(engine: SearchEngine, query: str) -> list[str]:
    return [hit.record["heading"] for hit in engine.search(query).hits]


def test_a_sentence_finds_an_answer_sharing_none_of_its_words_once_the_answers_are_embedded(engine, store):
    """Nothing by words alone; by meaning the fuel poverty answer, and not the unrelated ones."""
    assert headings(engine, ASKED_AS_A_SENTENCE) == []
    SemanticIndex(store).embed_pending()
    assert headings(engine, ASKED_AS_A_SENTENCE) == ["Fuel Poverty"]


def test_keywords_are_ranked_by_their_words_even_when_everything_is_embedded(engine, store):
    SemanticIndex(store).embed_pending()
    assert headings(engine, "young people employment")[0] == "Employment: Young People"
    assert headings(engine, "cod quota")[0] == "Fisheries: North Sea"


def test_an_answer_found_by_meaning_alone_is_shown_but_not_called_confident(engine, store):
    """Holding nothing the query asked about, it is the nearest answer, not the answer."""
    SemanticIndex(store).embed_pending()
    result = engine.search(ASKED_AS_A_SENTENCE)
    assert result.hits and not result.confident


def test_words_and_meaning_agreeing_make_an_answer_in_partly_other_words_confident(engine, store):
    """Short of a confident match by its words, the answer is also the nearest in meaning and close: confident."""
    SemanticIndex(store).embed_pending()
    result = engine.search("how many young people aged 16 to 24 have got jobs")
    assert result.hits[0].record["heading"] == "Employment: Young People"
    assert result.top_match.coverage < confident.coverage
    assert result.top_match.nearest_in_meaning and result.confident


def test_a_query_about_nothing_stored_finds_no_confident_match_by_meaning_either(engine, store):
    SemanticIndex(store).embed_pending()
    assert not engine.search("what is being done about jousting insurance rules").confident


def test_a_record_nearest_in_meaning_must_still_pass_the_filters_and_exclusions(engine, store):
    SemanticIndex(store).embed_pending()
    assert headings(engine, f"{ASKED_AS_A_SENTENCE} to:2024-01-22") == []
    assert headings(engine, f"{ASKED_AS_A_SENTENCE} -households") == []
