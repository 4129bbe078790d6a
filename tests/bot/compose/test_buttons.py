"""What pqbot's buttons carry survives the trip to Slack and back."""

from bot.compose.buttons import NextPage, SharedAnswer


def test_a_next_page_round_trips_through_its_value():
    """The query (any characters) and offset come back as they went."""
    page = NextPage('EHC "plan" <!channel> — ü', 5)
    assert NextPage.from_value(page.value()) == page


def test_a_shared_answer_round_trips_through_its_value():
    """The record id and snippet come back as they went."""
    shared = SharedAnswer("2024-10-23/12345", "an **EHC plan**")
    assert SharedAnswer.from_value(shared.value()) == shared
