"""Acronyms and their spelled-out forms, matched both ways: EHC finds "education, health and care"."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from store.search.query import tokens

Phrase = tuple[str, ...]


class SynonymsError(ValueError):
    """A synonyms file cannot be read; the message names the file and the problem."""


@dataclass(frozen=True)
class Concept:
    """One idea in a query: the words typed and every phrase that means the same."""

    typed: Phrase
    alternatives: tuple[Phrase, ...]


class Synonyms:
    """Groups of equivalent phrases, looked up by the words of a query."""

    def __init__(self, groups: list[list[str]]):
        self._by_phrase: dict[Phrase, set[Phrase]] = {}
        for group in groups:
            phrases = {tokens(entry) for entry in group} - {()}
            for phrase in phrases:
                self._by_phrase.setdefault(phrase, set()).update(phrases)
        self._longest = max((len(phrase) for phrase in self._by_phrase), default=0)

    @classmethod
    def load(cls, extra: Path | None = None) -> Synonyms:
        """The bundled groups (store/synonyms.toml), plus those in extra when given."""
        groups = _groups(files("store").joinpath("synonyms.toml").read_text("utf-8"), "store/synonyms.toml")
        if extra is not None:
            try:
                groups += _groups(extra.read_text("utf-8"), str(extra))
            except OSError as error:
                raise SynonymsError(f"{extra}: cannot read: {error.strerror}") from error
        return cls(groups)

    def __contains__(self, phrase: Phrase) -> bool:
        return phrase in self._by_phrase or _singular(phrase) in self._by_phrase

    def concepts(self, words: tuple[str, ...]) -> list[Concept]:
        """The query's words as concepts, longest known phrase first: ("ehc", "plan") is one idea."""
        concepts: list[Concept] = []
        position = 0
        while position < len(words):
            concept = self._longest_match(words, position)
            concepts.append(concept)
            position += len(concept.typed)
        return concepts

    def _longest_match(self, words: tuple[str, ...], start: int) -> Concept:
        for length in range(min(self._longest, len(words) - start), 0, -1):
            typed = words[start : start + length]
            alternatives = self._by_phrase.get(typed) or self._by_phrase.get(_singular(typed))
            if alternatives:
                return Concept(typed, tuple(sorted(alternatives | {typed}, key=lambda p: (-len(p), p))))
        return Concept(words[start : start + 1], (words[start : start + 1],))


def _singular(phrase: Phrase) -> Phrase:
    """The phrase with a plural "s" taken off its last word (EHCPs → EHCP), for lookup only."""
    last = phrase[-1]
    return phrase[:-1] + (last[:-1],) if len(last) > 3 and last.endswith("s") else phrase


def _groups(text: str, name: str) -> list[list[str]]:
    try:
        groups = tomllib.loads(text).get("groups", [])
    except tomllib.TOMLDecodeError as error:
        raise SynonymsError(f"{name}: not valid TOML: {error}") from error
    if not isinstance(groups, list) or not all(
        isinstance(group, list) and all(isinstance(entry, str) for entry in group) for group in groups
    ):
        raise SynonymsError(f'{name}: groups must be a list of lists of words, like [["EHC", "EHCP"]]')
    return groups
