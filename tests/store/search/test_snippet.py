"""Snippets: the best-matching sentences of an answer, matched words marked."""

from store.search.snippet import CLOSE, OPEN, best_sentences


def mark(word: str) -> str:
    return f"{OPEN}{word}{CLOSE}"


def test_the_sentence_with_most_distinct_matches_wins():
    """A sentence holding both query words beats one holding one word twice."""
    text = f"Funding rose. {mark('Plans')} and {mark('plans')} again. {mark('Plans')} met the {mark('deadline')}."
    assert best_sentences(text) == "**Plans** met the **deadline**."


def test_a_short_best_sentence_brings_the_next():
    """A terse match is followed by the sentence after it, for context."""
    text = f"Intro here. {mark('Timeliness')} improved. It rose to 50% in 2023."
    assert best_sentences(text) == "**Timeliness** improved. It rose to 50% in 2023."


def test_a_long_sentence_is_cut_around_its_first_match():
    """Snippets stay short, keep the match in view and show where they were cut."""
    text = "word " * 200 + mark("tribunal") + " word" * 200 + "."
    snippet = best_sentences(text, longest=120)
    assert "**tribunal**" in snippet
    assert snippet.startswith("…") and snippet.endswith("…")
    assert len(snippet.replace("**", "")) <= 122


def test_no_text_gives_no_snippet():
    """An unanswered question has an empty snippet."""
    assert best_sentences("") == ""
