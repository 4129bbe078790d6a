"""The message shortcut "Find answers about this", on any message's ⋮ menu."""

from __future__ import annotations

from functools import partial

from slack_bolt import Ack, App, Respond

from bot.bolt.deps import Deps
from bot.compose.messages import usage_message
from bot.compose.replies import search_page
from bot.compose.shortcut import FIND_ANSWERS, query_from_message


def register(app: App, deps: Deps) -> None:
    """Answer the message shortcut."""
    app.message_shortcut(FIND_ANSWERS)(partial(find_answers, deps))


def find_answers(deps: Deps, ack: Ack, shortcut: dict, respond: Respond) -> None:
    """Search the message's words, from the search pool, and show the results only to the person who asked."""
    ack()
    query = query_from_message(shortcut.get("message", {}).get("text", ""))
    if not query:
        respond(response_type="ephemeral", **usage_message("That message has no words to search for."))
        return

    def answer() -> None:
        respond(response_type="ephemeral", **search_page(deps.engine(), query, offset=0, shareable=True))

    deps.in_background(answer, respond)
