"""What people type to pqbot, taken apart without Slack."""

import pytest

from bot.compose.grammar import (
    Help,
    ListSubscriptions,
    Search,
    Subscribe,
    Unparseable,
    Unsubscribe,
    parse_command,
    without_mention,
)


@pytest.mark.parametrize(
    ("typed", "command"),
    [
        ("EHC timeliness", Search("EHC timeliness")),
        ('  "school transport" from:2024  ', Search('"school transport" from:2024')),
        ("help", Help()),
        ("HELP", Help()),
        ("?", Help()),
        ("", Help()),
        ("   ", Help()),
        ("subscribe EHC timeliness", Subscribe("EHC timeliness")),
        ("Subscribe\tEHC", Subscribe("EHC")),
        ("subscribe --tabled EHC  plans", Subscribe("EHC  plans", tabled=True)),
        ("subscribe EHC plans --TABLED", Subscribe("EHC plans", tabled=True)),
        ("subscribe --tabled-ish EHC", Subscribe("--tabled-ish EHC")),
        ("unsubscribe EHC timeliness", Unsubscribe("EHC timeliness")),
        ("unsubscribe 3", Unsubscribe("3")),
        ("subscriptions", ListSubscriptions()),
    ],
)
def test_commands_are_recognised(typed, command):
    """Each form of /pq is read as its command."""
    assert parse_command(typed) == command


@pytest.mark.parametrize("typed", ["help with school transport", "subscriptions for tribunals"])
def test_a_keyword_followed_by_more_words_is_a_search(typed):
    """help and subscriptions are commands only alone; with more words they are searched for."""
    assert parse_command(typed) == Search(typed)


@pytest.mark.parametrize(
    ("typed", "needs"),
    [
        ("subscribe", "subscribe needs a topic"),
        ("subscribe --tabled", "subscribe needs a topic"),
        ("unsubscribe ", "unsubscribe needs"),
    ],
)
def test_a_subscription_command_without_its_topic_is_unparseable(typed, needs):
    """subscribe or unsubscribe alone gets a hint saying what is missing."""
    command = parse_command(typed)
    assert isinstance(command, Unparseable)
    assert command.problem.startswith(needs)


def test_without_mention_takes_out_only_the_given_user():
    """pqbot's own mention goes, in either form; anyone else's stays."""
    assert without_mention("<@UPQBOT> EHC <@UOTHER> plans <@UPQBOT|pqbot>", "UPQBOT") == "EHC <@UOTHER> plans"


def test_without_mention_and_no_known_user_leaves_the_text():
    """When pqbot's user id is unknown, the text is only trimmed."""
    assert without_mention(" <@UPQBOT> EHC ", None) == "<@UPQBOT> EHC"
