"""An answer's life in words, as search results, digests and news show it: escaped, and never empty-handed."""

import pytest
from records import HOSTILE

from bot.compose.life import correction_note, life_line
from bot.compose.messages import result_message
from bot.compose.news import news_message
from store.search.engine import Hit, SearchResult

BASE = HOSTILE.as_record()


@pytest.mark.parametrize(
    ("changes", "line"),
    [
        ({"status": "answered", "date_answered": "2024-10-31"}, "answered 31 October 2024"),
        ({"status": "holding", "date_holding": "2024-09-05"}, "holding answer, 5 September 2024"),
        (
            {"status": "tabled", "answer": None, "date_asked": "2024-09-03"},
            "tabled 3 September 2024 · awaiting an answer",
        ),
        (
            {"status": "corrected", "date_answered": "2024-09-10", "date_corrected": "2025-03-12"},
            "answered 10 September 2024 · corrected 12 March 2025",
        ),
        ({"status": "withdrawn", "answer": None}, "withdrawn"),
    ],
)
def test_each_stage_of_a_questions_life_is_said_in_words(changes, line):
    assert life_line(BASE | changes) == line


def test_a_correction_quotes_the_original_briefly():
    """corrected 12 March: the original said …, cut to a few hundred characters."""
    record = BASE | {"status": "corrected", "date_corrected": "2025-03-12", "original_answer": "Was 3. " * 100}
    note = correction_note(record)
    assert note.startswith("corrected 12 March 2025: the original said “Was 3.")
    assert len(note) < 400 and note.endswith("…”")
    assert correction_note(BASE) is None


def shown(message: dict) -> str:
    """Every text a message shows (its fallback and its blocks' text), run together; button values left out."""
    texts = [message["text"]]

    def walk(part: object) -> None:
        if isinstance(part, dict):
            if isinstance(part.get("text"), str):
                texts.append(part["text"])
            for key, value in part.items():
                if key != "value":
                    walk(value)
        elif isinstance(part, list):
            for item in part:
                walk(item)

    walk(message["blocks"])
    return "\n".join(texts)


def test_news_and_results_escape_the_original_and_the_heading():
    """Text from the record cannot ping anyone or end the italics early, in the news or in a result."""
    record = BASE | {"status": "corrected", "date_corrected": "2025-03-12", "original_answer": "<!channel> _was_ 3"}
    news = shown(news_message(record, "corrected:2025-03-12", ("EHC <!here>",)))
    assert "<!channel>" not in news and "<!here>" not in news and "_was_" not in news
    assert "&lt;!channel&gt;" in news
    found = SearchResult(query="x", hits=(Hit(record, 90, ""),), confident=True, searched_for="x")
    result = shown(result_message(found, shareable=False))
    assert "<!channel>" not in result and "the original said" in result
