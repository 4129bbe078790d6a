"""Every setting pqbot reads from the environment, typed and checked in one place."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_path

README_HINT = "see 'Settings' in the README"


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the variable and what it should be."""


def _text(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name, "").strip()
    return value or None


def _whole_number(env: Mapping[str, str], name: str, default: int, minimum: int = 1) -> int:
    raw = _text(env, name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {raw!r} ({README_HINT})") from None
    if value < minimum:
        raise SettingsError(f"{name} must be at least {minimum}, not {value} ({README_HINT})")
    return value


def _existing_file(env: Mapping[str, str], name: str) -> Path | None:
    raw = _text(env, name)
    if raw is None:
        return None
    path = Path(raw).expanduser()
    if not path.is_file():
        raise SettingsError(f"{name} names {raw!r}, which is not a file ({README_HINT})")
    return path


def _log_level(env: Mapping[str, str], name: str) -> str | None:
    raw = _text(env, name)
    if raw is None:
        return None
    level = raw.upper()
    if level not in logging.getLevelNamesMapping():
        raise SettingsError(f"{name} must be DEBUG, INFO, WARNING or ERROR, not {raw!r} ({README_HINT})")
    return level


@dataclass(frozen=True)
class Settings:
    """pqbot's configuration. Build it with from_env; every field has a sensible default."""

    db_path: Path
    max_file_mb: int = 20
    log_level: str | None = None
    synonyms_path: Path | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> Settings:
        """Read PQBOT_* (and, for the Slack app, SLACK_*) variables; raises SettingsError on bad values."""
        db_path = _text(env, "PQBOT_DB")
        return cls(
            db_path=Path(db_path).expanduser() if db_path else user_data_path("pqbot") / "pqbot.db",
            max_file_mb=_whole_number(env, "PQBOT_MAX_FILE_MB", default=20),
            log_level=_log_level(env, "PQBOT_LOG_LEVEL"),
            synonyms_path=_existing_file(env, "PQBOT_SYNONYMS"),
        )

    @property
    def max_file_bytes(self) -> int:
        return self.max_file_mb * 1024 * 1024
