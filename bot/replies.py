"""What pqbot answers to a command: it runs the search and picks the message."""

from __future__ import annotations

from datetime import datetime, timezone

from bot import grammar
from bot.blocks import Message
from bot.conversation import Asker, Reply
from bot.messages import help_message, result_message, usage_message
from bot.subscribing import subscription_reply
from store.search import QueryError, SearchEngine
from store.subscriptions import Subscriptions

PAGE_SIZE = 5


def reply(
    command: grammar.Command, engine: SearchEngine, asker: Asker, shareable: bool, now: datetime | None = None
) -> Reply:
    """pqbot's answer to a command; shareable when only the asker sees it (so may share it)."""
    match command:
        case grammar.Search(query):
            return Reply(search_page(engine, query, offset=0, shareable=shareable))
        case grammar.Help():
            return Reply(help_message())
        case grammar.Subscribe() | grammar.Unsubscribe() | grammar.ListSubscriptions():
            subscriptions = Subscriptions(engine.store, engine)
            return subscription_reply(command, subscriptions, asker, now or datetime.now(timezone.utc))
        case grammar.Unparseable(problem):
            return Reply(usage_message(problem))


def search_page(engine: SearchEngine, query: str, offset: int, shareable: bool) -> Message:
    """A page of results for a query, or a hint on how to write it when it cannot be searched."""
    try:
        result = engine.search(query, limit=PAGE_SIZE, offset=offset)
    except QueryError as error:
        return usage_message(str(error))
    return result_message(result, shareable)
