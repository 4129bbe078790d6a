"""The /pq slash command."""

from __future__ import annotations

from functools import partial

from slack_bolt import Ack, App, Respond

from bot.bolt.deps import Deps
from bot.compose.conversation import Asker
from bot.compose.grammar import COMMAND, parse_command
from bot.compose.mrkdwn import unescape
from bot.compose.replies import reply


def register(app: App, deps: Deps) -> None:
    """Answer /pq."""
    app.command(COMMAND)(partial(answer_pq, deps))


def answer_pq(deps: Deps, ack: Ack, respond: Respond, command: dict) -> None:
    """Acknowledge at once (Slack waits 3 seconds at most), then answer, from the search pool, only
    the person who typed it."""
    ack()
    typed = parse_command(unescape(command.get("text", "")))
    asker = Asker(command["channel_id"], command["user_id"])

    def answer() -> None:
        answered = reply(typed, deps.engine(), asker, shareable=True)
        respond(response_type=answered.response_type, **answered.message)

    deps.in_background(answer, respond)
