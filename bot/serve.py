"""Serving the Slack app: over Socket Mode, or over HTTP with waitress."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import waitress
from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.wsgi import SlackRequestHandler
from waitress.server import BaseWSGIServer

from bot.app import build_app
from bot.settings import Settings

EVENTS_PATH = "/slack/events"
EVERY_INTERFACE = "0.0.0.0"


@dataclass(frozen=True)
class Server:
    """The app, built and ready: run() serves until stopped; where says how Slack reaches it."""

    app: App
    where: str
    run: Callable[[], None]


def build_server(settings: Settings) -> Server:
    """Everything serve needs, built but not yet running, so that other work can start beside it."""
    app = build_app(settings)
    if settings.socket_mode:
        return Server(app, "over Socket Mode", SocketModeHandler(app, settings.slack_app_token).start)
    server = http_server(app, EVERY_INTERFACE, settings.port)
    return Server(app, f"at http://{EVERY_INTERFACE}:{server.effective_port}{EVENTS_PATH}", server.run)


def http_server(app: App, host: str, port: int) -> BaseWSGIServer:
    """The app behind Bolt's WSGI adapter at EVENTS_PATH, served by waitress (port 0: any free one)."""
    return waitress.create_server(SlackRequestHandler(app, path=EVENTS_PATH), host=host, port=port)
