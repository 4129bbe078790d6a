"""Who asked pqbot something, where, and whether its answer is for them alone or for everyone."""

from __future__ import annotations

from dataclasses import dataclass

from bot.compose.blocks import Message


@dataclass(frozen=True)
class Asker:
    """The person who typed a command, and the conversation (channel or DM) they typed it in."""

    channel: str
    user: str


@dataclass(frozen=True)
class Reply:
    """pqbot's answer: a message, shown to everyone in the conversation or only to the asker."""

    message: Message
    for_everyone: bool = False

    @property
    def response_type(self) -> str:
        """How Slack's respond() is told who sees the message."""
        return "in_channel" if self.for_everyone else "ephemeral"
