"""Text made safe for Slack: escaped, marked up, linked, and cut to size at natural boundaries.

Slack reads `&`, `<` and `>` as control characters (`<!channel>` pings everyone, `<url|label>`
disguises a link), so every piece of text from an answer file or a query goes through `escape`
before it reaches Slack. Text placed inside formatting, such as a heading in *bold*, goes through
`escape_inside_formatting` instead, which also swaps Slack's formatting characters for
look-alikes so that the text cannot close the bold early or nest italics, strikes or code in it.
Other text keeps those characters, so that the web addresses it holds still work. The other
functions here take text that is already escaped.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from store.search.snippet import MARK

_ENTITIES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))
# The longest entity escape writes; a hard cut must not land inside one.
_LONGEST_ENTITY = max(len(entity) for _, entity in _ENTITIES)
# Slack's formatting characters, and look-alikes it does not read as formatting.
_LOOK_ALIKES = str.maketrans({"*": "\u2217", "_": "\u02cd", "~": "\u223c", "`": "\u02cb"})
_MARKED = re.compile(f"{re.escape(MARK)}(.+?){re.escape(MARK)}", re.DOTALL)
# Places to end a piece of text, best first: a paragraph, a line, a sentence, a word.
_BOUNDARIES = (re.compile(r"\n\s*\n"), re.compile(r"\n"), re.compile(r"[.!?;:]\s"), re.compile(r"\s"))
_WEB_ADDRESS = re.compile(r"https?://[^\s]+", re.IGNORECASE)
# Characters a URL may keep as they are; everything else (| < > spaces, quotes) is percent-encoded.
_URL_SAFE = ":/?#[]@!$&'()*+,;=%-._~"
ELLIPSIS = "…"


def escape(text: str) -> str:
    """Text as Slack shows it literally: its control characters written as entities."""
    for character, entity in _ENTITIES:
        text = text.replace(character, entity)
    return text


def escape_inside_formatting(text: str) -> str:
    """Text escaped, with *, _, ~ and ` written as look-alikes (∗ ˍ ∼ ˋ) that Slack leaves alone."""
    return escape(text).translate(_LOOK_ALIKES)


def unescape(text: str) -> str:
    """Text as typed: Slack sends what people type with its control characters as entities."""
    for character, entity in reversed(_ENTITIES):
        text = text.replace(entity, character)
    return text


def bold_matches(escaped: str) -> str:
    """A search snippet's **marked** words in Slack's *bold*, which nothing inside them can end."""
    return _MARKED.sub(lambda marked: f"*{marked[1].translate(_LOOK_ALIKES)}*", escaped)


def link(url: str | None, label: str) -> str | None:
    """A Slack link to a web page, or None for anything that is not a plain http(s) address.

    The address is percent-encoded, so that no `|` or `>` in it can end the link early and
    change its label or target.
    """
    if not url or not _WEB_ADDRESS.fullmatch(url):
        return None
    return f"<{escape(quote(url, safe=_URL_SAFE))}|{escape(label)}>"


def clip(escaped: str, limit: int) -> str:
    """At most limit characters, cut at the best boundary and ended with … when anything is cut."""
    if len(escaped) <= limit:
        return escaped
    return escaped[: _cut_point(escaped, limit - len(ELLIPSIS))].rstrip() + ELLIPSIS


def pieces(escaped: str, limit: int) -> list[str]:
    """The whole text in pieces of at most limit characters, each ending at the best boundary."""
    parts = []
    rest = escaped.strip()
    while rest:
        cut = _cut_point(rest, limit)
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    return parts


def _cut_point(text: str, limit: int) -> int:
    """Where a piece of at most limit characters ends: its last break past halfway, best kind first."""
    if len(text) <= limit:
        return len(text)
    window = text[:limit]
    for boundary in _BOUNDARIES:
        ends = [match.end() for match in boundary.finditer(window) if match.end() > limit // 2]
        if ends:
            return ends[-1]
    entity_start = window.rfind("&", limit - _LONGEST_ENTITY + 1)
    if entity_start > 0 and ";" not in window[entity_start:]:
        return entity_start
    return limit
