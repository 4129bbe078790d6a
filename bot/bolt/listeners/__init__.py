"""Every listener pqbot registers on the Slack app, one module for each kind."""

from __future__ import annotations

from slack_bolt import App

from bot.bolt.deps import Deps
from bot.bolt.listeners import actions, commands, errors, events, once, shortcuts


def register_listeners(app: App, deps: Deps) -> None:
    """Register the retry check, the slash command, the events, the buttons, the message shortcut and the
    error handler on app."""
    once.register(app, deps)
    commands.register(app, deps)
    events.register(app, deps)
    actions.register(app, deps)
    shortcuts.register(app, deps)
    errors.register(app)
