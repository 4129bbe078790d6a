"""What pqbot answers to a command: it runs the search and picks the message."""

from __future__ import annotations

from bot import grammar
from bot.blocks import Message
from bot.messages import help_message, not_yet_message, result_message, usage_message
from store.search import QueryError, SearchEngine

PAGE_SIZE = 5


def reply(command: grammar.Command, engine: SearchEngine, shareable: bool) -> Message:
    """The message answering a command; shareable when only the asker sees it (so may share it)."""
    match command:
        case grammar.Search(query):
            return search_page(engine, query, offset=0, shareable=shareable)
        case grammar.Help():
            return help_message()
        case grammar.Subscribe() | grammar.Unsubscribe() | grammar.ListSubscriptions():
            return not_yet_message()
        case grammar.Unparseable(problem):
            return usage_message(problem)


def search_page(engine: SearchEngine, query: str, offset: int, shareable: bool) -> Message:
    """A page of results for a query, or a hint on how to write it when it cannot be searched."""
    try:
        result = engine.search(query, limit=PAGE_SIZE, offset=offset)
    except QueryError as error:
        return usage_message(str(error))
    return result_message(result, shareable)
