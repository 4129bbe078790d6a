"""A digest survives pqbot being killed (kill -9) at each step of posting it: nothing lost, nothing repeated.

Real `pqbot serve` processes post to the stand-in Web API, which holds its answer to one
chat.postMessage, before or after keeping the message; the test kills the process there, starts
it again, and reads the channel's history.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime

import pytest
from block_kit import buttons
from conftest import DATA
from slack_stand_in import WAIT_SECONDS, WebApiStandIn

from bot.compose.buttons import FULL_ANSWER
from scheduled.test_serve_digests import many_answers
from store.db import QuestionStore
from store.search import SearchEngine
from store.subscriptions import Subscriptions

POST = "/api/chat.postMessage"
ANSWERS = 40  # two messages' worth for one topic (about 23 answers a message)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(tmp_path, slack: WebApiStandIn) -> subprocess.Popen:
    """`pqbot serve` as its own process, over HTTP on a free port, scanning the inbox every second."""
    env = {key: value for key, value in os.environ.items() if "proxy" not in key.casefold()} | {
        "PQBOT_DB": str(tmp_path / "pq.db"),
        "PQBOT_INBOX": str(tmp_path / "inbox"),
        "PQBOT_INBOX_INTERVAL": "1",
        "PQBOT_FETCH": "off",
        "PQBOT_WEEKLY_DIGEST": "off",
        "PQBOT_PORT": str(free_port()),
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": "test-signing-secret",
        "SLACK_API_URL": f"{slack.url}/api/",
    }
    command = [sys.executable, "-c", "from bot.cli import main; main()", "serve"]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def drop(tmp_path, name: str, content: bytes) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir(exist_ok=True)
    (inbox / name).write_bytes(content)
    stamp = time.time() - 60
    os.utime(inbox / name, (stamp, stamp))


def carried(history: list[dict]) -> list[str]:
    """The record behind every Full answer button in a channel's history."""
    return [button["value"] for message in history for button in buttons(message, FULL_ANSWER)]


@pytest.mark.parametrize(
    ("message", "kept"),
    [(1, False), (1, True), (2, False), (2, True)],
    ids=["first-before-slack-has-it", "first-after-slack-has-it", "second-before", "second-after"],
)
def test_killed_at_each_step_of_posting_a_digest_arrives_whole_and_once(tmp_path, message, kept):
    """Killed before Slack has a message, it is posted after the restart; killed after Slack has it but
    before the store heard, it is found in the channel's history and not posted again."""
    store = QuestionStore.open(tmp_path / "pq.db")
    subscriptions = Subscriptions(store, SearchEngine(store))
    subscriptions.add("C1", "grp0", "UPERSON", datetime.now(UTC))
    subscriptions.add("C2", "EHC plans", "UPERSON", datetime.now(UTC))
    store.close()
    drop(tmp_path, "many.json", many_answers(ANSWERS, 1))
    drop(tmp_path, "sentinel.json", (DATA / "api" / "written-questions-sample.json").read_bytes())
    slack = WebApiStandIn()
    try:
        slack.hold_post(message, kept)
        first = serve(tmp_path, slack)
        slack.wait_until(lambda: len(slack.received(POST)) >= message, f"post {message} never came")
        if kept:
            slack.wait_until(lambda: len(slack.history.get("C1", [])) >= message, f"post {message} never kept")
        first.send_signal(signal.SIGKILL)
        first.wait(WAIT_SECONDS)
        slack.posts_released.set()
        second = serve(tmp_path, slack)
        try:
            slack.wait_until(lambda: "C2" in slack.history, "the later channel's digest never came")
        finally:
            second.send_signal(signal.SIGKILL)
            second.wait(WAIT_SECONDS)
        records = carried(slack.history["C1"])
        assert len(records) == len(set(records)) == ANSWERS
        assert len(slack.history["C1"]) == 2
    finally:
        slack.close()
