"""pqbot's buttons: the action id each sends, and the value it carries back, to and from text."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Self

MORE_RESULTS = "more_results"
SHARE_IN_CHANNEL = "share_in_channel"
# Its value is the offset of the next page of the channel's topics.
MORE_TOPICS = "more_topics"
# Each one's value is the record's id, as it is.
FULL_ANSWER = "full_answer"
CITE = "cite"
# On the Home tab; its value is the subscription's id.
HOME_UNSUBSCRIBE = "home_unsubscribe"


class _JsonValue:
    """A dataclass carried in a button's value as JSON."""

    def value(self) -> str:
        """This, as a button's value."""
        return json.dumps(dataclasses.asdict(self), ensure_ascii=False)

    @classmethod
    def from_value(cls, value: str) -> Self:
        """What a button's value carried."""
        return cls(**json.loads(value))


@dataclass(frozen=True)
class NextPage(_JsonValue):
    """The query of a page of results (or, for one too long for a button, its key in the store), and
    where the next page starts."""

    query: str | None
    offset: int
    query_key: str | None = None


@dataclass(frozen=True)
class SharedAnswer(_JsonValue):
    """A result to show the whole channel: its record, and the snippet shown with it."""

    record_id: str
    snippet: str
