"""Writers never fail on each other: two processes, or a held lock, only make a writer wait."""

import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime

from conftest import answer_file, real_answers

from store.db import QuestionStore, StoreBusy
from store.inbox import Inbox
from store.ingest import BUSY_RETRIES, ingest_paths

FILES_EACH = 30


def answer_files(folder, prefix, count):
    """count one-question API files, each a different real answer under a UIN of its own."""
    folder.mkdir(parents=True, exist_ok=True)
    for number, entry in enumerate(real_answers(count, prefix)):
        (folder / f"{prefix}{number}.json").write_bytes(answer_file([entry]))
    return folder


def pqbot(*args, db):
    """`pqbot ARGS` as its own process against the store at db, not yet waited for."""
    env = os.environ | {"PQBOT_DB": str(db), "PQBOT_LOG_LEVEL": "WARNING"}
    command = [sys.executable, "-c", "from bot.cli import main; main()", *args]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_processes_ingesting_into_one_store_lose_and_fail_nothing(tmp_path):
    """Both runs of `pqbot ingest` store every file, though each commits while the other writes."""
    db = tmp_path / "pq.db"
    QuestionStore.open(db).close()
    runs = [pqbot("ingest", str(answer_files(tmp_path / name, name, FILES_EACH)), db=db) for name in ("A", "B")]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert all(f"{FILES_EACH} new" in stdout for stdout, _ in outputs), outputs
    store = QuestionStore.open(db)
    assert store.count() == 2 * FILES_EACH
    store.close()


def test_the_inbox_and_a_cli_ingest_at_once_move_no_good_file_to_failed(tmp_path):
    """The inbox scans while another process ingests into the same store: every inbox file is done."""
    db = tmp_path / "pq.db"
    store = QuestionStore.open(db)
    inbox = Inbox(answer_files(tmp_path / "inbox", "I", FILES_EACH), settle_seconds=0)
    cli = pqbot("ingest", str(answer_files(tmp_path / "cli", "C", FILES_EACH)), db=db)
    report = inbox.scan(store, datetime.now(UTC))
    stdout, stderr = cli.communicate(timeout=120)
    assert (cli.returncode, report.failures) == (0, []), stderr
    assert len(report.done) + len(report.waiting) == FILES_EACH
    assert store.count() == FILES_EACH + len(report.done)
    store.close()


def test_a_lock_held_past_the_busy_timeout_leaves_the_inbox_file_for_the_next_scan(tmp_path):
    """StoreBusy is no fault of the file: it stays in the inbox, never in failed/, and the next scan takes it."""
    db = tmp_path / "pq.db"
    store = QuestionStore.open(db, busy_seconds=0.05)
    inbox = Inbox(answer_files(tmp_path / "inbox", "I", 1), settle_seconds=0)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    report = inbox.scan(store, datetime.now(UTC))
    assert (report.done, report.failures, report.waiting) == ([], [], ["I0.json"])
    assert not any((inbox.path / "failed").iterdir())
    holder.execute("ROLLBACK")
    assert inbox.scan(store, datetime.now(UTC)).done == ["I0.json"]
    store.close()


def test_a_transaction_that_cannot_get_the_lock_raises_store_busy_and_writes_nothing(tmp_path):
    """The lock is asked for up front, so a busy store fails before anything is half done."""
    db = tmp_path / "pq.db"
    store = QuestionStore.open(db, busy_seconds=0.05)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with store.transaction():
            raise AssertionError("the transaction body ran without the lock")
    except StoreBusy as busy:
        assert "busy" in str(busy)
    holder.execute("ROLLBACK")
    assert not store.db.conn.in_transaction
    store.close()


def test_ingest_waits_out_a_busy_store_and_says_so(tmp_path, caplog):
    """While another connection holds the lock past the timeout, the file is tried again, with a warning each time."""
    db = tmp_path / "pq.db"
    QuestionStore.open(db).close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    folder = answer_files(tmp_path / "files", "W", 1)
    store = QuestionStore.open(db, busy_seconds=0.05)
    report = ingest_paths(store, [folder])
    holder.execute("ROLLBACK")
    assert [failure.reason for failure in report.failures] == [
        "the store stayed busy with another writer; nothing was stored, try it again"
    ]
    waits = [record.message for record in caplog.records if "busy with another writer; waiting" in record.message]
    assert len(waits) == BUSY_RETRIES
    assert ingest_paths(store, [folder]).counts.new == 1
    store.close()
