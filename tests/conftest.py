"""Fixtures shared by every test: a real store in a temporary SQLite file, and the test data folder."""

from __future__ import annotations

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
