"""pqbot's buttons: More results, Share in channel, Full answer, Cite, and Unsubscribe on the Home tab."""

from __future__ import annotations

from functools import partial
from logging import Logger

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.bolt.deps import Deps
from bot.compose.buttons import (
    CITE,
    FULL_ANSWER,
    HOME_UNSUBSCRIBE,
    MORE_RESULTS,
    MORE_TOPICS,
    SHARE_IN_CHANNEL,
    NextPage,
    SharedAnswer,
)
from bot.compose.home import home_for
from bot.compose.messages import answer_modal, citation_modal, gone_message, shared_message
from bot.compose.replies import search_page
from bot.compose.subscribing import subscriptions_message, unsubscribed_message


def register(app: App, deps: Deps) -> None:
    """Handle pqbot's buttons."""
    app.action(MORE_RESULTS)(partial(show_more_results, deps))
    app.action(MORE_TOPICS)(partial(show_more_topics, deps))
    app.action(SHARE_IN_CHANNEL)(partial(share_in_channel, deps))
    app.action(FULL_ANSWER)(partial(open_full_answer, deps))
    app.action(CITE)(partial(open_citation, deps))
    app.action(HOME_UNSUBSCRIBE)(partial(unsubscribe_from_home, deps))


def show_more_results(deps: Deps, ack: Ack, body: dict, action: dict, respond: Respond) -> None:
    """The next page of results, in place of the page the button was on (searched in the search pool)."""
    ack()
    page = NextPage.from_value(action["value"])
    shareable = body.get("container", {}).get("is_ephemeral", False)

    def answer() -> None:
        query = page.query if page.query is not None else deps.store().recalled_query(page.query_key)
        if query is None:
            respond(response_type="ephemeral", replace_original=False, **gone_message())
            return
        respond(replace_original=True, **search_page(deps.engine(), query, page.offset, shareable))

    deps.in_background(answer, respond)


def show_more_topics(deps: Deps, ack: Ack, body: dict, action: dict, respond: Respond) -> None:
    """The next page of the channel's topics, in place of the page the button was on."""
    ack()
    channel = body.get("channel", {}).get("id", "")
    topics = deps.subscriptions().of_channel(channel)
    respond(replace_original=True, **subscriptions_message(topics, offset=int(action["value"])))


def share_in_channel(deps: Deps, ack: Ack, body: dict, action: dict, respond: Respond) -> None:
    """The result for everyone in the channel, in place of the private copy.

    Through the response URL, which needs no extra scope and works where pqbot is not a member.
    """
    ack()
    shared = SharedAnswer.from_value(action["value"])
    record = deps.store().get(shared.record_id)
    if record is None:
        respond(response_type="ephemeral", replace_original=False, **gone_message())
        return
    message = shared_message(record, shared.snippet, body["user"]["id"])
    respond(response_type="in_channel", delete_original=True, **message)


def open_full_answer(deps: Deps, ack: Ack, body: dict, action: dict, client: WebClient) -> None:
    """The whole answer in a modal, which holds far more than a message."""
    ack()
    client.views_open(trigger_id=body["trigger_id"], view=answer_modal(deps.store().get(action["value"])))


def open_citation(deps: Deps, ack: Ack, body: dict, action: dict, client: WebClient) -> None:
    """The answer's citation in a modal: private, and it works on every surface a button can be on
    (a message, an unfurl, the Home tab), where a response URL is not always given."""
    ack()
    client.views_open(trigger_id=body["trigger_id"], view=citation_modal(deps.store().get(action["value"])))


def unsubscribe_from_home(deps: Deps, ack: Ack, body: dict, action: dict, client: WebClient, logger: Logger) -> None:
    """Stop one of the person's own subscriptions, say so in its channel (as /pq unsubscribe does), and
    draw the Home tab again without it. A subscription someone else made is left alone."""
    ack()
    user = body["user"]["id"]
    subscriptions = deps.subscriptions()
    mine = {str(subscription.id): subscription for subscription in subscriptions.made_by(user)}
    chosen = mine.get(action["value"])
    if chosen is not None and subscriptions.remove(chosen.channel, str(chosen.id)):
        try:
            client.chat_postMessage(channel=chosen.channel, **unsubscribed_message(chosen, user))
        except SlackApiError as error:
            logger.warning("Could not tell %s of an unsubscription from the Home tab: %s", chosen.channel, error)
    client.views_publish(user_id=user, view=home_for(subscriptions, user))
