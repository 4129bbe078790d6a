"""Written Questions API responses parsed to records: every response shape, the fields, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import DATA

from store.parsing import api_json
from store.parsing.errors import ParseError

SAMPLE = DATA / "api" / "written-questions-sample.json"
RAW_SAMPLE = DATA / "api-raw" / "written-questions-2024-09-sample.json"


def sample_items() -> list[dict]:
    """The ten real `{"value": …, "links": …}` items of the list-response sample."""
    return json.loads(SAMPLE.read_bytes())["results"]


def sample_value(uin: str) -> dict:
    """One real question object from the sample, by its UIN."""
    return next(item["value"] for item in sample_items() if item["value"]["uin"] == uin)


def parse_json(document: object) -> list:
    """Parse a JSON document built in the test."""
    return api_json.parse(json.dumps(document).encode(), "built.json")


def by_uin(path: Path) -> dict:
    """The records parsed from one data file, keyed by UIN."""
    return {question.uin: question for question in api_json.parse(path.read_bytes(), path.name)}


def test_full_record_with_both_members():
    """A record with both member objects maps every API field, with no role and no truncation."""
    assert by_uin(SAMPLE)["3835"].as_record() == {
        "id": "2024-09-02/3835",
        "uin": "3835",
        "house": "Commons",
        "heading": "Floods: Government Assistance",
        "question": "To ask the Secretary of State for Housing, Communities and Local Government, if she will "
        "take steps to reform the eligibility criteria for the Flood Recovery Framework to include more "
        "(a) households and (b) businesses that have experienced flooding.",
        "answer": "A post activation review of the Flood Recovery Framework is underway and I expect this to "
        "report in the Autumn.",
        "asked_by": "Helen Morgan",
        "asked_by_party": "Liberal Democrat",
        "department": "Ministry of Housing, Communities and Local Government",
        "answered_by": "Alex Norris",
        "answered_by_role": None,
        "date_asked": "2024-09-02",
        "date_answered": "2024-09-09",
        "answer_truncated": False,
        "source_format": "api_json",
        "source_file": "written-questions-sample.json",
        "url": "https://questions-statements.parliament.uk/written-questions/detail/2024-09-02/3835",
        "twfy_id": None,
        "status": "answered",
        "date_holding": None,
        "date_corrected": None,
        "original_answer": None,
    }


def test_null_asking_member_leaves_asker_unknown():
    """A null askingMember (only its id known) gives no asker and no party, never an invented name."""
    assert by_uin(SAMPLE)["5145"].as_record() == {
        "id": "2023-12-05/5145",
        "uin": "5145",
        "house": "Commons",
        "heading": "Flood Control: Wales",
        "question": "To ask the Secretary of State for Environment, Food and Rural Affairs, what steps his "
        "Department is taking to help prevent flooding in Wales in winter 2023-2024.",
        "answer": "Flood risk management is a devolved matter and the responsibility of the Welsh Government.",
        "asked_by": None,
        "asked_by_party": None,
        "department": "Department for Environment, Food and Rural Affairs",
        "answered_by": "Robbie Moore",
        "answered_by_role": None,
        "date_asked": "2023-12-05",
        "date_answered": "2023-12-12",
        "answer_truncated": False,
        "source_format": "api_json",
        "source_file": "written-questions-sample.json",
        "url": "https://questions-statements.parliament.uk/written-questions/detail/2023-12-05/5145",
        "twfy_id": None,
        "status": "answered",
        "date_holding": None,
        "date_corrected": None,
        "original_answer": None,
    }


def test_raw_bulk_record_is_marked_truncated():
    """A raw bulk-download record keeps its cut answer as given and is flagged as truncated."""
    assert by_uin(RAW_SAMPLE)["5242"].as_record() == {
        "id": "2024-09-10/5242",
        "uin": "5242",
        "house": "Commons",
        "heading": "Trade Agreements",
        "question": "To ask the Secretary of State for Business and Trade, if he will make it his policy to "
        "include (a) a youth mobility scheme and (b) measures to support the English Language Training "
        "sector in the UK in future trade deals with non-EU countries.",
        "answer": "It is not Government policy to make commitments on youth mobility as a routine part of any "
        "trade deal. The UK generally seeks provisions in trade agreements that focus on business mobility, "
        "these help to expand opportunities and enhance certainty for UK b...",
        "asked_by": None,
        "asked_by_party": None,
        "department": "Department for Business and Trade",
        "answered_by": None,
        "answered_by_role": None,
        "date_asked": "2024-09-10",
        "date_answered": "2024-12-19",
        "answer_truncated": True,
        "source_format": "api_json",
        "source_file": "written-questions-2024-09-sample.json",
        "url": "https://questions-statements.parliament.uk/written-questions/detail/2024-09-10/5242",
        "twfy_id": None,
        "status": "answered",
        "date_holding": None,
        "date_corrected": None,
        "original_answer": None,
    }


def test_truncation_flag_follows_the_cut_answers():
    """Only the 258-character answers ending in "..." are flagged; a 255-character whole answer is not."""
    flags = {uin: question.answer_truncated for uin, question in by_uin(RAW_SAMPLE).items()}
    assert flags == {"5242": True, "5241": True, "3853": True, "5395": False, "4188": False}


def test_full_answers_are_never_flagged_truncated():
    """No answer in the full list-response sample is flagged as truncated."""
    assert not any(question.answer_truncated for question in by_uin(SAMPLE).values())


def test_list_response_shape():
    """`{"totalResults", "results"}` yields one record per item, in order."""
    uins = [question.uin for question in api_json.parse(SAMPLE.read_bytes(), "sample.json")]
    assert uins == ["3835", "5153", "913", "5145", "4837", "6459", "126478", "2105", "302", "14975"]


def test_plain_list_shape():
    """A plain list of `{"value": …}` items, as a bulk download stores them, is read."""
    assert [question.uin for question in parse_json(sample_items()[:2])] == ["3835", "5153"]


def test_single_value_shape():
    """One `{"value": …}` object on its own is one record."""
    assert [question.uin for question in parse_json(sample_items()[2])] == ["913"]


def test_bare_value_shape():
    """A bare question object (a dict with questionText) is one record, as are bare ones in a list."""
    assert [question.uin for question in parse_json(sample_value("913"))] == ["913"]
    assert [question.uin for question in parse_json([sample_value("913"), sample_value("302")])] == ["913", "302"]


def test_html_table_becomes_readable_rows():
    """An HTML table in the answer becomes one `cell | cell` line per row, paragraphs kept apart."""
    answer = by_uin(SAMPLE)["5153"].answer
    assert answer.startswith("The following provides the category breakdown requested of Consultancy")
    assert "2022-23:\n\nCategory | £million\nFinance Consultancy | 0.235\n" in answer
    assert answer.endswith("Organisation and Change Management | 0.083\nTotal | 16.066")


def test_html_list_becomes_bullets():
    """HTML list items become bulleted lines and no tag survives."""
    answer = by_uin(SAMPLE)["913"].answer
    assert "* Headcount number of Civil Servants based outside of London was 409,820\n" in answer
    assert "* Full-time equivalent number of Civil Servants based outside of London was 381,720." in answer
    assert "<" not in answer


def test_plain_answer_entities_are_decoded():
    """A plain-text answer (tags stripped by the archive) has its HTML entities decoded: "R&amp;D" → "R&D"."""
    assert by_uin(SAMPLE)["2105"].answer.endswith("the associated Team Tempest R&D programme.")


def test_less_than_sign_in_question_is_not_markup():
    """A "<" that opens no tag, as in "(<12 months)", stays in the question as written."""
    assert "in recent (<12 months) contact with mental health services" in by_uin(SAMPLE)["302"].question


def test_send_questions_keep_their_department():
    """SEND / EHC plan questions come through with the Department for Education and their full text."""
    questions = by_uin(SAMPLE)
    assert questions["6459"].department == questions["126478"].department == "Department for Education"
    assert "Education, Health and Care plan" in questions["6459"].question


def test_missing_date_and_heading_are_none():
    """A null dateAnswered and a null heading stay None."""
    question = by_uin(SAMPLE)["14975"]
    assert (question.heading, question.date_answered) == (None, None)


def test_unanswered_question_is_kept_without_answer():
    """A question not yet answered (empty or null answerText) is stored with answer None."""
    for answer_text in ("", None, "   "):
        [question] = parse_json({"value": {**sample_value("3835"), "answerText": answer_text}})
        assert question.answer is None and question.question.startswith("To ask the Secretary of State")


def test_textless_questions_are_skipped_and_withdrawn_ones_marked():
    """A question with no question text is left out; a withdrawn one is kept, marked withdrawn."""
    withdrawn = {**sample_value("3835"), "isWithdrawn": True}
    textless = {**sample_value("5153"), "questionText": ""}
    parsed = parse_json([withdrawn, textless, sample_value("913")])
    assert [(question.uin, question.status) for question in parsed] == [("3835", "withdrawn"), ("913", "answered")]


@pytest.mark.parametrize(
    ("fields", "life"),
    [
        ({"answerText": None, "dateAnswered": None}, ("tabled", None, None, None)),
        ({"answerIsHolding": True, "dateHoldingAnswer": "2024-09-05T00:00:00"}, ("holding", "2024-09-05", None, None)),
        ({"dateHoldingAnswer": "2024-09-05T00:00:00"}, ("answered", "2024-09-05", None, None)),
        (
            {
                "answerIsCorrection": True,
                "dateAnswerCorrected": "2025-03-12T00:00:00",
                "originalAnswerText": "<p>Was 3.</p>",
            },
            ("corrected", None, "2025-03-12", "Was 3."),
        ),
    ],
    ids=["tabled", "holding", "answered after a holding answer", "corrected"],
)
def test_a_questions_life_is_read_from_the_apis_flags(fields, life):
    """answered=Unanswered, answerIsHolding, dateHoldingAnswer, answerIsCorrection and originalAnswerText."""
    [question] = parse_json({"value": {**sample_value("3835"), **fields}})
    assert (question.status, question.date_holding, question.date_corrected, question.original_answer) == life


def test_member_fields_that_are_not_objects_are_ignored():
    """Members given as strings or lists, and text fields given as numbers, become None without a crash."""
    odd = {**sample_value("3835"), "askingMember": "Helen Morgan", "answeringMember": [4641], "heading": 7}
    [question] = parse_json(odd)
    assert (question.asked_by, question.answered_by, question.heading) == (None, None, None)


def test_member_from_is_not_taken_as_a_role():
    """A member object's memberFrom (a constituency) is never read as the answering minister's role."""
    value = sample_value("3835")
    value["answeringMember"] = {**value["answeringMember"], "memberFrom": "Nottingham North and Kimberley"}
    assert parse_json(value)[0].answered_by_role is None


def test_utf8_bom_is_accepted():
    """A file saved with a UTF-8 byte order mark parses like one without."""
    assert len(api_json.parse(b"\xef\xbb\xbf" + SAMPLE.read_bytes(), "bom.json")) == 10


def test_truncated_json_names_the_position():
    """A file cut off part-way says where the JSON breaks and suggests truncation."""
    with pytest.raises(ParseError) as raised:
        api_json.parse(SAMPLE.read_bytes()[:5000], "cut.json")
    assert str(raised.value) == "invalid JSON at line 1 column 4495: unterminated string (is the file truncated?)"


def test_broken_json_mid_file_names_the_position():
    """JSON broken before its end says where, without suggesting truncation."""
    with pytest.raises(ParseError, match=r"^invalid JSON at line 2 column 7: expecting value$"):
        api_json.parse(b'{"results": [\n  {}, ,\n]}', "broken.json")


@pytest.mark.parametrize(
    ("document", "detail"),
    [
        (None, "the file holds null"),
        (42, "the file holds a number"),
        ("x", "the file holds a string"),
        (True, "the file holds a true/false value"),
        ({"items": []}, 'an object without "results", "value" or "questionText"'),
        ({"results": {"value": {}}}, '"results" is an object, not a list'),
        ({"results": ["x"]}, "item 1 is a string, not an object"),
        ([{"value": {"questionText": "To ask…"}}, None], "item 2 is null, not an object"),
        ([[{"value": {}}]], "item 1 is a list, not an object"),
        ({"value": None}, 'item 1 has no "value" object'),
        ([{"links": []}], 'item 1 has no "value" object'),
    ],
)
def test_json_of_another_shape_is_refused(document: object, detail: str):
    """JSON that parses but is not an API response is refused, saying what was found instead."""
    with pytest.raises(ParseError) as raised:
        parse_json(document)
    assert str(raised.value) == f"JSON is not a Written Questions API response: {detail}"


@pytest.mark.parametrize(
    "document",
    [
        {"totalResults": 0, "results": []},
        [],
        {"value": {"questionText": "", "isWithdrawn": False}},
    ],
)
def test_response_without_questions_is_refused(document: object):
    """A response with no usable question (empty or textless) says there are none."""
    with pytest.raises(ParseError, match=r"^no questions in the file$"):
        parse_json(document)


def test_json_nested_too_deeply_is_refused_plainly():
    """100,000 nested lists are a ParseError saying so, not a RecursionError traceback."""
    with pytest.raises(ParseError, match="^the JSON is nested too deeply"):
        api_json.parse(b"[" * 100_000, "deep.json")


def test_binary_data_is_refused():
    """Bytes that are not text at all are refused with a plain reason."""
    with pytest.raises(ParseError, match=r"^binary file, not text$"):
        api_json.parse(b"[\x00\x01", "binary.json")
