"""The merge rule: one question from two sources keeps the richer fields of both."""

from store.merge import merge
from store.record import Question

QUESTION = "To ask the Secretary of State for Education, what steps she is taking on EHC plans."


def record(**fields) -> dict:
    return Question(question=QUESTION, **fields).as_record()


def test_empty_fields_are_filled_from_the_other_source():
    """A field one source lacks is taken from the other, whichever arrived first."""
    page = record(answer="Full answer.", heading="SEND", source_format="parallel_parliament")
    feed = record(uin="123", date_asked="2024-03-15", asked_by="Jane Doe", source_format="api_json")
    merged = merge(page, feed)
    assert (merged["heading"], merged["uin"], merged["asked_by"], merged["answer"]) == (
        "SEND",
        "123",
        "Jane Doe",
        "Full answer.",
    )


def test_the_better_source_wins_a_clash():
    """On a clash the structured feed beats a saved page, whichever came first."""
    feed = record(heading="Special Educational Needs", source_format="api_json")
    page = record(heading="Special Needs (page)", source_format="bare_text")
    assert merge(feed, page)["heading"] == "Special Educational Needs"
    assert merge(page, feed)["heading"] == "Special Educational Needs"


def test_a_newer_arrival_from_an_equal_source_wins():
    """A corrected answer from the same kind of source replaces the old one."""
    old = record(answer="Old answer.", source_format="api_json")
    corrected = record(answer="Corrected answer.", source_format="api_json")
    assert merge(old, corrected)["answer"] == "Corrected answer."


def test_a_truncated_answer_never_replaces_a_full_one():
    """A bulk download's cut-off answer does not overwrite the whole answer already stored."""
    full = record(answer="The whole answer, every word of it.", source_format="parliament_page")
    cut = record(answer="The whole answer...", answer_truncated=True, source_format="api_json")
    merged = merge(full, cut)
    assert (merged["answer"], merged["answer_truncated"]) == ("The whole answer, every word of it.", False)


def test_a_full_answer_replaces_a_truncated_one():
    """Once the whole answer arrives the record is no longer marked truncated."""
    cut = record(answer="The whole answer...", answer_truncated=True, source_format="api_json")
    full = record(answer="The whole answer, every word of it.", source_format="bare_text")
    merged = merge(cut, full)
    assert (merged["answer"], merged["answer_truncated"]) == ("The whole answer, every word of it.", False)


def test_the_id_and_url_follow_the_merged_fields():
    """A page without a UIN merged with the feed's record takes the official id and URL."""
    merged = merge(
        record(source_format="bare_text"), record(uin="123", date_asked="2024-03-15", source_format="api_json")
    )
    assert (merged["id"], merged["url"]) == (
        "2024-03-15/123",
        "https://questions-statements.parliament.uk/written-questions/detail/2024-03-15/123",
    )
