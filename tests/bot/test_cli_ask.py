"""pqbot ask: readable results, --json records, --batch lines, and plain errors."""

import json


def test_ask_on_a_new_store_answers_from_the_seeds(run):
    """The Quickstart: EHC timeliness finds seed 000 first, with who asked and the snippet."""
    result = run("ask", "EHC", "timeliness")
    assert result.exit_code == 0
    first = result.stdout.split("\n\n")[1]
    assert first.startswith("1. Special Educational Needs · answered 31 October 2024")
    assert "David Williams (Labour) → Department for Education; answered by Catherine McKinnell" in first
    assert "**timeliness**" in first


def test_ask_json_gives_records_with_score_and_snippet(run):
    """--json prints the export keys plus score and snippet for each hit."""
    hits = json.loads(run("ask", "--json", "--limit", "2", "EHC timeliness").stdout)
    assert len(hits) == 2
    assert set(hits[0]) >= {"id", "heading", "answer", "url", "score", "snippet"}
    assert hits[0]["score"] >= hits[1]["score"]


def test_ask_reports_corrections(run):
    """A corrected typo is shown with what was searched for."""
    assert "Corrected: timelyness → timeliness" in run("ask", "timelyness").stdout


def test_ask_says_plainly_when_nothing_matches(run):
    """No match is a sentence with a suggestion, not an empty screen."""
    assert "No answers match" in run("ask", "hovercraft jousting").stdout


def test_a_bad_filter_is_a_usage_error(run):
    """A filter it cannot read exits 2 and says how to write it."""
    result = run("ask", "EHC", "from:yesterday")
    assert result.exit_code == 2
    assert "from: takes a year, month or day" in result.stderr


def test_ask_needs_a_query_or_a_batch(run):
    """Neither, or both, is a usage error."""
    assert run("ask").exit_code == 2


def test_batch_prints_one_json_line_per_query(run, tmp_path):
    """--batch: each line a query; each output line its results, timing and confidence."""
    queries = tmp_path / "queries.txt"
    queries.write_text("EHC timeliness\n\nfrom:nope\nhovercraft jousting\n")
    lines = [json.loads(line) for line in run("ask", "--batch", str(queries)).stdout.splitlines()]
    assert [line["query"] for line in lines] == ["EHC timeliness", "from:nope", "hovercraft jousting"]
    assert lines[0]["confident"] is True and lines[0]["results"][0]["heading"] == "Special Educational Needs"
    assert "took_ms" in lines[0]
    assert "from: takes" in lines[1]["error"]
    assert (lines[2]["confident"], lines[2]["results"]) == (False, [])


def test_a_missing_synonyms_file_is_a_settings_error(run, tmp_path):
    """PQBOT_SYNONYMS must name a file; anything else exits 2 naming the variable."""
    result = run("ask", "EHC", PQBOT_SYNONYMS=str(tmp_path / "nope.toml"))
    assert result.exit_code == 2
    assert "PQBOT_SYNONYMS" in result.stderr


def test_a_malformed_synonyms_file_is_a_usage_error(run, tmp_path):
    """A synonyms file that is not valid TOML exits 2 naming the variable and the file."""
    broken = tmp_path / "mine.toml"
    broken.write_text("groups = [")
    result = run("ask", "EHC", PQBOT_SYNONYMS=str(broken))
    assert result.exit_code == 2
    assert f"PQBOT_SYNONYMS: {broken}: not valid TOML" in result.stderr


def test_ask_cite_prints_each_answers_citation_as_the_cite_button_does(run):
    """--cite adds the sentence and the short reference under each answer; the seed has no UIN, so
    neither form gives a number or an official link."""
    first = run("ask", "--cite", "--limit", "1", "EHC", "timeliness").stdout.split("\n\n")[1]
    lines = [line.strip() for line in first.splitlines()]
    [cite] = [line for line in lines if line.startswith("Cite:")]
    [reference] = [line for line in lines if line.startswith("Reference:")]
    assert cite == (
        "Cite: A written question (“Special Educational Needs”), tabled in the House of Commons by David Williams "
        "(Labour) on 23 October 2024, was answered for the Department for Education by Catherine McKinnell on "
        "31 October 2024."
    )
    assert reference == (
        "Reference: HC WQ, “Special Educational Needs”, tabled 23 October 2024, answered 31 October 2024, "
        "Department for Education"
    )
