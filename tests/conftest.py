"""Fixtures shared by every test: a real store in a temporary SQLite file, the test data folder, and
pqbot's command line run in-process.

The bot's tests import this module as `conftest`, so their fixtures live here rather than in a
tests/bot/conftest.py that would take that name.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from store.db import QuestionStore
from store.record import Question

DATA = Path(__file__).parent / "data"
SEEDS = Path(__file__).parent.parent / "seeds"
# Answers on three unrelated subjects, for search by meaning.
FIT_NOTES = Question(
    heading="Fit Notes",
    question="To ask the Secretary of State for Work and Pensions, how many fit notes GPs issued last year.",
    answer="Over 11 million fit notes were issued in England, most saying the patient was not fit for work.",
    uin="101",
    date_asked="2024-01-10",
    date_answered="2024-01-20",
)
FISHING = Question(
    heading="Fisheries: North Sea",
    question="To ask the Secretary of State for Environment, Food and Rural Affairs, what the North Sea cod quota is.",
    answer="The UK's share of the total allowable catch of cod was agreed with Norway and the EU.",
    uin="102",
    date_asked="2024-01-10",
    date_answered="2024-01-22",
)
HEATING = Question(
    heading="Fuel Poverty",
    question="To ask the Secretary of State for Energy Security and Net Zero, how many households are in fuel poverty.",
    answer="An estimated 3.2 million households in England were in fuel poverty in 2023.",
    uin="103",
    date_asked="2024-01-10",
    date_answered="2024-01-23",
)


@pytest.fixture
def store(tmp_path: Path) -> QuestionStore:
    """An empty store in a fresh SQLite file."""
    opened = QuestionStore.open(tmp_path / "pqbot.db")
    yield opened
    opened.close()


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    """The environment pqbot runs in: a fresh store file in tmp_path, default logging, no user synonyms."""
    return {"PQBOT_DB": str(tmp_path / "pq.db"), "PQBOT_LOG_LEVEL": "", "PQBOT_SYNONYMS": ""}


@pytest.fixture
def run(cli_env: dict[str, str]) -> Callable[..., Result]:
    """Run pqbot in-process in cli_env, plus any variables given; returns the click Result."""
    from bot.cli import cli

    def invoke(*args: str, **extra_env: str) -> Result:
        return CliRunner().invoke(cli, list(args), env=cli_env | extra_env, catch_exceptions=False)

    return invoke


def real_answers(count: int, uin_prefix: str) -> list[dict]:
    """count entries of the real sample API file, each under a UIN (and question id) of its own."""
    results = json.loads((DATA / "api" / "written-questions-sample.json").read_text("utf-8"))["results"]
    entries = []
    for number in range(count):
        entry = json.loads(json.dumps(results[number % len(results)]))
        entry["value"] |= {"uin": f"{uin_prefix}{number}", "id": 900000 + number}
        entries.append(entry)
    return entries


def answer_file(entries: list[dict]) -> bytes:
    """API entries as one answer file, in the list response's shape."""
    return json.dumps({"totalResults": len(entries), "results": entries}).encode()
