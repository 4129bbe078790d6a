"""The semantic index over a real store: resumable embedding kept in step with the records, and
nearest neighbours among what is embedded so far."""

import dataclasses

import pytest
from conftest import FISHING, FIT_NOTES, HEATING

from store.db import QuestionStore
from store.record import Question
from store.semantic import SemanticIndex

SCHOOLS = [
    Question(
        heading=f"Schools: Region {n}",
        question=f"To ask the Secretary of State for Education, how many schools in region {n} have new roofs.",
        answer=f"{n * 3} schools in region {n} have had their roofs replaced since 2020.",
        uin=f"2{n:02d}",
        date_asked="2024-02-01",
    )
    for n in range(7)
]


def rowid_of(store: QuestionStore, uin: str) -> int:
    return store.db.execute("SELECT rowid FROM questions WHERE uin = ?", [uin]).fetchone()[0]


@pytest.fixture
def index(store):
    store.save([FIT_NOTES, FISHING, *SCHOOLS])
    return SemanticIndex(store)


def test_embedding_goes_batch_by_batch_and_carries_on_where_it_stopped(index):
    """A limited run embeds that many; the next run embeds the rest, and a third has nothing to do."""
    batches = []
    assert index.pending_count() == 9
    assert index.embed_pending(batch=2, limit=5, progress=batches.append) == 5
    assert batches == [2, 2, 1]
    assert (index.pending_count(), index.embedded_count()) == (4, 5)
    assert index.embed_pending(batch=3) == 4
    assert (index.pending_count(), index.embedded_count()) == (0, 9)
    assert index.embed_pending() == 0


def test_an_interrupted_run_keeps_every_batch_it_finished(index):
    """Each batch is committed on its own: stopping mid-run loses nothing already embedded."""

    def stop_after_first(count: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        index.embed_pending(batch=4, progress=stop_after_first)
    assert (index.embedded_count(), index.pending_count()) == (4, 5)


def test_nearest_finds_by_meaning_among_embedded_records_only(index, store):
    """Before a record is embedded, search never returns it; once embedded, it is found by meaning."""
    index.embed_pending()
    store.save([HEATING])
    query = "families who can't afford to heat their homes"
    assert rowid_of(store, "103") not in [rowid for rowid, _ in index.nearest(query, 20)]
    assert index.embed_pending() == 1
    (best, similarity), *_ = index.nearest(query, 3)
    assert best == rowid_of(store, "103") and 0 < similarity <= 1
    assert index.nearest("sick notes", 1)[0][0] == rowid_of(store, "101")


def test_nearest_gives_k_best_first(index):
    index.embed_pending()
    hits = index.nearest("school roof repairs", 4)
    assert len(hits) == 4
    assert [similarity for _, similarity in hits] == sorted((similarity for _, similarity in hits), reverse=True)
    assert index.nearest("school roof repairs", 0) == []


def test_similarity_scores_the_embedded_rowids_asked_about(index, store):
    index.embed_pending()
    fit_notes, fishing = rowid_of(store, "101"), rowid_of(store, "102")
    scores = index.similarity("sick notes", [fit_notes, fishing, 999_999])
    assert set(scores) == {fit_notes, fishing}
    assert scores[fit_notes] > scores[fishing]


def test_a_changed_record_is_embedded_again_from_its_new_text(index, store):
    """A new answer to a stored question drops its old vector; the next run embeds the new text."""
    index.embed_pending()
    old = rowid_of(store, "101")
    before = index.similarity("cod fishing quota", [old])[old]
    store.save([dataclasses.replace(FIT_NOTES, answer="The cod fishing quota was agreed with Norway.")])
    changed = rowid_of(store, "101")
    assert index.similarity("cod fishing quota", [changed]) == {}
    assert index.pending_count() == 1
    assert index.embed_pending() == 1
    assert index.similarity("cod fishing quota", [changed])[changed] > before + 0.1


def test_another_connection_sees_what_was_embedded_since_it_last_looked(index, store, tmp_path):
    """Every thread's index over one store file shares the sign bits, refreshed from new rows only."""
    index.embed_pending()
    other_store = QuestionStore.open(tmp_path / "pqbot.db")
    other = SemanticIndex(other_store)
    assert other.nearest("sick notes", 1)[0][0] == rowid_of(store, "101")
    store.save([HEATING])
    index.embed_pending()
    assert other.nearest("fuel poverty households", 1)[0][0] == rowid_of(store, "103")
    other_store.close()


def test_a_reader_finds_a_record_changed_after_the_last_batch_it_read(index, store, tmp_path):
    """Batches are numbered by a counter that only goes up, so a re-embedded record is never missed."""
    index.embed_pending()
    store.save([HEATING])
    index.embed_pending()
    other_store = QuestionStore.open(tmp_path / "pqbot.db")
    other = SemanticIndex(other_store)
    assert other.nearest("fuel poverty households", 1)[0][0] == rowid_of(store, "103")
    store.save([dataclasses.replace(HEATING, answer="About 3.1 million households were in fuel poverty in 2024.")])
    index.embed_pending()
    assert other.nearest("fuel poverty households", 1)[0][0] == rowid_of(store, "103")
    other_store.close()


def test_vectors_of_another_model_are_never_used_and_are_replaced(index, store):
    index.embed_pending()
    store.db.execute("UPDATE semantic_state SET value = 'some-other-model' WHERE key = 'model'")
    assert index.nearest("sick notes", 3) == []
    assert index.pending_count() == 9
    assert index.embed_pending() == 9
    assert index.nearest("sick notes", 1)[0][0] == rowid_of(store, "101")


def test_a_deleted_record_takes_its_vector_with_it(index, store):
    index.embed_pending()
    fishing = rowid_of(store, "102")
    store.db.execute("DELETE FROM questions WHERE rowid = ?", [fishing])
    assert index.embedded_count() == 8
    assert fishing not in [rowid for rowid, _ in index.nearest("North Sea cod", 9)]
