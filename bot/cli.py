"""The `pqbot` command: parses arguments and calls the store, the search and the bot; no logic of its own."""

from __future__ import annotations

import csv
import json
import logging
import sys
import time
from datetime import datetime
from pathlib import Path

import click

from bot.command_context import Context
from bot.commands_slack import digest, serve
from bot.settings import Settings, SettingsError
from bot.terminal import render_result
from store.db import StoreBusy
from store.inbox import Inbox
from store.ingest import ingest_paths
from store.record import RECORD_FIELDS
from store.search import QueryError, SearchEngine

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
    logging.basicConfig(level=settings.log_level or "WARNING", format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    ctx.obj = Context(settings)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@pass_context
def ingest(context: Context, paths: tuple[Path, ...]) -> None:
    """Add answer files (and every file in folders) to the store.

    Reads saved Parliament, Parallel Parliament and TheyWorkForYou pages, Written Questions API
    JSON and TheyWorkForYou XML. The files themselves are never moved or changed. Exits 1 if any
    file could not be ingested (missing, unreadable, not a regular file, too large or not an
    answer file); the others are stored all the same.
    """
    store = context.store(seed=False)
    report = ingest_paths(store, paths, max_bytes=context.settings.max_file_bytes)
    for failure in report.failures:
        click.echo(f"{failure.path}: {failure.reason}", err=True)
    click.echo(report.summary())
    sys.exit(1 if report.failures else 0)


@cli.command()
@click.argument("query", nargs=-1)
@click.option("--limit", default=5, show_default=True, type=click.IntRange(1, 50), help="How many answers to show.")
@click.option("--offset", default=0, type=click.IntRange(0), help="Skip this many answers (for the next page).")
@click.option("--json", "as_json", is_flag=True, help="Print the results as a JSON list of records.")
@click.option("--batch", type=click.File("r"), help="Run one query per line of FILE, printing JSON lines.")
@click.option("--cite", is_flag=True, help="Print each answer's citation, as its Cite button in Slack shows it.")
@pass_context
def ask(context: Context, query: tuple[str, ...], limit: int, offset: int, as_json: bool, batch, cite: bool) -> None:
    """Search the store, e.g. pqbot ask EHC timeliness.

    Filters can go anywhere in the query: from:2024, to:2024-06, dept:education, by:Quince,
    house:lords, "an exact phrase", -excluded. Exits 2 if a filter cannot be understood.
    """
    if bool(query) == bool(batch):
        raise click.UsageError("give either a QUERY or --batch FILE")
    engine = context.engine()
    if batch:
        for line in filter(None, (line.strip() for line in batch)):
            click.echo(json.dumps(batch_line(engine, line, limit), ensure_ascii=False))
        return
    try:
        result = engine.search(" ".join(query), limit=limit, offset=offset)
    except QueryError as error:
        raise click.UsageError(str(error)) from error
    if as_json:
        click.echo(json.dumps([hit.as_dict() for hit in result.hits], ensure_ascii=False, indent=2))
    else:
        click.echo(render_result(result, with_citations=cite))


def batch_line(engine: SearchEngine, query: str, limit: int) -> dict:
    """One --batch output line: the query, its time, confidence and results (or its error)."""
    started = time.perf_counter()
    try:
        result = engine.search(query, limit=limit)
    except QueryError as error:
        return {"query": query, "error": str(error)}
    took_ms = round((time.perf_counter() - started) * 1000, 1)
    return {
        "query": query,
        "took_ms": took_ms,
        "confident": result.confident,
        "results": [hit.as_dict() for hit in result.hits],
    }


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
    """Show how many questions are stored, by source, house, department and year, and where;
    then what the inbox will not take, and why."""
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
    echo_inbox_ignored(Inbox(context.settings.inbox))


def echo_inbox_ignored(inbox: Inbox) -> None:
    """The Inbox section of stats: what the inbox ignores and why; nothing if there is no inbox."""
    if not inbox.path.is_dir():
        return
    ignored = inbox.ignored()
    click.echo(f"\nInbox: {inbox.path.resolve()}")
    if not ignored:
        click.echo("  nothing ignored")
    for name, reason in ignored:
        click.echo(f"  ignoring {name}: {reason}")


@cli.command()
@click.option(
    "--since", type=click.DateTime(["%Y-%m-%d"]), help="First day answered (default: the day after the last fetch)."
)
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Last day answered (default: today).")
@click.option("--department", help="An answering body by name, or part of it (education), or its id.")
@click.option("--house", type=click.Choice(["commons", "lords"], case_sensitive=False), help="One House only.")
@pass_context
def fetch(
    context: Context, since: datetime | None, until: datetime | None, department: str | None, house: str | None
) -> None:
    """Fetch answered written questions from Parliament's Written Questions API into the inbox.

    Writes them as answer files into PQBOT_INBOX, where pqbot serve ingests them; answers the
    store already holds are not written again. Without --since it carries on from the last day
    it fetched; a window that starts inside one fetched before carries on from where that run got
    to. Exits 1 if the API cannot be read, keeping every page finished before in the inbox.
    """
    from store.fetch.client import FetchError, FetchRequestError, ParliamentApi
    from store.fetch.run import fetch as fetch_answers

    settings = context.settings
    today = datetime.now(settings.time_zone).date()
    try:
        report = fetch_answers(
            ParliamentApi(settings.api_url, concurrency=settings.fetch_concurrency),
            settings.inbox,
            context.store(seed=False),
            today=today,
            since=since.date() if since else None,
            until=until.date() if until else None,
            department=department,
            house=house,
            progress=sys.stderr.isatty(),
        )
    except FetchRequestError as error:
        raise click.UsageError(str(error)) from error
    except FetchError as error:
        raise click.ClickException(f"the fetch stopped: {error}") from error
    click.echo(report.summary())
    for path in report.files:
        click.echo(f"  {path}")


@cli.command()
@click.option(
    "--batch", default=64, show_default=True, type=click.IntRange(1, 1024), help="Answers embedded per commit."
)
@click.option("--limit", type=click.IntRange(1), help="Embed at most this many answers, then stop.")
@pass_context
def embed(context: Context, batch: int, limit: int | None) -> None:
    """Embed the answers that have no vector yet, for search by meaning.

    Each batch is committed as it is done, so the command can be stopped (Ctrl+C) and run again
    to carry on; searches use whatever is embedded so far. pqbot serve does the same in the
    background unless PQBOT_EMBED is off. A progress bar shows on a terminal.
    """
    from tqdm import tqdm

    from store.semantic import Embedder, SemanticIndex

    index = SemanticIndex(context.store(), Embedder())
    pending = index.pending_count()
    total = min(pending, limit) if limit else pending
    done = 0
    with tqdm(total=total, unit=" answers", desc="embedding", disable=not sys.stderr.isatty()) as bar:
        try:
            done = index.embed_pending(batch=batch, limit=limit, progress=lambda count: bar.update(count))
        except KeyboardInterrupt:
            done = bar.n
            click.echo("Stopped; run pqbot embed again to carry on.", err=True)
        except StoreBusy as error:
            raise click.ClickException(f"{error}; {bar.n:,} answers were embedded, run pqbot embed again") from error
    click.echo(
        f"Embedded {done:,} answers; {index.pending_count():,} still to embed, {index.embedded_count():,} embedded."
    )


cli.add_command(serve)
cli.add_command(digest)


def main() -> None:
    cli(prog_name="pqbot")
