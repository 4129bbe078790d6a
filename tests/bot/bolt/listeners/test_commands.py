"""/pq end to end: signed slash commands to the served app, replies to the stand-in's response URLs."""

import threading
import time

import pytest
from block_kit import assert_within_limits, hostile_markup, sections
from slack_stand_in import WAIT_SECONDS, SlackStandIn

from bot.bolt.deps import Deps
from bot.bolt.listeners.commands import answer_pq
from bot.settings import Settings


@pytest.fixture(scope="module")
def slack(tmp_path_factory):
    """pqbot served over HTTP, with a stand-in Slack around it."""
    with SlackStandIn.running(tmp_path_factory.mktemp("slack") / "pq.db") as stand_in:
        yield stand_in


def ask(slack: SlackStandIn, text: str, name: str) -> dict:
    """Type /pq TEXT and return the reply posted to the response URL."""
    answer = slack.command(text, response=name)
    assert (answer.status, answer.body) == (200, "")
    [reply] = slack.wait_for(slack.response_path(name))
    return reply.body


def test_search_replies_privately_with_the_best_answer_first(slack):
    """/pq EHC plan deadline: the 2024 answer on EHC plan timeliness first, seen only by the asker."""
    reply = ask(slack, "EHC plan deadline", "search")
    assert reply["response_type"] == "ephemeral"
    assert sections(reply)[0].startswith("*1. Special Educational Needs* · answered 31 October 2024\n")


@pytest.mark.parametrize("text", ["help", ""])
def test_help_and_an_empty_command_explain_pqbot(slack, text):
    """/pq help, and /pq alone, answer with how to search."""
    assert sections(ask(slack, text, f"help-{text}"))[0].startswith("*pqbot finds")


@pytest.mark.parametrize(
    ("typed", "hint"),
    [("subscribe", "subscribe needs a topic"), ("EHC from:yesterday", "from: takes a year, month or day")],
)
def test_an_unusable_command_gets_a_short_usage_hint(slack, typed, hint):
    """A command missing its topic, or a filter that cannot be read, is answered with a hint."""
    [text] = sections(ask(slack, typed, f"hint-{typed.split()[-1]}"))
    assert text.startswith(hint)
    assert "`/pq help`" in text


def test_subscribing_is_confirmed_in_the_channel_and_a_duplicate_privately(slack):
    """The team sees who subscribed the channel to what; subscribing again is refused to the asker alone."""
    confirmed = ask(slack, "subscribe SEND transport", "subscribe")
    assert confirmed["response_type"] == "in_channel"
    assert sections(confirmed)[0].startswith("<@UPERSON> subscribed this channel to *SEND transport*")
    duplicate = ask(slack, "subscribe send  TRANSPORT", "subscribe-again")
    assert duplicate["response_type"] == "ephemeral"
    assert sections(duplicate)[0].startswith("This channel is already subscribed to “send  TRANSPORT”.")


def test_the_command_is_acknowledged_before_the_reply_is_sent(slack):
    """Slack's request is answered at once, while the reply to the response URL is still held back."""
    slack.replies_released.clear()
    started = time.monotonic()
    answer = slack.command("EHC timeliness", response="ack")
    slack.replies_released.set()
    [reply] = slack.wait_for(slack.response_path("ack"))
    assert (answer.status, answer.body) == (200, "")
    assert answer.at - started < 2.5
    assert answer.at < reply.at


def test_the_command_acknowledges_before_it_asks_for_the_engine(tmp_path):
    """ack() comes first: nothing slow, not even opening the store, happens before it."""
    calls = []

    class WatchedDeps(Deps):
        """Deps that note when the engine is asked for."""

        def engine(self):
            """The engine, noted."""
            calls.append("engine")
            return super().engine()

    deps = WatchedDeps.from_settings(Settings(db_path=tmp_path / "pq.db"))
    command = {"text": "EHC", "channel_id": "CCHANNEL", "user_id": "UPERSON"}
    responded = threading.Event()

    def respond(**message):
        calls.append("respond")
        responded.set()

    answer_pq(deps, lambda: calls.append("ack"), respond, command)
    assert responded.wait(WAIT_SECONDS)
    assert calls == ["ack", "engine", "respond"]


def test_slash_commands_are_acknowledged_while_every_search_thread_is_busy(slack):
    """Ten searches whose replies Slack is slow to take fill the search pool; the next /pq is still
    acknowledged at once, and every reply arrives once Slack takes them."""
    slack.replies_released.clear()
    answers = [slack.command(f"EHC timeliness {n}", response=f"busy-{n}") for n in range(10)]
    late = slack.command("tribunal", response="busy-late")
    slack.replies_released.set()
    assert [answer.status for answer in answers + [late]] == [200] * 11
    for name in [f"busy-{n}" for n in range(10)] + ["busy-late"]:
        slack.wait_for(slack.response_path(name))


def test_an_unknown_command_is_not_answered(slack):
    """A slash command pqbot does not own gets 404, and no reply."""
    assert slack.command("EHC", response="unknown", command="/other").status == 404
    assert slack.received(slack.response_path("unknown")) == []


def test_unsigned_and_stale_requests_are_refused(slack):
    """Without a valid signature, or signed more than 5 minutes ago, a request gets 401 and no reply."""
    body = f"command=/pq&text=EHC&response_url={slack.response_url('unsigned')}"
    assert slack.send(body, "application/x-www-form-urlencoded", signed=False).status == 401
    stale = int(time.time()) - 6 * 60
    assert slack.send(body, "application/x-www-form-urlencoded", timestamp=stale).status == 401
    assert slack.received(slack.response_path("unsigned")) == []


def test_hostile_text_from_records_and_query_is_escaped(slack):
    """<!channel>, <@U123> and disguised links in a record or the query reach Slack escaped."""
    reply = ask(slack, "Kittiwake <!channel> <https://evil.example|click> zyzzyva", "hostile")
    assert hostile_markup(reply) == []
    notice, title = sections(reply)[:2]
    assert notice.startswith("No confident match for “Kittiwake &lt;!channel&gt; &lt;https://evil.example|click&gt;")
    assert title.startswith("*1. Kittiwake Academy &lt;!channel&gt;*")


def test_a_4000_word_answer_keeps_every_block_kit_limit(slack):
    """The result holding a 4,000-word answer is a valid Block Kit message."""
    reply = ask(slack, "Puffin Island", "long")
    assert sections(reply)[0].startswith("*1. School Transport: Puffin Island*")
    assert_within_limits(reply)
