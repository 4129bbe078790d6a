"""Mentions and direct messages end to end: signed events in, thread replies to chat.postMessage."""

import pytest
from block_kit import buttons, hostile_markup, sections
from slack_bolt.request import BoltRequest
from slack_stand_in import BOT_ID, BOT_USER_ID, PERSON, SlackStandIn, event_envelope

from bot.bolt.listeners.events import written_by_a_person
from bot.compose.buttons import SHARE_IN_CHANNEL

POST = "/api/chat.postMessage"


@pytest.fixture(scope="module")
def slack(tmp_path_factory):
    """pqbot served over HTTP, with a stand-in Slack around it."""
    with SlackStandIn.running(tmp_path_factory.mktemp("slack") / "pq.db") as stand_in:
        yield stand_in


def message(channel: str, text: str, ts: str = "1700000000.000100", **fields) -> dict:
    """A person's message event in a direct message with pqbot."""
    return {
        "type": "message",
        "channel_type": "im",
        "channel": channel,
        "user": PERSON,
        "text": text,
        "ts": ts,
    } | fields


def answer_in(slack: SlackStandIn, channel: str) -> dict:
    """The one reply pqbot posted in a channel, once it has come."""
    [post] = slack.wait_for(POST, channel=channel)
    return post.body


def test_a_mention_is_answered_in_a_thread_without_the_mention(slack):
    """@pqbot EHC plan deadline in a channel: the best answer, in a thread under the question."""
    mention = {"type": "app_mention", "channel": "CMENTION", "user": PERSON, "ts": "1700000000.000300"}
    assert slack.event(mention | {"text": f"<@{BOT_USER_ID}> EHC plan deadline"}).status == 200
    post = answer_in(slack, "CMENTION")
    assert post["thread_ts"] == "1700000000.000300"
    assert post["blocks"][0]["elements"][0]["text"].startswith("Searched for: ehc ")
    assert BOT_USER_ID.casefold() not in post["blocks"][0]["elements"][0]["text"].casefold()
    assert sections(post)[0].startswith("*1. Special Educational Needs* · answered 31 October 2024\n")
    assert post["text"]


def test_a_direct_message_is_answered_in_a_thread_that_everyone_there_sees(slack):
    """A DM is answered in its thread; the reply is public there, so has no Share button."""
    assert slack.event(message("DDIRECT", "Puffin Island", ts="1700000000.000400")).status == 200
    post = answer_in(slack, "DDIRECT")
    assert post["thread_ts"] == "1700000000.000400"
    assert sections(post)[0].startswith("*1. School Transport: Puffin Island*")
    assert buttons(post, SHARE_IN_CHANNEL) == []


def test_a_reply_in_a_dm_thread_is_answered_in_the_same_thread(slack):
    """A follow-up inside a thread stays in that thread."""
    slack.event(message("DTHREAD", "help", ts="1700000000.000600", thread_ts="1700000000.000500"))
    assert answer_in(slack, "DTHREAD")["thread_ts"] == "1700000000.000500"


def test_bots_and_edits_are_never_answered(slack):
    """pqbot's own messages, other bots' and edits get no reply; a person's message after them does."""
    slack.event(message("DOWN", "EHC", user=BOT_USER_ID, bot_id=BOT_ID))
    slack.event(message("DBOT", "EHC", bot_id="BOTHER"))
    slack.event(message("DEDIT", "EHC", subtype="message_changed"))
    slack.event(message("DCHANNEL", "EHC", channel_type="channel"))
    slack.event(message("DAFTER", "EHC"))
    answer_in(slack, "DAFTER")
    assert [slack.received(POST, channel=channel) for channel in ("DOWN", "DBOT", "DEDIT", "DCHANNEL")] == [[]] * 4


@pytest.mark.parametrize(
    ("event", "answered"),
    [
        ({"user": PERSON, "text": "EHC"}, True),
        ({"user": BOT_USER_ID, "bot_id": BOT_ID, "text": "EHC"}, False),
        ({"subtype": "message_changed", "message": {"text": "EHC"}}, False),
        ({"subtype": "message_deleted"}, False),
    ],
)
def test_only_peoples_new_messages_count(event, answered):
    """A message is a person's question only if no bot wrote it and it changes no other."""
    assert written_by_a_person(event) is answered


def test_hostile_text_in_a_thread_reply_is_escaped(slack):
    """Record text in a thread reply cannot ping the channel, mention anyone or disguise a link."""
    slack.event(message("DHOSTILE", "Kittiwake"))
    assert hostile_markup(answer_in(slack, "DHOSTILE")) == []


def test_an_event_slack_sends_again_is_answered_once(slack):
    """The same app_mention, resent with X-Slack-Retry-Num 1 and 2 under its event id, gets one reply."""
    mention = {"type": "app_mention", "channel": "CRETRY", "user": PERSON, "ts": "1700000000.000900"}
    mention["text"] = f"<@{BOT_USER_ID}> EHC timeliness"
    assert [slack.event(mention, event_id="EvRETRIED", retry=retry).status for retry in (0, 1, 2)] == [200] * 3
    answer_in(slack, "CRETRY")
    slack.event(mention | {"channel": "CAFTER"})
    answer_in(slack, "CAFTER")
    assert len(slack.received(POST, channel="CRETRY")) == 1


def test_a_socket_mode_retry_is_answered_once(slack):
    """A Socket Mode envelope sent again with retry_attempt 1 carries the same event id: one reply."""
    mention = {"type": "app_mention", "channel": "CSOCKET", "user": PERSON, "ts": "1700000000.000901"}
    mention["text"] = f"<@{BOT_USER_ID}> EHC timeliness"
    payload = event_envelope(mention, "EvSOCKET")
    for attempt in (0, 1):
        response = slack.app.dispatch(BoltRequest(body=payload, mode="socket_mode", context={"retry_attempt": attempt}))
        assert response.status == 200
    answer_in(slack, "CSOCKET")
    slack.event(mention | {"channel": "CSOCKETAFTER"})
    answer_in(slack, "CSOCKETAFTER")
    assert len(slack.received(POST, channel="CSOCKET")) == 1
