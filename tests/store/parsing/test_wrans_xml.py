"""TheyWorkForYou written answers XML parsed to records: questions, shared replies, houses, bad input."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import DATA as TEST_DATA

from store.parsing import wrans_xml
from store.parsing.errors import ParseError

DATA = TEST_DATA / "wrans"
COMMONS = DATA / "answers2009-10-29a.xml"
LORDS = DATA / "lordswrans2009-10-28a.xml"


def by_uin(path: Path, source_file: str | None = None) -> dict:
    """The records parsed from one data file, keyed by UIN."""
    questions = wrans_xml.parse(path.read_bytes(), source_file or path.name)
    return {question.uin: question for question in questions}


def by_uin_from_bytes(data: bytes) -> dict:
    """The records parsed from bytes made in a test, keyed by UIN."""
    return {question.uin: question for question in wrans_xml.parse(data, COMMONS.name)}


def test_commons_record_with_table_and_pound_sign():
    """A Commons question maps every field; its reply's table becomes rows and &pound; becomes £."""
    assert by_uin(COMMONS)["292659"].as_record() == {
        "id": "2a8d4190ce589d30",
        "uin": "292659",
        "house": "Commons",
        "heading": "Charities",
        "question": "To ask the Secretary of State for Work and Pensions what grants her Department made to "
        "charitable organisations in each of the last five years.",
        "answer": "The only grant payments made to a charitable organisation by the Department for Work and "
        "Pensions are those made to Motability, which is a charitable organisation with overall "
        "responsibility for the Motability scheme. More information about Motability can be found at:\n\n"
        "www.motability.co.uk\n\n"
        "Grant payments to Motability for the last five years are shown in the table.\n\n"
        "| £000\n2004-05 | 2,551\n2005-06 | 2,640\n2006-07 | 2,809\n2007-08 | 2,960\n2008-09 | 3,814",
        "asked_by": "Bob Spink",
        "asked_by_party": None,
        "department": "Department for Work and Pensions",
        "answered_by": "Jonathan R Shaw",
        "answered_by_role": None,
        "date_asked": None,
        "date_answered": "2009-10-29",
        "answer_truncated": False,
        "source_format": "wrans_xml",
        "source_file": "answers2009-10-29a.xml",
        "url": None,
        "twfy_id": "2009-10-29a.292659.h",
        "status": "answered",
        "date_holding": None,
        "date_corrected": None,
        "original_answer": None,
    }


def test_lords_record():
    """A Lords question has house Lords, an HL uin and no department, since it asks the Government."""
    assert by_uin(LORDS)["HL5867"].as_record() == {
        "id": "1eb19ac2050bb942",
        "uin": "HL5867",
        "house": "Lords",
        "heading": "Bats",
        "question": "To ask Her Majesty's Government further to the Written Answer by Lord Adonis on 5 October "
        "(WA 392), which Government department paid the £300,000 for the construction of two bridges for "
        "bats over the Dobwalls bypass in Cornwall; and what cost-benefit analysis was made of that "
        "project before it was undertaken.",
        "answer": "The Highways Agency paid for the two bat bridges over Dobwalls bypass as they are legally "
        "bound to protect endangered species such as bats.\n\n"
        "Dobwalls bypass was subject to the department's normal cost benefit analyses at various stages "
        "throughout its design, preparation and construction. The benefit-cost ratio indicates that the "
        "project is high value for money.",
        "asked_by": "Lord Marlesford",
        "asked_by_party": None,
        "department": None,
        "answered_by": "Lord Adonis",
        "answered_by_role": None,
        "date_asked": None,
        "date_answered": "2009-10-28",
        "answer_truncated": False,
        "source_format": "wrans_xml",
        "source_file": "lordswrans2009-10-28a.xml",
        "url": None,
        "twfy_id": "2009-10-28a.147.6",
        "status": "answered",
        "date_holding": None,
        "date_corrected": None,
        "original_answer": None,
    }


def test_every_question_in_order_and_redirects_ignored():
    """Each question paragraph is one record, in file order; `<gidredirect>` elements add nothing."""
    uins = [question.uin for question in wrans_xml.parse(COMMONS.read_bytes(), COMMONS.name)]
    assert uins == ["292659", "295056", "295057", "295058", "296320", "296321", "296417", "296837", "295424"]


def test_two_ques_share_one_reply():
    """Two `<ques>` before one `<reply>` are two records, each with its own asker, sharing the answer."""
    questions = by_uin(COMMONS)
    first, second = questions["296320"], questions["296321"]
    assert (first.asked_by, second.asked_by) == ("Michael Fabricant", "Stephen Crabb")
    assert first.answer == second.answer
    assert first.answer.startswith("In July 2009 2,350 cattle in GB were slaughtered as TB reactors")
    assert first.heading == second.heading == "Bovine Tuberculosis"


def test_numbered_questions_share_their_opening():
    """A `<ques>` of numbered questions gives one record per qnum, each opened by the shared words."""
    questions = by_uin(COMMONS)
    assert [questions[uin].question for uin in ("295056", "295058")] == [
        "To ask the Prime Minister what discussions he has had with representatives of trade unions on "
        "implementing the EU Agency Workers Directive in the UK in 2011.",
        "To ask the Prime Minister what discussions he has had with (a) members and (b) representatives of "
        "(i) the CBI, (ii) the EEF and (iii) British Chambers of Commerce on implementing the EU Agency "
        "Workers Directive in the UK in 2011.",
    ]
    assert {questions[uin].answered_by for uin in ("295056", "295057", "295058")} == {"Gordon Brown"}


def test_lords_ques_with_several_numbers():
    """A Lords `<ques>` holding three HL-numbered paragraphs is three Lords questions with one answer."""
    questions = [question for uin, question in by_uin(LORDS).items() if uin in ("HL5409", "HL5410", "HL5411")]
    assert [question.asked_by for question in questions] == ["Baroness Warsi"] * 3
    assert {question.house for question in questions} == {"Lords"}
    assert len({question.answer for question in questions}) == 1
    assert all(question.question.startswith("To ask Her Majesty's Government ") for question in questions)


def test_department_from_question_then_major_heading():
    """The department comes from the question's addressee, else from the major heading in title case."""
    questions = by_uin(COMMONS)
    departments = {uin: questions[uin].department for uin in ("296320", "295056", "296417", "296837", "295424")}
    assert departments == {
        "296320": "Department for Environment, Food and Rural Affairs",
        "295056": "Prime Minister",
        "296417": "Transport",
        "296837": "House of Commons Commission",
        "295424": "Department for Children, Schools and Families",
    }


def test_entities_are_decoded():
    """Entities the DOCTYPE declares come out as characters: &pound; as £, &mdash; as —."""
    questions = by_uin(COMMONS)
    assert questions["296837"].answer == "The cost to the public purse was £1,615.10 excluding staff time."
    assert "102 have already selected National Indicator 186—measuring the per capita" in questions["296417"].answer


def test_latin1_bytes_are_decoded():
    """Raw ISO-8859-1 bytes, as the file's declaration promises, decode to the right characters."""
    data = COMMONS.read_bytes().replace(b"&pound;1,615.10", b"\xa31,615.10")
    assert "£1,615.10" in by_uin_from_bytes(data)["296837"].answer


def test_table_rows_and_line_breaks_stay_readable():
    """A table becomes `cell | cell` rows, and a `<br>` inside a cell starts a new line."""
    answer = by_uin(COMMONS)["295424"].answer
    assert "| Primary | State-funded secondary\n1997 | 27.5 | 21.6\n2002 | 26.3 | 21.9\n" in answer
    assert answer.endswith("in each school on the day of the census in January.\nSource:\nSchool Census.")


def test_date_comes_from_element_ids_when_file_is_renamed():
    """The answer date is read from the element ids, so a renamed file keeps it; the house holds too."""
    commons = by_uin(COMMONS, "downloaded.xml")["292659"]
    lords = by_uin(LORDS, "downloaded.xml")["HL5658"]
    assert (commons.date_answered, commons.house) == ("2009-10-29", "Commons")
    assert (lords.date_answered, lords.house) == ("2009-10-28", "Lords")


def test_ques_without_reply_has_no_answer():
    """A `<ques>` with no `<reply>` after it is still a record, with answer and answerer None."""
    data = COMMONS.read_bytes()
    without_reply = re.sub(rb'<reply id="[^"]*296837\.r0".*?</reply>', b"", data, flags=re.DOTALL)
    question = by_uin_from_bytes(without_reply)["296837"]
    assert (question.answer, question.answered_by) == (None, None)
    assert question.asked_by == "Michael Penning"


def test_truncated_xml_names_the_position():
    """A file cut off part-way says where the XML breaks and suggests truncation."""
    data = COMMONS.read_bytes()[:3000]
    with pytest.raises(ParseError) as raised:
        wrans_xml.parse(data, "cut.xml")
    assert str(raised.value) == "invalid XML at line 79 column 40: no element found (is the file truncated?)"


def test_broken_xml_names_the_position():
    """Badly nested XML says where and what is wrong."""
    with pytest.raises(ParseError, match=r"^invalid XML at line 1 column 21: mismatched tag$"):
        wrans_xml.parse(b"<publicwhip><ques></reply></publicwhip>", "broken.xml")


def test_unknown_encoding_is_refused():
    """An XML declaration naming an encoding that does not exist is refused, naming it."""
    data = COMMONS.read_bytes().replace(b'encoding="ISO-8859-1"', b'encoding="ISO-88x9-1"', 1)
    with pytest.raises(ParseError, match=r"^invalid XML: unknown encoding: ISO-88x9-1$"):
        wrans_xml.parse(data, "odd.xml")


def test_external_entities_are_not_fetched():
    """An entity pointing at a file outside the document is refused, never read."""
    data = (
        b'<?xml version="1.0"?><!DOCTYPE publicwhip [<!ENTITY secret SYSTEM "file:///etc/hostname">]>'
        b"<publicwhip><ques><p qnum='1'>To ask &secret;</p></ques></publicwhip>"
    )
    with pytest.raises(ParseError, match=r"^invalid XML at line 1 column \d+: undefined entity$"):
        wrans_xml.parse(data, "external.xml")


def test_other_xml_is_refused():
    """Well-formed XML whose root is not `<publicwhip>` is refused as not a written answers file."""
    with pytest.raises(ParseError, match=r"^XML is not a TheyWorkForYou written answers file$"):
        wrans_xml.parse(b"<html><body><p>To ask the Prime Minister</p></body></html>", "page.html")


def test_file_without_questions_is_refused():
    """A `<publicwhip>` file with headings but no `<ques>` says there are no questions."""
    data = re.sub(rb"<(ques|reply) .*?</\1>", b"", COMMONS.read_bytes(), flags=re.DOTALL)
    with pytest.raises(ParseError, match=r"^no questions in the file$"):
        wrans_xml.parse(data, "empty.xml")


def test_questions_under_one_heading_share_its_theyworkforyou_page_id():
    """A `<minor-heading>`'s id, less its prefix, is the page TheyWorkForYou links to for every question under it."""
    ids = {question.uin: question.twfy_id for question in wrans_xml.parse(COMMONS.read_bytes(), COMMONS.name)}
    assert ids["295056"] == ids["295057"] == ids["295058"] == "2009-10-29a.295056.h"
    assert ids["296320"] == "2009-10-29a.296320.h"
