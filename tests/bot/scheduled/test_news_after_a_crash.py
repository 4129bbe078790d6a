"""News posted in a thread, then pqbot stopped before noting it: the next scan finds it among the thread's
replies (where Slack keeps replies, not in the channel's history) and posts nothing again."""

from datetime import UTC, datetime

from slack_stand_in import SlackStandIn

from bot.compose.news import news_message
from bot.scheduled.jobs import Jobs
from scheduled.test_serve_news import ehc_question, stage
from store.ingest import ingest_bytes
from store.news import News
from store.posts import Posts
from store.search import Synonyms

NOW = datetime(2025, 6, 1, 9, 0, tzinfo=UTC)
POST = "/api/chat.postMessage"


def test_news_interrupted_after_slack_took_it_is_found_in_the_thread_and_not_posted_again(tmp_path):
    real = ehc_question()
    real = real | {"value": real["value"] | {"dateAnswered": "2025-05-20T00:00:00"}}
    holding = stage(real, answerText="<p>I will reply shortly.</p>", answerIsHolding=True)
    with SlackStandIn.running(tmp_path / "pq.db", inbox=tmp_path / "inbox") as slack:
        jobs = Jobs(slack.settings, slack.app.client, Synonyms.load())
        with jobs.session() as subscriptions:
            subscriptions.add("CSEND", "EHC plans", "UPERSON", NOW)
            ingest_bytes(subscriptions.store, holding, "holding.json", lambda counts: subscriptions.saved(counts, NOW))
            jobs.post_owed(subscriptions, NOW)
            ingest_bytes(
                subscriptions.store, stage(real), "answered.json", lambda counts: subscriptions.saved(counts, NOW)
            )
            news, posts = News(subscriptions.store), Posts(subscriptions.store)
            [story] = news.owed("CSEND")
            thread = news.thread_of(story)
            attempt = posts.begin("CSEND", [], NOW, story.key, thread)
            message = news_message(subscriptions.store.get(story.record_id), story.stage, story.topics)
            jobs.poster.post("CSEND", message, attempt.id, thread)
        assert len(slack.received(POST, channel="CSEND")) == 2
        restarted = Jobs(slack.settings, slack.app.client, Synonyms.load())
        restarted.scan_inbox(NOW)
        assert len(slack.received(POST, channel="CSEND")) == 2
        assert slack.received("/api/conversations.replies", channel="CSEND", ts=thread)
        with restarted.session() as subscriptions:
            assert (News(subscriptions.store).owed(), Posts(subscriptions.store).unfinished()) == ([], [])
