"""Slack's retries answered once: an event Slack sends again (same event id) is acknowledged, not acted on.

Slack resends an event it thinks went unanswered, over HTTP (X-Slack-Retry-Num) and Socket Mode
(retry_attempt) alike, always with the same event id; the store remembers the ids it has acted on,
so a retry is recognised even after a restart.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from logging import Logger

from slack_bolt import App, BoltResponse

from bot.bolt.deps import Deps

# Slack retries within minutes; an id is remembered well past the last retry.
REMEMBER_FOR = timedelta(days=1)


def register(app: App, deps: Deps) -> None:
    """Check every request for a repeated event before any listener sees it."""
    app.use(partial(act_on_each_event_once, deps))


def act_on_each_event_once(deps: Deps, body: dict, next: Callable[[], None], logger: Logger) -> BoltResponse | None:
    """Acknowledge a repeated event without acting on it again; let everything else through."""
    event_id = body.get("event_id")
    if event_id and not deps.store().first_sighting(f"event:{event_id}", datetime.now(UTC), REMEMBER_FOR):
        logger.info("Slack sent event %s again; it was acted on the first time", event_id)
        return BoltResponse(status=200, body="")
    next()
    return None
