"""Links to written questions as people paste them, and the stored records they name.

Three kinds are read: the official page (`questions-statements.parliament.uk/written-questions/
detail/DAY/UIN`), a TheyWorkForYou written answers page (`theyworkforyou.com/wrans/?id=…`) and a
Parallel Parliament question (`parallelparliament.co.uk/question/UIN/slug`). An official link to a
question the store does not hold is looked up in the Written Questions API and stored first, like
any fetched answer; the other two are found in the store only.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import parse_qs, urlsplit

from store.db import QuestionStore
from store.fetch.client import FetchError, ParliamentApi
from store.fetch.staging import answer_file
from store.ingest import IngestError, OnSaved, ingest_bytes

log = logging.getLogger(__name__)

OFFICIAL_HOST = "questions-statements.parliament.uk"
TWFY_HOSTS = ("theyworkforyou.com", "www.theyworkforyou.com")
PARALLEL_PARLIAMENT_HOSTS = ("parallelparliament.co.uk", "www.parallelparliament.co.uk")
# The domains whose links pqbot asks Slack to send it (manifest.yml's unfurl_domains).
UNFURL_DOMAINS = (OFFICIAL_HOST, "theyworkforyou.com", "parallelparliament.co.uk")
MAX_URL_LENGTH = 500

_OFFICIAL_PATH = re.compile(r"/written-questions/detail/(\d{4}-\d{2}-\d{2})/([A-Za-z]{0,2}\d{1,7})/?")
_TWFY_ID = re.compile(r"\d{4}-\d{2}-\d{2}[a-z]?\.\d{1,7}\.(?:h|mh|[qr]?\d{1,3})")
# A question's or reply's own id on a Commons page: the page's id ends in .h instead.
_TWFY_SPEECH = re.compile(r"(.+\.\d+)\.[qr]\d+")
_PARALLEL_PARLIAMENT_PATH = re.compile(r"/question/([A-Za-z]{0,2}\d{1,7})(?:/([a-z0-9-]{0,200}))?/?")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class OfficialLink:
    """The official page of the question tabled on day under uin."""

    day: date
    uin: str


@dataclass(frozen=True)
class TheyWorkForYouLink:
    """A TheyWorkForYou written answers page, by its id (`2009-10-26f.294961.h`)."""

    page_id: str


@dataclass(frozen=True)
class ParallelParliamentLink:
    """A Parallel Parliament question page: its UIN, and the slug of its heading after it."""

    uin: str
    slug: str


QuestionLink = OfficialLink | TheyWorkForYouLink | ParallelParliamentLink


def parse_link(url: str) -> QuestionLink | None:
    """Which question a web address names, or None for any address that is not one of the three kinds."""
    if len(url) > MAX_URL_LENGTH:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https"):
        return None
    if host == OFFICIAL_HOST and (match := _OFFICIAL_PATH.fullmatch(parts.path)):
        try:
            return OfficialLink(date.fromisoformat(match[1]), match[2].upper())
        except ValueError:
            return None
    if host in TWFY_HOSTS and parts.path.rstrip("/") == "/wrans":
        page_id = parse_qs(parts.query).get("id", [""])[0]
        if _TWFY_ID.fullmatch(page_id):
            speech = _TWFY_SPEECH.fullmatch(page_id)
            return TheyWorkForYouLink(f"{speech[1]}.h" if speech else page_id)
    if host in PARALLEL_PARLIAMENT_HOSTS and (match := _PARALLEL_PARLIAMENT_PATH.fullmatch(parts.path)):
        return ParallelParliamentLink(match[1].upper(), match[2] or "")
    return None


def heading_slug(heading: str | None) -> str:
    """A heading as Parallel Parliament writes it in its addresses: "Land Use: Wales" → "land-use-wales"."""
    return _NOT_SLUG.sub("-", (heading or "").lower()).strip("-")


class LinkedQuestions:
    """The stored records that links name, looking official ones up in the API when they are missing.

    :param api: the Written Questions API, or None to look in the store only.
    :param on_saved: called with what a look-up stored, inside the transaction that stores it (to owe
        new answers to the subscriptions they match, as for any file).
    """

    def __init__(self, store: QuestionStore, api: ParliamentApi | None = None, on_saved: OnSaved | None = None):
        self.store = store
        self.api = api
        self.on_saved = on_saved

    def record(self, link: QuestionLink) -> dict | None:
        """The record a link names, or None when neither the store nor the API has it."""
        match link:
            case OfficialLink(day, uin):
                return self.store.get(f"{day.isoformat()}/{uin}") or self._looked_up(link)
            case TheyWorkForYouLink(page_id):
                return self._on_twfy_page(page_id)
            case ParallelParliamentLink(uin, slug):
                return self._parallel_parliament(uin, slug)

    def _looked_up(self, link: OfficialLink) -> dict | None:
        """An official link's question fetched from the API and stored; None if the API has no such answer."""
        if self.api is None:
            return None
        try:
            entry = self.api.question_tabled(link.day, link.uin)
        except FetchError as error:
            log.warning("Could not look up written question %s of %s: %s", link.uin, link.day, error)
            return None
        if entry is None:
            return None
        source_file = f"api-link-{link.day.isoformat()}-{link.uin}.json"
        try:
            ingest_bytes(self.store, answer_file([entry]), source_file, on_saved=self.on_saved)
        except IngestError as error:
            log.warning(
                "The API's record of written question %s of %s could not be stored: %s", link.uin, link.day, error
            )
            return None
        return self.store.get(f"{link.day.isoformat()}/{link.uin}")

    def _parallel_parliament(self, uin: str, slug: str) -> dict | None:
        """UINs restart each session, so the newest of the few with this one, unless a heading fits the slug."""
        rows = self.store.db.execute(
            "SELECT id, heading FROM questions WHERE uin = ? ORDER BY date_asked DESC, date_answered DESC LIMIT 20",
            [uin],
        ).fetchall()
        fitting = [record_id for record_id, heading in rows if slug and heading_slug(heading) == slug]
        chosen = (fitting or [record_id for record_id, _ in rows])[:1]
        return self.store.get(chosen[0]) if chosen else None

    def _on_twfy_page(self, page_id: str) -> dict | None:
        """The first question on a TheyWorkForYou page (a page can answer several together)."""
        row = self.store.db.execute(
            "SELECT id FROM questions WHERE twfy_id = ? ORDER BY rowid LIMIT 1", [page_id]
        ).fetchone()
        return self.store.get(row[0]) if row else None
