"""Subscriptions and the digest outbox: topics saved per channel, answers owed exactly once."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from store.db import QuestionStore
from store.ingest import ingest_bytes
from store.posts import Posts
from store.record import Question
from store.search import QueryError, SearchEngine
from store.subscriptions import AlreadySubscribed, Subscriptions

NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)

EHC = Question(
    uin="301",
    date_asked="2025-02-20",
    date_answered="2025-02-28",
    heading="Special Educational Needs",
    question="To ask the Secretary of State for Education, what steps she is taking on plans for children.",
    answer="Education, Health, and Care Plans must be issued within 20 weeks.",
)
FISHING = Question(
    uin="302",
    date_asked="2025-02-20",
    date_answered="2025-02-28",
    heading="Fisheries",
    question="To ask the Secretary of State for Environment, Food and Rural Affairs, about fishing plans.",
    answer="Plans for fishing quotas are agreed each December.",
)


@pytest.fixture
def subscriptions(store):
    return Subscriptions(store, SearchEngine(store))


def test_a_channel_subscribes_once_to_a_topic(subscriptions):
    """The same topic again, in other case or spacing, is refused as a duplicate."""
    first = subscriptions.add("C1", "EHC  plans dept:education", "U1", NOW)
    assert (first.channel, first.topic, first.created_by, first.created_at) == (
        "C1",
        "EHC plans dept:education",
        "U1",
        "2025-03-03T09:00:00+00:00",
    )
    with pytest.raises(AlreadySubscribed):
        subscriptions.add("C1", "ehc plans DEPT:education", "U2", NOW)
    assert subscriptions.add("C2", "EHC plans dept:education", "U2", NOW).channel == "C2"


def test_a_topic_search_cannot_read_is_refused(subscriptions):
    """A bad filter or an empty topic is a QueryError, and nothing is saved."""
    for topic in ("EHC from:someday", "   "):
        with pytest.raises(QueryError):
            subscriptions.add("C1", topic, "U1", NOW)
    assert subscriptions.all() == []


def test_unsubscribe_by_id_or_by_topic(subscriptions):
    """Either the id from the list or the topic's words remove it, in that channel only."""
    ehc = subscriptions.add("C1", "EHC plans", "U1", NOW)
    subscriptions.add("C1", "tribunals", "U1", NOW)
    assert subscriptions.remove("C2", str(ehc.id)) is None
    assert subscriptions.remove("C1", f"#{ehc.id}") == ehc
    assert subscriptions.remove("C1", "Tribunals").topic == "tribunals"
    assert subscriptions.of_channel("C1") == []


def test_subscriptions_survive_reopening_the_store(tmp_path):
    """They live in the SQLite file, not in memory."""
    store = QuestionStore.open(tmp_path / "pq.db")
    Subscriptions(store, SearchEngine(store)).add("C1", "EHC plans", "U1", NOW)
    store.close()
    reopened = QuestionStore.open(tmp_path / "pq.db")
    assert [s.topic for s in Subscriptions(reopened, SearchEngine(reopened)).all()] == ["EHC plans"]


def test_new_answers_are_owed_to_the_topics_that_catch_them(subscriptions, store):
    """An EHC plans topic is owed the answer spelling it out, not the one about fishing."""
    ehc_topic = subscriptions.add("C1", "EHC plans", "U1", NOW)
    fishing_topic = subscriptions.add("C2", "fishing quotas", "U2", NOW)
    counts = store.save([EHC, FISHING])
    assert subscriptions.queue(counts.new_ids, NOW) == 2
    owed = {(delivery.subscription.id, delivery.record_id) for delivery in subscriptions.owed()}
    assert owed == {(ehc_topic.id, EHC.id), (fishing_topic.id, FISHING.id)}
    assert [delivery.record_id for delivery in subscriptions.owed("C1")] == [EHC.id]


def test_an_answer_is_owed_once_however_often_it_arrives(subscriptions, store):
    """Queueing the same answer again for the same topic adds nothing."""
    subscriptions.add("C1", "EHC plans", "U1", NOW)
    store.save([EHC])
    assert subscriptions.queue([EHC.id], NOW) == 1
    assert subscriptions.queue([EHC.id], NOW) == 0


def test_deliveries_of_a_finished_post_are_never_owed_again(subscriptions, store):
    """Once the message carrying it is accepted, a delivery leaves the outbox, and the topic shows its digest."""
    subscriptions.add("C1", "EHC plans", "U1", NOW)
    store.save([EHC])
    subscriptions.queue([EHC.id], NOW)
    posts = Posts(store)
    attempt = posts.begin("C1", [delivery.id for delivery in subscriptions.owed()], NOW)
    assert [(unfinished.id, unfinished.delivery_ids) for unfinished in posts.unfinished("C1")] == [
        (attempt.id, attempt.delivery_ids)
    ]
    posts.finish(attempt, "1700000000.000100", NOW)
    assert (subscriptions.owed(), posts.unfinished()) == ([], [])
    assert subscriptions.queue([EHC.id], NOW) == 0
    assert subscriptions.all()[0].last_digest_at == "2025-03-03T09:00:00+00:00"


def test_an_abandoned_post_leaves_its_deliveries_owed(subscriptions, store):
    """Slack said no, so nothing was posted: the answers are still owed, and the attempt is forgotten."""
    subscriptions.add("C1", "EHC plans", "U1", NOW)
    store.save([EHC])
    subscriptions.queue([EHC.id], NOW)
    posts = Posts(store)
    posts.abandon(posts.begin("C1", [delivery.id for delivery in subscriptions.owed()], NOW))
    assert ([delivery.record_id for delivery in subscriptions.owed()], posts.unfinished()) == ([EHC.id], [])


def test_a_held_channel_keeps_what_it_is_owed_until_resumed(subscriptions, store):
    """A refusal for good is kept on every topic of the channel and owes nothing meanwhile; resume
    brings it all back."""
    subscriptions.add("C1", "EHC plans", "U1", NOW)
    subscriptions.add("C2", "EHC plans", "U1", NOW)
    store.save([EHC])
    subscriptions.queue([EHC.id], NOW)
    subscriptions.hold("C1", "not_in_channel", NOW)
    assert [delivery.subscription.channel for delivery in subscriptions.owed()] == ["C2"]
    assert subscriptions.held_channels() == {"C1"}
    assert subscriptions.of_channel("C1")[0].problem == "not_in_channel (2025-03-03T09:00:00+00:00)"
    assert subscriptions.resume("C1") == 1
    assert sorted(delivery.subscription.channel for delivery in subscriptions.owed()) == ["C1", "C2"]


def test_a_new_subscription_resumes_a_held_channel(subscriptions, store):
    """Subscribing again is someone's sign that the channel works now."""
    subscriptions.add("C1", "EHC plans", "U1", NOW)
    subscriptions.hold("C1", "not_in_channel", NOW)
    subscriptions.add("C1", "tribunal", "U1", NOW)
    assert subscriptions.held_channels() == set()


def test_unsubscribing_drops_what_the_topic_was_still_owed(subscriptions, store):
    """A removed topic posts nothing more."""
    topic = subscriptions.add("C1", "EHC plans", "U1", NOW)
    store.save([EHC])
    subscriptions.queue([EHC.id], NOW)
    subscriptions.remove("C1", str(topic.id))
    assert subscriptions.owed() == []


def test_the_outbox_is_written_with_the_ingest_or_not_at_all(subscriptions, store):
    """Queued in the file's own transaction: a file that fails leaves no delivery behind."""
    subscriptions.add("C1", "EHC plans", "U1", NOW)

    def queue_then_crash(counts):
        subscriptions.saved(counts, NOW)
        raise RuntimeError("power cut")

    with pytest.raises(RuntimeError):
        ingest_bytes(store, _api_file(EHC), "ehc.json", on_saved=queue_then_crash)
    assert (store.count(), subscriptions.owed()) == (0, [])
    ingest_bytes(store, _api_file(EHC), "ehc.json", on_saved=lambda counts: subscriptions.saved(counts, NOW))
    assert [delivery.record_id for delivery in subscriptions.owed()] == [EHC.id]


def test_a_record_taking_its_official_id_keeps_what_it_is_owed(subscriptions, store):
    """A page saved without a UIN, then the API's copy: the delivery follows the record."""
    subscriptions.add("C1", "EHC plans", "U1", NOW)
    page = Question(question=EHC.question, answer=EHC.answer, source_format="bare_text")
    subscriptions.queue(store.save([page]).new_ids, NOW)
    store.save([EHC])
    assert [delivery.record_id for delivery in subscriptions.owed()] == [EHC.id]


def test_the_weeks_answers_are_those_first_seen_in_it(store):
    """The weekly window is by when the store got an answer, start inclusive, end exclusive."""
    store.save([EHC], now=NOW - timedelta(days=8))
    store.save([FISHING], now=NOW - timedelta(days=1))
    assert store.ids_first_seen(NOW - timedelta(days=7), NOW) == [FISHING.id]


def test_a_weekly_digest_is_posted_once_per_channel_and_week(subscriptions):
    """The week is remembered per channel."""
    subscriptions.add("C1", "EHC plans", "U1", NOW)
    assert not subscriptions.weekly_posted("C1", "2025-03-03")
    subscriptions.mark_weekly_posted("C1", "2025-03-03", NOW)
    assert subscriptions.weekly_posted("C1", "2025-03-03")
    assert not subscriptions.weekly_posted("C2", "2025-03-03")


def _api_file(question: Question) -> bytes:
    value = {
        "uin": question.uin,
        "house": "Commons",
        "dateTabled": f"{question.date_asked}T00:00:00",
        "dateAnswered": f"{question.date_answered}T00:00:00",
        "heading": question.heading,
        "questionText": question.question,
        "answerText": question.answer,
        "isWithdrawn": False,
    }
    return json.dumps({"value": value}).encode()
