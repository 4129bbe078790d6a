"""The door in front of the Slack app over HTTP: only fresh, signed, readable requests get in.

Bolt checks signatures too, but it lets a malformed timestamp reach its error handler, acts on a
replayed request as often as it is sent, and reads any body it is given. This WSGI wrapper
refuses all of that before Bolt sees the request, so nothing is acted on, and nothing sent
anywhere, for a request Slack did not sign just now.
"""

from __future__ import annotations

import heapq
import io
import json
import logging
import re
import threading
import time
from collections.abc import Callable, Iterable
from urllib.parse import parse_qs

from slack_sdk.signature import SignatureVerifier

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 1024 * 1024
# Slack's own limit: a request signed more than five minutes ago (or ahead) is refused.
WINDOW_SECONDS = 5 * 60
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_LENGTH = re.compile(r"[0-9]+")
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")

WsgiApp = Callable[[dict, Callable], Iterable[bytes]]


class SeenSignatures:
    """Signatures already acted on, each kept until its timestamp is too old to pass anyway.

    Memory stays bounded: an entry is dropped as soon as its request would be refused as stale,
    so at most one window's worth of Slack's own requests is held.
    """

    def __init__(self, window: int = WINDOW_SECONDS):
        self._window = window
        self._expiries: list[tuple[int, str]] = []
        self._seen: set[str] = set()
        self._lock = threading.Lock()

    def first_time(self, signature: str, timestamp: int, now: float) -> bool:
        """Note the signature; True unless it was noted before and has not yet expired."""
        with self._lock:
            while self._expiries and self._expiries[0][0] < now:
                self._seen.discard(heapq.heappop(self._expiries)[1])
            if signature in self._seen:
                return False
            self._seen.add(signature)
            heapq.heappush(self._expiries, (timestamp + self._window, signature))
            return True

    def __len__(self) -> int:
        return len(self._seen)


class RequestGate:
    """WSGI middleware that lets through only requests Slack signed within the window, once each.

    Refusals: 413 for a body over the cap (never read past it); 401 for a missing or malformed
    timestamp or signature, a stale timestamp, or a signature that does not verify; 400 for a
    signed body Bolt could not read; 409 for a replay. A replay is 409, not 401, because its
    signature is genuine: 401 would send whoever is debugging after the signing secret, when
    the request was simply sent twice.
    """

    def __init__(self, app: WsgiApp, signing_secret: str, max_body_bytes: int = MAX_BODY_BYTES):
        self._app = app
        self._verifier = SignatureVerifier(signing_secret)
        self._max_body_bytes = max_body_bytes
        self._seen = SeenSignatures()

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        """Pass the request on to the app with its body, or refuse it with a short reason."""
        body = self._body(environ)
        if body is None:
            return _refuse(start_response, "413 Content Too Large", "body too large")
        timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "")
        signature = environ.get("HTTP_X_SLACK_SIGNATURE", "")
        now = time.time()
        if not self._signed_just_now(body, timestamp, signature, now):
            return _refuse(start_response, "401 Unauthorized", "invalid request")
        if not _readable(body, environ.get("CONTENT_TYPE", "")):
            return _refuse(start_response, "400 Bad Request", "unreadable body")
        if not self._seen.first_time(signature, int(timestamp), now):
            return _refuse(start_response, "409 Conflict", "already received")
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        return self._app(environ, start_response)

    def _body(self, environ: dict) -> bytes | None:
        """The request body, or None when it is over the cap (reading at most one byte past it)."""
        declared = environ.get("CONTENT_LENGTH") or "0"
        if not _LENGTH.fullmatch(declared) or int(declared) > self._max_body_bytes:
            return None
        body = environ["wsgi.input"].read(self._max_body_bytes + 1)
        return None if len(body) > self._max_body_bytes else body

    def _signed_just_now(self, body: bytes, timestamp: str, signature: str, now: float) -> bool:
        """Whether the timestamp is a whole number within the window and the signature verifies."""
        if not _TIMESTAMP.fullmatch(timestamp) or not _SIGNATURE.fullmatch(signature):
            return False
        if abs(now - int(timestamp)) > WINDOW_SECONDS:
            return False
        return self._verifier.is_valid(body, timestamp, signature)


def _readable(body: bytes, content_type: str) -> bool:
    """Whether Bolt can parse the body: JSON as JSON, a form as a form with any payload in JSON."""
    try:
        text = body.decode("utf-8")
        if content_type.split(";")[0].strip() == "application/json" or text.startswith("{"):
            json.loads(text)
        else:
            for payload in parse_qs(text, keep_blank_values=True).get("payload", []):
                json.loads(payload)
    except ValueError:
        return False
    return True


def _refuse(start_response: Callable, status: str, reason: str) -> list[bytes]:
    """A plain-text refusal, logged without the request's headers or body."""
    log.info("Refused a request: %s (%s)", status, reason)
    content = reason.encode()
    start_response(status, [("Content-Type", "text/plain"), ("Content-Length", str(len(content)))])
    return [content]
