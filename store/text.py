"""Turning raw bytes and HTML from answer files into clean, readable text."""

from __future__ import annotations

import codecs
import html
import re

from inscriptis import get_text
from inscriptis.model.config import ParserConfig

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_BLANK_RUN = re.compile(r"\n{3,}")
_EMPTY_TABLE_ROW = re.compile(r"^[ |]*\|[ |]*$\n?", re.MULTILINE)
_HTML_LAYOUT = ParserConfig(table_cell_separator=" | ")
_TAG = re.compile(r"</?[A-Za-z][^>]*>")


class NotTextError(ValueError):
    """The bytes are not text in any encoding answer files come in."""


def decode(data: bytes) -> str:
    """Decode UTF-8 (with or without a BOM) or, failing that, cp1252; refuse binary data."""
    if b"\x00" in data:
        raise NotTextError("binary file, not text")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise NotTextError("binary file, not text") from error


def clean_line(line: str) -> str:
    """One line with non-breaking and other odd spaces folded to single plain spaces."""
    return _SPACES.sub(" ", line).strip()


def clean_text(text: str) -> str:
    """Paragraph text with line endings unified, spaces folded and at most one blank line in a row."""
    lines = (clean_line(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return _BLANK_RUN.sub("\n\n", "\n".join(lines)).strip()


def html_to_text(text: str) -> str:
    """Readable text from answer HTML: paragraphs, list bullets and table rows kept apart.

    Text with no tags (such as HTML whose tags were stripped, leaving its entities) is only
    unescaped and cleaned, so that a bare "<" in it, as in "(<12 months)", is kept.
    """
    if not _TAG.search(text):
        return clean_text(html.unescape(text))
    return clean_text(_EMPTY_TABLE_ROW.sub("", get_text(text, _HTML_LAYOUT)))
