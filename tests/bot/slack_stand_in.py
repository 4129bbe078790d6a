"""A stand-in for Slack around the real app: pqbot served over loopback HTTP by waitress, and a
Web API that answers it and records every request it makes.

Requests to the app are signed exactly as Slack signs them. Tests wait on what the stand-in has
received with wait_for, never with sleeps.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

import pytest
from records import HOSTILE, LONG, RESPITE
from slack_sdk.signature import SignatureVerifier

from bot.bolt.app import build_app
from bot.bolt.serve import EVENTS_PATH, http_server
from bot.settings import Settings
from store.db import QuestionStore
from store.seeding import ensure_seeded

SIGNING_SECRET = "test-signing-secret"
BOT_USER_ID = "UPQBOT"
BOT_ID = "BPQBOT"
PERSON = "UPERSON"
WAIT_SECONDS = 10
# How often the Web API stand-in checks whether it has been asked to stop.
POLL_SECONDS = 0.05
# The Slack SDK sends even loopback requests through these proxies when they are set.
PROXY_VARIABLES = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy")


@dataclass(frozen=True)
class Received:
    """One request the app made: its path, its parsed body, and when it arrived (monotonic)."""

    path: str
    body: dict
    at: float


@dataclass(frozen=True)
class Scripted:
    """A Web API answer given once in place of the usual one: a rate limit, say, or an error."""

    status: int
    headers: dict
    answer: dict


@dataclass(frozen=True)
class Answer:
    """The app's HTTP answer to a request sent as Slack: status, body, and when it came back."""

    status: int
    body: str
    at: float


class WebApiStandIn:
    """Slack's Web API as pqbot calls it, on a loopback port: every request recorded, messages kept
    in each channel's history with their metadata, and answers scripted or held back when asked."""

    def __init__(self) -> None:
        self.requests: list[Received] = []
        self.history: dict[str, list[dict]] = {}
        self._scripted: dict[str, list[Scripted]] = {}
        self.changed = threading.Condition()
        self.replies_released = threading.Event()
        self.replies_released.set()
        self.posts_released = threading.Event()
        self.posts_released.set()
        self._held: tuple[int, bool] | None = None
        self._api = ThreadingHTTPServer(("127.0.0.1", 0), _WebApi)
        self._api.stand_in = self
        self.url = f"http://127.0.0.1:{self._api.server_port}"
        threading.Thread(target=self._api.serve_forever, args=(POLL_SECONDS,), daemon=True).start()

    def close(self) -> None:
        """Stop the Web API, letting any held answer go first."""
        self.replies_released.set()
        self.posts_released.set()
        self._api.shutdown()
        self._api.server_close()

    def record(self, path: str, body: dict) -> None:
        """Keep a request the app made, and wake whoever waits for it."""
        with self.changed:
            self.requests.append(Received(path, body, time.monotonic()))
            self.changed.notify_all()

    def script(self, path: str, status: int = 200, headers: dict | None = None, **answer: object) -> None:
        """Answer the next request to a Web API path (such as /api/chat.postMessage) like this, once."""
        self._scripted.setdefault(path, []).append(Scripted(status, headers or {}, answer))

    def next_scripted(self, path: str) -> Scripted | None:
        """The scripted answer for a request to path, taken off the list; None to answer as usual."""
        with self.changed:
            queue = self._scripted.get(path)
            return queue.pop(0) if queue else None

    def received(self, path: str, **fields: str) -> list[Received]:
        """The requests so far to a path (such as /api/chat.postMessage) whose bodies hold these fields."""
        with self.changed:
            return [
                request
                for request in self.requests
                if request.path == path and all(request.body.get(key) == value for key, value in fields.items())
            ]

    def wait_until(self, condition: Callable[[], bool], what: str) -> None:
        """Wait until a condition on what the stand-in has received holds; fails after WAIT_SECONDS."""
        with self.changed:
            assert self.changed.wait_for(condition, WAIT_SECONDS), what

    def wait_for(self, path: str, count: int = 1, **fields: str) -> list[Received]:
        """The requests received(path, **fields), once there are count of them; fails after WAIT_SECONDS."""
        with self.changed:
            arrived = self.changed.wait_for(lambda: len(self.received(path, **fields)) >= count, WAIT_SECONDS)
        assert arrived, f"{path} {fields}: {len(self.received(path, **fields))} requests, not {count}"
        return self.received(path, **fields)

    def response_path(self, name: str) -> str:
        """The path at which replies to response_url(name) arrive."""
        return f"/response/{name}"

    def response_url(self, name: str) -> str:
        """A response URL for one test's request; its replies arrive at response_path(name)."""
        return self.url + self.response_path(name)

    def hold_post(self, number: int, kept: bool) -> None:
        """Hold back the answer to the number-th chat.postMessage until posts_released is set: after
        keeping the message when kept (Slack has it, the poster has not heard), else before, and
        then never keep it (the poster died before Slack had it)."""
        self._held = (number, kept)
        self.posts_released.clear()

    def keep_post(self, body: dict) -> dict:
        """chat.postMessage: the message kept in its channel's history under a new timestamp, as Slack does."""
        number = len(self.received("/api/chat.postMessage"))
        held = self._held is not None and self._held[0] == number
        if held and not self._held[1]:
            self.posts_released.wait(WAIT_SECONDS)
            return {"ok": False, "error": "request_lost_in_a_crash"}
        with self.changed:
            ts = f"1700000000.{number:06d}"
            kept = {"ts": ts, "text": body.get("text"), "blocks": body.get("blocks"), "metadata": body.get("metadata")}
            if body.get("thread_ts"):
                kept["thread_ts"] = body["thread_ts"]
            self.history.setdefault(body.get("channel"), []).append(kept)
            self.changed.notify_all()
        if held:
            self.posts_released.wait(WAIT_SECONDS)
        return {"ok": True, "channel": body.get("channel"), "ts": ts}

    def channel_history(self, body: dict) -> dict:
        """conversations.history: the channel's messages, newest first, metadata included; as in Slack,
        replies in threads are not among them."""
        with self.changed:
            messages = [kept for kept in reversed(self.history.get(body.get("channel"), [])) if "thread_ts" not in kept]
        return {"ok": True, "messages": messages, "has_more": False}

    def thread_replies(self, body: dict) -> dict:
        """conversations.replies: the thread's parent, then its replies, oldest first, metadata included."""
        with self.changed:
            kept = self.history.get(body.get("channel"), [])
            messages = [message for message in kept if body.get("ts") in (message["ts"], message.get("thread_ts"))]
        return {"ok": True, "messages": messages, "has_more": False}


class SlackStandIn(WebApiStandIn):
    """Slack as the app sees it: the Web API it calls, and the requests it is sent."""

    def __init__(self, db_path: Path, **settings: object):
        """Start the Web API stand-in, then build the app against it and serve it (store at db_path,
        other settings as given)."""
        super().__init__()
        self.settings = Settings(
            db_path=db_path,
            slack_bot_token="xoxb-test",
            slack_signing_secret=SIGNING_SECRET,
            slack_api_url=f"{self.url}/api/",
            **settings,
        )
        self.app = build_app(self.settings)
        self._server = http_server(self.app, SIGNING_SECRET, "127.0.0.1", 0)
        self._app_thread = threading.Thread(target=self._server.run, daemon=True)
        self._app_thread.start()
        self.app_url = f"http://127.0.0.1:{self._server.effective_port}{EVENTS_PATH}"

    @classmethod
    @contextmanager
    def running(cls, db_path: Path, **settings: object) -> Iterator[SlackStandIn]:
        """A stand-in around the app, over a seeded store that also holds the records in records.py."""
        store = QuestionStore.open(db_path)
        ensure_seeded(store)
        store.save([HOSTILE, LONG, *RESPITE])
        store.close()
        with pytest.MonkeyPatch.context() as environment:
            for name in PROXY_VARIABLES:
                environment.delenv(name, raising=False)
            stand_in = cls(db_path, **settings)
            try:
                yield stand_in
            finally:
                stand_in.close()

    def close(self) -> None:
        """Stop both servers; waitress's server is closed from inside its own loop, as it must be."""
        self.replies_released.set()
        self._server.trigger.pull_trigger(self._server.close)
        self._app_thread.join(WAIT_SECONDS)
        self._server.task_dispatcher.shutdown()
        super().close()

    def command(self, text: str, response: str, command: str = "/pq", channel: str = "CCHANNEL") -> Answer:
        """Type a slash command in a channel, as Slack sends it: a signed form."""
        form = {
            "command": command,
            "text": text,
            "response_url": self.response_url(response),
            "trigger_id": "trigger-1",
            "user_id": PERSON,
            "channel_id": channel,
            "team_id": "TTEAM",
            "api_app_id": "APQBOT",
        }
        return self.send(urlencode(form), "application/x-www-form-urlencoded")

    def event(self, event: dict, event_id: str | None = None, retry: int = 0) -> Answer:
        """Deliver an Events API event, as Slack sends it: signed JSON. A retry says so in its headers and,
        sent later, is signed anew (under another timestamp; here, a second earlier per retry)."""
        envelope = event_envelope(event, event_id)
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else {}
        return self.send(json.dumps(envelope), "application/json", int(time.time()) - retry, headers=headers)

    def click(self, button: dict, response: str, ephemeral: bool = True) -> Answer:
        """Press a button the app sent, as Slack reports it: a signed form holding a JSON payload."""
        payload = {
            "type": "block_actions",
            "user": {"id": PERSON},
            "team": {"id": "TTEAM"},
            "api_app_id": "APQBOT",
            "container": {"type": "message", "is_ephemeral": ephemeral},
            "channel": {"id": "CCHANNEL"},
            "trigger_id": "trigger-2",
            "response_url": self.response_url(response),
            "actions": [
                {"type": "button", "action_id": button["action_id"], "value": button["value"], "block_id": "b"}
            ],
        }
        return self.send(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")

    def message_shortcut(self, callback_id: str, text: str, response: str) -> Answer:
        """Choose a message shortcut on someone's message, as Slack reports it: a signed form holding a JSON payload."""
        payload = {
            "type": "message_action",
            "callback_id": callback_id,
            "trigger_id": "trigger-3",
            "response_url": self.response_url(response),
            "user": {"id": PERSON},
            "team": {"id": "TTEAM"},
            "api_app_id": "APQBOT",
            "channel": {"id": "CCHANNEL"},
            "message_ts": "1700000000.000900",
            "message": {"type": "message", "user": "USOMEONE", "ts": "1700000000.000900", "text": text},
        }
        return self.send(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")

    def send(
        self,
        body: str,
        content_type: str,
        timestamp: int | str | None = None,
        signed: bool = True,
        headers: dict | None = None,
    ) -> Answer:
        """POST a body to the app, signed with the signing secret (at timestamp, default now)."""
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        headers = (headers or {}) | {"Content-Type": content_type, "X-Slack-Request-Timestamp": stamp}
        if signed:
            headers["X-Slack-Signature"] = SignatureVerifier(SIGNING_SECRET).generate_signature(
                timestamp=stamp, body=body
            )
        return self.post(body.encode(), headers)

    def post(self, body: bytes, headers: dict) -> Answer:
        """POST raw bytes to the app with exactly these headers, however wrong they are."""
        request = urllib.request.Request(self.app_url, body, headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=WAIT_SECONDS) as response:
                return Answer(response.status, response.read().decode(), time.monotonic())
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.read().decode(), time.monotonic())


def event_envelope(event: dict, event_id: str | None = None) -> dict:
    """An event as Slack wraps it, over HTTP and inside a Socket Mode envelope alike."""
    return {
        "type": "event_callback",
        "team_id": "TTEAM",
        "api_app_id": "APQBOT",
        "event": event,
        "event_id": event_id or f"Ev{time.monotonic_ns()}",
        "event_time": int(time.time()),
    }


class _WebApi(BaseHTTPRequestHandler):
    """Slack's Web API methods the app calls, and response URLs; every request is recorded."""

    server: ThreadingHTTPServer

    def do_POST(self) -> None:
        """Record the request, and answer it as Slack would (holding replies while asked to)."""
        stand_in: WebApiStandIn = self.server.stand_in
        raw = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        body = json.loads(raw) if raw and "json" in self.headers.get("Content-Type", "") else dict(parse_qsl(raw))
        if self.path.startswith("/response/"):
            stand_in.replies_released.wait(WAIT_SECONDS)
            stand_in.record(self.path, body)
            self._reply(b"ok", "text/plain")
            return
        stand_in.record(self.path, body)
        scripted = stand_in.next_scripted(self.path)
        if scripted:
            self._reply(json.dumps(scripted.answer).encode(), "application/json", scripted.status, scripted.headers)
            return
        answers = _API_ANSWERS | {
            "/api/chat.postMessage": stand_in.keep_post,
            "/api/conversations.history": stand_in.channel_history,
            "/api/conversations.replies": stand_in.thread_replies,
        }
        self._reply(json.dumps(answers.get(self.path, _unknown)(body)).encode(), "application/json")

    def _reply(self, content: bytes, content_type: str, status: int = 200, headers: dict | None = None) -> None:
        """Send a response with this content (200, unless a scripted answer says otherwise)."""
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the tests read the recorded requests instead."""


def _unknown(body: dict) -> dict:
    """Slack's answer to a method it does not have."""
    return {"ok": False, "error": "unknown_method"}


_API_ANSWERS: dict[str, Callable[[dict], dict]] = {
    "/api/auth.test": lambda body: {
        "ok": True,
        "team_id": "TTEAM",
        "user_id": BOT_USER_ID,
        "bot_id": BOT_ID,
        "user": "pqbot",
    },
    "/api/views.open": lambda body: {"ok": True, "view": {"id": "VVIEW"}},
    "/api/views.publish": lambda body: {"ok": True, "view": {"id": "VHOME"}},
    "/api/chat.unfurl": lambda body: {"ok": True},
}
