"""The message shortcut end to end: a signed message_action in, private results to its response URL."""

import pytest
from block_kit import assert_within_limits, buttons, sections
from slack_stand_in import SlackStandIn

from bot.compose.buttons import CITE, SHARE_IN_CHANNEL
from bot.compose.shortcut import FIND_ANSWERS, query_from_message


@pytest.fixture(scope="module")
def slack(tmp_path_factory):
    with SlackStandIn.running(tmp_path_factory.mktemp("slack") / "pq.db") as stand_in:
        yield stand_in


def shortcut_reply(slack: SlackStandIn, text: str, name: str) -> dict:
    assert slack.message_shortcut(FIND_ANSWERS, text, response=name).status == 200
    [reply] = slack.wait_for(slack.response_path(name))
    return reply.body


def first_title(reply: dict) -> str:
    """The first result's heading line."""
    return next(text for text in sections(reply) if text.startswith("*1. "))


def test_find_answers_searches_the_messages_words_and_shows_the_results_privately(slack):
    """A colleague's message about respite care: the respite answers, only to the person who asked,
    with Share in channel and Cite; Slack's markup in the message is not searched for."""
    text = "<@U123> does anyone know what respite care is funded? see <https://example.com/x|this> &amp; ask"
    reply = shortcut_reply(slack, text, "shortcut-1")
    assert reply["response_type"] == "ephemeral"
    assert_within_limits(reply)
    assert first_title(reply).startswith("*1. Respite Care: Disabled Children*")
    searched_for = reply["blocks"][0]["elements"][0]["text"]
    assert (
        "respite" in searched_for
        and "+ care +" in searched_for
        and "u123" not in searched_for
        and "example" not in searched_for
    )
    assert buttons(reply, SHARE_IN_CHANNEL) and buttons(reply, CITE)


def test_a_very_long_message_is_searched_within_the_bound(slack):
    """Forty thousand characters (Slack's most) are answered like any query, within a message's limits,
    and a filter in the text is never obeyed (from:2099 would leave nothing to show)."""
    text = (
        "What respite care is funded from:2099? "
        + "The council said it would look again at its budget next year. " * 640
    )
    reply = shortcut_reply(slack, text, "shortcut-long")
    assert_within_limits(reply)
    assert first_title(reply)


def test_a_message_with_no_words_is_told_so(slack):
    reply = shortcut_reply(slack, "<@U123> <!here>", "shortcut-empty")
    assert sections(reply)[0].startswith("That message has no words to search for.")


def test_a_message_becomes_plain_words_without_search_syntax_or_markup():
    assert query_from_message('"EHC -plans" from:2024 <#C1|send> <https://a.example> <https://b.example|tribunal>') == (
        "ehc plans from 2024 tribunal"
    )
    assert len(query_from_message("word " * 10_000)) < 4000
