"""The message shortcut "Find answers about this": a message's words, searched as plain words.

A message is not written as a query, so its quotes, minus signs and `word:` pairs are never read as
search syntax, and Slack's mentions and link markup are dropped (a link keeps its label). A long
message costs no more than any query: only its first MAX_CHARACTERS are read, and the search
itself reads at most its first few dozen distinct words.
"""

from __future__ import annotations

import re

from bot.compose.mrkdwn import unescape
from store.search.query import tokens

FIND_ANSWERS = "find_answers"
MAX_CHARACTERS = 4000
# <@U123>, <#C123|name>, <!here>: mentions, which say nothing about a subject.
_MENTION = re.compile(r"<[@#!][^>]*>")
# <https://…|label> keeps its label; a bare <https://…> goes.
_LINK = re.compile(r"<[^>|]*(?:\|([^>]*))?>")


def query_from_message(text: str) -> str:
    """The words of a Slack message (as Slack sends its text) to search for; empty if it has none."""
    plain = _LINK.sub(lambda link: link[1] or " ", _MENTION.sub(" ", text[:MAX_CHARACTERS]))
    return " ".join(tokens(unescape(plain)))
