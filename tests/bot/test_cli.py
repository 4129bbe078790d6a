"""The pqbot command line: ingest, export and stats, their output and their exit codes."""

import csv
import io
import json
import os
import re
from datetime import UTC, datetime, timedelta

import pytest
from block_kit import buttons
from conftest import DATA, SEEDS, answer_file, real_answers
from slack_stand_in import WebApiStandIn

from bot.cli import cli
from bot.compose.buttons import FULL_ANSWER
from store.db import QuestionStore
from store.parsing import parse_document
from store.search import SearchEngine
from store.seeding import ensure_seeded
from store.subscriptions import Subscriptions


def test_every_command_has_help(run):
    """Each subcommand explains itself in --help."""
    for name, command in cli.commands.items():
        assert command.help, name
        assert run(name, "--help").exit_code == 0


def test_ingest_prints_a_summary_and_exits_0(run):
    """A clean batch reports its counts and exits 0."""
    result = run("ingest", str(SEEDS), str(DATA / "api"))
    assert result.exit_code == 0
    assert re.fullmatch(r"\d+ files: \d+ new, 0 updated, 0 unchanged, 0 failed\n", result.stdout)


def test_ingest_names_each_failed_file_and_exits_1(run, tmp_path):
    """A failed file is named with its reason on stderr; the good ones still land."""
    bad = tmp_path / "notes.txt"
    bad.write_text("Meeting notes: nothing to see here.")
    result = run("ingest", str(SEEDS), str(bad))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"{bad}: not a written question: no 'To ask …' question found"
    assert result.stdout.strip() == "6 files: 5 new, 0 updated, 0 unchanged, 1 failed"


def test_ingest_of_a_missing_path_stores_the_rest_and_exits_1(run, tmp_path):
    """A path that does not exist is one failed file, named with why; the files beside it land."""
    missing = tmp_path / "nope.json"
    result = run("ingest", str(missing), str(SEEDS))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"{missing}: cannot read: No such file or directory"
    assert result.stdout.strip() == "6 files: 5 new, 0 updated, 0 unchanged, 1 failed"


def test_ingest_never_seeds_the_store(run, tmp_path):
    """Ingest stores exactly what it is given, even into an empty store."""
    run("ingest", str(DATA / "api"))
    exported = [json.loads(line) for line in run("export").stdout.splitlines()]
    assert {record["source_format"] for record in exported} == {"api_json"}


def test_export_seeds_an_empty_store_and_writes_jsonl(run):
    """The first read of an empty store brings in the five seeds."""
    result = run("export")
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 5
    assert "bundled example answers" in result.stderr


def test_export_csv_has_a_header_and_a_row_per_record(run):
    """CSV export has the record fields as its header."""
    rows = list(csv.DictReader(io.StringIO(run("export", "--format", "csv").stdout)))
    assert len(rows) == 5
    assert rows[0].keys() >= {"id", "heading", "answer", "url"}


def test_stats_shows_the_database_path_and_breakdowns(run, tmp_path):
    """Stats names the store's file and counts by format, house, department and year."""
    out = run("stats").stdout
    assert f"Database: {tmp_path / 'pq.db'}" in out
    assert "Questions: 5" in out
    for title in ("Source format", "House", "Department", "Year answered"):
        assert title in out
    assert "5  Department for Education" in out


def test_stats_says_what_the_inbox_ignores_and_why(run, tmp_path):
    """A link and a pipe in PQBOT_INBOX are listed under Inbox with their reasons."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "answers.txt").symlink_to("/etc/passwd")
    os.mkfifo(inbox / "pipe.json")
    out = run("stats", PQBOT_INBOX=str(inbox)).stdout
    assert out.endswith(
        f"\nInbox: {inbox}\n"
        "  ignoring answers.txt: a symbolic link; only files that really live in the inbox are taken\n"
        "  ignoring pipe.json: a named pipe, not a regular file\n"
    )


def test_stats_says_nothing_of_an_inbox_that_does_not_exist(run, tmp_path):
    """With no inbox folder yet there is no Inbox section, and stats does not create one."""
    out = run("stats", PQBOT_INBOX=str(tmp_path / "inbox")).stdout
    assert "Inbox" not in out
    assert not (tmp_path / "inbox").exists()


def test_a_malformed_setting_is_named_and_exits_2(run):
    """A bad PQBOT_* value is a usage error naming the variable and pointing at the README."""
    result = run("stats", PQBOT_MAX_FILE_MB="lots")
    assert result.exit_code == 2
    assert "PQBOT_MAX_FILE_MB must be a whole number" in result.stderr
    assert "README" in result.stderr


NO_SLACK = {"SLACK_BOT_TOKEN": "", "SLACK_APP_TOKEN": "", "SLACK_SIGNING_SECRET": "", "PQBOT_PORT": ""}


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "SLACK_BOT_TOKEN is not set"),
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET is not set"),
        ({"SLACK_BOT_TOKEN": "xoxp-1"}, "SLACK_BOT_TOKEN must be the xoxb-… token"),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xoxb-2"}, "SLACK_APP_TOKEN must be the xapp-… token"),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "PQBOT_PORT": "0"}, "PQBOT_PORT must be at least"),
    ],
)
def test_serve_without_usable_slack_settings_names_the_variable_and_exits_2(run, env, message):
    """serve stops before anything starts, naming the missing or malformed variable and the README."""
    result = run("serve", **(NO_SLACK | env))
    assert result.exit_code == 2
    assert message in result.stderr
    assert "README" in result.stderr


def test_digest_posts_every_answer_in_as_many_messages_as_it_takes(run, tmp_path):
    """pqbot digest of 120 new answers on one topic: several numbered messages, each answer in one of them."""
    store = QuestionStore.open(tmp_path / "pq.db")
    ensure_seeded(store)
    entries = real_answers(120, "D")
    for entry in entries:
        entry["value"]["heading"] = "Respite care grpdigest"
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
    store.save(parse_document(answer_file(entries), "many.json"), now=an_hour_ago)
    Subscriptions(store, SearchEngine(store)).add("CDIGEST", "grpdigest", "UPERSON", an_hour_ago)
    store.close()
    slack = WebApiStandIn()
    try:
        result = run("digest", SLACK_BOT_TOKEN="xoxb-test", SLACK_API_URL=f"{slack.url}/api/")
        posts = slack.received("/api/chat.postMessage", channel="CDIGEST")
    finally:
        slack.close()
    assert result.exit_code == 0, result.output
    assert f"CDIGEST: posted 120 answers in {len(posts)} messages" in result.output
    assert len(posts) > 1
    shown = [button["value"] for post in posts for button in buttons(post.body, FULL_ANSWER)]
    assert len(shown) == len(set(shown)) == 120
