"""Events: questions put to pqbot in messages (an @pqbot mention in a channel, or a direct message),
links to written questions pasted in a message, unfurled, and the Home tab, opened."""

from __future__ import annotations

from functools import partial

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.bolt.deps import Deps
from bot.compose.conversation import Asker
from bot.compose.grammar import parse_command, without_mention
from bot.compose.home import home_for
from bot.compose.mrkdwn import unescape
from bot.compose.replies import reply
from bot.compose.unfurls import unfurls


def register(app: App, deps: Deps) -> None:
    """Answer mentions in channels and messages in direct messages, unfurl question links, draw the Home tab."""
    app.event("app_mention")(partial(answer_mention, deps))
    app.event("message")(partial(answer_direct_message, deps))
    app.event("link_shared")(partial(unfurl_links, deps))
    app.event("app_home_opened")(partial(publish_home, deps))


def answer_mention(deps: Deps, event: dict, client: WebClient, context: BoltContext) -> None:
    """@pqbot QUESTION in a channel: answered in a thread under the question."""
    if written_by_a_person(event):
        answer_in_thread(deps, event, client, context.bot_user_id)


def answer_direct_message(deps: Deps, event: dict, client: WebClient, context: BoltContext) -> None:
    """A message in a direct message with pqbot: answered in a thread under it."""
    if event.get("channel_type") == "im" and written_by_a_person(event):
        answer_in_thread(deps, event, client, context.bot_user_id)


def written_by_a_person(event: dict) -> bool:
    """Not a bot's message (so never pqbot's own) and not a change to one, such as an edit."""
    return "bot_id" not in event and "subtype" not in event


def answer_in_thread(deps: Deps, event: dict, client: WebClient, bot_user_id: str | None) -> None:
    """Answer a message in its thread, from the search pool, taking pqbot's own mention out of the question.

    A failure is only logged: an event leaves no private way to tell the person.
    """
    typed = parse_command(unescape(without_mention(event.get("text", ""), bot_user_id)))
    asker = Asker(event["channel"], event.get("user", ""))
    thread = event.get("thread_ts") or event["ts"]

    def answer() -> None:
        answered = reply(typed, deps.engine(), asker, shareable=False)
        client.chat_postMessage(channel=event["channel"], thread_ts=thread, **answered.message)

    deps.in_background(answer)


def unfurl_links(deps: Deps, event: dict, client: WebClient) -> None:
    """Every question link in one message unfurled in one chat.unfurl, from the search pool (a link
    may need the Written Questions API). Links naming no known question are left as Slack shows them."""
    urls = [link.get("url", "") for link in event.get("links", [])]

    def answer() -> None:
        cards = unfurls(urls, deps.linked_questions().record)
        if cards:
            client.chat_unfurl(**_unfurl_target(event), unfurls=cards)

    deps.in_background(answer)


def _unfurl_target(event: dict) -> dict:
    """Where the cards go: a message being written (unfurl_id and source) or a posted one (channel and ts)."""
    if event.get("unfurl_id") and event.get("source"):
        return {"unfurl_id": event["unfurl_id"], "source": event["source"]}
    return {"channel": event["channel"], "ts": event["message_ts"]}


def publish_home(deps: Deps, event: dict, client: WebClient) -> None:
    """The Home tab, drawn afresh each time the person opens it (not the Messages tab)."""
    if event.get("tab", "home") == "home":
        client.views_publish(user_id=event["user"], view=home_for(deps.subscriptions(), event["user"]))
