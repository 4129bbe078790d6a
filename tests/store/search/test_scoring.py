"""The ranking arithmetic on its own: words for keywords, meaning for sentences, and when to be confident."""

import pytest

from store.search.scoring import (
    SENTENCE_WORDS,
    Evidence,
    TopMatch,
    confident,
    meaning,
    score,
    sentence_share,
)

HOLDS_EVERY_WORD = Evidence(coverage=1.0, closeness=1.0, bm25_share=1.0, together=True)
HOLDS_NONE_BUT_MEANS_IT = Evidence(coverage=0.0, closeness=0.0, bm25_share=0.0, together=False, similarity=0.8)


def test_keywords_are_ranked_by_their_words_alone():
    assert sentence_share(0) == 0
    assert score(HOLDS_EVERY_WORD, sentence=0.0) == pytest.approx(100)
    assert score(HOLDS_NONE_BUT_MEANS_IT, sentence=0.0) == 0


def test_a_sentence_lets_an_answer_in_other_words_score_by_its_meaning():
    sentence = sentence_share(SENTENCE_WORDS)
    assert sentence == 1
    assert score(HOLDS_NONE_BUT_MEANS_IT, sentence) > score(HOLDS_NONE_BUT_MEANS_IT, sentence_share(1)) > 0


def test_the_share_of_meaning_grows_with_the_words_of_grammar_and_stops_growing():
    shares = [sentence_share(count) for count in range(SENTENCE_WORDS + 3)]
    assert shares == sorted(shares) and shares[-1] == shares[SENTENCE_WORDS] == 1


def test_closeness_in_meaning_is_nothing_for_unrelated_texts_and_whole_for_the_same_subject():
    assert meaning(None) == meaning(0.1) == 0
    assert meaning(0.95) == 1
    assert 0 < meaning(0.5) < 1


def test_a_record_not_yet_embedded_is_scored_by_its_words_as_for_keywords():
    unembedded = Evidence(coverage=0.5, closeness=0.5, bm25_share=0.5, together=False)
    assert score(unembedded, sentence=1.0) == score(unembedded, sentence=0.0)


@pytest.mark.parametrize(
    ("top", "expected"),
    [
        (TopMatch(1.0, 90), True),  # every idea held, scoring well
        (TopMatch(1.0, 40), False),  # every idea held, but only loosely
        (TopMatch(0.5, 70), False),  # half the query's weight: not the answer
        (TopMatch(0.4, 50, confident.meaning + 0.05, nearest_in_meaning=True), True),  # other words, same meaning
        (TopMatch(0.4, 50, confident.meaning + 0.05), False),  # as close, but another record is closer
        (TopMatch(0.2, 50, 0.9, nearest_in_meaning=True), False),  # close in meaning, holding almost nothing asked
        (TopMatch(0.4, 50, confident.meaning - 0.05, nearest_in_meaning=True), False),
    ],
)
def test_confidence_needs_the_query_held_or_words_and_meaning_agreeing(top, expected):
    assert confident(top) is expected
