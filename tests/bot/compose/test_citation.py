"""Citations: every known field in both forms, and an unknown one left out rather than invented."""

from bot.compose.citation import cite
from store.record import Question

SEN = Question(
    heading="Special Educational Needs",
    question="To ask the Secretary of State for Education, what steps she is taking on EHC plans.",
    answer="Every child deserves support.",
    asked_by="David Williams",
    asked_by_party="Labour",
    department="Department for Education",
    answered_by="Catherine McKinnell",
    answered_by_role="Minister of State (Education)",
    uin="10771",
    house="Commons",
    date_asked="2024-10-23",
    date_answered="2024-10-31",
)
URL = "https://questions-statements.parliament.uk/written-questions/detail/2024-10-23/10771"


def test_a_full_record_is_cited_in_one_sentence_with_its_official_link():
    """House, UIN, asker and tabling day, answerer, department and answer day, then the official page."""
    assert cite(SEN.as_record()).sentence == (
        "Written question 10771 (“Special Educational Needs”), tabled in the House of Commons by "
        "David Williams (Labour) on 23 October 2024, was answered for the Department for Education by "
        "Catherine McKinnell (Minister of State (Education)) on 31 October 2024. "
        f"Official record: {URL}"
    )


def test_the_short_reference_names_house_number_days_department_and_link():
    assert cite(SEN.as_record()).reference == (
        "HC WQ 10771, “Special Educational Needs”, tabled 23 October 2024, answered 31 October 2024, "
        f"Department for Education, {URL}"
    )


def test_unknown_fields_are_left_out_of_both_forms():
    """A TheyWorkForYou-style record: no tabling day (so no official link), no party, no role."""
    record = Question(
        question="To ask the Minister what…",
        heading="Ministers of Religion",
        uin="294961",
        house="Commons",
        asked_by="David Drew",
        answered_by="Stuart Bell",
        date_answered="2009-10-26",
    ).as_record()
    citation = cite(record)
    assert citation.sentence == (
        "Written question 294961 (“Ministers of Religion”), tabled in the House of Commons by David Drew, "
        "was answered by Stuart Bell on 26 October 2009."
    )
    assert citation.reference == "HC WQ 294961, “Ministers of Religion”, answered 26 October 2009"
    for invented in ("None", "unknown", "()", "tabled on", "for the", "Official record"):
        assert invented not in citation.sentence + citation.reference


def test_a_record_that_knows_almost_nothing_is_still_a_sentence():
    """Only the question text: no number, people or days are made up."""
    citation = cite(Question(question="What is being done?").as_record())
    assert citation.sentence == "A written question."
    assert citation.reference == "WQ"


def test_only_an_answer_known_reads_as_answered_and_a_department_without_an_article_keeps_none():
    record = Question(question="Q", department="HM Treasury", date_answered="2024-01-05").as_record()
    assert cite(record).sentence == "A written question was answered for HM Treasury on 5 January 2024."


def test_a_lords_number_is_not_prefixed_twice():
    record = Question(question="Q", uin="HL1234", house="Lords", date_asked="2024-01-02").as_record()
    assert cite(record).reference.startswith("WQ HL1234, tabled 2 January 2024, ")
