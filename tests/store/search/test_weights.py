"""How much each idea of a query weighs: IDF from the store's counts, little for words of talk."""

import math

import pytest

from store.search.synonyms import Concept
from store.search.weights import EVERYDAY_SHARE, heaviest_first, idf, light, likely_holding, weigh, weighted_share


def concept(*words: str) -> Concept:
    return Concept(words, (words,))


def test_idf_falls_as_more_records_hold_an_idea():
    """A rare idea says more than a common one; one every record holds says almost nothing."""
    assert idf(1, 10_000) > idf(100, 10_000) > idf(5_000, 10_000) > idf(10_000, 10_000) > 0


def test_idf_takes_counts_beyond_the_store_as_every_record():
    """A concept's count sums its alternatives, so it can pass the number of records."""
    assert idf(25_000, 10_000) == idf(10_000, 10_000)
    assert idf(-3, 10_000) == idf(0, 10_000)


def test_a_subject_outweighs_the_words_of_a_sentence_around_it():
    """ "still", "really" and "happening" are rare in parliamentary prose, yet weigh as little as "government"."""
    ideas = [concept("still"), concept("really"), concept("happening"), concept("government"), concept("autism")]
    holding = [400, 6, 22, 9_000, 300]
    still, really, happening, government, autism = weigh(ideas, holding, 19_000)
    assert really == still == happening == government < autism
    assert really == pytest.approx(EVERYDAY_SHARE * idf(9_500, 19_000))
    assert autism > 3 * (still + really + happening)


def test_no_idea_weighs_less_than_one_half_the_store_holds():
    """In a store of five records every idea is common; they weigh alike rather than nothing."""
    assert weigh([concept("ehc"), concept("timeliness")], [13, 2], 5) == (idf(2, 5), idf(2, 5))


def test_light_ideas_are_those_far_below_the_heaviest():
    assert light([8.0, 3.0, 3.3, 0.2]) == (False, True, False, True)
    assert light([]) == ()


def test_weighted_share_counts_each_held_idea_once_by_its_weight():
    weights = [6.0, 3.0, 1.0]
    assert weighted_share([0], weights) == pytest.approx(0.6)
    assert weighted_share([1, 2, 2], weights) == pytest.approx(0.4)
    assert weighted_share([], weights) == 0.0
    assert weighted_share([0], [0.0]) == 0.0


def test_heaviest_first_keeps_the_typed_order_on_a_tie():
    assert heaviest_first([1.0, 5.0, 1.0, math.inf]) == [3, 1, 0, 2]


def test_a_long_phrase_is_likely_held_by_far_fewer_records_than_its_rarest_word():
    """ "child and adolescent mental health services": its rarest word bounds it, loosely."""
    records = 20_000
    phrase = [1_500, 20_000, 30, 900, 5_000, 3_000]
    likely = likely_holding([phrase], records)
    assert likely < min(phrase) / 3
    assert likely > records * math.prod(count / records for count in phrase)
    assert likely_holding([[40]], records) == pytest.approx(40)
    assert likely_holding([[40], [10]], records) == pytest.approx(50)
    assert likely_holding([[0, 500]], records) == 0 == likely_holding([], records)
