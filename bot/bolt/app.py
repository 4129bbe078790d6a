"""The Slack app: built from the settings, with every listener registered. Wiring only."""

from __future__ import annotations

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.bolt.deps import Deps
from bot.bolt.listeners import register_listeners
from bot.settings import Settings


def build_app(settings: Settings, client: WebClient | None = None) -> App:
    """The app, checking its bot token with Slack (auth.test) as it is built.

    :param client: the Web API client; by default Bolt's own for SLACK_BOT_TOKEN, or one for
        SLACK_API_URL when that points somewhere other than Slack.
    """
    # Bolt warns if it gets both a client and a token, so it gets a token only to build its own client.
    if client is None and settings.slack_api_url:
        client = WebClient(token=settings.slack_bot_token, base_url=settings.slack_api_url)
    app = App(
        name="pqbot",
        token=None if client else settings.slack_bot_token,
        client=client,
        signing_secret=settings.slack_signing_secret or "",
    )
    with_retries(app.client)
    deps = Deps.from_settings(settings)
    register_listeners(app, deps)
    deps.warm()
    return app


def with_retries(client: WebClient) -> WebClient:
    """The client, made to retry Slack's rate limits (after its Retry-After) and server errors.

    It already retries dropped connections; these are slack_sdk's own handlers, with backoff.
    """
    client.retry_handlers.extend(
        [RateLimitErrorRetryHandler(max_retry_count=RETRIES), ServerErrorRetryHandler(max_retry_count=RETRIES)]
    )
    return client


RETRIES = 3
