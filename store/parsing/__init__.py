"""Answer files of every kind, parsed to Question records; the format is told from the content."""

from __future__ import annotations

import re

from store.parsing import api_json, pages, wrans_xml
from store.parsing.errors import ParseError
from store.record import Question
from store.text import NotTextError, decode, html_to_text

__all__ = ["ParseError", "parse_document"]

# A page saved as HTML rather than text; TheyWorkForYou's XML opens with its own DOCTYPE instead.
_HTML_PAGE = re.compile(rb"<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE)


def parse_document(data: bytes, source_file: str) -> list[Question]:
    """Every question in one file's bytes; raises ParseError saying plainly why there is none."""
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if not head:
        raise ParseError("empty file")
    if head in (b"{", b"["):
        return api_json.parse(data, source_file)
    saved_as_html = head == b"<" and _HTML_PAGE.search(data[:4096]) is not None
    if head == b"<" and not saved_as_html:
        return wrans_xml.parse(data, source_file)
    try:
        text = decode(data)
    except NotTextError as error:
        raise ParseError(str(error)) from error
    return [pages.parse(html_to_text(text) if saved_as_html else text, source_file)]
