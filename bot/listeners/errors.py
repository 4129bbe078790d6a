"""What happens when a listener fails: the failure is logged, and the person told if Slack allows."""

from __future__ import annotations

from logging import Logger

from slack_bolt import App, Respond

from bot.messages import failure_message


def register(app: App) -> None:
    """Report any listener's failure."""
    app.error(report_failure)


def report_failure(error: Exception, body: dict, respond: Respond | None, logger: Logger) -> None:
    """Log the failure with its traceback; answer privately where the request left a response URL."""
    logger.exception("pqbot failed to answer a request (%s)", body.get("type", "slash command"), exc_info=error)
    if respond is not None:
        respond(response_type="ephemeral", replace_original=False, **failure_message())
