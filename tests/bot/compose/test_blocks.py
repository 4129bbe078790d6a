"""Block Kit building blocks keep within Slack's limits whatever text they are given."""

from block_kit import (
    BUTTON_VALUE,
    HEADER_TEXT,
    MODAL_TITLE,
    SECTION_TEXT,
    assert_within_limits,
)

from bot.compose import blocks


def test_a_section_is_cut_to_slacks_limit():
    """A section never holds more than 3,000 characters, and says when it was cut."""
    text = blocks.section("word " * 2000)["text"]["text"]
    assert len(text) <= SECTION_TEXT
    assert text.endswith("…")


def test_formatted_text_is_taken_verbatim():
    """Slack is told not to turn names or addresses in the text into links or mentions."""
    assert blocks.section("#general @here")["text"]["verbatim"] is True
    assert blocks.context("a", "b")["elements"][1]["verbatim"] is True


def test_a_header_is_cut_to_slacks_limit():
    """A header never holds more than 150 characters."""
    assert len(blocks.header("Heading " * 50)["text"]["text"]) <= HEADER_TEXT


def test_a_button_whose_value_cannot_fit_is_left_out():
    """A value over 2,000 characters means no button, never a broken one."""
    assert blocks.button("More", "more", "x" * BUTTON_VALUE)["value"] == "x" * BUTTON_VALUE
    assert blocks.button("More", "more", "x" * (BUTTON_VALUE + 1)) is None


def test_actions_hold_only_the_buttons_left():
    """A row of no buttons is no block at all."""
    assert blocks.actions(None, None) == []
    [row] = blocks.actions(None, blocks.button("More", "more", "1"))
    assert [element["action_id"] for element in row["elements"]] == ["more"]


def test_a_message_has_fallback_text():
    """Every message carries plain text for notifications, cut short."""
    message = blocks.message([blocks.section("x")], "y " * 1000)
    assert 0 < len(message["text"]) <= blocks.MAX_FALLBACK
    assert_within_limits(message)


def test_a_modal_title_is_cut_to_slacks_limit():
    """A modal's title never holds more than 24 characters."""
    assert len(blocks.modal("A very long title indeed for a modal", [])["title"]["text"]) <= MODAL_TITLE
