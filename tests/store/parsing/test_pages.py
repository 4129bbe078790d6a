"""Written questions saved as text from web pages, parsed to records: the seeds and each layout."""

from __future__ import annotations

import codecs
from collections.abc import Callable

import pytest
from conftest import SEEDS

from store.parsing.errors import ParseError
from store.parsing.pages import parse
from store.record import Question
from store.text import decode

FIELDS = (
    "heading",
    "uin",
    "asked_by",
    "asked_by_party",
    "date_asked",
    "department",
    "answered_by",
    "answered_by_role",
    "date_answered",
    "house",
    "source_format",
)

EXPECTED_FIELDS = {
    "000": dict(
        heading="Special Educational Needs",
        uin=None,
        asked_by="David Williams",
        asked_by_party="Labour",
        date_asked="2024-10-23",
        department="Department for Education",
        answered_by="Catherine McKinnell",
        answered_by_role=None,
        date_answered="2024-10-31",
        house="Commons",
        source_format="parliament_page",
    ),
    "001": dict(
        heading="Local Government: Children",
        uin=None,
        asked_by=None,
        asked_by_party=None,
        date_asked="2021-10-15",
        department="Department for Education",
        answered_by="Will Quince",
        answered_by_role=None,
        date_answered="2021-10-20",
        house="Commons",
        source_format="parallel_parliament",
    ),
    "002": dict(
        heading=None,
        uin=None,
        asked_by=None,
        asked_by_party=None,
        date_asked=None,
        department="Department for Education",
        answered_by=None,
        answered_by_role=None,
        date_answered=None,
        house="Commons",
        source_format="bare_text",
    ),
    "003": dict(
        heading="Special Educational Needs",
        uin=None,
        asked_by=None,
        asked_by_party=None,
        date_asked="2024-03-15",
        department="Department for Education",
        answered_by="David Johnston",
        answered_by_role="Parliamentary Under-Secretary (Department for Education)",
        date_answered="2024-03-25",
        house="Commons",
        source_format="parallel_parliament",
    ),
    "004": dict(
        heading="Special Educational Needs",
        uin=None,
        asked_by="Lord Porter of Spalding",
        asked_by_party="Conservative",
        date_asked=None,
        department="Department for Education",
        answered_by="Lord Agnew of Oulton",
        answered_by_role="The Parliamentary Under-Secretary of State for Education",
        date_answered="2019-06-03",
        house="Lords",
        source_format="theyworkforyou_page",
    ),
}

# Per seed: the question, the answer's first and last paragraphs, and how many paragraphs it has.
EXPECTED_TEXT = {
    "000": (
        "To ask the Secretary of State for Education, what steps she is taking to help support local "
        "authorities to meet the legal deadline to provide an education, health and care plan.",
        "Every child deserves the opportunity to achieve and thrive but, at the moment, far from every "
        "child is being given that chance. The current special educational needs and disabilities (SEND) "
        "and alternative provision system has lost the confidence of families and children with SEND are "
        "being failed on every measure. The department is planning to work with the teachers, parents, "
        "children, therapists and councils that for so long have been trying so hard but have been set up "
        "to fail by a broken system. This work forms part of the government’s Opportunity Mission, which "
        "will break the unfair link between background and opportunity. This begins with giving every "
        "child, including those with SEND, the best start in life.",
        "When inspections indicate that there are significant concerns with local authority performance, "
        "the department will intervene directly. This may mean issuing an Improvement Notice, Statutory "
        "Direction and/or appointing a commissioner, the deployment of which is considered on a "
        "case-by-case basis. We also provide support and challenge, for example from SEND Improvement "
        "Advisers and Sector Led Improvement Partners, to address the challenges local authorities face "
        "and improve services for children.",
        6,
    ),
    "001": (
        "To ask the Secretary of State for Education, what steps his Department is taking to help ensure "
        "that local authorities have the capacity and resources to meet their targets for providing "
        "Education, Health and Care plan assessments.",
        "This year, local authorities have access to £51.3 billion to deliver their core services, "
        "including special educational needs and disability (SEND) services. Local authorities have the "
        "flexibility to spend according to local needs and priorities, including to undertake education, "
        "health and care needs assessments.",
        "The government’s review of the SEND system is making good progress in identifying improvements "
        "needed to secure lasting and tangible change to the special educational needs system, drawing on "
        "significant input from a wide range of organisations, children, young people and parents. "
        "Proposals for consultation will be published as soon as possible.",
        5,
    ),
    "002": (
        "To ask the Secretary of State for Education, what steps she is taking to improve the value for "
        "money of education, health and care plans.",
        "For too long, the education system has not met the needs of all children, particularly those "
        "with special educational needs and disabilities (SEND), with parents struggling to get their "
        "children the support they need and deserve, particularly through long and difficult education, "
        "health and care (EHC) plan processes.",
        "The department has published a toolkit to help other local areas learn from the experience of "
        "those on the Delivering Better Value in SEND programme.",
        6,
    ),
    "003": (
        "To ask the Secretary of State for Education, what steps she is taking to ensure that her "
        "Department works with (a) local authorities and (b) the Department of Health and Social Care to "
        "provide joined up services for children with SEND.",
        "Local authorities already have existing statutory responsibilities to develop, publish and "
        "review the special educational needs and disabilities (SEND) local offer, to ensure that the "
        "range of provision and services available in their local area are sufficient and well suited to "
        "the needs of children with SEND.",
        "The Improvement Plan also committed to the Change Programme which was launched in September 2023, "
        "and is testing key SEND and AP reforms with 32 local authorities in each of the 9 regions. The "
        "department, working with its Delivery Partner, Reaching Excellence and Ambition for all Children "
        "(REACh), are providing these local authorities with ‘boots on the ground’ support for the testing "
        "of these reforms. We are also running a live feedback loop that is providing early insights into "
        "how the reforms and supporting documents are working and identifying required changes.",
        4,
    ),
    "004": (
        "To ask Her Majesty's Government what steps they are taking to ensure that local health partners "
        "are playing an equitable role alongside local government in supporting children with special "
        "educational needs and disabilities.",
        "Creating an effective inter-agency approach, where local government works in partnership with "
        "health partners to meet needs, is a key feature of the reforms to the Special Educational Needs "
        "and Disability (SEND) system introduced in the 2014 Children and Families Act.",
        "We have also re-emphasised the requirement to jointly commission Information, Advice and Support "
        "(IAS) Services across health and the local authority through our new minimum standards, backed "
        "by £10 million investment through the IAS programme.",
        10,
    ),
}

FURNITURE = (
    "Reticulating Splines",
    "View Source",
    "Alert me about debates",
    "Does this answer the above question",
    "people think so",
    "people think not",
    "Would you like to ask a question like this yourself",
    "Open Parliament Licence",
    "Portrait",
    "Photo of",
)

# Ways a saved page's text reaches the parser other than as the clean UTF-8 of the seeds.
RE_ENCODINGS: dict[str, Callable[[str], str]] = {
    "crlf": lambda text: decode(text.replace("\n", "\r\n").encode("utf-8")),
    "bare_cr": lambda text: decode(text.replace("\n", "\r").encode("utf-8")),
    "utf8_bom": lambda text: decode(codecs.BOM_UTF8 + text.encode("utf-8")),
    "bom_left_in_text": lambda text: "\ufeff" + text,
    "cp1252": lambda text: decode(text.encode("cp1252")),
    "non_breaking_spaces": lambda text: decode(text.replace(" ", "\u00a0").encode("utf-8")),
}


def seed_text(number: str) -> tuple[str, str]:
    """The decoded text of one seed file and its name."""
    (path,) = SEEDS.glob(f"{number}_*.txt")
    return decode(path.read_bytes()), path.name


def parse_seed(number: str) -> Question:
    """One seed file, parsed."""
    text, name = seed_text(number)
    return parse(text, name)


def fields_of(record: Question) -> dict:
    """The record's fields that the seed table pins."""
    return {field: getattr(record, field) for field in FIELDS}


@pytest.mark.parametrize("number", sorted(EXPECTED_FIELDS))
def test_seed_fields(number: str) -> None:
    """Each seed parses to exactly the heading, people, dates, department, house and format expected."""
    assert fields_of(parse_seed(number)) == EXPECTED_FIELDS[number]


@pytest.mark.parametrize("number", sorted(EXPECTED_TEXT))
def test_seed_question_and_answer(number: str) -> None:
    """Each seed's question is one clean line and its answer keeps its paragraphs, first to last."""
    question, first, last, count = EXPECTED_TEXT[number]
    record = parse_seed(number)
    paragraphs = record.answer.split("\n\n")
    assert record.question == question
    assert (paragraphs[0], paragraphs[-1], len(paragraphs)) == (first, last, count)


@pytest.mark.parametrize("number", sorted(EXPECTED_TEXT))
def test_answer_paragraphs_are_clean(number: str) -> None:
    """Answer paragraphs are single clean lines parted by exactly one blank line."""
    for paragraph in parse_seed(number).answer.split("\n\n"):
        assert paragraph and "\n" not in paragraph and paragraph == paragraph.strip()
        assert "\u00a0" not in paragraph and "  " not in paragraph


@pytest.mark.parametrize("number", sorted(EXPECTED_FIELDS))
def test_no_furniture_in_any_field(number: str) -> None:
    """No page furniture (links, prompts, votes, licence, photo captions) reaches any field."""
    values = [value for value in parse_seed(number).as_record().values() if isinstance(value, str)]
    assert [(piece, value) for piece in FURNITURE for value in values if piece in value] == []


@pytest.mark.parametrize("number", sorted(EXPECTED_FIELDS))
def test_source_file_is_recorded(number: str) -> None:
    """The record names the file it came from."""
    text, name = seed_text(number)
    assert parse(text, name).source_file == name


@pytest.mark.parametrize("encoding", sorted(RE_ENCODINGS))
@pytest.mark.parametrize("number", sorted(EXPECTED_FIELDS))
def test_re_encoded_seed_parses_the_same(number: str, encoding: str) -> None:
    """CRLF or CR endings, a BOM, cp1252 bytes or non-breaking spaces leave the record unchanged."""
    text, name = seed_text(number)
    assert parse(RE_ENCODINGS[encoding](text), name) == parse(text, name)


@pytest.mark.parametrize(
    "text",
    [
        "Shopping list\n\nmilk\neggs\nbread\n",
        "# pqbot\n\nA Slack bot that finds written questions.\n\n## Install\n\npip install pqbot\n",
        "",
        "\r\n  \u00a0\r\n",
    ],
    ids=["shopping_list", "readme", "empty", "only_spaces"],
)
def test_text_without_a_question_is_refused(text: str) -> None:
    """Text with no "To ask …" question raises ParseError saying it is not a written question."""
    with pytest.raises(ParseError, match="not a written question: no 'To ask …' question found"):
        parse(text, "notes.txt")


def test_marked_page_without_a_question_is_refused() -> None:
    """A page with a layout's marker but no "To ask …" question under it is still refused."""
    page = "PARLIAMENTARY WRITTEN QUESTION\nSchools (1 May 2024)\n\nQuestion Asked\n\nAsked by:\nA Member (Labour)\n"
    with pytest.raises(ParseError, match="not a written question"):
        parse(page, "empty.txt")


PARALLEL_PARLIAMENT_PAGE = """\
School Meals

(asked on 2nd May 2023) - View Source

Question to the Department for Education:

To ask the Secretary of State for Education, how many children receive free school meals.


Answered by
Nick Gibb Portrait
Nick Gibb
{role}This question was answered on 10th May 2023

About two million children receive free school meals.

Reticulating Splines
"""


def test_parallel_parliament_without_role_line() -> None:
    """A Parallel Parliament answerer with no role line has a name and no role."""
    record = parse(PARALLEL_PARLIAMENT_PAGE.format(role=""), "pp.txt")
    assert (record.answered_by, record.answered_by_role, record.date_answered) == ("Nick Gibb", None, "2023-05-10")
    assert record.answer == "About two million children receive free school meals."


def test_parallel_parliament_with_role_line() -> None:
    """A Parallel Parliament role line becomes the role and stays out of the name and answer."""
    page = PARALLEL_PARLIAMENT_PAGE.format(role="Minister of State (Education)\n")
    record = parse(page, "pp.txt")
    assert (record.answered_by, record.answered_by_role) == ("Nick Gibb", "Minister of State (Education)")
    assert record.answer == "About two million children receive free school meals."


def test_parallel_parliament_dates_heading_and_department() -> None:
    """Parallel Parliament's heading, asked and answered dates and addressee are read from their lines."""
    record = parse(PARALLEL_PARLIAMENT_PAGE.format(role=""), "pp.txt")
    assert (record.heading, record.date_asked, record.department, record.source_format) == (
        "School Meals",
        "2023-05-02",
        "Department for Education",
        "parallel_parliament",
    )


def test_parallel_parliament_with_view_source_on_its_own_line() -> None:
    """A Parallel Parliament page whose "View Source" link was saved on a line of its own still parses."""
    page = PARALLEL_PARLIAMENT_PAGE.format(role="").replace(" - View Source", "\nView Source")
    record = parse(page, "pp.txt")
    assert (record.source_format, record.date_asked, record.heading) == (
        "parallel_parliament",
        "2023-05-02",
        "School Meals",
    )
    assert "View Source" not in repr(record)


THEYWORKFORYOU_PAGE = """\
Schools: Heating

Department for Education written question {dash} answered on 4th February 2022.

Alert me about debates like this

Photo of {asker}

To ask Her Majesty's Government what support they give schools with heating costs.

Photo of {answerer}

Schools are funded through the dedicated schools grant.

Does this answer the above question?

Yes3 people think so

No12 people think not

Would you like to ask a question like this yourself? Use our Freedom of Information site.
"""


def theyworkforyou_page(asker: str, answerer: str, dash: str = "–") -> str:
    """A small TheyWorkForYou page with the given photo captions."""
    return THEYWORKFORYOU_PAGE.format(asker=asker, answerer=answerer, dash=dash)


def test_theyworkforyou_asker_with_role_has_no_party() -> None:
    """A TheyWorkForYou asker captioned with a role, not a party, has a name and no party."""
    page = theyworkforyou_page(
        asker="Baroness Smith of Basildon Baroness Smith of Basildon Shadow Leader of the House of Lords",
        answerer="Baroness Barran Baroness Barran The Parliamentary Under-Secretary of State for Education",
    )
    record = parse(page, "twfy.txt")
    assert (record.asked_by, record.asked_by_party) == ("Baroness Smith of Basildon", None)


def test_theyworkforyou_answerer_with_party_has_no_role() -> None:
    """A TheyWorkForYou answerer captioned with a party has no role (the record keeps no answerer party)."""
    page = theyworkforyou_page(
        asker="Lord Storey Lord Storey Liberal Democrat",
        answerer="Baroness Barran Baroness Barran Conservative",
    )
    record = parse(page, "twfy.txt")
    assert (record.answered_by, record.answered_by_role) == ("Baroness Barran", None)
    assert (record.asked_by, record.asked_by_party) == ("Lord Storey", "Liberal Democrat")


def test_theyworkforyou_party_before_constituency() -> None:
    """A TheyWorkForYou caption of party then constituency gives the party alone."""
    page = theyworkforyou_page(
        asker="Sarah Olney Sarah Olney Liberal Democrat, Richmond Park",
        answerer="Nick Gibb Nick Gibb The Minister of State for Education",
    )
    assert parse(page, "twfy.txt").asked_by_party == "Liberal Democrat"


def test_theyworkforyou_name_is_the_longest_repeated_prefix() -> None:
    """A TheyWorkForYou name whose first word repeats is still split where the whole name repeats."""
    page = theyworkforyou_page(
        asker="Dai Dai Davies Dai Dai Davies Plaid Cymru",
        answerer="Baroness Barran Baroness Barran Conservative",
    )
    record = parse(page, "twfy.txt")
    assert (record.asked_by, record.asked_by_party) == ("Dai Dai Davies", "Plaid Cymru")


def test_theyworkforyou_with_hyphen_for_dash() -> None:
    """A TheyWorkForYou page whose en dash was saved as a hyphen is still read as one."""
    page = theyworkforyou_page(
        asker="Lord Storey Lord Storey Liberal Democrat",
        answerer="Baroness Barran Baroness Barran Conservative",
        dash="-",
    )
    record = parse(page, "twfy.txt")
    assert (record.source_format, record.date_answered, record.house) == ("theyworkforyou_page", "2022-02-04", "Lords")
    assert record.answer == "Schools are funded through the dedicated schools grant."


def test_parliament_page_heading_without_date() -> None:
    """A Parliament site heading whose brackets hold no date is kept whole, with no date asked."""
    page = (
        "PARLIAMENTARY WRITTEN QUESTION\nSchools (Wales)\n\nQuestion Asked\n\n"
        "To ask the Secretary of State for Wales, how many schools there are.\n\nAnswer\n\nMany.\n"
    )
    record = parse(page, "page.txt")
    assert (record.heading, record.date_asked, record.department, record.answer) == (
        "Schools (Wales)",
        None,
        "Wales Office",
        "Many.",
    )


def test_parliament_page_party_with_brackets() -> None:
    """A Parliament site party that holds brackets of its own, "Labour (Co-op)", is kept whole."""
    page = (
        "PARLIAMENTARY WRITTEN QUESTION\nSchools (1 May 2024)\n\nQuestion Asked\n\n"
        "To ask the Secretary of State for Education, how many schools there are.\n\n"
        "Asked by:\nJo Bloggs (Labour (Co-op))\n\nAnswer\n\nMany.\n"
    )
    record = parse(page, "page.txt")
    assert (record.asked_by, record.asked_by_party) == ("Jo Bloggs", "Labour (Co-op)")


def test_furniture_lines_in_bare_text_stay_out_of_the_answer() -> None:
    """Furniture lines pasted along with a bare question and answer are dropped from the answer."""
    text = (
        "To ask the Secretary of State for Education, how many schools there are.\nMany.\nView Source\n"
        "Reticulating Splines\nAlert me about debates like this\nDoes this answer the above question?\n"
        "Yes1 people think so\nNo 22 people think not\n"
        "Would you like to ask a question like this yourself? Use our Freedom of Information site.\n"
        "Contains Parliamentary information licensed under the Open Parliament Licence v3.0.\n"
    )
    assert parse(text, "bare.txt").answer == "Many."


def test_bare_text_without_addressee_line() -> None:
    """Bare text with no "Question to …:" line takes its department and house from the question."""
    text = "To ask the Secretary of State for Defence, how many ships there are.\nThere are many.\n"
    record = parse(text, "bare.txt")
    assert (record.department, record.house, record.answer, record.source_format) == (
        "Ministry of Defence",
        "Commons",
        "There are many.",
        "bare_text",
    )


def test_bare_lords_question_has_no_department() -> None:
    """A bare Lords question names no department, so none is recorded."""
    record = parse("To ask His Majesty's Government what they are doing.\n", "bare.txt")
    assert (record.house, record.department, record.answer) == ("Lords", None, None)
