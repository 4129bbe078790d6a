"""What pqbot answers to a command: it runs the search and picks the message."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.compose import grammar
from bot.compose.blocks import MAX_BUTTON_VALUE, Message
from bot.compose.buttons import NextPage
from bot.compose.conversation import Asker, Reply
from bot.compose.messages import help_message, result_message, usage_message
from bot.compose.subscribing import subscription_reply
from store.db import QuestionStore
from store.search import QueryError, SearchEngine, SearchResult
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
        case grammar.Subscribe() | grammar.Unsubscribe() | grammar.ListSubscriptions() | grammar.Resume():
            subscriptions = Subscriptions(engine.store, engine)
            return subscription_reply(command, subscriptions, asker, now or datetime.now(UTC))
        case grammar.Unparseable(problem):
            return Reply(usage_message(problem))


def search_page(engine: SearchEngine, query: str, offset: int, shareable: bool) -> Message:
    """A page of results for a query, or a hint on how to write it when it cannot be searched."""
    try:
        result = engine.search(query, limit=PAGE_SIZE, offset=offset)
    except QueryError as error:
        return usage_message(str(error))
    return result_message(result, shareable, _next_page_value(engine.store, result))


def _next_page_value(store: QuestionStore, result: SearchResult) -> str | None:
    """What *More results* carries: the query itself, or its key in the store when it is too long for a button."""
    if not result.more:
        return None
    offset = result.offset + len(result.hits)
    value = NextPage(result.query, offset).value()
    if len(value) <= MAX_BUTTON_VALUE:
        return value
    return NextPage(None, offset, store.remember_query(result.query)).value()
