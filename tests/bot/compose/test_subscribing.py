"""What pqbot says about a channel's subscriptions, rendered without Slack."""

from block_kit import sections

from bot.compose.subscribing import subscriptions_message
from store.subscriptions import Subscription


def test_a_subscriptions_days_are_written_without_a_leading_zero_on_every_platform():
    """ "on 5 September 2024", formatted without glibc's %-d, so Windows shows the same."""
    made = Subscription(1, "CSEND", "EHC plans", "U1", "2024-09-05T10:00:00+00:00", "2024-10-01T09:00:00+00:00")
    (line,) = sections(subscriptions_message([made]))[1:]
    assert "on 5 September 2024 · last digest 1 October 2024" in line
