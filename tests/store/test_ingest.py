"""Ingesting files: every layout lands, bad files fail alone and plainly, nothing stored is lost."""

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import DATA, SEEDS

from store.db import QuestionStore, SaveCounts
from store.ingest import FileFailure, IngestError, ingest_file, ingest_paths
from store.seeding import ensure_seeded

API_RECORD = {
    "value": {
        "id": 1,
        "uin": "9001",
        "house": "Commons",
        "dateTabled": "2024-05-01T00:00:00",
        "dateAnswered": "2024-05-09T00:00:00",
        "heading": "Special Educational Needs: Tribunals",
        "questionText": "To ask the Secretary of State for Education, how many SEND tribunal appeals were lodged.",
        "answerText": "<p>The department publishes tribunal statistics annually.</p>",
        "answeringBodyName": "Department for Education",
        "askingMember": None,
        "answeringMember": None,
        "isWithdrawn": False,
    }
}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder of answer files, apart from the store's own database file."""
    path = tmp_path / "files"
    path.mkdir()
    return path


def write(folder: Path, name: str, content: bytes) -> Path:
    path = folder / name
    path.write_bytes(content)
    return path


def api_file(folder: Path, name: str, *uins: str) -> Path:
    """A small API response holding one question per UIN."""
    results = [{"value": API_RECORD["value"] | {"uin": uin, "questionText": f"To ask about {uin}."}} for uin in uins]
    return write(folder, name, json.dumps({"totalResults": len(results), "results": results}).encode())


def test_every_seed_and_real_corpus_slice_ingests(store):
    """The seeds, real API JSON and real TheyWorkForYou XML all land in one store."""
    report = ingest_paths(store, [SEEDS, DATA / "api", DATA / "wrans"])
    assert report.failures == []
    formats = {record["source_format"] for record in store.records()}
    assert formats >= {
        "parliament_page",
        "parallel_parliament",
        "bare_text",
        "theyworkforyou_page",
        "api_json",
        "wrans_xml",
    }


def test_reingesting_the_same_files_is_a_no_op(store):
    """The same bytes a second time change nothing and are counted as unchanged."""
    first = ingest_paths(store, [SEEDS])
    second = ingest_paths(store, [SEEDS])
    assert first.counts == SaveCounts(new=5)
    assert second.counts == SaveCounts(unchanged=5)
    assert store.count() == 5


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b" \r\n\t\n", "empty file"),
        ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01", "binary file, not text"),
        ("cut.json", json.dumps([API_RECORD]).encode()[:150], "invalid JSON"),
        ("shopping.txt", b"Eggs\nMilk\nBread\n", "not a written question"),
    ],
)
def test_a_bad_file_gets_a_plain_reason_and_loses_nothing(store, folder, name, content, reason):
    """Empty, binary, truncated and non-question files each fail with a reason; the store is untouched."""
    ensure_seeded(store)
    before = list(store.records())
    report = ingest_paths(store, [write(folder, name, content)])
    (failure,) = report.failures
    assert failure.path.endswith(name)
    assert reason in failure.reason
    assert "\n" not in failure.reason
    assert list(store.records()) == before


def test_a_file_over_the_size_limit_is_refused_unread(store, folder):
    """A 50 MB file is refused by its size, with the limit named."""
    huge = folder / "huge.json"
    with huge.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    with pytest.raises(IngestError, match=r"too large: 50\.0 MB, over the 20 MB limit"):
        ingest_file(store, huge)


def test_a_file_one_byte_over_the_limit_is_refused_and_one_at_it_is_stored(store, folder):
    """The limit is exact: a file of limit bytes is read, a file of limit + 1 is refused unread."""
    answers = api_file(folder, "answers.json", "1")
    size = answers.stat().st_size
    with pytest.raises(IngestError, match=r"^too large: .*over the \d+ MB limit$"):
        ingest_file(store, answers, max_bytes=size - 1)
    assert ingest_file(store, answers, max_bytes=size) == SaveCounts(new=1)


def test_a_named_pipe_is_refused_at_once_without_waiting_for_a_writer(store, folder):
    """A FIFO nobody writes to is not a regular file; opening it must not block."""
    pipe = folder / "answers.json"
    os.mkfifo(pipe)
    report = ingest_paths(store, [pipe])
    assert report.failures == [FileFailure(str(pipe), "not a regular file")]


def test_dev_zero_is_refused_before_a_byte_is_read(store):
    """An endless device is not a regular file, so ingest never starts reading it."""
    with pytest.raises(IngestError, match="^not a regular file$"):
        ingest_file(store, Path("/dev/zero"))


def test_a_symlink_is_refused_as_it_is_opened_when_links_are_not_followed(store, folder):
    """The inbox's reads refuse a link at open time, so one swapped in after its check is not read."""
    link = folder / "answers.json"
    link.symlink_to(api_file(folder, "real.json", "1"))
    with pytest.raises(IngestError, match="^a symbolic link, not followed$"):
        ingest_file(store, link, follow_symlinks=False)
    assert ingest_file(store, link) == SaveCounts(new=1)


def test_one_bad_file_never_stops_the_batch(store, folder):
    """Good files before and after a bad one are all stored."""
    api_file(folder, "a.json", "1")
    write(folder, "b.json", b"{not json")
    api_file(folder, "c.json", "3")
    report = ingest_paths(store, [folder])
    assert [Path(failure.path).name for failure in report.failures] == ["b.json"]
    assert report.counts == SaveCounts(new=2)


def test_a_path_that_cannot_be_opened_fails_alone(store, folder):
    """A path under a regular file (a real OSError, even for root) is a failure; the next file lands."""
    not_a_folder = write(folder, "notes.txt", b"not a folder")
    report = ingest_paths(store, [not_a_folder / "answers.json", api_file(folder, "a.json", "1")])
    assert report.failures == [FileFailure(str(not_a_folder / "answers.json"), "cannot read: Not a directory")]
    assert report.counts == SaveCounts(new=1)


def test_a_crash_mid_file_leaves_the_store_as_it_was_before_that_file(store, folder):
    """A write that fails half-way through a file rolls back all of that file, and only that file."""
    ingest_paths(store, [api_file(folder, "earlier.json", "1")])
    store.db.execute(
        "CREATE TRIGGER fail_on_boom BEFORE INSERT ON questions WHEN NEW.uin = 'boom' "
        "BEGIN SELECT RAISE(ABORT, 'disk on fire'); END"
    )
    report = ingest_paths(store, [api_file(folder, "later.json", "2", "boom", "3")])
    assert report.failures == [
        FileFailure(str(folder / "later.json"), "unexpected error (IntegrityError); see the log")
    ]
    assert [record["uin"] for record in store.records()] == ["1"]


def test_a_store_that_cannot_look_up_files_fails_each_file_and_stops_nothing(store, folder):
    """An unexpected error before parsing (here the files table is gone) is each file's failure, not a crash."""
    ingest_paths(store, [api_file(folder, "earlier.json", "1")])
    store.db.execute("ALTER TABLE files RENAME TO files_gone")
    paths = [api_file(folder, "a.json", "2"), api_file(folder, "b.json", "3")]
    report = ingest_paths(store, paths)
    assert report.failures == [
        FileFailure(str(path), "unexpected error (OperationalError); see the log") for path in paths
    ]
    with pytest.raises(IngestError, match="unexpected error"):
        ingest_file(store, paths[0])
    assert [record["uin"] for record in store.records()] == ["1"]


def test_a_failed_file_is_tried_again_next_time(store, folder):
    """Failures are not remembered as done: the same file is parsed again on the next ingest."""
    bad = write(folder, "later.txt", b"not a question")
    assert ingest_paths(store, [bad]).failures
    assert ingest_paths(store, [bad]).failures
    assert store.file_record(hashlib.sha256(b"not a question").hexdigest())["status"] == "failed"


def test_ingest_never_moves_or_changes_its_files(store, tmp_path):
    """The files given are left exactly where and as they were."""
    copy = tmp_path / "seeds"
    shutil.copytree(SEEDS, copy)
    before = {path.name: path.read_bytes() for path in copy.iterdir()}
    ingest_paths(store, [copy])
    assert {path.name: path.read_bytes() for path in copy.iterdir()} == before


def test_hidden_files_in_folders_are_skipped(store, folder):
    """Editor swap files and .DS_Store inside a folder are not answer files."""
    api_file(folder, "a.json", "1")
    write(folder, ".DS_Store", b"\x00\x00\x00\x01Bud1")
    assert ingest_paths(store, [folder]).files == 1


def test_seeding_fills_only_an_empty_store(tmp_path):
    """The bundled seeds go into a new store once, and never into one that holds anything."""
    store = QuestionStore.open(tmp_path / "pq.db")
    assert ensure_seeded(store) is True
    assert store.count() == 5
    assert ensure_seeded(store) is False
