"""The SQLite store: schema, de-duplication across sources, and the full-text index in step."""

import dataclasses

from conftest import DATA

from store.db import QuestionStore, SaveCounts
from store.ingest import ingest_paths
from store.record import Question, question_key

QUESTION = "To ask the Secretary of State for Education, what steps she is taking to reduce EHC plan delays."


def fts_ids(store: QuestionStore, words: str) -> list[str]:
    """Ids the full-text index finds for words, straight from SQLite."""
    rows = store.db.execute(
        "SELECT questions.id FROM questions JOIN questions_fts ON questions.rowid = questions_fts.rowid "
        "WHERE questions_fts MATCH ? ORDER BY questions.id",
        [words],
    )
    return [row[0] for row in rows]


def test_a_new_store_is_in_wal_mode_with_its_tables(store):
    """The bot reads while the scheduler writes, so the store uses WAL and has every table."""
    assert store.db.journal_mode == "wal"
    assert {"questions", "files", "questions_fts"} <= set(store.db.table_names())


def test_opening_again_applies_no_migration_twice(tmp_path):
    """Reopening an existing store keeps its data and schema."""
    first = QuestionStore.open(tmp_path / "pq.db")
    first.save([Question(question=QUESTION)])
    first.close()
    again = QuestionStore.open(tmp_path / "pq.db")
    assert again.count() == 1


def test_saving_counts_new_unchanged_and_updated(store):
    """The same record twice is unchanged; a new answer to it is an update."""
    question = Question(question=QUESTION, uin="42", date_asked="2024-01-10", source_format="api_json")
    assert store.save([question]) == SaveCounts(new=1)
    assert store.save([question]) == SaveCounts(unchanged=1)
    assert store.save([dataclasses.replace(question, answer="An answer.")]) == SaveCounts(updated=1)
    assert store.get("2024-01-10/42")["answer"] == "An answer."


def test_the_same_question_from_two_sources_is_one_record(store):
    """A saved page (no UIN) and the API's record of the same question merge into one."""
    page = Question(question=QUESTION, answer="Full answer.", heading="SEND", source_format="parallel_parliament")
    feed = Question(
        question=QUESTION.upper(), uin="42", date_asked="2024-01-10", asked_by="Jane Doe", source_format="api_json"
    )
    store.save([page])
    assert store.save([feed]) == SaveCounts(updated=1)
    assert [record["id"] for record in store.records()] == ["2024-01-10/42"]
    merged = store.get("2024-01-10/42")
    assert (merged["heading"], merged["asked_by"], merged["answer"]) == ("SEND", "Jane Doe", "Full answer.")


def test_a_page_arriving_after_the_feed_joins_its_record(store):
    """The page without a UIN finds the feed's record by its question text."""
    store.save([Question(question=QUESTION, uin="42", date_asked="2024-01-10", source_format="api_json")])
    store.save([Question(question=QUESTION, heading="SEND", source_format="bare_text")])
    assert [(record["id"], record["heading"]) for record in store.records()] == [("2024-01-10/42", "SEND")]


def test_identical_words_with_different_uins_are_two_records(store):
    """MPs often table the same words; each UIN is its own question."""
    store.save(
        [
            Question(question=QUESTION, uin="41", date_asked="2024-01-10", asked_by="A Member"),
            Question(question=QUESTION, uin="42", date_asked="2024-01-10", asked_by="Another Member"),
        ]
    )
    assert sorted(record["id"] for record in store.records()) == ["2024-01-10/41", "2024-01-10/42"]


def test_a_question_without_uin_is_keyed_by_its_text(store):
    """With no UIN the id is a hash of the normalised question, stable across spacing and case."""
    store.save([Question(question=QUESTION)])
    key = question_key("  " + QUESTION.lower().replace(" ", "  "))
    assert key == question_key(QUESTION) and len(key) == 16
    stored = store.get(key)
    assert (stored["id"], stored["question"], stored["uin"]) == (key, QUESTION, None)


def test_the_full_text_index_follows_inserts_updates_and_rekeys(store):
    """Triggers keep the index in step, including when a record takes its official id."""
    store.save([Question(question=QUESTION, answer="Tribunal backlog figures.")])
    assert fts_ids(store, "tribunal") == [question_key(QUESTION)]
    store.save([Question(question=QUESTION, uin="42", date_asked="2024-01-10", answer="Mediation figures.")])
    assert fts_ids(store, "tribunal") == []
    assert fts_ids(store, "mediation") == ["2024-01-10/42"]


def test_export_records_have_exactly_the_record_fields(store):
    """Records carry the export keys and nothing of the store's own bookkeeping."""
    store.save([Question(question=QUESTION, uin="42", date_asked="2024-01-10", answer_truncated=False)])
    (record,) = store.records()
    assert list(record) == [
        "id",
        "uin",
        "house",
        "heading",
        "question",
        "answer",
        "asked_by",
        "asked_by_party",
        "department",
        "answered_by",
        "answered_by_role",
        "date_asked",
        "date_answered",
        "answer_truncated",
        "source_format",
        "source_file",
        "url",
        "twfy_id",
        "status",
        "date_holding",
        "date_corrected",
        "original_answer",
    ]
    assert record["answer_truncated"] is False


def test_a_store_from_before_twfy_ids_gets_them_when_its_xml_is_ingested_again(tmp_path):
    """The migration adds the column to an older store and forgets its XML files as ingested, so
    ingesting them again fills in each record's TheyWorkForYou id without adding a record."""
    xml = DATA / "wrans" / "answers2009-10-29a.xml"
    old = QuestionStore.open(tmp_path / "pq.db")
    ingest_paths(old, [xml])
    old.db.executescript(
        "DROP INDEX idx_questions_twfy_id; ALTER TABLE questions DROP COLUMN twfy_id; "
        "DELETE FROM _sqlite_migrations WHERE name = 'add_twfy_ids';"
    )
    old.close()
    migrated = QuestionStore.open(tmp_path / "pq.db")
    assert {record["twfy_id"] for record in migrated.records()} == {None}
    before = migrated.count()
    report = ingest_paths(migrated, [xml])
    assert report.counts.updated == before and migrated.count() == before
    assert migrated.get("2a8d4190ce589d30")["twfy_id"] == "2009-10-29a.292659.h"
