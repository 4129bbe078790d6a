"""Answer files of every kind, parsed to Question records; the format is told from the content."""

from __future__ import annotations

from store.parsing import api_json, pages, wrans_xml
from store.parsing.errors import ParseError
from store.record import Question
from store.text import NotTextError, decode

__all__ = ["ParseError", "parse_document"]


def parse_document(data: bytes, source_file: str) -> list[Question]:
    """Every question in one file's bytes; raises ParseError saying plainly why there is none."""
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if not head:
        raise ParseError("empty file")
    if head in (b"{", b"["):
        return api_json.parse(data, source_file)
    if head == b"<":
        return wrans_xml.parse(data, source_file)
    try:
        text = decode(data)
    except NotTextError as error:
        raise ParseError(str(error)) from error
    return [pages.parse(text, source_file)]
