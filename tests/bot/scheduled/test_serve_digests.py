"""Subscriptions and digests end to end, as `pqbot serve` runs them: the app served over HTTP with
the real scheduler beside it, signed /pq commands, a real answer file dropped in the inbox, and
digests posted to a stand-in Slack.

The test runs the inbox job when it wants (APScheduler's own modify(next_run_time=…)) and waits
for the scheduler's job-executed event: no sleeps.
"""

import os
import threading
import time
from contextlib import contextmanager
from datetime import UTC, datetime

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED
from block_kit import assert_within_limits, buttons, sections
from conftest import DATA, answer_file, real_answers
from slack_stand_in import WAIT_SECONDS, SlackStandIn

from bot.compose.buttons import FULL_ANSWER
from bot.scheduled.jobs import Jobs
from bot.scheduled.scheduler import INBOX_JOB, build_scheduler
from store.search import Synonyms

POST = "/api/chat.postMessage"
ANSWERS = DATA / "api" / "written-questions-sample.json"


class Served:
    """The stand-in Slack around the app, and the started scheduler with a record of its runs."""

    def __init__(self, slack: SlackStandIn):
        self.slack = slack
        self.scheduler = build_scheduler(slack.settings, Jobs(slack.settings, slack.app.client, Synonyms.load()))
        self.runs: list = []
        self.ran = threading.Condition()
        self.scheduler.add_listener(self._note, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
        self.scheduler.start()

    def _note(self, event) -> None:
        with self.ran:
            self.runs.append(event)
            self.ran.notify_all()

    def scan_inbox_now(self) -> None:
        """Run the inbox job at once, as its interval would, and wait until it has run cleanly."""
        before = len(self.runs)
        self.scheduler.get_job(INBOX_JOB).modify(next_run_time=datetime.now(UTC))
        with self.ran:
            assert self.ran.wait_for(lambda: len(self.runs) > before, WAIT_SECONDS)
        assert self.runs[-1].exception is None

    def pq(self, text: str, channel: str, name: str) -> dict:
        """Type /pq TEXT in a channel; the reply sent to its response URL."""
        assert self.slack.command(text, response=name, channel=channel).status == 200
        [reply] = self.slack.wait_for(self.slack.response_path(name))
        return reply.body

    def drop_answers(self, name: str) -> None:
        """Put the real answers file in the inbox, finished a minute ago."""
        self.drop_file(name, ANSWERS.read_bytes())

    def drop_file(self, name: str, content: bytes) -> None:
        """Put an answer file in the inbox, finished a minute ago."""
        inbox = self.slack.settings.inbox
        inbox.mkdir(parents=True, exist_ok=True)
        (inbox / name).write_bytes(content)
        stamp = time.time() - 60
        os.utime(inbox / name, (stamp, stamp))


@contextmanager
def serving(tmp_path):
    """pqbot served over a store and inbox in tmp_path; the inbox job waits for the test's word."""
    settings = {"inbox": tmp_path / "inbox", "inbox_interval": 3600}
    with SlackStandIn.running(tmp_path / "pq.db", **settings) as slack:
        served = Served(slack)
        try:
            yield served
        finally:
            served.scheduler.shutdown()


def test_a_dropped_answer_file_reaches_exactly_the_subscribed_channel_once(tmp_path):
    """Two channels, two topics: one digest in the right channel (through a 429), none in the other,
    none again for the same file, and the subscriptions still there after a restart."""
    with serving(tmp_path) as served:
        confirmed = served.pq("subscribe EHC plans", "CSEND", "subscribe-send")
        assert confirmed["response_type"] == "in_channel"
        served.pq("subscribe fishing quotas", "CFISH", "subscribe-fish")
        served.slack.script(POST, status=429, headers={"Retry-After": "0"}, ok=False, error="ratelimited")

        served.drop_answers("answers.json")
        served.scan_inbox_now()
        first_try, digest = served.slack.received(POST, channel="CSEND")
        assert first_try.body == digest.body
        assert sections(digest.body)[0].startswith("*EHC plans* · 2 new answers")
        assert served.slack.received(POST, channel="CFISH") == []

        served.drop_answers("answers.json")
        served.scan_inbox_now()
        assert len(served.slack.received(POST)) == 2
        assert sorted(path.name for path in (tmp_path / "inbox" / "done").iterdir()) == [
            "answers-1.json",
            "answers.json",
        ]

    with serving(tmp_path) as restarted:
        listed = restarted.pq("subscriptions", "CSEND", "list")
        assert "*EHC plans* (#1)" in sections(listed)[1]
        assert "last digest" in sections(listed)[1]


def many_answers(count: int, groups: int) -> bytes:
    """count real answers under UINs of their own, each heading naming one of `groups` group words."""
    entries = real_answers(count, "9")
    for number, entry in enumerate(entries):
        entry["value"]["heading"] = f"{entry['value']['heading']} grp{number % groups}"
    return answer_file(entries)


def carried_record_ids(posts) -> list[str]:
    """The record id behind every Full answer button in these posted digests, in order."""
    return [button["value"] for post in posts for button in buttons(post.body, FULL_ANSWER)]


def test_thirty_topics_and_two_hundred_answers_all_reach_the_channel_once_within_slacks_limits(tmp_path):
    """Every answer is in exactly one of several messages, each within Slack's limits, and none is owed after."""
    with serving(tmp_path) as served:
        for group in range(30):
            served.pq(f"subscribe grp{group}", "CBIG", f"subscribe-{group}")
        served.drop_file("many.json", many_answers(200, 30))
        served.scan_inbox_now()
        posts = served.slack.received(POST, channel="CBIG")
        assert len(posts) > 1
        for post in posts:
            assert_within_limits(post.body)
        carried = carried_record_ids(posts)
        assert len(carried) == len(set(carried)) == 200
        served.scan_inbox_now()
        assert len(served.slack.received(POST, channel="CBIG")) == len(posts)


def test_a_refusal_for_good_is_tried_once_shown_and_posted_after_resume(tmp_path):
    """invalid_blocks holds the channel: not tried again at the next scan, shown in /pq subscriptions,
    and, after /pq resume, the answers arrive after all."""
    with serving(tmp_path) as served:
        served.pq("subscribe EHC plans", "CSEND", "subscribe-send")
        served.slack.script(POST, ok=False, error="invalid_blocks")
        served.drop_answers("answers.json")
        served.scan_inbox_now()
        served.scan_inbox_now()
        assert len(served.slack.received(POST, channel="CSEND")) == 1
        listed = served.pq("subscriptions", "CSEND", "list")
        assert "held: invalid_blocks" in sections(listed)[1]
        resumed = served.pq("resume", "CSEND", "resume")
        assert resumed["response_type"] == "in_channel"
        served.scan_inbox_now()
        refused, posted = served.slack.received(POST, channel="CSEND")
        assert sections(posted.body)[0].startswith("*EHC plans* · 2 new answers")
