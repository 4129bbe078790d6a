"""What people type to pqbot, taken apart: `/pq QUERY`, `/pq help`, and the subscription commands.

The same words work after `/pq`, after an @pqbot mention and in a direct message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

COMMAND = "/pq"
HELP_WORDS = frozenset({"help", "?"})
# After subscribe: hear of questions on the topic when they are tabled, not only once answered.
_TABLED_FLAG = re.compile(r"(?:^|\s)--tabled(?=\s|$)", re.IGNORECASE)


@dataclass(frozen=True)
class Search:
    """Find the answers that best match a query (which may hold filters such as from:2024)."""

    query: str


@dataclass(frozen=True)
class Help:
    """Show what pqbot understands."""


@dataclass(frozen=True)
class Subscribe:
    """Hear about new answers on a topic; with tabled, of questions on it as they are tabled, too."""

    topic: str
    tabled: bool = False


@dataclass(frozen=True)
class Unsubscribe:
    """Stop hearing about a topic, named by its words or its id."""

    topic_or_id: str


@dataclass(frozen=True)
class ListSubscriptions:
    """Show the topics subscribed to."""


@dataclass(frozen=True)
class Resume:
    """Post this channel's digests again after Slack refused them (once the cause is mended)."""


@dataclass(frozen=True)
class Unparseable:
    """Words that are no command; the problem says what was expected."""

    problem: str


Command = Search | Help | Subscribe | Unsubscribe | ListSubscriptions | Resume | Unparseable


def parse_command(text: str) -> Command:
    """The command in what was typed: help (or nothing), a subscription command, else a search."""
    words = text.split(maxsplit=1)
    keyword = words[0].casefold() if words else ""
    rest = words[1].strip() if len(words) > 1 else ""
    if not words or (keyword in HELP_WORDS and not rest):
        return Help()
    if keyword == "subscriptions" and not rest:
        return ListSubscriptions()
    if keyword == "resume" and not rest:
        return Resume()
    if keyword == "subscribe":
        return _subscribe(rest)
    if keyword == "unsubscribe":
        return Unsubscribe(rest) if rest else _needs("unsubscribe", "a topic or its id", "3")
    return Search(text.strip())


def _subscribe(rest: str) -> Subscribe | Unparseable:
    """`subscribe TOPIC`, or `subscribe --tabled TOPIC` (the flag anywhere in the words, in any case)."""
    topic = _TABLED_FLAG.sub(" ", rest).strip()
    tabled = topic != rest.strip()
    if not topic:
        return _needs("subscribe", "a topic", "EHC timeliness")
    return Subscribe(topic, tabled)


def without_mention(text: str, user_id: str | None) -> str:
    """A message's text without its mentions of one user (pqbot itself, as <@U…> or <@U…|name>)."""
    if not user_id:
        return text.strip()
    return re.sub(rf"<@{re.escape(user_id)}(?:\|[^>]*)?>", " ", text).strip()


def _needs(keyword: str, what: str, example: str) -> Unparseable:
    """A subscription command typed without what it acts on."""
    return Unparseable(f"{keyword} needs {what}, like {COMMAND} {keyword} {example}")
