"""The `pqbot` commands that talk to Slack: serve the bot, and show or post a digest by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from urllib.error import URLError

import click

from bot.settings import SLACK_HINT, SettingsError
from bot.terminal import render_digest
from store.search import SynonymsError

if TYPE_CHECKING:
    from bot.command_context import Context


@click.command()
@click.pass_obj
def serve(context: Context) -> None:
    """Answer /pq, mentions and direct messages in Slack until stopped, and post digests.

    Connects to Slack over Socket Mode when SLACK_APP_TOKEN is set; otherwise serves HTTP on
    PQBOT_PORT at /slack/events. Needs SLACK_BOT_TOKEN (and, for HTTP, SLACK_SIGNING_SECRET);
    exits 2 if one is missing or malformed, 1 if Slack refuses a token. Beside the app it
    watches PQBOT_INBOX and posts digests to subscribed channels.
    """
    # Imported here, not at the top: the Slack SDK takes a fifth of a second to load, which
    # every other command would pay for nothing.
    from slack_bolt.error import BoltError
    from slack_sdk.errors import SlackApiError

    from bot.bolt.serve import build_server
    from bot.scheduled.jobs import Jobs
    from bot.scheduled.scheduler import build_scheduler, catch_up

    settings = context.settings
    try:
        settings.require_slack()
    except SettingsError as error:
        raise click.UsageError(str(error)) from error
    try:
        server = build_server(settings)
        server.connect()
    except SynonymsError as error:
        raise click.UsageError(f"PQBOT_SYNONYMS: {error}") from error
    except BoltError as error:
        raise click.ClickException(f"Slack refused SLACK_BOT_TOKEN: {error}") from error
    except SlackApiError as error:
        reason = error.response.get("error")
        raise click.ClickException(
            f"SLACK_APP_TOKEN was refused by Slack ({reason}): it must be a current app-level token "
            f"with connections:write ({SLACK_HINT})"
        ) from error
    except URLError as error:
        raise click.ClickException(f"cannot reach Slack: {error.reason}") from error
    scheduler = build_scheduler(settings, Jobs(settings, server.app.client, context.synonyms()))
    scheduler.start()
    catch_up(scheduler, settings, datetime.now(UTC))
    click.echo(f"pqbot is answering Slack {server.where}, and watching {settings.inbox.resolve()}", err=True)
    try:
        server.run()
    finally:
        scheduler.shutdown(wait=False)


@click.command()
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Answers stored since this day (default: a week ago).")
@click.option("--channel", help="Only this channel's digest (its Slack id, such as C0123ABCD).")
@click.option("--dry-run", is_flag=True, help="Print the digests instead of posting them.")
@click.pass_obj
def digest(context: Context, since: datetime | None, channel: str | None, dry_run: bool) -> None:
    """Show (or post to Slack) what each subscribed channel's digest would hold.

    A digest holds, per subscribed topic, the answers first stored since --since that the topic
    catches. Posting needs SLACK_BOT_TOKEN; it does not change what the scheduled digests send.
    """
    from slack_sdk import WebClient

    from bot.bolt.app import with_retries
    from bot.compose.digests import digest_parts
    from bot.scheduled.jobs import Jobs
    from bot.scheduled.posting import Refused

    settings = context.settings
    now = datetime.now(UTC)
    start = since.replace(tzinfo=settings.time_zone) if since else now - timedelta(days=7)
    if not dry_run and settings.slack_bot_token is None:
        raise click.UsageError("posting a digest needs SLACK_BOT_TOKEN; use --dry-run to print it instead")
    base_url = settings.slack_api_url or WebClient.BASE_URL
    client = with_retries(WebClient(token=settings.slack_bot_token, base_url=base_url))
    jobs = Jobs(settings, client, context.synonyms())
    context.store().close()
    with jobs.session() as subscriptions:
        digests = jobs.digests_since(subscriptions, start, now, channel)
    if not digests:
        click.echo(f"No subscribed channel has new answers since {start:%Y-%m-%d %H:%M}.")
    title = f"Answers since {start.day} {start:%B %Y}"
    for target, sections in digests.items():
        if dry_run:
            click.echo(render_digest(target, sections))
            continue
        outcomes = [jobs.poster.post(target, part.message) for part in digest_parts(title, sections)]
        refusals = [outcome.code for outcome in outcomes if isinstance(outcome, Refused)]
        if refusals:
            click.echo(f"{target}: Slack refused the digest: {', '.join(refusals)}", err=True)
        else:
            answers = sum(len(topic.hits) for topic in sections)
            click.echo(f"{target}: posted {answers} answers in {len(outcomes)} messages")
