"""Block Kit building blocks that stay within Slack's limits, whatever text they are given.

Every text argument here is already escaped (see bot.compose.mrkdwn); these functions only cut it to size.
"""

from __future__ import annotations

from typing import TypedDict

from bot.compose.mrkdwn import clip

MAX_MESSAGE_BLOCKS = 50
# Slack refuses a message whose blocks hold more than about 12,000 characters of text in all.
MAX_MESSAGE_TEXT = 11_000
MAX_MODAL_BLOCKS = 100
# A section's text, and each text element of a context block.
MAX_TEXT = 3000
MAX_HEADER = 150
MAX_BUTTON_VALUE = 2000
MAX_MODAL_TITLE = 24
# Slack cuts a message's fallback text at 40,000 characters; a notification needs far fewer.
MAX_FALLBACK = 300


class Message(TypedDict):
    """A message as respond() and chat.postMessage take it: blocks, and the plain text behind them."""

    text: str
    blocks: list[dict]


def message(blocks: list[dict], fallback: str) -> Message:
    """A message; the fallback is what notifications and screen readers show."""
    return Message(text=clip(fallback, MAX_FALLBACK), blocks=blocks)


def text_size(blocks: list[dict]) -> int:
    """How many characters of text a list of blocks holds, as Slack counts against a message's limit."""
    return sum(_text_size(block) for block in blocks)


def _text_size(part: object) -> int:
    """The characters of every text and value string inside part, at any depth."""
    if isinstance(part, list):
        return sum(_text_size(item) for item in part)
    if not isinstance(part, dict):
        return 0
    return sum(
        len(value) if key in ("text", "value") and isinstance(value, str) else _text_size(value)
        for key, value in part.items()
    )


def section(text: str) -> dict:
    """A block of formatted text."""
    return {"type": "section", "text": _mrkdwn(text)}


def context(*texts: str) -> dict:
    """A line of small print, one element per text."""
    return {"type": "context", "elements": [_mrkdwn(text) for text in texts]}


def header(text: str) -> dict:
    """A title in large type (plain text: no formatting)."""
    return {"type": "header", "text": {"type": "plain_text", "text": clip(text, MAX_HEADER)}}


def divider() -> dict:
    """A thin line between results."""
    return {"type": "divider"}


def button(label: str, action_id: str, value: str) -> dict | None:
    """A button that sends value back to the app, or None when value is too long for Slack to carry."""
    if len(value) > MAX_BUTTON_VALUE:
        return None
    return {"type": "button", "text": _plain(label), "action_id": action_id, "value": value}


def actions(*buttons: dict | None) -> list[dict]:
    """A row of the buttons given, as a list of one block, or of none when no button is left."""
    elements = [element for element in buttons if element is not None]
    return [{"type": "actions", "elements": elements}] if elements else []


def modal(title: str, blocks: list[dict]) -> dict:
    """A modal view with a Close button."""
    return {
        "type": "modal",
        "title": _plain(clip(title, MAX_MODAL_TITLE)),
        "close": _plain("Close"),
        "blocks": blocks,
    }


def _mrkdwn(text: str) -> dict:
    """Formatted text that Slack takes exactly as given: no names or addresses turned into links."""
    return {"type": "mrkdwn", "text": clip(text, MAX_TEXT), "verbatim": True}


def _plain(text: str) -> dict:
    """Unformatted text, for button labels and titles."""
    return {"type": "plain_text", "text": text}
