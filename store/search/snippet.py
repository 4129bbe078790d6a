"""The sentences of an answer that best match a query, with the matched words marked."""

from __future__ import annotations

import re

# SQLite's highlight() wraps matched words in these, which no answer text contains.
OPEN, CLOSE = "\x02", "\x03"
# How matched words are marked in snippets: Markdown bold, which the Slack layer turns into its own.
MARK = "**"
LONGEST = 320

_SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+|\n+")
_MARKED = re.compile(f"{OPEN}(.*?){CLOSE}", re.DOTALL)


def best_sentences(highlighted: str, longest: int = LONGEST) -> str:
    """The best-matching sentence (and the next, while short) from highlight() output, marked."""
    sentences = [sentence.strip() for sentence in _SENTENCE_END.split(highlighted) if sentence.strip()]
    if not sentences:
        return ""
    best = max(range(len(sentences)), key=lambda index: (_weight(sentences[index]), -index))
    chosen = sentences[best]
    if best + 1 < len(sentences) and len(_plain(chosen)) < longest // 2:
        chosen += " " + sentences[best + 1]
    return _shorten(chosen, longest)


def _weight(sentence: str) -> tuple[int, int]:
    """More distinct matched words first, then more matches overall."""
    matched = [word.casefold() for word in _MARKED.findall(sentence)]
    return len(set(matched)), len(matched)


def _plain(text: str) -> str:
    return text.replace(OPEN, "").replace(CLOSE, "")


def _shorten(sentence: str, longest: int) -> str:
    """At most `longest` visible characters, cut at a word and centred on the first match."""
    if len(_plain(sentence)) > longest:
        first_match = max(sentence.find(OPEN), 0)
        start = max(0, first_match - longest // 3)
        start = sentence.find(" ", start) + 1 if start else 0
        end = start + longest
        cut = sentence[start:end].rsplit(" ", 1)[0]
        if cut.count(OPEN) > cut.count(CLOSE):
            cut += CLOSE
        sentence = ("…" if start else "") + cut + "…"
    return sentence.replace(OPEN, MARK).replace(CLOSE, MARK)
