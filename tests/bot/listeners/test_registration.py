"""The app manifest matches the listeners registered on the app, and asks for no more than they need."""

import inspect
from pathlib import Path

import pytest
import yaml
from slack_stand_in import SlackStandIn

from store.links import UNFURL_DOMAINS, parse_link

MANIFEST = Path(__file__).parents[3] / "manifest.yml"
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


@pytest.fixture(scope="module")
def registered(tmp_path_factory) -> dict[str, set[str]]:
    """What the built app listens for, read from its listeners: commands, event types and action ids."""
    with SlackStandIn.running(tmp_path_factory.mktemp("slack") / "pq.db") as stand_in:
        found = {"command": set(), "event_type": set(), "constraints": set(), "callback_id": set()}
        for listener in stand_in.app._listeners:
            for matcher in listener.matchers:
                for kind, name in inspect.getclosurevars(matcher.func).nonlocals.items():
                    found[kind].add(name)
        return found


@pytest.fixture(scope="module")
def manifest() -> dict:
    """manifest.yml, as Slack reads it."""
    return yaml.safe_load(MANIFEST.read_text())


def test_the_manifest_declares_exactly_the_registered_commands(manifest, registered):
    """Every slash command in the manifest has a listener, and every listener's command is declared."""
    declared = {command["command"] for command in manifest["features"]["slash_commands"]}
    assert declared == registered["command"]


def test_the_manifest_subscribes_to_exactly_the_registered_events(manifest, registered):
    """message.im and app_mention arrive as message and app_mention events, each with a listener."""
    subscribed = manifest["settings"]["event_subscriptions"]["bot_events"]
    assert {event.split(".")[0] for event in subscribed} == registered["event_type"]


def test_interactivity_is_on_because_there_are_buttons(manifest, registered):
    """Buttons need interactivity; Socket Mode is on so no request URL is needed to start."""
    assert registered["constraints"]
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["settings"]["socket_mode_enabled"] is True


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
    assert "app_home_opened" in manifest["settings"]["event_subscriptions"]["bot_events"]


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
    assert "link_shared" in manifest["settings"]["event_subscriptions"]["bot_events"]
    examples = [
        "https://questions-statements.parliament.uk/written-questions/detail/2024-09-10/5012",
        "https://www.theyworkforyou.com/wrans/?id=2009-10-26f.294961.h",
        "https://www.parallelparliament.co.uk/question/72560/national-security-digital-technology",
    ]
    for domain, url in zip(UNFURL_DOMAINS, examples, strict=True):
        host = url.split("/")[2]
        assert host == domain or host.endswith("." + domain)
        assert parse_link(url) is not None


def test_the_manifest_declares_exactly_the_registered_message_shortcuts(manifest, registered):
    """Each shortcut is a message shortcut with a listener; shortcuts need only the commands scope."""
    shortcuts = manifest["features"]["shortcuts"]
    assert {shortcut["callback_id"] for shortcut in shortcuts} == registered["callback_id"]
    assert all(shortcut["type"] == "message" and len(shortcut["description"]) <= 80 for shortcut in shortcuts)
    assert SCOPE_FOR["command"] in manifest["oauth_config"]["scopes"]["bot"]
