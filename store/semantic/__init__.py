"""Search by meaning: MiniLM sentence vectors of every record, kept beside the store."""

from store.semantic.embedder import Embedder, shared_embedder
from store.semantic.index import SemanticIndex, record_text

__all__ = ["Embedder", "SemanticIndex", "record_text", "shared_embedder"]
