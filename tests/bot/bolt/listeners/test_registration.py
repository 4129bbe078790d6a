"""The app manifest matches what the app handles, and asks for no more than it needs.

Each command, event and button is sent to the served app as Slack sends it, signed: Bolt answers
404 to a request no listener takes, so a 200 and a reply show that a listener took it.
"""

from pathlib import Path

import pytest
import yaml
from slack_stand_in import BOT_USER_ID, PERSON, SlackStandIn

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
from bot.compose.grammar import COMMAND
from bot.compose.shortcut import FIND_ANSWERS
from store.links import UNFURL_DOMAINS, parse_link

MANIFEST = Path(__file__).parents[4] / "manifest.yml"
# The bot scope each manifest entry needs (Slack's documentation), and chat:write for chat.postMessage.
SCOPE_FOR = {
    "command": "commands",
    "app_mention": "app_mentions:read",
    "message.im": "im:history",
    "link_shared": "links:read",
    # Slack sends it, and takes views.publish, with no scope at all.
    "app_home_opened": None,
}
POSTING_SCOPE = "chat:write"
# Digests go to subscribed public channels whether or not pqbot has been invited in.
# conversations.history, to find out whether an interrupted digest reached its channel.
CRASH_RECOVERY_SCOPES = ("channels:history", "groups:history")
DIGEST_SCOPE = "chat:write.public"
# chat.unfurl, to put a card under a pasted link.
UNFURL_SCOPE = "links:write"
POST = "/api/chat.postMessage"
VIEWS_OPEN = "/api/views.open"
VIEWS_PUBLISH = "/api/views.publish"
UNFURL = "/api/chat.unfurl"
PARALLEL_PARLIAMENT_LINK = (
    "https://www.parallelparliament.co.uk/question/90/respite-care-disabled-children"  # records.RESPITE[0]
)
# Each manifest event subscription as Slack delivers it, where the app's answer arrives, and in which channel.
EVENTS = {
    "message.im": ({"type": "message", "channel_type": "im", "channel": "DREGISTERED", "text": "help"}, POST),
    "app_mention": ({"type": "app_mention", "channel": "CREGISTERED", "text": f"<@{BOT_USER_ID}> help"}, POST),
    "app_home_opened": ({"type": "app_home_opened", "channel": "DHOME", "tab": "home"}, VIEWS_PUBLISH),
    "link_shared": (
        {
            "type": "link_shared",
            "channel": "CLINKS",
            "message_ts": "1700000000.000200",
            "links": [{"domain": "parallelparliament.co.uk", "url": PARALLEL_PARLIAMENT_LINK}],
        },
        UNFURL,
    ),
}
# Each button's action id, a value it may carry, and where the app's answer to a press arrives.
BUTTONS = {
    MORE_RESULTS: (NextPage("EHC", 5).value(), "/response/more_results"),
    MORE_TOPICS: ("0", "/response/more_topics"),
    SHARE_IN_CHANNEL: (SharedAnswer("no-such-record", "gone").value(), "/response/share_in_channel"),
    FULL_ANSWER: ("no-such-record", VIEWS_OPEN),
    CITE: ("no-such-record", VIEWS_OPEN),
    HOME_UNSUBSCRIBE: ("0", VIEWS_PUBLISH),
}


@pytest.fixture(scope="module")
def slack(tmp_path_factory):
    """pqbot served over HTTP, with a stand-in Slack around it."""
    with SlackStandIn.running(tmp_path_factory.mktemp("slack") / "pq.db") as stand_in:
        yield stand_in


@pytest.fixture(scope="module")
def manifest() -> dict:
    """manifest.yml, as Slack reads it."""
    return yaml.safe_load(MANIFEST.read_text())


def test_the_manifest_declares_exactly_the_command_the_app_handles(manifest, slack):
    """The manifest's one slash command is pqbot's and is answered; a command it does not declare is not."""
    declared = [command["command"] for command in manifest["features"]["slash_commands"]]
    assert declared == [COMMAND]
    assert slack.command("help", response="declared-command", command=COMMAND).status == 200
    assert slack.wait_for(slack.response_path("declared-command"))
    assert slack.command("help", response="undeclared-command", command="/undeclared").status == 404


def test_every_event_the_manifest_subscribes_to_is_answered(manifest, slack):
    """Each subscribed event reaches a listener, which answers in its own way; an event not subscribed
    to is not handled."""
    subscribed = manifest["settings"]["event_subscriptions"]["bot_events"]
    assert sorted(subscribed) == sorted(EVENTS)
    for name in subscribed:
        event, answered_at = EVENTS[name]
        event = event | {"user": PERSON, "ts": "1700000000.000100"}
        assert slack.event(event).status == 200, name
        assert slack.wait_for(answered_at), name
    assert slack.event({"type": "reaction_added", "user": PERSON, "reaction": "eyes"}).status == 404


def test_interactivity_is_on_and_every_button_is_handled(manifest, slack):
    """Buttons need interactivity, and each one pqbot sends reaches a listener that answers it; an
    unknown button is not handled. Socket Mode is on so no request URL is needed to start."""
    for action_id, (value, answered_at) in BUTTONS.items():
        assert slack.click({"action_id": action_id, "value": value}, response=action_id).status == 200, action_id
        assert slack.wait_for(answered_at), action_id
    assert slack.click({"action_id": "no_such_button", "value": ""}, response="unknown").status == 404
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["settings"]["socket_mode_enabled"] is True


def test_the_manifest_declares_exactly_the_message_shortcut_the_app_handles(manifest, slack):
    """The one message shortcut reaches its listener, which answers privately; an undeclared one is not
    handled. Shortcuts need only the commands scope."""
    shortcuts = manifest["features"]["shortcuts"]
    assert [shortcut["callback_id"] for shortcut in shortcuts] == [FIND_ANSWERS]
    assert all(shortcut["type"] == "message" and len(shortcut["description"]) <= 80 for shortcut in shortcuts)
    assert slack.message_shortcut(FIND_ANSWERS, "respite care", response="declared-shortcut").status == 200
    assert slack.wait_for(slack.response_path("declared-shortcut"))
    assert slack.message_shortcut("no_such_shortcut", "respite care", response="undeclared").status == 404


def test_the_manifest_asks_only_for_the_scopes_the_code_uses(manifest):
    """Commands, the event subscriptions, posting replies and digests, reading back a digest whose post
    a crash interrupted (public and private channels), and unfurling links: no other scope."""
    needed = {SCOPE_FOR["command"], POSTING_SCOPE, DIGEST_SCOPE, UNFURL_SCOPE, *CRASH_RECOVERY_SCOPES} | {
        SCOPE_FOR[event] for event in manifest["settings"]["event_subscriptions"]["bot_events"]
    } - {None}
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == needed


def test_direct_messages_are_open_and_the_home_tab_is_on(manifest):
    """People can message pqbot directly: its Messages tab is on and writable; its Home tab, which
    app_home_opened draws, is on."""
    home = manifest["features"]["app_home"]
    assert home["messages_tab_enabled"] is True and home["messages_tab_read_only_enabled"] is False
    assert home["home_tab_enabled"] is True


def test_every_command_has_a_description_and_usage_hint(manifest):
    """Slack shows both when someone types /pq."""
    assert all(command["description"] and command["usage_hint"] for command in manifest["features"]["slash_commands"])


def test_the_display_information_fits_slacks_manifest_rules(manifest):
    """Slack refuses a description over 140 characters, or a long description under 175 or over 4,000."""
    shown = manifest["display_information"]
    assert len(shown["description"]) <= 140
    assert 175 <= len(shown["long_description"]) <= 4000


def test_links_are_unfurled_for_exactly_the_domains_pqbot_reads(manifest):
    """Slack sends link_shared only for unfurl_domains (and their subdomains): the three sites whose
    question links pqbot reads, and a link on each is one it can name."""
    assert manifest["features"]["unfurl_domains"] == list(UNFURL_DOMAINS)
    examples = [
        "https://questions-statements.parliament.uk/written-questions/detail/2024-09-10/5012",
        "https://www.theyworkforyou.com/wrans/?id=2009-10-26f.294961.h",
        PARALLEL_PARLIAMENT_LINK,
    ]
    for domain, url in zip(UNFURL_DOMAINS, examples, strict=True):
        host = url.split("/")[2]
        assert host == domain or host.endswith("." + domain)
        assert parse_link(url) is not None
