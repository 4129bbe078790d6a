"""A big batch parsed in worker processes stores exactly what one parsed in this process does."""

import shutil
from pathlib import Path

from conftest import DATA, SEEDS

from store.db import QuestionStore
from store.ingest import ingest_paths
from store.parse_ahead import parse_here, parser_for

# Stamped as each store takes a record, so they differ between two stores of the same files.
STAMPS = ("first_seen", "updated_at")


def batch(folder: Path) -> list[Path]:
    """Real files of every format, with a bad one, a copy of a good one and a path that can't be read."""
    folder.mkdir()
    for source in [*SEEDS.iterdir(), *(DATA / "api").iterdir(), *(DATA / "wrans").iterdir()]:
        shutil.copy(source, folder / source.name)
    (folder / "broken.json").write_bytes(b"{not json")
    shutil.copy(next((DATA / "api").iterdir()), folder / "again.json")
    return [folder, folder / "broken.json" / "missing.json"]


def stored(store: QuestionStore) -> list[dict]:
    return [{key: value for key, value in record.items() if key not in STAMPS} for record in store.records()]


def test_a_batch_parsed_ahead_stores_and_reports_what_one_parsed_here_does(tmp_path):
    """Same records, same counts, same failures in the same order, from workers or from here."""
    paths = batch(tmp_path / "files")
    here_store = QuestionStore.open(tmp_path / "here.db")
    ahead_store = QuestionStore.open(tmp_path / "ahead.db")
    here = ingest_paths(here_store, paths, parse_ahead_from=2**62)
    ahead = ingest_paths(ahead_store, paths, parse_ahead_from=0)
    assert [failure.reason for failure in here.failures] == [
        "invalid JSON at line 1 column 2: expecting property name enclosed in double quotes",
        "cannot read: Not a directory",
    ]
    assert (ahead.counts, ahead.failures, ahead.files) == (here.counts, here.failures, here.files)
    assert here.counts.new > 30
    assert stored(ahead_store) == stored(here_store)


def test_only_a_batch_of_many_bytes_starts_workers(tmp_path):
    """Starting a worker costs more than it saves on a few small files, so they are parsed here."""
    files = [shutil.copy(source, tmp_path / source.name) for source in (DATA / "api").iterdir()] * 2
    with parser_for(files) as (parse, ahead):
        assert (parse, ahead) == (parse_here, 0)
    with parser_for(files, parse_ahead_from=0) as (parse, ahead):
        assert parse is not parse_here
        assert ahead >= 2
        assert parse(b"{not json", "broken.json").exception() is not None
