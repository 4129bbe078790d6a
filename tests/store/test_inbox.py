"""The inbox: finished files are ingested and moved; unfinished and temporary ones wait."""

import logging
import os
from datetime import UTC, datetime, timedelta

from conftest import SEEDS

from store.fetch.staging import put_in_place
from store.inbox import Inbox

NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
SEED = SEEDS / "000_ea963a943c056c52.txt"


def drop(inbox_path, name, content, age_seconds=60):
    """A file in the inbox, last modified age_seconds before NOW."""
    inbox_path.mkdir(parents=True, exist_ok=True)
    path = inbox_path / name
    path.write_bytes(content)
    stamp = (NOW - timedelta(seconds=age_seconds)).timestamp()
    os.utime(path, (stamp, stamp))
    return path


def test_a_finished_file_is_ingested_and_moved_to_done(store, tmp_path):
    """The file's answers land in the store and the file moves to inbox/done/."""
    inbox = Inbox(tmp_path / "inbox")
    drop(inbox.path, "seed.txt", SEED.read_bytes())
    report = inbox.scan(store, NOW)
    assert (report.done, report.counts.new, store.count()) == (["seed.txt"], 1, 1)
    assert [path.name for path in (inbox.path / "done").iterdir()] == ["seed.txt"]
    assert not (inbox.path / "seed.txt").exists()


def test_a_bad_file_moves_to_failed_with_the_reason_beside_it(store, tmp_path):
    """inbox/failed/ gets the file and a .error.txt that says why, and the scan goes on."""
    inbox = Inbox(tmp_path / "inbox")
    drop(inbox.path, "notes.txt", b"Shopping: eggs, milk.")
    drop(inbox.path, "seed.txt", SEED.read_bytes())
    report = inbox.scan(store, NOW)
    assert report.done == ["seed.txt"]
    assert (inbox.path / "failed" / "notes.txt").read_bytes() == b"Shopping: eggs, milk."
    assert (inbox.path / "failed" / "notes.txt.error.txt").read_text() == (
        "notes.txt: not a written question: no 'To ask …' question found\n"
    )


def being_written(inbox_path, name, content):
    """A file as a copy in progress leaves it: written just now, and not touched since its last write."""
    inbox_path.mkdir(parents=True, exist_ok=True)
    path = inbox_path / name
    with path.open("ab") as file:
        file.write(content)
    return path


def test_a_file_still_being_written_waits_until_a_scan_finds_it_unchanged(store, tmp_path):
    """A file that grew since the last scan is left; the scan after it stopped changing takes it."""
    inbox = Inbox(tmp_path / "inbox", settle_seconds=10)
    being_written(inbox.path, "seed.txt", SEED.read_bytes()[:100])
    assert inbox.scan(store, NOW).waiting == ["seed.txt"]
    being_written(inbox.path, "seed.txt", SEED.read_bytes()[100:])
    assert inbox.scan(store, NOW).waiting == ["seed.txt"]
    assert store.count() == 0
    assert inbox.scan(store, NOW).done == ["seed.txt"]
    assert store.count() == 1


def test_a_file_finished_then_renamed_into_place_is_taken_at_the_first_scan(store, tmp_path):
    """As pqbot fetch writes: finished under a temporary name, its time set back (so its change time
    lies past its last write), then renamed in: no settling wait."""
    inbox = Inbox(tmp_path / "inbox", settle_seconds=3600)
    staged = being_written(inbox.path, ".seed.txt.part", SEED.read_bytes())
    written = staged.stat()
    os.utime(staged, ns=(written.st_atime_ns, written.st_mtime_ns - 1_000_000_000))
    os.replace(staged, inbox.path / "seed.txt")
    assert inbox.scan(store, NOW).done == ["seed.txt"]


def test_pqbot_fetch_files_are_taken_at_the_first_scan(store, tmp_path):
    """What fetch stages and publishes carries the sign of a finished file."""
    put_in_place(tmp_path / "inbox", "seed.txt", SEED.read_bytes())
    assert Inbox(tmp_path / "inbox", settle_seconds=3600).scan(store, NOW).done == ["seed.txt"]


def test_temporary_names_are_never_taken(store, tmp_path):
    """Hidden files and .part/.crdownload downloads stay where they are."""
    inbox = Inbox(tmp_path / "inbox")
    for name in (".api-page.json.part", "answers.json.crdownload", "draft.tmp"):
        drop(inbox.path, name, SEED.read_bytes())
    report = inbox.scan(store, NOW)
    assert (report.done, report.failures, store.count()) == ([], [], 0)


def test_the_same_file_dropped_twice_adds_nothing_the_second_time(store, tmp_path):
    """Re-dropping a file already ingested is a no-op, and the copy is kept beside the first."""
    inbox = Inbox(tmp_path / "inbox")
    drop(inbox.path, "seed.txt", SEED.read_bytes())
    inbox.scan(store, NOW)
    drop(inbox.path, "seed.txt", SEED.read_bytes())
    report = inbox.scan(store, NOW)
    assert (report.counts.new, report.counts.unchanged) == (0, 1)
    assert sorted(path.name for path in (inbox.path / "done").iterdir()) == ["seed-1.txt", "seed.txt"]


def test_new_answers_are_handed_on_inside_their_transaction(store, tmp_path):
    """on_saved receives what each file added, for the digest outbox."""
    inbox = Inbox(tmp_path / "inbox")
    drop(inbox.path, "seed.txt", SEED.read_bytes())
    seen = []
    inbox.scan(store, NOW, on_saved=seen.append)
    assert [counts.new_ids for counts in seen] == [tuple(record["id"] for record in store.records())]


def test_a_symlink_to_an_answer_file_outside_is_not_followed(store, tmp_path):
    """A link out of the inbox is left where it is, unread, and reported as ignored."""
    inbox = Inbox(tmp_path / "inbox")
    outside = tmp_path / "elsewhere.txt"
    outside.write_bytes(SEED.read_bytes())
    inbox.path.mkdir()
    (inbox.path / "answer.txt").symlink_to(outside)
    report = inbox.scan(store, NOW)
    assert (report.done, report.failures, store.count()) == ([], [], 0)
    assert report.ignored == [("answer.txt", "a symbolic link; only files that really live in the inbox are taken")]
    assert (inbox.path / "answer.txt").is_symlink()


def test_a_pipe_and_a_folder_are_named_in_the_log_once_across_scans(store, tmp_path, caplog):
    """What the inbox ignores is warned about on the first scan only, and the files beside it are taken."""
    inbox = Inbox(tmp_path / "inbox")
    drop(inbox.path, "seed.txt", SEED.read_bytes())
    os.mkfifo(inbox.path / "pipe.json")
    (inbox.path / "more").mkdir()
    with caplog.at_level(logging.WARNING, logger="store.inbox"):
        assert inbox.scan(store, NOW).done == ["seed.txt"]
        inbox.scan(store, NOW)
    assert caplog.messages == [
        "Inbox: ignoring more: a folder; only files at the top of the inbox are taken",
        "Inbox: ignoring pipe.json: a named pipe, not a regular file",
    ]


def test_ignored_names_what_the_inbox_leaves_and_why_without_taking_anything(store, tmp_path):
    """ignored() reads the folder only: nothing is ingested or moved, and a missing inbox ignores nothing."""
    inbox = Inbox(tmp_path / "inbox")
    assert inbox.ignored() == []
    drop(inbox.path, "seed.txt", SEED.read_bytes())
    os.mkfifo(inbox.path / "pipe.json")
    assert inbox.ignored() == [("pipe.json", "a named pipe, not a regular file")]
    assert (inbox.path / "seed.txt").exists() and store.count() == 0
