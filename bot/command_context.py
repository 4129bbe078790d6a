"""What every pqbot command needs: the settings, and the store, engine and synonyms made from them."""

from __future__ import annotations

import click

from bot.settings import Settings
from store.db import QuestionStore
from store.search import SearchEngine, Synonyms, SynonymsError
from store.seeding import ensure_seeded


class Context:
    """What every command needs: the settings, and the store opened on first use."""

    def __init__(self, settings: Settings):
        self.settings = settings

    def engine(self) -> SearchEngine:
        """A search engine over the (seeded) store, with the bundled and the user's synonyms."""
        return SearchEngine(self.store(), self.synonyms())

    def synonyms(self) -> Synonyms:
        """The bundled synonym groups and PQBOT_SYNONYMS's; a malformed file is a usage error."""
        try:
            return Synonyms.load(self.settings.synonyms_path)
        except SynonymsError as error:
            raise click.UsageError(f"PQBOT_SYNONYMS: {error}") from error

    def store(self, seed: bool = True) -> QuestionStore:
        """The store; an empty one is filled with the bundled seeds unless seed is False."""
        store = QuestionStore.open(self.settings.db_path)
        if seed and ensure_seeded(store):
            click.echo(f"New store at {store.path}: added the bundled example answers.", err=True)
        return store
