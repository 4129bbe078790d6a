"""The scheduled jobs at a fixed `now`: the fetch, inbox digests exactly once, refusals recorded, the
weekly round-up."""

import os
import re
import shutil
import threading
from contextlib import closing, contextmanager
from datetime import UTC, date, datetime, timedelta

import pytest
from block_kit import assert_within_limits, buttons, sections
from conftest import DATA, answer_file, real_answers
from parliament_api_stand_in import ParliamentApiStandIn
from slack_stand_in import WAIT_SECONDS, SlackStandIn

from bot.compose.buttons import FULL_ANSWER
from bot.scheduled.jobs import Jobs
from store.fetch.window import last_fetched_day
from store.inbox import Inbox
from store.record import Question
from store.search import Synonyms

NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
POST = "/api/chat.postMessage"
# Real answers, among them "how many children with Education, Health and Care plans …".
ANSWERS = DATA / "api" / "written-questions-sample.json"


@pytest.fixture
def slack(tmp_path):
    """The app and a stand-in Slack, with an inbox."""
    with SlackStandIn.running(tmp_path / "pq.db", inbox=tmp_path / "inbox") as stand_in:
        yield stand_in


@pytest.fixture
def jobs(slack):
    """The jobs, posting through the app's own (retrying) Web API client."""
    jobs = Jobs(slack.settings, slack.app.client, Synonyms.load())
    subscribe(jobs, "CSEND", "EHC plans")
    subscribe(jobs, "CFISH", "fishing quotas")
    return jobs


def subscribe(jobs: Jobs, channel: str, topic: str) -> None:
    with jobs.session() as subscriptions:
        subscriptions.add(channel, topic, "UPERSON", NOW)


def drop(jobs: Jobs, name: str = "answers.json") -> None:
    """Put the real answers file in the inbox, finished a minute before NOW."""
    inbox = jobs.settings.inbox
    inbox.mkdir(parents=True, exist_ok=True)
    shutil.copy(ANSWERS, inbox / name)
    settled(inbox / name, NOW)


def answer_files(folder, prefix: str, count: int, now: datetime) -> None:
    """count one-question answer files in the inbox, each a real answer under a UIN of its own, settled."""
    folder.mkdir(parents=True, exist_ok=True)
    for number, entry in enumerate(real_answers(count, prefix)):
        path = folder / f"{prefix}{number}.json"
        path.write_bytes(answer_file([entry]))
        settled(path, now)


def settled(path, now: datetime) -> None:
    """Date a file a minute before now, as if it had been there a while."""
    stamp = (now - timedelta(minutes=1)).timestamp()
    os.utime(path, (stamp, stamp))


def posts(slack, channel: str) -> list:
    return slack.received(POST, channel=channel)


def test_a_new_answer_reaches_only_the_channel_whose_topic_catches_it(slack, jobs):
    """One digest in the EHC channel, holding the two EHC plan answers; nothing in the fishing channel."""
    drop(jobs)
    report = jobs.scan_inbox(NOW)
    assert report.done == ["answers.json"]
    [digest] = posts(slack, "CSEND")
    assert posts(slack, "CFISH") == []
    assert_within_limits(digest.body)
    texts = sections(digest.body)
    assert texts[0].startswith("*EHC plans* · 2 new answers · #1")
    assert {text.split("\n")[0].split(" · ")[0] for text in texts[1:]} == {
        "*Special Educational Needs*",
        "*Special Educational Needs: County Durham*",
    }
    assert any(re.search(r"\n> .*\*[^*]+\*", text) for text in texts[1:]), "matched words in bold"


def test_the_same_answers_dropped_again_post_nothing_more(slack, jobs):
    """The same file, and then the same answers under another name, are never posted twice."""
    drop(jobs)
    jobs.scan_inbox(NOW)
    drop(jobs)
    jobs.scan_inbox(NOW)
    drop(jobs, "renamed copy.json")
    jobs.scan_inbox(NOW)
    assert len(posts(slack, "CSEND")) == 1


def test_a_rate_limited_digest_is_retried_after_retry_after_and_posted_once(slack, jobs):
    """Slack's 429 is honoured and retried by the client; the digest lands once and is not owed again."""
    slack.script(POST, status=429, headers={"Retry-After": "0"}, ok=False, error="ratelimited")
    drop(jobs)
    jobs.scan_inbox(NOW)
    assert len(posts(slack, "CSEND")) == 2
    jobs.scan_inbox(NOW)
    assert len(posts(slack, "CSEND")) == 2
    with jobs.session() as subscriptions:
        assert subscriptions.owed() == []


def test_a_channel_pqbot_may_not_post_in_is_recorded_and_not_retried(slack, jobs):
    """not_in_channel is kept on the subscription for /pq subscriptions, and not tried for ever."""
    slack.script(POST, ok=False, error="not_in_channel")
    drop(jobs)
    jobs.scan_inbox(NOW)
    jobs.scan_inbox(NOW + timedelta(minutes=1))
    assert len(posts(slack, "CSEND")) == 1
    with jobs.session() as subscriptions:
        [ehc] = subscriptions.of_channel("CSEND")
    assert ehc.problem == "not_in_channel (2025-03-03T09:00:00+00:00)"


def test_a_passing_slack_error_leaves_the_digest_owed_for_the_next_scan(slack, jobs):
    """An error Slack may not repeat is neither lost nor given up: the next scan posts the digest."""
    slack.script(POST, ok=False, error="fatal_error")
    drop(jobs)
    jobs.scan_inbox(NOW)
    jobs.scan_inbox(NOW + timedelta(minutes=1))
    assert len(posts(slack, "CSEND")) == 2
    with jobs.session() as subscriptions:
        assert subscriptions.owed() == []


def test_answers_stored_just_before_a_crash_are_posted_after_the_restart(slack, jobs):
    """Stored and owed, then pqbot stops before posting: the next run posts them, once."""
    drop(jobs)
    with jobs.session() as subscriptions:
        Inbox(jobs.settings.inbox).scan(
            subscriptions.store, NOW, on_saved=lambda counts: subscriptions.saved(counts, NOW)
        )
    assert posts(slack, "CSEND") == []
    restarted = Jobs(jobs.settings, slack.app.client, Synonyms.load())
    restarted.scan_inbox(NOW)
    restarted.scan_inbox(NOW)
    assert len(posts(slack, "CSEND")) == 1


def test_the_weekly_digest_rounds_up_the_week_once_per_channel(slack, jobs):
    """Answers first stored in the past week, per subscribed channel with any; once a week."""
    ehc = Question(
        uin="901",
        date_asked="2025-02-20",
        heading="Special Educational Needs",
        question="To ask the Secretary of State for Education, about EHC plans.",
        answer="EHC plans are rising.",
    )
    older = Question(
        uin="902", date_asked="2025-01-01", question="To ask about EHC plans in 2024.", answer="EHC plans."
    )
    with jobs.session() as subscriptions:
        subscriptions.store.save([older], now=NOW - timedelta(days=9))
        subscriptions.store.save([ehc], now=NOW - timedelta(days=2))
    jobs.post_weekly(NOW)
    jobs.post_weekly(NOW + timedelta(hours=1))
    [weekly] = posts(slack, "CSEND")
    assert posts(slack, "CFISH") == []
    assert weekly.body["blocks"][0]["text"]["text"] == "This week's answers"
    assert [text for text in sections(weekly.body) if "*Special" in text] and "2024" not in str(weekly.body)


def test_a_weekly_round_up_in_several_parts_is_posted_whole_and_a_part_refused_is_not_repeated(slack, jobs):
    """Forty answers make two numbered parts; when Slack refuses the second for now, the next run
    posts it and the rest, and not the first again; the run after that posts nothing."""
    many = [
        Question(
            uin=f"8{n:03d}",
            date_asked="2025-02-20",
            heading=f"EHC plans {n}",
            question=f"To ask about EHC plans {n}.",
            answer=f"EHC plans answer {n}.",
        )
        for n in range(40)
    ]
    with jobs.session() as subscriptions:
        subscriptions.store.save(many, now=NOW - timedelta(days=2))
    slack.script(POST, ok=True, ts="1700000000.000001")
    slack.script(POST, ok=False, error="ratelimited")
    jobs.post_weekly(NOW)
    first, refused = posts(slack, "CSEND")
    jobs.post_weekly(NOW + timedelta(hours=1))
    jobs.post_weekly(NOW + timedelta(hours=2))
    sent = [first] + posts(slack, "CSEND")[2:]
    headers = [post.body["blocks"][0]["text"]["text"] for post in sent]
    assert len(headers) == 2 and headers == [
        f"This week's answers ({n} of {len(headers)})" for n in range(1, len(headers) + 1)
    ]
    shown = [button["value"] for post in sent for button in buttons(post.body, FULL_ANSWER)]
    assert len(shown) == len(set(shown)) == 40


FETCHED_ON = datetime(2024, 9, 20, 7, 0, tzinfo=UTC)


@contextmanager
def fetching(tmp_path):
    """The jobs against a stand-in Parliament API and Slack, a channel subscribed to SEN answers."""
    with (
        closing(ParliamentApiStandIn()) as parliament,
        SlackStandIn.running(tmp_path / "pq.db", inbox=tmp_path / "inbox", api_url=parliament.url) as slack,
    ):
        jobs = Jobs(slack.settings, slack.app.client, Synonyms.load())
        subscribe(jobs, "CSEND", "special educational needs")
        yield jobs, slack


def test_the_daily_fetch_brings_new_answers_from_parliament_to_their_channels(tmp_path):
    """The fetch job fills the inbox from the API; the inbox job posts what a topic catches; once."""
    fetched_on = FETCHED_ON
    with fetching(tmp_path) as (jobs, slack):
        report = jobs.fetch_answers(fetched_on)
        assert (report.listed, report.written) == (16, 16)
        for path in report.files:
            settled(path, fetched_on)
        jobs.scan_inbox(fetched_on)
        [digest] = posts(slack, "CSEND")
        assert "*Special Educational Needs: Mid Cheshire*" in str(digest.body["blocks"])
        assert jobs.fetch_answers(fetched_on).files == []
        jobs.scan_inbox(fetched_on)
        assert len(posts(slack, "CSEND")) == 1


def test_the_fetch_and_the_inbox_scan_at_once_inside_one_serve_fail_nothing(tmp_path):
    """The two jobs write the one store from their own threads at the same moment: the fetch remembers
    its day, and every inbox file is done, none failed."""
    fetched_on = FETCHED_ON
    with fetching(tmp_path) as (jobs, _):
        answer_files(jobs.settings.inbox, "I", 30, fetched_on)
        start = threading.Barrier(2)
        outcomes = {}

        def run(name, job):
            start.wait(WAIT_SECONDS)
            outcomes[name] = job(fetched_on)

        threads = [
            threading.Thread(target=run, args=pair)
            for pair in (("fetch", jobs.fetch_answers), ("scan", jobs.scan_inbox))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(WAIT_SECONDS * 6)
        assert outcomes["fetch"] is not None and outcomes["fetch"].written == 16
        scanned = outcomes["scan"]
        assert scanned.failures == [] and len(scanned.done) + len(scanned.waiting) >= 30
        with jobs.session() as subscriptions:
            assert last_fetched_day(subscriptions.store) == date(2024, 9, 19)
