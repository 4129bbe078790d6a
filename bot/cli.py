"""The `pqbot` command: parses arguments and calls the store, the search and the bot; no logic of its own."""

from __future__ import annotations

import csv
import json
import logging
import sys
from pathlib import Path

import click

from bot.settings import Settings, SettingsError
from store.db import QuestionStore
from store.ingest import ingest_paths
from store.record import RECORD_FIELDS
from store.seeding import ensure_seeded


class Context:
    """What every command needs: the settings, and the store opened on first use."""

    def __init__(self, settings: Settings):
        self.settings = settings

    def store(self, seed: bool = True) -> QuestionStore:
        """The store; an empty one is filled with the bundled seeds unless seed is False."""
        store = QuestionStore.open(self.settings.db_path)
        if seed and ensure_seeded(store):
            click.echo(f"New store at {store.path}: added the bundled example answers.", err=True)
        return store


pass_context = click.make_pass_decorator(Context)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="pqbot")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """pqbot: find UK parliamentary written questions and their answers.

    Settings come from PQBOT_* and SLACK_* environment variables (see the README).
    """
    try:
        settings = Settings.from_env()
    except SettingsError as error:
        raise click.UsageError(str(error)) from error
    logging.basicConfig(
        level=settings.log_level or "WARNING", format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    ctx.obj = Context(settings)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@pass_context
def ingest(context: Context, paths: tuple[Path, ...]) -> None:
    """Add answer files (and every file in folders) to the store.

    Reads saved Parliament, Parallel Parliament and TheyWorkForYou pages, Written Questions API
    JSON and TheyWorkForYou XML. The files themselves are never moved or changed. Exits 1 if any
    file could not be ingested; the others are stored all the same.
    """
    store = context.store(seed=False)
    report = ingest_paths(store, paths, max_bytes=context.settings.max_file_bytes)
    for failure in report.failures:
        click.echo(f"{failure.path}: {failure.reason}", err=True)
    click.echo(report.summary())
    sys.exit(1 if report.failures else 0)


@cli.command()
@click.option("--format", "output_format", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True)
@pass_context
def export(context: Context, output_format: str) -> None:
    """Write every stored record to standard output, as JSON lines or CSV."""
    records = context.store().records()
    if output_format == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=RECORD_FIELDS)
        writer.writeheader()
        writer.writerows(records)
    else:
        for record in records:
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")


@cli.command()
@pass_context
def stats(context: Context) -> None:
    """Show how many questions are stored, by source, house, department and year, and where."""
    store = context.store()
    click.echo(f"Database: {store.path}")
    click.echo(f"Questions: {store.count()}")
    breakdowns = {
        "Source format": "source_format",
        "House": "house",
        "Department": "department",
        "Year answered": "substr(date_answered, 1, 4)",
    }
    for title, expression in breakdowns.items():
        click.echo(f"\n{title}")
        for value, count in store.counts_by(expression):
            click.echo(f"  {count:>7}  {value or '(unknown)'}")


def main() -> None:
    cli(prog_name="pqbot")
