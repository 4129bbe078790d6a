"""The store's tables and their history, applied in order by sqlite-utils migrations: the order of
the functions matters."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from store.record import RECORD_FIELDS

migrations = Migrations("pqbot")

# The fields full-text search looks in, in the order of the index's columns, and how it splits
# them into words: Porter stemming, so that "plans" finds "plan" and "timely" finds "timeliness".
SEARCHED_FIELDS = ("heading", "question", "answer", "asked_by", "answered_by")
TOKENIZER = "porter"


@migrations()
def create_questions(db: Database) -> None:
    """Questions, full-text indexed over their words and members' names, kept in step by triggers."""
    questions = db["questions"]
    questions.create(
        {field: str for field in RECORD_FIELDS}
        | {"answer_truncated": bool, "question_key": str, "first_seen": str, "updated_at": str},
        pk="id",
    )
    questions.create_index(["question_key"])
    questions.create_index(["date_answered"])
    questions.enable_fts(list(SEARCHED_FIELDS), fts_version="FTS5", create_triggers=True, tokenize=TOKENIZER)
    _create_vocabulary(db)


def _create_vocabulary(db: Database) -> None:
    """Every word in the store as written (not stemmed) with its document count, for typo fixing.

    A second FTS5 index with detail=none (words only, no positions) is small and cheap to keep;
    fts5vocab then lists its words, and triggers keep it in step with the questions table.
    """
    columns = ", ".join(SEARCHED_FIELDS)
    new_values = ", ".join(["new.rowid"] + [f"new.{field}" for field in SEARCHED_FIELDS])
    old_values = ", ".join(["'delete', old.rowid"] + [f"old.{field}" for field in SEARCHED_FIELDS])
    db.executescript(
        f"""
        CREATE VIRTUAL TABLE questions_words USING fts5(
            {columns}, content='questions', content_rowid='rowid', detail='none',
            tokenize='unicode61 remove_diacritics 2'
        );
        CREATE VIRTUAL TABLE questions_vocabulary USING fts5vocab(questions_words, 'row');
        CREATE TRIGGER questions_words_ai AFTER INSERT ON questions BEGIN
            INSERT INTO questions_words (rowid, {columns}) VALUES ({new_values});
        END;
        CREATE TRIGGER questions_words_ad AFTER DELETE ON questions BEGIN
            INSERT INTO questions_words (questions_words, rowid, {columns}) VALUES ({old_values});
        END;
        CREATE TRIGGER questions_words_au AFTER UPDATE ON questions BEGIN
            INSERT INTO questions_words (questions_words, rowid, {columns}) VALUES ({old_values});
            INSERT INTO questions_words (rowid, {columns}) VALUES ({new_values});
        END;
        """
    )


@migrations()
def create_files(db: Database) -> None:
    """Every file ever ingested, by content hash, so that the same bytes are never parsed twice."""
    db["files"].create(
        {"sha256": str, "path": str, "status": str, "error": str, "records": int, "ingested_at": str},
        pk="sha256",
    )


@migrations()
def create_subscriptions(db: Database) -> None:
    """Channels' saved topics, and the answers each has been sent for each topic (or is owed).

    A delivery row is written in the same transaction as the answer it is about, and marked
    posted once Slack has it: the outbox that makes digests exactly-once across restarts.
    """
    db["subscriptions"].create(
        {
            "id": int,
            "channel": str,
            "topic": str,
            "topic_key": str,
            "created_by": str,
            "created_at": str,
            "last_digest_at": str,
            "problem": str,
        },
        pk="id",
    )
    db["subscriptions"].create_index(["channel", "topic_key"], unique=True)
    db["deliveries"].create(
        {
            "id": int,
            "subscription_id": int,
            "record_id": str,
            "queued_at": str,
            "posted_at": str,
            "failed": str,
        },
        pk="id",
        foreign_keys=[("subscription_id", "subscriptions", "id")],
    )
    db["deliveries"].create_index(["subscription_id", "record_id"], unique=True)
    db["deliveries"].create_index(["posted_at", "failed"])
    db["weekly_digests"].create(
        {"channel": str, "week_starting": str, "posted_at": str}, pk=("channel", "week_starting")
    )


@migrations()
def create_fetch_state(db: Database) -> None:
    """What fetching from the Written Questions API remembers between runs, by name (the last day fetched)."""
    db["fetch_state"].create({"key": str, "value": str}, pk="key")


@migrations()
def create_digest_posts(db: Database) -> None:
    """Every digest message pqbot has tried to post, written before the attempt and finished after it.

    A row whose posted_at is empty is an attempt whose outcome is unknown (pqbot stopped, or
    Slack's answer was lost): the channel's history tells, by the row's id in the message's
    metadata, whether Slack has it, before anything is posted again.
    """
    db["digest_posts"].create(
        {
            "id": int,
            "channel": str,
            "part_key": str,
            "delivery_ids": str,
            "attempted_at": str,
            "ts": str,
            "posted_at": str,
        },
        pk="id",
    )
    db["digest_posts"].create_index(["channel", "posted_at"])
    db["digest_posts"].create_index(["channel", "part_key"], unique=True)


@migrations()
def create_request_memory(db: Database) -> None:
    """Slack requests already acted on (by event id), and queries too long for a button to carry."""
    db["seen_requests"].create({"key": str, "seen_at": str}, pk="key")
    db["seen_requests"].create_index(["seen_at"])
    db["saved_queries"].create({"key": str, "query": str, "saved_at": str}, pk="key")


@migrations()
def index_house_by_date(db: Database) -> None:
    """The newest answers of one House (`house:lords` alone) without walking every other record."""
    db["questions"].create_index(["house", "date_answered"])


@migrations()
def add_twfy_ids(db: Database) -> None:
    """Records from TheyWorkForYou XML keep their page's id, so that a pasted TheyWorkForYou link finds
    them; and UINs are indexed, for a Parallel Parliament link, which names only the UIN.

    The XML files already ingested are forgotten as ingested, so that ingesting them again fills the
    ids in (their records merge with themselves; nothing else changes).
    """
    if "twfy_id" not in db["questions"].columns_dict:  # a new store's questions table already has it
        db["questions"].add_column("twfy_id", str)
    db["questions"].create_index(["twfy_id"], if_not_exists=True)
    db["questions"].create_index(["uin"], if_not_exists=True)
    db.execute(
        "DELETE FROM files WHERE path IN (SELECT DISTINCT source_file FROM questions WHERE source_format = 'wrans_xml')"
    )


@migrations()
def create_job_runs(db: Database) -> None:
    """When each scheduled job (the daily fetch, the weekly digest) last ran to the end, for catching up
    after downtime."""
    db["job_runs"].create({"job": str, "finished_at": str}, pk="job")


@migrations()
def add_answer_life(db: Database) -> None:
    """Where each question is in its life (tabled, holding, answered, corrected, withdrawn) and when.

    Records stored before have no status; it is read from whether they hold an answer (see store.db._typed),
    so no row needs rewriting (nor re-indexing) here.
    """
    questions = db["questions"]
    for column in ("status", "date_holding", "date_corrected", "original_answer"):
        if column not in questions.columns_dict:
            questions.add_column(column, str)
    questions.create_index(["status"], if_not_exists=True)


@migrations()
def create_news(db: Database) -> None:
    """News of answers a channel already had: a holding answer answered, an answer corrected.

    One row per subscription, record and stage reached, so each is owed once however often the
    file that brought it is dropped in; a digest post may now be a reply in a thread, under thread_ts.
    """
    db["news"].create(
        {
            "id": int,
            "subscription_id": int,
            "record_id": str,
            "stage": str,
            "queued_at": str,
            "posted_at": str,
            "failed": str,
        },
        pk="id",
        foreign_keys=[("subscription_id", "subscriptions", "id")],
    )
    db["news"].create_index(["subscription_id", "record_id", "stage"], unique=True)
    db["news"].create_index(["posted_at"])
    db["digest_posts"].add_column("thread_ts", str)


@migrations()
def add_tabled_subscriptions(db: Database) -> None:
    """Subscriptions that hear of questions when they are tabled, as well as when they are answered."""
    db["subscriptions"].add_column("tabled", int, not_null_default=0)


@migrations()
def create_question_vectors(db: Database) -> None:
    """Each record's meaning as a vector (store/semantic/), by its questions rowid, and the model that made them.

    A vector is dropped by trigger the moment its record is inserted, deleted or has its words
    changed (a replaced record may reuse a rowid), so a stored vector always belongs to its
    record's current text; the background job embeds what has none. seq numbers the batches
    (from a counter in semantic_state that only goes up), so a reader loads only what was
    embedded since it last looked.
    """
    db.executescript(
        """
        CREATE TABLE question_vectors (
            question_rowid INTEGER PRIMARY KEY, seq INTEGER NOT NULL, bits BLOB NOT NULL, vector BLOB NOT NULL
        );
        CREATE INDEX question_vectors_seq ON question_vectors (seq);
        CREATE TABLE semantic_state (key TEXT PRIMARY KEY, value TEXT);
        CREATE TRIGGER question_vectors_ai AFTER INSERT ON questions BEGIN
            DELETE FROM question_vectors WHERE question_rowid = new.rowid;
        END;
        CREATE TRIGGER question_vectors_ad AFTER DELETE ON questions BEGIN
            DELETE FROM question_vectors WHERE question_rowid = old.rowid;
        END;
        CREATE TRIGGER question_vectors_au AFTER UPDATE OF heading, question, answer ON questions BEGIN
            DELETE FROM question_vectors WHERE question_rowid = old.rowid;
        END;
        """
    )
