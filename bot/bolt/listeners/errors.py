"""What happens when a listener fails: the failure is logged, and the person told if Slack allows.

Only a request that passed Bolt's signature check is answered: a failure while checking an
unsigned one must not send anything to the response URL its unverified body names.
"""

from __future__ import annotations

from collections.abc import Callable
from logging import Logger

from slack_bolt import App, BoltContext, Respond

from bot.compose.messages import failure_message

VERIFIED = "verified"


def register(app: App) -> None:
    """Mark requests that passed verification, and report any listener's failure."""
    app.use(mark_verified)
    app.error(report_failure)


def mark_verified(context: BoltContext, next: Callable[[], None]) -> None:
    """Note that the request came from Slack: this runs after Bolt's own middleware, so after its
    signature check (which Socket Mode skips, its requests arriving over pqbot's own connection)."""
    context[VERIFIED] = True
    next()


def report_failure(error: Exception, body: dict, context: BoltContext, respond: Respond | None, logger: Logger) -> None:
    """Log the failure with its traceback; answer privately where a verified request left a response URL."""
    logger.exception("pqbot failed to answer a request (%s)", body.get("type", "slash command"), exc_info=error)
    if respond is not None and context.get(VERIFIED):
        respond(response_type="ephemeral", replace_original=False, **failure_message())
