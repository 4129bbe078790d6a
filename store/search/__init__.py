"""Search over the store: the query language, synonyms, typo correction, ranking and snippets."""

from store.search.engine import Hit, SearchEngine, SearchResult
from store.search.query import QueryError
from store.search.synonyms import Synonyms, SynonymsError

__all__ = ["Hit", "QueryError", "SearchEngine", "SearchResult", "Synonyms", "SynonymsError"]
