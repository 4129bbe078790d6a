"""A listener's failure is logged with its traceback, and the person told where Slack allows."""

import logging

from block_kit import sections
from slack_bolt import BoltContext

from bot.bolt.listeners.errors import VERIFIED, report_failure

LOGGER = logging.getLogger("pqbot.test")
CHECKED = BoltContext({VERIFIED: True})


def failure() -> Exception:
    """An exception that has been raised, so has a traceback."""
    try:
        raise ValueError("no such page")
    except ValueError as error:
        return error


def test_a_failure_with_a_response_url_is_logged_and_told_privately(caplog):
    """The traceback goes to the log; the person gets a short private apology, not silence."""
    replies = []
    report_failure(failure(), {"type": "block_actions"}, CHECKED, lambda **reply: replies.append(reply), LOGGER)
    [logged] = caplog.records
    assert logged.getMessage() == "pqbot failed to answer a request (block_actions)"
    assert logged.levelno == logging.ERROR
    assert logged.exc_info[1].args == ("no such page",)
    [reply] = replies
    assert (reply["response_type"], reply["replace_original"]) == ("ephemeral", False)
    assert sections(reply)[0].startswith("Sorry: something went wrong inside pqbot")


def test_a_failure_without_a_response_url_is_only_logged(caplog):
    """An event has no response URL: the failure is logged, and nothing else is tried."""
    report_failure(failure(), {"type": "event_callback"}, CHECKED, None, LOGGER)
    assert [record.getMessage() for record in caplog.records] == ["pqbot failed to answer a request (event_callback)"]


def test_a_failure_before_verification_is_only_logged(caplog):
    """A request that never passed the signature check is not answered, whatever response URL it names."""
    replies = []
    report_failure(failure(), {"type": "block_actions"}, BoltContext(), lambda **reply: replies.append(reply), LOGGER)
    assert [record.getMessage() for record in caplog.records] == ["pqbot failed to answer a request (block_actions)"]
    assert replies == []
