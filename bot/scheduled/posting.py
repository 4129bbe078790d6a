"""Posting digest messages to Slack, and finding out afterwards whether one got there.

Each message carries the id of its attempt in Slack's message metadata, so that after a crash (or
an answer lost on the way back) the channel's history says whether Slack has it.

What Slack says is sorted three ways: accepted; refused, for now or for good; or not known (the
connection failed or Slack failed inside, after the client's own retries), when the message may or
may not be in the channel.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.compose.blocks import Message

log = logging.getLogger(__name__)

METADATA_TYPE = "pqbot_digest"
# Slack's refusals that mean "not now": the message was not posted, and trying later may work.
PASSING_REFUSALS = frozenset({"ratelimited", "rate_limited", "request_timeout", "service_unavailable"})
# Slack's failures inside, after which the message may or may not have been posted.
UNCERTAIN_FAILURES = frozenset({"internal_error", "fatal_error"})
# How much of a channel's history is read, at most, looking for one attempt.
HISTORY_PAGES = 5
HISTORY_PAGE_SIZE = 200
# History is read from a little before the attempt, for clocks that differ.
CLOCK_SLACK_SECONDS = 300


@dataclass(frozen=True)
class Accepted:
    """Slack has the message, at this timestamp."""

    ts: str | None


@dataclass(frozen=True)
class Refused:
    """Slack did not post the message; permanent when trying again will not mend it."""

    code: str
    permanent: bool


@dataclass(frozen=True)
class Unknown:
    """Whether Slack has the message cannot be told now."""

    reason: str


Outcome = Accepted | Refused | Unknown


@dataclass(frozen=True)
class NotInHistory:
    """The channel's history was read, and the message is not there."""


@dataclass(frozen=True)
class HistoryUnreadable:
    """Slack will not show pqbot the channel's history (not a member, or no history scope)."""

    code: str


Sighting = Accepted | NotInHistory | HistoryUnreadable | Unknown


class Poster:
    """Posts messages to channels through the Web API client, tagged with their attempt's id."""

    def __init__(self, client: WebClient):
        self.client = client

    def post(
        self, channel: str, message: Message, attempt_id: int | None = None, thread_ts: str | None = None
    ) -> Outcome:
        """Post a message (a reply in the thread under thread_ts, if given), with the attempt's id in its
        metadata when given."""
        metadata = {"event_type": METADATA_TYPE, "event_payload": {"attempt": attempt_id}} if attempt_id else None
        try:
            response = self.client.chat_postMessage(
                channel=channel,
                thread_ts=thread_ts,
                unfurl_links=False,
                unfurl_media=False,
                metadata=metadata,
                **message,
            )
        except SlackApiError as error:
            return _refusal(channel, error)
        except OSError as error:
            log.warning("Posting to %s failed on the way: %s", channel, error)
            return Unknown(str(error))
        return Accepted(response.get("ts"))

    def find(self, channel: str, attempt_id: int, attempted_at: datetime, thread_ts: str | None = None) -> Sighting:
        """Whether the channel's history (or the thread's replies, under thread_ts) since the attempt holds
        the message that carried its id."""
        cursor = None
        for _ in range(HISTORY_PAGES):
            try:
                page = self._history(channel, thread_ts)(
                    channel=channel,
                    oldest=str(attempted_at.timestamp() - CLOCK_SLACK_SECONDS),
                    include_all_metadata=True,
                    limit=HISTORY_PAGE_SIZE,
                    cursor=cursor,
                )
            except SlackApiError as error:
                code = error.response.get("error", "unknown_error")
                return Unknown(code) if code in PASSING_REFUSALS | UNCERTAIN_FAILURES else HistoryUnreadable(code)
            except OSError as error:
                return Unknown(str(error))
            for posted in page.get("messages", []):
                if _attempt_of(posted) == attempt_id:
                    return Accepted(posted.get("ts"))
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not page.get("has_more") or not cursor:
                return NotInHistory()
        return NotInHistory()

    def _history(self, channel: str, thread_ts: str | None):
        """The Web API method listing the messages an attempt would be among: the thread's replies, or the
        channel's."""
        if thread_ts:
            return lambda **arguments: self.client.conversations_replies(ts=thread_ts, **arguments)
        return self.client.conversations_history


def _refusal(channel: str, error: SlackApiError) -> Outcome:
    """What an error answer from chat.postMessage means for the message."""
    code = error.response.get("error", "unknown_error")
    if code in UNCERTAIN_FAILURES:
        log.warning(
            "Slack failed inside while posting to %s (%s): it will be looked for before posting again", channel, code
        )
        return Unknown(code)
    permanent = code not in PASSING_REFUSALS
    log.warning("Slack refused a digest for %s: %s%s", channel, code, " (held until resumed)" if permanent else "")
    return Refused(code, permanent)


def _attempt_of(posted: dict) -> int | None:
    """The attempt id in a message's metadata, if it is one of pqbot's digests."""
    metadata = posted.get("metadata") or {}
    if metadata.get("event_type") != METADATA_TYPE:
        return None
    return (metadata.get("event_payload") or {}).get("attempt")
