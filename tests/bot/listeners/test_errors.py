"""A listener's failure is logged with its traceback, and the person told where Slack allows."""

import logging

from block_kit import sections

from bot.listeners.errors import report_failure

LOGGER = logging.getLogger("pqbot.test")


def failure() -> Exception:
    """An exception that has been raised, so has a traceback."""
    try:
        raise ValueError("no such page")
    except ValueError as error:
        return error


def test_a_failure_with_a_response_url_is_logged_and_told_privately(caplog):
    """The traceback goes to the log; the person gets a short private apology, not silence."""
    replies = []
    report_failure(failure(), {"type": "block_actions"}, lambda **reply: replies.append(reply), LOGGER)
    [logged] = caplog.records
    assert logged.getMessage() == "pqbot failed to answer a request (block_actions)"
    assert logged.levelno == logging.ERROR
    assert logged.exc_info[1].args == ("no such page",)
    [reply] = replies
    assert (reply["response_type"], reply["replace_original"]) == ("ephemeral", False)
    assert sections(reply)[0].startswith("Sorry: something went wrong inside pqbot")


def test_a_failure_without_a_response_url_is_only_logged(caplog):
    """An event has no response URL: the failure is logged, and nothing else is tried."""
    report_failure(failure(), {"type": "event_callback"}, None, LOGGER)
    assert [record.getMessage() for record in caplog.records] == ["pqbot failed to answer a request (event_callback)"]
