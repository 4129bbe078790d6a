"""A question's life in the store: each step forward noted once, and never undone by an older copy."""

import dataclasses

from store.record import Question

TABLED = Question(
    question="To ask the Secretary of State for Education, how many EHC plans were issued late in 2024.",
    uin="4242",
    date_asked="2025-04-01",
    house="Commons",
    source_format="api_json",
    status="tabled",
)


def stage(**fields) -> Question:
    """The tabled question, at a later stage of its life."""
    return dataclasses.replace(TABLED, **fields)


HOLDING = stage(
    answer="I will reply as soon as possible.", status="holding", date_holding="2025-04-08", date_answered="2025-04-08"
)
ANSWERED = stage(
    answer="1,234 plans were issued late.", status="answered", date_holding="2025-04-08", date_answered="2025-04-20"
)
CORRECTED = stage(
    answer="1,243 plans were issued late.",
    status="corrected",
    date_holding="2025-04-08",
    date_answered="2025-04-20",
    date_corrected="2025-05-02",
    original_answer="1,234 plans were issued late.",
)


def test_each_step_of_a_questions_life_is_noted_once(store):
    """Tabled, holding, answered, corrected: each save says what the question moved on to; the same again, nothing."""
    assert store.save([TABLED]).moved_on == ()
    assert store.save([HOLDING]).moved_on == ((TABLED.id, "holding:2025-04-08"),)
    assert store.save([ANSWERED]).moved_on == ((TABLED.id, "answered:2025-04-20"),)
    assert store.save([CORRECTED]).moved_on == ((TABLED.id, "corrected:2025-05-02"),)
    assert store.save([CORRECTED]).moved_on == ()
    record = store.get(TABLED.id)
    assert (record["status"], record["answer"], record["original_answer"]) == (
        "corrected",
        CORRECTED.answer,
        ANSWERED.answer,
    )


def test_an_older_copy_dropped_in_again_never_takes_a_question_back(store):
    """The holding answer arriving after the real one leaves the real answer, and its status, where they are."""
    store.save([HOLDING])
    store.save([ANSWERED])
    counts = store.save([dataclasses.replace(HOLDING, source_file="old.json")])
    assert counts.moved_on == ()
    record = store.get(TABLED.id)
    assert (record["status"], record["answer"]) == ("answered", ANSWERED.answer)


def test_a_record_from_a_source_without_statuses_is_answered_or_tabled_by_its_answer(store):
    """A saved page states no status: one with an answer is answered, one without is tabled."""
    store.save(
        [
            Question(question="To ask about ferries.", answer="There are three."),
            Question(question="To ask about buses."),
        ]
    )
    assert sorted(record["status"] for record in store.records()) == ["answered", "tabled"]


def test_a_record_stored_before_statuses_is_read_as_answered_or_tabled(store):
    """Rows from before the status column have none; they read as their answer says, without being rewritten."""
    store.save([ANSWERED, dataclasses.replace(TABLED, uin="4243")])
    store.db.execute("UPDATE questions SET status = NULL")
    assert sorted(record["status"] for record in store.records()) == ["answered", "tabled"]
