"""Pasted links to written questions, unfurled into compact cards under the message that holds them.

Pure functions from the links of one link_shared event to chat.unfurl's map of cards; the records
come from whatever finds them (store.links.LinkedQuestions in the app).
"""

from __future__ import annotations

from collections.abc import Callable

from bot.compose import blocks
from bot.compose.messages import record_buttons
from bot.compose.mrkdwn import clip, escape
from bot.compose.record_text import answered_on, heading_of, who
from store.links import QuestionLink, parse_link

# Slack unfurls at most a handful of links per message; pqbot looks up no more than this many.
MAX_LINKS = 5
# The first lines of the answer a card shows; Full answer shows the rest.
ANSWER_LENGTH = 300
HEADING_LENGTH = 300


def unfurls(urls: list[str], find: Callable[[QuestionLink], dict | None]) -> dict[str, dict]:
    """A card for each address that names a question find knows, keyed by the address as Slack sent it.

    Only the first MAX_LINKS addresses that name a question are looked up.
    """
    links = [(url, link) for url in dict.fromkeys(urls) if (link := parse_link(url)) is not None]
    found = ((url, find(link)) for url, link in links[:MAX_LINKS])
    return {url: unfurl_card(record) for url, record in found if record is not None}


def unfurl_card(record: dict) -> dict:
    """One question as a compact card: heading and date, who asked → department, the answer's first lines, buttons."""
    title = " · ".join(filter(None, [f"*{clip(heading_of(record), HEADING_LENGTH)}*", answered_on(record)]))
    card = [blocks.section(title), blocks.context(clip(escape(who(record)), blocks.MAX_TEXT))]
    if record["answer"]:
        opening = " ".join(record["answer"].split())
        card.append(blocks.section("> " + clip(escape(opening), ANSWER_LENGTH)))
    return {"blocks": card + blocks.actions(*record_buttons(record))}
