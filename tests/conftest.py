"""Fixtures shared by every test: a real store in a temporary SQLite file, and the test data folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from store.db import QuestionStore

DATA = Path(__file__).parent / "data"
SEEDS = Path(__file__).parent.parent / "seeds"


@pytest.fixture
def store(tmp_path: Path) -> QuestionStore:
    """An empty store in a fresh SQLite file."""
    opened = QuestionStore.open(tmp_path / "pqbot.db")
    yield opened
    opened.close()


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
