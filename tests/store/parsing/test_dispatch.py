"""parse_document tells every kind of answer file apart by its content, not its name."""

import pytest
from conftest import DATA, SEEDS

from store.parsing import ParseError, parse_document


@pytest.mark.parametrize(
    ("path", "source_format"),
    [
        (SEEDS / "000_ea963a943c056c52.txt", "parliament_page"),
        (SEEDS / "001_f5f6ddbb26941a27.txt", "parallel_parliament"),
        (SEEDS / "002_e50ea691b461278c.txt", "bare_text"),
        (SEEDS / "004_58ae73a33663d7cc.txt", "theyworkforyou_page"),
        (DATA / "api" / "written-questions-sample.json", "api_json"),
        (DATA / "wrans" / "answers2009-10-29a.xml", "wrans_xml"),
    ],
)
def test_each_format_is_recognised_by_content(path, source_format, tmp_path):
    """A file is read as its content says, whatever it is called."""
    renamed = tmp_path / "download"
    renamed.write_bytes(path.read_bytes())
    questions = parse_document(renamed.read_bytes(), str(renamed))
    assert {question.source_format for question in questions} == {source_format}


def test_a_page_saved_as_html_is_read_as_its_text():
    """A browser's "Save page as HTML" of a question page parses like the text it shows."""
    text = (SEEDS / "002_e50ea691b461278c.txt").read_text("utf-8")
    paragraphs = "".join(f"<p>{line}</p>" for line in text.splitlines())
    html = f"<!DOCTYPE html><html><head><title>PQ</title></head><body>{paragraphs}</body></html>"
    (from_html,) = parse_document(html.encode(), "saved.html")
    (from_text,) = parse_document(text.encode(), "saved.txt")
    assert (from_html.question, from_html.answer) == (from_text.question, from_text.answer)


def test_json_with_a_byte_order_mark_is_still_json():
    """A BOM before the JSON does not hide its format."""
    data = b"\xef\xbb\xbf" + (DATA / "api" / "written-questions-sample.json").read_bytes()
    assert parse_document(data, "bom.json")[0].source_format == "api_json"


def test_xml_that_is_not_written_answers_is_refused_plainly():
    """An unrelated XML file gets a reason, not a crash."""
    with pytest.raises(ParseError, match="not a TheyWorkForYou written answers file"):
        parse_document(b"<?xml version='1.0'?><rss><channel/></rss>", "feed.xml")
