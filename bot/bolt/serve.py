"""Serving the Slack app: over Socket Mode, or over HTTP with waitress."""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import waitress
from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.wsgi import SlackRequestHandler
from waitress.server import BaseWSGIServer

from bot.bolt.app import build_app
from bot.bolt.gate import MAX_BODY_BYTES, RequestGate
from bot.settings import Settings

EVENTS_PATH = "/slack/events"


@dataclass(frozen=True)
class Server:
    """The app, built and ready: connect() reaches Slack, then run() serves until stopped.

    where says how Slack reaches it. Over HTTP connect() has nothing to do: the port is bound
    as the server is built.
    """

    app: App
    where: str
    connect: Callable[[], None]
    run: Callable[[], None]


def build_server(settings: Settings) -> Server:
    """Everything serve needs, built but not yet running, so that other work can start beside it."""
    app = build_app(settings)
    if settings.socket_mode:
        handler = SocketModeHandler(app, settings.slack_app_token)
        return Server(app, "over Socket Mode", partial(connect_socket_mode, handler), wait_until_stopped)
    server = http_server(app, settings.slack_signing_secret, settings.host, settings.port)
    return Server(app, f"at http://{settings.host}:{server.effective_port}{EVENTS_PATH}", lambda: None, server.run)


def http_server(app: App, signing_secret: str, host: str, port: int) -> BaseWSGIServer:
    """The app behind the request gate and Bolt's WSGI adapter at EVENTS_PATH, served by waitress
    (port 0: any free one), which refuses a body over the gate's cap before reading it."""
    gated = RequestGate(SlackRequestHandler(app, path=EVENTS_PATH), signing_secret)
    # waitress refuses a body as long as its setting, so the setting is one byte past the cap.
    return waitress.create_server(gated, host=host, port=port, max_request_body_size=MAX_BODY_BYTES + 1)


def connect_socket_mode(handler: SocketModeHandler) -> None:
    """Open the Socket Mode connection, asking for its address first: a refused SLACK_APP_TOKEN
    then raises SlackApiError for serve to explain, without the SDK also logging it as an error."""
    handler.client.wss_uri = handler.client.web_client.apps_connections_open(app_token=handler.app_token)["url"]
    handler.connect()


def wait_until_stopped() -> None:
    """Block while Socket Mode's own threads answer Slack, until the process is stopped (Ctrl+C).

    Windows does not deliver Ctrl+C to a waiting thread unless SIGINT has its default handler.
    """
    if sys.platform == "win32":
        signal.signal(signal.SIGINT, signal.SIG_DFL)
    threading.Event().wait()
