"""The buttons end to end: signed clicks in; replies to response URLs, and modals to views.open."""

import re

import pytest
from block_kit import (
    MODAL_BLOCKS,
    assert_within_limits,
    buttons,
    hostile_markup,
    sections,
)
from slack_stand_in import LONG, PERSON, SlackStandIn

from bot.compose.buttons import (
    CITE,
    FULL_ANSWER,
    MORE_RESULTS,
    MORE_TOPICS,
    SHARE_IN_CHANNEL,
    NextPage,
    SharedAnswer,
)
from bot.compose.mrkdwn import escape

VIEWS_OPEN = "/api/views.open"


@pytest.fixture(scope="module")
def slack(tmp_path_factory):
    """pqbot served over HTTP, with a stand-in Slack around it."""
    with SlackStandIn.running(tmp_path_factory.mktemp("slack") / "pq.db") as stand_in:
        yield stand_in


def ask(slack: SlackStandIn, text: str, name: str) -> dict:
    """Type /pq TEXT and return the reply posted to the response URL."""
    slack.command(text, response=name)
    [reply] = slack.wait_for(slack.response_path(name))
    return reply.body


def click(slack: SlackStandIn, button: dict, name: str) -> dict:
    """Press a button and return what the app then sent to the response URL."""
    assert slack.click(button, response=name).status == 200
    [reply] = slack.wait_for(slack.response_path(name))
    return reply.body


def opened_view(slack: SlackStandIn, record_id: str, action_id: str = FULL_ANSWER) -> dict:
    """Press Full answer (or another button that opens a view) for a record and return the view the app opened."""
    before = len(slack.received(VIEWS_OPEN))
    slack.click({"action_id": action_id, "value": record_id}, response=f"full-{before}")
    opened = slack.wait_for(VIEWS_OPEN, count=before + 1)[before]
    assert opened.body["trigger_id"] == "trigger-2"
    return opened.body["view"]


def titles(message: dict) -> list[str]:
    """The first line of each result: its number, heading and date."""
    return [text.split("\n")[0] for text in sections(message) if text.startswith("*")]


def test_more_results_replaces_the_page_with_the_next(slack):
    """More results carries on from result 6, in place of the first page, with no more to come."""
    first = ask(slack, "respite", "more-1")
    assert len(titles(first)) == 5
    [more] = buttons(first, MORE_RESULTS)
    assert NextPage.from_value(more["value"]) == NextPage("respite", 5)
    second = click(slack, more, "more-2")
    assert second["replace_original"] is True
    assert [title.split(".")[0] for title in titles(second)] == ["*6", "*7"]
    assert buttons(second, MORE_RESULTS) == []
    assert buttons(second, SHARE_IN_CHANNEL)


def test_share_posts_the_same_result_for_the_whole_channel(slack):
    """Share in channel replaces the private reply with the same result, public, naming who shared it."""
    private = ask(slack, "EHC plan deadline", "share-1")
    shared = click(slack, buttons(private, SHARE_IN_CHANNEL)[0], "share-2")
    assert (shared["response_type"], shared["delete_original"]) == ("in_channel", True)
    assert shared["blocks"][0]["elements"][0]["text"] == f"<@{PERSON}> shared this answer from pqbot"
    title, snippet = sections(private)[:2]
    assert sections(shared) == ["*" + title.removeprefix("*1. "), snippet]
    assert buttons(shared, SHARE_IN_CHANNEL) == []
    assert buttons(shared, FULL_ANSWER) == buttons(private, FULL_ANSWER)[:1]


def test_share_of_an_answer_no_longer_stored_says_so_privately(slack):
    """A share whose record has gone is answered privately, and the channel sees nothing."""
    reply = click(slack, {"action_id": SHARE_IN_CHANNEL, "value": SharedAnswer("gone", "").value()}, "gone")
    assert (reply["response_type"], reply["replace_original"]) == ("ephemeral", False)
    assert sections(reply)[0].startswith("That answer is no longer in pqbot's store")


def test_full_answer_opens_a_modal_with_the_whole_4000_word_answer(slack):
    """The modal holds every word of a 4,000-word answer, within Slack's limits for a view."""
    [full_answer] = buttons(ask(slack, "Puffin Island", "full"), FULL_ANSWER)[:1]
    view = opened_view(slack, full_answer["value"])
    assert_within_limits(view, MODAL_BLOCKS)
    answer = " ".join(text for text in sections(view)[1:])
    assert answer.split() == LONG.answer.split()


def test_hostile_text_is_escaped_when_shared_and_in_the_modal(slack):
    """The hostile record stays harmless when shared with everyone and in its full-answer modal."""
    private = ask(slack, "Kittiwake", "hostile-1")
    shared = click(slack, buttons(private, SHARE_IN_CHANNEL)[0], "hostile-2")
    view = opened_view(slack, buttons(private, FULL_ANSWER)[0]["value"])
    assert hostile_markup([shared, view]) == []
    assert view["blocks"][0]["text"]["text"] == escape("Kittiwake Academy <!channel>")


def test_more_topics_pages_through_every_subscription_of_a_channel(slack):
    """Forty-five topics: twenty a page, and More topics reaches the last one."""
    for number in range(45):
        ask(slack, f"subscribe respite topic{number}", f"topics-subscribe-{number}")
    seen, page = [], ask(slack, "subscriptions", "topics-list")
    for name in ("topics-more-1", "topics-more-2"):
        assert_within_limits(page)
        seen += [text for text in sections(page) if "respite topic" in text]
        [more] = buttons(page, MORE_TOPICS)
        page = click(slack, more, name)
    seen += [text for text in sections(page) if "respite topic" in text]
    assert buttons(page, MORE_TOPICS) == []
    assert len(seen) == 45 and "*respite topic44*" in seen[-1]


def test_a_subscribe_confirmation_for_a_long_topic_keeps_its_unsubscribe_hint(slack):
    """A 3,000-character topic is cut in the confirmation, never the /pq unsubscribe hint after it."""
    confirmed = ask(slack, "subscribe " + "respite care " * 250, "long-topic")
    assert re.search(r"`/pq unsubscribe \d+` stops them\.$", sections(confirmed)[0])


def test_cite_on_a_search_result_opens_its_citation_privately(slack):
    """Cite beside a result opens a modal (only the presser sees it) with the sentence and the short reference."""
    private = ask(slack, "respite care region 3", "cite")
    [first, *_] = buttons(private, CITE)
    assert first["value"] == "2024-02-01/93"
    view = opened_view(slack, first["value"], CITE)
    assert_within_limits(view, MODAL_BLOCKS)
    sentence, reference = sections(view)
    url = "https://questions-statements.parliament.uk/written-questions/detail/2024-02-01/93"
    assert sentence == (
        "Written question 93 (“Respite Care: Disabled Children”), tabled on 1 February 2024, was answered on "
        f"13 February 2024. Official record: {url}"
    )
    assert (
        reference
        == f"WQ 93, “Respite Care: Disabled Children”, tabled 1 February 2024, answered 13 February 2024, {url}"
    )
    assert not [request for request in slack.requests if request.path.startswith("/response/full-")]


def test_cite_of_a_hostile_record_is_escaped(slack):
    view = opened_view(slack, buttons(ask(slack, "Kittiwake", "cite-hostile"), CITE)[0]["value"], CITE)
    assert hostile_markup([view]) == []
