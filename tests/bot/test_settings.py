"""pqbot's settings: read from the environment, checked, and never showing a secret."""

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.settings import Settings, SettingsError, TimeOfWeek
from store.ingest import DEFAULT_MAX_BYTES

SLACK = {"SLACK_BOT_TOKEN": "xoxb-1-secret-bot", "SLACK_SIGNING_SECRET": "secret-signing"}


def test_slack_settings_default_to_http_on_port_3000_without_tokens():
    """With no Slack variables set, nothing is required until the app is served."""
    settings = Settings.from_env({})
    assert (settings.port, settings.slack_bot_token, settings.slack_api_url) == (3000, None, None)
    assert not settings.socket_mode


def test_slack_settings_are_read():
    """Every Slack variable lands in its field; an app token means Socket Mode."""
    settings = Settings.from_env(
        SLACK
        | {"SLACK_APP_TOKEN": "xapp-1-secret-app", "PQBOT_PORT": "8080", "SLACK_API_URL": "http://127.0.0.1:9/api"}
    )
    assert settings.slack_bot_token == "xoxb-1-secret-bot"
    assert settings.slack_app_token == "xapp-1-secret-app"
    assert settings.slack_signing_secret == "secret-signing"
    assert settings.port == 8080
    assert settings.slack_api_url == "http://127.0.0.1:9/api/"
    assert settings.socket_mode


def test_http_is_served_on_loopback_unless_pqbot_host_says_otherwise():
    """127.0.0.1 by default, for a TLS proxy on the same host; PQBOT_HOST=0.0.0.0 for every interface."""
    assert Settings.from_env({}).host == "127.0.0.1"
    assert Settings.from_env({"PQBOT_HOST": " 0.0.0.0 "}).host == "0.0.0.0"


def test_secrets_never_appear_in_the_settings_repr():
    """Logging the settings cannot leak a token or the signing secret."""
    shown = repr(Settings.from_env(SLACK | {"SLACK_APP_TOKEN": "xapp-1-secret-app"}))
    assert "secret" not in shown
    assert "port=3000" in shown


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SLACK_BOT_TOKEN": "xapp-1-secret"}, "SLACK_BOT_TOKEN must be the xoxb-… token"),
        ({"SLACK_APP_TOKEN": "xoxb-1-secret"}, "SLACK_APP_TOKEN must be the xapp-… token"),
        ({"PQBOT_PORT": "0"}, "PQBOT_PORT must be at least 1, not 0"),
        ({"PQBOT_PORT": "65536"}, "PQBOT_PORT must be at most 65535, not 65536"),
        ({"PQBOT_PORT": "http"}, "PQBOT_PORT must be a whole number"),
        ({"SLACK_API_URL": "slack.example"}, "SLACK_API_URL must start with http:// or https://"),
    ],
)
def test_a_malformed_slack_setting_is_named_without_its_value_leaking(env, message):
    """A bad value names its variable, points at the README, and never repeats a token."""
    with pytest.raises(SettingsError) as raised:
        Settings.from_env(env)
    assert str(raised.value).startswith(message)
    assert "README" in str(raised.value)
    assert "secret" not in str(raised.value)


def test_serving_needs_the_bot_token():
    """Without SLACK_BOT_TOKEN the app cannot be served."""
    with pytest.raises(SettingsError, match="^SLACK_BOT_TOKEN is not set"):
        Settings.from_env({"SLACK_SIGNING_SECRET": "s"}).require_slack()


def test_serving_http_needs_the_signing_secret():
    """Without an app token pqbot serves HTTP, which needs the signing secret to check requests."""
    with pytest.raises(SettingsError, match="^SLACK_SIGNING_SECRET is not set"):
        Settings.from_env({"SLACK_BOT_TOKEN": "xoxb-1"}).require_slack()


def test_socket_mode_needs_no_signing_secret():
    """Over Socket Mode the bot and app tokens are enough."""
    settings = Settings.from_env({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"})
    assert (settings.socket_mode, settings.slack_signing_secret) == (True, None)
    settings.require_slack()


def test_unset_variables_take_the_fields_defaults_and_the_stores_file_limit():
    """Reading an empty environment gives the dataclass's own defaults; the file limit is the store's."""
    settings = Settings.from_env({"PQBOT_DB": "/srv/pq/pqbot.db"})
    assert settings == Settings(db_path=Path("/srv/pq/pqbot.db"))
    assert (settings.max_file_mb, settings.max_file_bytes) == (20, DEFAULT_MAX_BYTES)


def test_inbox_and_digest_settings_have_sensible_defaults():
    """./inbox every minute; the weekly digest on Monday at 09:00, London time."""
    settings = Settings.from_env({})
    assert (settings.inbox, settings.inbox_interval) == (Path("inbox"), 60)
    assert settings.weekly_digest == TimeOfWeek("mon", 9, 0)
    assert settings.time_zone == ZoneInfo("Europe/London")


def test_inbox_and_digest_settings_are_read():
    """Every variable lands in its field; a day may be written in full; off turns the digest off."""
    settings = Settings.from_env(
        {
            "PQBOT_INBOX": "/srv/pq/in",
            "PQBOT_INBOX_INTERVAL": "15",
            "PQBOT_WEEKLY_DIGEST": "Friday 17:30",
            "PQBOT_TZ": "Europe/Dublin",
        }
    )
    assert (settings.inbox, settings.inbox_interval) == (Path("/srv/pq/in"), 15)
    assert settings.weekly_digest == TimeOfWeek("fri", 17, 30)
    assert settings.time_zone == ZoneInfo("Europe/Dublin")
    assert Settings.from_env({"PQBOT_WEEKLY_DIGEST": "OFF"}).weekly_digest is None


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"PQBOT_INBOX_INTERVAL": "0"}, "PQBOT_INBOX_INTERVAL must be at least 1"),
        ({"PQBOT_WEEKLY_DIGEST": "weekly"}, "PQBOT_WEEKLY_DIGEST must be a day and a time like mon 09:00"),
        ({"PQBOT_WEEKLY_DIGEST": "mon 9am"}, "PQBOT_WEEKLY_DIGEST must be a time like mon 09:00"),
        ({"PQBOT_WEEKLY_DIGEST": "mon 24:00"}, "PQBOT_WEEKLY_DIGEST must be a time like mon 09:00"),
        ({"PQBOT_TZ": "London"}, "PQBOT_TZ must be a time zone name like Europe/London"),
    ],
)
def test_a_malformed_schedule_setting_is_named(env, message):
    """A schedule that cannot be read names its variable and shows the form it takes."""
    with pytest.raises(SettingsError, match=f"^{message}"):
        Settings.from_env(env)


def test_fetch_settings_default_to_the_official_api_daily_at_seven():
    """The official Written Questions API, fetched every day at 07:00; off turns it off."""
    settings = Settings.from_env({})
    assert (settings.api_url, settings.daily_fetch) == ("https://questions-statements-api.parliament.uk", (7, 0))
    assert Settings.from_env({"PQBOT_FETCH": "off"}).daily_fetch is None
    custom = Settings.from_env({"PQBOT_FETCH": "6:30", "PQBOT_API_URL": "http://127.0.0.1:9"})
    assert (custom.api_url, custom.daily_fetch) == ("http://127.0.0.1:9/", (6, 30))
    assert (settings.fetch_concurrency, Settings.from_env({"PQBOT_FETCH_CONCURRENCY": "2"}).fetch_concurrency) == (4, 2)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"PQBOT_FETCH": "daily"}, "PQBOT_FETCH must be a time like 07:00, or off"),
        ({"PQBOT_API_URL": "questions-statements-api.parliament.uk"}, "PQBOT_API_URL must start with http://"),
        ({"PQBOT_FETCH_CONCURRENCY": "40"}, "PQBOT_FETCH_CONCURRENCY must be at most 16"),
    ],
)
def test_a_malformed_fetch_setting_is_named(env, message):
    """A fetch time or API address that cannot be read names its variable."""
    with pytest.raises(SettingsError, match=f"^{message}"):
        Settings.from_env(env)


def test_embedding_in_the_background_is_on_unless_pqbot_embed_is_off():
    """PQBOT_EMBED: on by default; off (any case) stops pqbot serve embedding; anything else is named."""
    assert Settings.from_env({}).embed is True
    assert Settings.from_env({"PQBOT_EMBED": "OFF"}).embed is False
    assert Settings.from_env({"PQBOT_EMBED": "on"}).embed is True
    with pytest.raises(SettingsError, match="^PQBOT_EMBED must be on or off, not 'sometimes'"):
        Settings.from_env({"PQBOT_EMBED": "sometimes"})
