"""The Written Questions API over HTTP: GETs of its JSON, retried on timeouts, lost connections, 429 and 5xx."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

import urllib3
from urllib3.util import Retry, Timeout

from store.parsing.api_json import is_truncated

QUESTIONS_PATH = "/api/writtenquestions/questions"
RETRIED_STATUSES = (429, 500, 502, 503, 504)
# The longest a Retry-After header may make a request wait before trying again.
MAX_RETRY_AFTER_SECONDS = 300
# How many requests a run has in flight at once, by default: polite to the API, four times as fast.
DEFAULT_CONCURRENCY = 4


class FetchError(Exception):
    """The API could not be read, even after retries; the message says which request failed and how."""


class FetchRequestError(ValueError):
    """What was asked for cannot be fetched: an unknown house or department, or a window ending before it starts."""


class ParliamentApi:
    """The Written Questions API as a client that may be shared by a few threads at once.

    :param base_url: the API's address (PQBOT_API_URL); no other host is ever contacted (redirects
        are not followed).
    :param timeout: seconds to wait for a connection, and then for each part of an answer.
    :param tries: attempts at each request, the first included.
    :param backoff: seconds; the wait between tries doubles from it, unless Retry-After says otherwise.
    :param page_size: how many questions each page of a listing asks for (the API's `take`).
    :param concurrency: how many requests may be in flight at once (PQBOT_FETCH_CONCURRENCY).
    """

    def __init__(
        self,
        base_url: str,
        timeout: float = 30.0,
        tries: int = 4,
        backoff: float = 1.0,
        page_size: int = 100,
        concurrency: int = DEFAULT_CONCURRENCY,
    ):
        self.base_url = base_url.rstrip("/")
        self.page_size = page_size
        self.tries = tries
        self.concurrency = concurrency
        retry = Retry(
            total=tries - 1,
            status_forcelist=RETRIED_STATUSES,
            backoff_factor=backoff,
            retry_after_max=MAX_RETRY_AFTER_SECONDS,
            raise_on_status=False,
        )
        self._http = urllib3.PoolManager(
            num_pools=1,
            maxsize=concurrency,
            block=True,
            retries=retry,
            timeout=Timeout(connect=timeout, read=timeout),
            headers={"Accept": "application/json", "User-Agent": "pqbot"},
        )

    def list_page(self, query: dict[str, str], skip: int) -> dict:
        """One page of a listing: `{"totalResults": n, "results": [{"value": {...}}, ...]}`."""
        params = query | {"skip": str(skip), "take": str(self.page_size)}
        page = self._get(QUESTIONS_PATH, params)
        results = page.get("results")
        listed = isinstance(results, list) and all(
            isinstance(entry, dict) and isinstance(entry.get("value"), dict) for entry in results
        )
        if not (listed and isinstance(page.get("totalResults"), int)):
            raise FetchError(f"{described(QUESTIONS_PATH, params)}: not a list of written questions")
        return page

    def question_tabled(self, day: date, uin: str) -> dict | None:
        """The entry (`{"value": {...}}`) of the question tabled on day under this UIN, in full, or None.

        UINs restart each session, so the day tells apart two questions with one number.
        """
        query = {"uIN": uin, "tabledWhenFrom": day.isoformat(), "tabledWhenTo": day.isoformat(), "expandMember": "true"}
        entries = self.list_page(query, skip=0)["results"]
        found = next(
            (
                entry
                for entry in entries
                if str(entry["value"].get("uin")) == uin
                and str(entry["value"].get("dateTabled", ""))[:10] == day.isoformat()
            ),
            None,
        )
        return self.in_full(found) if found else None

    def in_full(self, entry: dict) -> dict:
        """A listed entry as it is, or with the full record in place of one whose answer the list cut off."""
        if not is_truncated(entry["value"].get("answerText")):
            return entry
        question_id = entry["value"].get("id")
        try:
            return entry | {"value": self.question(question_id)}
        except FetchError as error:
            raise FetchError(f"the full answer to question {question_id}: {error}") from error

    def question(self, question_id: int) -> dict:
        """One question in full, its answer uncut: the API's `value` object."""
        path, params = f"{QUESTIONS_PATH}/{question_id}", {"expandMember": "true"}
        value = self._get(path, params).get("value")
        if not isinstance(value, dict):
            raise FetchError(f"{described(path, params)}: not a written question")
        return value

    def _get(self, path: str, params: dict[str, str]) -> dict:
        """The JSON object at path?params, or a FetchError once every try has failed."""
        request = described(path, params)
        try:
            response = self._http.request("GET", self.base_url + path, fields=params, redirect=False)
        except urllib3.exceptions.MaxRetryError as error:
            raise FetchError(f"{request}: {_plain_reason(error.reason)} after {self.tries} tries") from error
        except urllib3.exceptions.HTTPError as error:
            raise FetchError(f"{request}: {_plain_reason(error)}") from error
        if response.status != 200:
            tries = len(response.retries.history) + 1 if response.retries else 1
            raise FetchError(f"{request}: HTTP {response.status}" + (f" after {tries} tries" if tries > 1 else ""))
        try:
            document = response.json()
        except ValueError as error:
            raise FetchError(f"{request}: the answer is not JSON") from error
        if not isinstance(document, dict):
            raise FetchError(f"{request}: the answer is not a JSON object")
        return document


def described(path: str, params: dict[str, str]) -> str:
    """A request as an error message names it: method, path and query."""
    return f"GET {path}?{urlencode(params)}"


def _plain_reason(error: Exception | None) -> str:
    """Why a request failed, in a few words (urllib3 counts a refused connection as a kind of timeout)."""
    if isinstance(error, urllib3.exceptions.NewConnectionError):
        return "could not connect"
    if isinstance(error, urllib3.exceptions.TimeoutError):
        return "timed out"
    if isinstance(error, urllib3.exceptions.ProtocolError):
        return "the connection was dropped"
    return str(error)
