"""The five real answer files bundled with pqbot, so a new store answers questions at once."""

from __future__ import annotations

from importlib.resources import files

from store.db import QuestionStore
from store.ingest import ingest_bytes


def seed_files() -> list[tuple[str, bytes]]:
    """(name, bytes) of each bundled seed file, in name order."""
    folder = files("store").joinpath("seeds")
    return sorted(
        (f"seeds/{entry.name}", entry.read_bytes()) for entry in folder.iterdir() if entry.name.endswith(".txt")
    )


def ensure_seeded(store: QuestionStore) -> bool:
    """Fill an empty store with the seeds; a store that holds anything is left alone. True if seeded."""
    if store.count():
        return False
    for name, data in seed_files():
        ingest_bytes(store, data, name)
    return True
