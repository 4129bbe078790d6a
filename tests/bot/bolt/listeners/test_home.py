"""The Home tab end to end: app_home_opened in, views.publish out; Unsubscribe from it."""

from datetime import UTC, datetime

import pytest
from block_kit import MODAL_BLOCKS, assert_within_limits, buttons, hostile_markup, sections
from records import HOSTILE
from slack_stand_in import PERSON, SlackStandIn

from bot.compose.buttons import CITE, FULL_ANSWER, HOME_UNSUBSCRIBE
from store.db import QuestionStore
from store.record import Question
from store.search import SearchEngine
from store.subscriptions import Subscriptions

PUBLISH = "/api/views.publish"
POST = "/api/chat.postMessage"
NEW_ANSWER = Question(
    heading="Respite Care: Short Breaks",
    question="To ask the Secretary of State for Education, what short breaks are funded.",
    answer="Respite care short breaks are funded through the high needs block.",
    uin="777",
    date_asked="2025-01-06",
    date_answered="2025-01-13",
)


@pytest.fixture
def slack(tmp_path):
    """pqbot served over HTTP, with a stand-in Slack around it."""
    with SlackStandIn.running(tmp_path / "pq.db") as stand_in:
        yield stand_in


def subscriptions(slack: SlackStandIn) -> Subscriptions:
    store = QuestionStore.open(slack.settings.db_path)
    return Subscriptions(store, SearchEngine(store))


def open_home(slack: SlackStandIn, count: int, tab: str = "home") -> dict:
    """Open pqbot's Home tab as PERSON, and return the count-th view published."""
    event = {"type": "app_home_opened", "user": PERSON, "channel": "DHOME", "tab": tab}
    assert slack.event(event).status == 200
    return slack.wait_for(PUBLISH, count=count)[count - 1].body["view"]


def test_home_lists_the_persons_subscriptions_in_every_channel_and_the_newest_answers_on_them(slack):
    """Two channels' topics made by this person (one held by a refusal), not someone else's, and the
    answer they caught, with Full answer and Cite."""
    slack.command("subscribe respite care", response="sub-1", channel="CSEND")
    slack.wait_for(slack.response_path("sub-1"))
    slack.command("subscribe <!channel> & Kittiwake", response="sub-2", channel="CPARENTS")
    slack.wait_for(slack.response_path("sub-2"))
    now = datetime.now(UTC)
    subs = subscriptions(slack)
    subs.add("CSEND", "tribunal appeals", "USOMEONE", now)
    saved = subs.store.save([NEW_ANSWER, HOSTILE])
    subs.queue(saved.new_ids, now)
    subs.hold("CPARENTS", "not_in_channel", now)
    view = open_home(slack, 1)
    assert slack.received(PUBLISH)[0].body["user_id"] == PERSON
    assert view["type"] == "home"
    assert_within_limits(view | {"text": "home"}, MODAL_BLOCKS)
    texts = sections(view)
    assert "*Your subscriptions* (2), in every channel" in texts
    listed = [text for text in texts if text.startswith("*respite care*") or "Kittiwake" in text.split("\n")[0]]
    assert listed[0].startswith("*respite care* (#1) in <#CSEND> · no digest yet")
    assert "in <#CPARENTS>" in listed[1] and "not_in_channel" in listed[1]
    assert not any("tribunal appeals" in text for text in texts)
    unsubscribe = [
        block["accessory"]
        for block in view["blocks"]
        if block.get("accessory", {}).get("action_id") == HOME_UNSUBSCRIBE
    ]
    assert [button["value"] for button in unsubscribe] == ["1", "2"]
    assert any(text.startswith("*Respite Care: Short Breaks* · answered 13 January 2025") for text in texts)
    assert NEW_ANSWER.id in [button["value"] for button in buttons(view, FULL_ANSWER)]
    assert NEW_ANSWER.id in [button["value"] for button in buttons(view, CITE)]
    assert hostile_markup(view) == []


def test_unsubscribe_on_home_stops_the_topic_says_so_in_its_channel_and_redraws_home(slack):
    slack.command("subscribe respite care", response="sub", channel="CSEND")
    slack.wait_for(slack.response_path("sub"))
    [button] = [block["accessory"] for block in open_home(slack, 1)["blocks"] if "accessory" in block]
    assert slack.click(button, response="home-unsubscribe").status == 200
    redrawn = slack.wait_for(PUBLISH, count=2)[1].body["view"]
    [told] = slack.wait_for(POST, channel="CSEND")
    assert told.body["text"] == f"<@{PERSON}> unsubscribed this channel from *respite care* (#1)."
    assert any(text.startswith("*Your subscriptions*\nYou have none.") for text in sections(redrawn))
    assert subscriptions(slack).made_by(PERSON) == []


def test_unsubscribe_cannot_stop_someone_elses_subscription(slack):
    """A click carrying the id of a subscription the person did not make changes nothing."""
    other = subscriptions(slack).add("CSEND", "EHC plans", "USOMEONE", datetime.now(UTC))
    slack.click({"action_id": HOME_UNSUBSCRIBE, "value": str(other.id)}, response="forged")
    slack.wait_for(PUBLISH)
    assert [subscription.id for subscription in subscriptions(slack).all()] == [other.id]
    assert slack.received(POST) == []


def test_the_messages_tab_publishes_nothing(slack):
    """Opening the Messages tab sends app_home_opened too; only the Home tab is drawn."""
    assert slack.event({"type": "app_home_opened", "user": PERSON, "channel": "DHOME", "tab": "messages"}).status == 200
    open_home(slack, 1)
    assert len(slack.received(PUBLISH)) == 1
