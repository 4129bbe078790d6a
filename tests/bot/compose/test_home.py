"""The Home view, built without Slack: within a view's limits however many topics, and plain when empty."""

from block_kit import MODAL_BLOCKS, assert_within_limits, buttons, sections
from records import HOSTILE, LONG

from bot.compose.buttons import CITE
from bot.compose.home import MAX_ANSWERS, MAX_TOPICS, home_view
from store.subscriptions import Subscription


def subscription(number: int) -> Subscription:
    return Subscription(number, "CSEND", f"topic {number} " + "respite " * 60, "UPERSON", "2025-03-03T09:00:00+00:00")


def test_hundreds_of_topics_and_answers_stay_within_a_views_limits_and_say_how_many_more():
    many = [subscription(number) for number in range(1, 501)]
    answers = [HOSTILE.as_record(), LONG.as_record()] * 20
    view = home_view(many, answers)
    assert_within_limits(view | {"text": "home"}, MODAL_BLOCKS)
    assert sum(1 for block in view["blocks"] if "accessory" in block) == MAX_TOPICS
    assert f"…and {500 - MAX_TOPICS} more" in view["blocks"][4 + MAX_TOPICS]["elements"][0]["text"]
    assert len(buttons(view, CITE)) == MAX_ANSWERS


def test_someone_with_no_subscriptions_is_told_how_to_start_one():
    view = home_view([], [])
    assert sections(view)[-1].startswith("*Your subscriptions*\nYou have none. In a channel, `/pq subscribe")
    assert "Newest answers" not in " ".join(sections(view))
