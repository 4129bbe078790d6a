"""Every setting pqbot reads from the environment, typed and checked in one place."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from platformdirs import user_data_path

from store.fetch.client import DEFAULT_CONCURRENCY
from store.ingest import DEFAULT_MAX_MB

README_HINT = "see 'Settings' in the README"
SLACK_HINT = "see 'Slack' in the README"


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the variable and what it should be."""


def _text(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name, "").strip()
    return value or None


def _whole_number(env: Mapping[str, str], name: str, default: int, minimum: int = 1, maximum: int | None = None) -> int:
    raw = _text(env, name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {raw!r} ({README_HINT})") from None
    if value < minimum:
        raise SettingsError(f"{name} must be at least {minimum}, not {value} ({README_HINT})")
    if maximum is not None and value > maximum:
        raise SettingsError(f"{name} must be at most {maximum}, not {value} ({README_HINT})")
    return value


def _existing_file(env: Mapping[str, str], name: str) -> Path | None:
    raw = _text(env, name)
    if raw is None:
        return None
    path = Path(raw).expanduser()
    if not path.is_file():
        raise SettingsError(f"{name} names {raw!r}, which is not a file ({README_HINT})")
    return path


def _token(env: Mapping[str, str], name: str, prefix: str, where: str) -> str | None:
    """A Slack token, checked by its prefix so that a token pasted into the wrong variable is caught."""
    token = _text(env, name)
    if token is not None and not token.startswith(prefix):
        raise SettingsError(f"{name} must be the {prefix}… token from {where}, not another kind ({SLACK_HINT})")
    return token


def _web_address(env: Mapping[str, str], name: str, hint: str = SLACK_HINT) -> str | None:
    """An http(s) base address, ending in / as the Slack SDK expects."""
    raw = _text(env, name)
    if raw is None:
        return None
    if not raw.startswith(("http://", "https://")):
        raise SettingsError(f"{name} must start with http:// or https://, not {raw!r} ({hint})")
    return raw if raw.endswith("/") else raw + "/"


def _log_level(env: Mapping[str, str], name: str) -> str | None:
    raw = _text(env, name)
    if raw is None:
        return None
    level = raw.upper()
    if level not in logging.getLevelNamesMapping():
        raise SettingsError(f"{name} must be DEBUG, INFO, WARNING or ERROR, not {raw!r} ({README_HINT})")
    return level


OFFICIAL_API_URL = "https://questions-statements-api.parliament.uk"
# More detail requests at once than this would be impolite to Parliament's API.
MOST_FETCH_CONCURRENCY = 16
# Slack needs HTTPS, which pqbot does not serve: a TLS proxy in front of it, usually on the same host.
LOOPBACK = "127.0.0.1"

_CLOCK = re.compile(r"^(?P<hour>[01]?\d|2[0-3]):(?P<minute>[0-5]\d)$")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
OFF = "off"


@dataclass(frozen=True)
class TimeOfWeek:
    """A day of the week and a time of day, as APScheduler's cron trigger takes them."""

    day: str
    hour: int
    minute: int


def _clock(name: str, raw: str, example: str) -> tuple[int, int]:
    match = _CLOCK.match(raw)
    if not match:
        raise SettingsError(f"{name} must be a time like {example}, or {OFF}; not {raw!r} ({README_HINT})")
    return int(match["hour"]), int(match["minute"])


def _time_of_week(env: Mapping[str, str], name: str, default: TimeOfWeek) -> TimeOfWeek | None:
    """ "mon 09:00" (any day's first three letters, a 24-hour time), or "off" for never."""
    raw = _text(env, name)
    if raw is None:
        return default
    if raw.casefold() == OFF:
        return None
    day, _, time = raw.casefold().partition(" ")
    if day[:3] not in DAYS or len(day) < 3:
        raise SettingsError(f"{name} must be a day and a time like mon 09:00, or {OFF}; not {raw!r} ({README_HINT})")
    hour, minute = _clock(name, time.strip(), "mon 09:00")
    return TimeOfWeek(day[:3], hour, minute)


def _time_of_day(env: Mapping[str, str], name: str, default: tuple[int, int]) -> tuple[int, int] | None:
    """ "07:00" (a 24-hour time, every day), or "off" for never."""
    raw = _text(env, name)
    if raw is None:
        return default
    if raw.casefold() == OFF:
        return None
    return _clock(name, raw, "07:00")


def _on_or_off(env: Mapping[str, str], name: str, default: bool) -> bool:
    """ "on" or "off" (any case)."""
    raw = _text(env, name)
    if raw is None:
        return default
    if raw.casefold() not in ("on", OFF):
        raise SettingsError(f"{name} must be on or {OFF}, not {raw!r} ({README_HINT})")
    return raw.casefold() == "on"


def _time_zone(env: Mapping[str, str], name: str, default: ZoneInfo) -> ZoneInfo:
    raw = _text(env, name)
    if raw is None:
        return default
    try:
        return ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(
            f"{name} must be a time zone name like Europe/London, not {raw!r} ({README_HINT})"
        ) from None


@dataclass(frozen=True)
class Settings:
    """pqbot's configuration. Build it with from_env; every field has a sensible default.

    The Slack tokens and signing secret are kept out of the repr, so that logging settings never
    leaks them.
    """

    db_path: Path
    max_file_mb: int = DEFAULT_MAX_MB
    log_level: str | None = None
    synonyms_path: Path | None = None
    host: str = LOOPBACK
    port: int = 3000
    slack_bot_token: str | None = field(default=None, repr=False)
    slack_app_token: str | None = field(default=None, repr=False)
    slack_signing_secret: str | None = field(default=None, repr=False)
    slack_api_url: str | None = None
    inbox: Path = Path("inbox")
    inbox_interval: int = 60
    weekly_digest: TimeOfWeek | None = TimeOfWeek("mon", 9, 0)
    time_zone: ZoneInfo = ZoneInfo("Europe/London")
    api_url: str = OFFICIAL_API_URL
    daily_fetch: tuple[int, int] | None = (7, 0)
    fetch_concurrency: int = DEFAULT_CONCURRENCY
    embed: bool = True

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> Settings:
        """Read PQBOT_* (and, for the Slack app, SLACK_*) variables; raises SettingsError on bad values.

        A variable left unset takes its field's default (cls.port), so each default is written once.
        """
        db_path = _text(env, "PQBOT_DB")
        return cls(
            db_path=Path(db_path).expanduser() if db_path else user_data_path("pqbot") / "pqbot.db",
            max_file_mb=_whole_number(env, "PQBOT_MAX_FILE_MB", default=cls.max_file_mb),
            log_level=_log_level(env, "PQBOT_LOG_LEVEL"),
            synonyms_path=_existing_file(env, "PQBOT_SYNONYMS"),
            host=_text(env, "PQBOT_HOST") or cls.host,
            port=_whole_number(env, "PQBOT_PORT", default=cls.port, maximum=65535),
            slack_bot_token=_token(env, "SLACK_BOT_TOKEN", "xoxb-", "OAuth & Permissions"),
            slack_app_token=_token(env, "SLACK_APP_TOKEN", "xapp-", "Basic Information > App-Level Tokens"),
            slack_signing_secret=_text(env, "SLACK_SIGNING_SECRET"),
            slack_api_url=_web_address(env, "SLACK_API_URL"),
            inbox=Path(_text(env, "PQBOT_INBOX") or cls.inbox).expanduser(),
            inbox_interval=_whole_number(env, "PQBOT_INBOX_INTERVAL", default=cls.inbox_interval),
            weekly_digest=_time_of_week(env, "PQBOT_WEEKLY_DIGEST", default=cls.weekly_digest),
            time_zone=_time_zone(env, "PQBOT_TZ", default=cls.time_zone),
            api_url=_web_address(env, "PQBOT_API_URL", README_HINT) or cls.api_url,
            daily_fetch=_time_of_day(env, "PQBOT_FETCH", default=cls.daily_fetch),
            fetch_concurrency=_whole_number(
                env, "PQBOT_FETCH_CONCURRENCY", default=cls.fetch_concurrency, maximum=MOST_FETCH_CONCURRENCY
            ),
            embed=_on_or_off(env, "PQBOT_EMBED", default=cls.embed),
        )

    @property
    def socket_mode(self) -> bool:
        """Whether the app connects out to Slack (Socket Mode) rather than serving HTTP."""
        return self.slack_app_token is not None

    def require_slack(self) -> None:
        """Raise SettingsError unless the settings needed to serve Slack are all there."""
        if self.slack_bot_token is None:
            raise SettingsError(
                f"SLACK_BOT_TOKEN is not set: pqbot serve needs the app's xoxb-… bot token ({SLACK_HINT})"
            )
        if not self.socket_mode and self.slack_signing_secret is None:
            raise SettingsError(
                "SLACK_SIGNING_SECRET is not set: without SLACK_APP_TOKEN pqbot serves HTTP, "
                f"and must check that requests come from Slack ({SLACK_HINT})"
            )

    @property
    def max_file_bytes(self) -> int:
        return self.max_file_mb * 1024 * 1024
