"""Reading Block Kit in tests: the text Slack would show, the buttons, and Slack's own limits.

The limits are Slack's published numbers, written out here rather than taken from bot.compose.blocks, so
that a wrong constant there is caught.
"""

from __future__ import annotations

MESSAGE_BLOCKS = 50
# chat.postMessage refuses messages whose blocks hold more text than about this in all.
MESSAGE_TEXT = 12000
MODAL_BLOCKS = 100
SECTION_TEXT = 3000
HEADER_TEXT = 150
BUTTON_TEXT = 75
BUTTON_VALUE = 2000
MODAL_TITLE = 24
CONTEXT_ELEMENTS = 10
ACTIONS_ELEMENTS = 25
# Markup the hostile test records hold: a mention, a channel ping, a disguised link.
HOSTILE_MARKUP = ("<!channel>", "<!here>", "<!everyone>", "<@U123>", "<https://evil")


def shown_text(payload: object) -> list[str]:
    """Every piece of text Slack would show from a message, view or list of blocks."""
    if isinstance(payload, list):
        return [text for item in payload for text in shown_text(item)]
    if not isinstance(payload, dict):
        return []
    own = [payload["text"]] if isinstance(payload.get("text"), str) else []
    return own + [text for key, value in payload.items() if key != "value" for text in shown_text(value)]


def hostile_markup(payload: object) -> list[str]:
    """The shown texts in which Slack would act on markup from a hostile record (none, if escaped)."""
    return [text for text in shown_text(payload) if any(markup in text for markup in HOSTILE_MARKUP)]


def buttons(message: dict, action_id: str) -> list[dict]:
    """The buttons with this action id, in the order shown."""
    return [
        element
        for block in message["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == action_id
    ]


def sections(message: dict) -> list[str]:
    """The text of each section block, in order."""
    return [block["text"]["text"] for block in message["blocks"] if block["type"] == "section"]


def assert_within_limits(surface: dict, most_blocks: int = MESSAGE_BLOCKS) -> None:
    """Fail unless a message (or, with MODAL_BLOCKS, a view) keeps every Block Kit limit."""
    assert surface.get("text") or surface.get("title"), "no fallback text"
    assert len(surface["blocks"]) <= most_blocks
    if most_blocks == MESSAGE_BLOCKS:
        assert sum(len(text) for text in shown_text(surface["blocks"])) <= MESSAGE_TEXT
    for block in surface["blocks"]:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= SECTION_TEXT
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= HEADER_TEXT
        if block["type"] == "context":
            assert len(block["elements"]) <= CONTEXT_ELEMENTS
            assert all(len(element["text"]) <= SECTION_TEXT for element in block["elements"])
        if block["type"] == "actions":
            assert len(block["elements"]) <= ACTIONS_ELEMENTS
            for button in block["elements"]:
                assert len(button["text"]["text"]) <= BUTTON_TEXT
                assert len(button.get("value", "")) <= BUTTON_VALUE
    if "title" in surface:
        assert len(surface["title"]["text"]) <= MODAL_TITLE
