"""Configuration, read once from the environment and passed to whatever needs it.

No other module reads ``os.environ``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DB_NAME = "showfacts.db"


def default_db_path(environ: Mapping[str, str]) -> Path:
    """Return where the fact database lives when ``SHOWFACTS_DB`` is not set.

    ``$XDG_DATA_HOME/showfacts/showfacts.db``, i.e. ``~/.local/share/showfacts/showfacts.db``.
    """
    data_home = environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "showfacts" / DEFAULT_DB_NAME


@dataclass(frozen=True)
class Settings:
    """Everything showfacts reads from the environment."""

    db_path: Path
    bot_token: str = field(default="", repr=False)
    signing_secret: str = field(default="", repr=False)
    app_token: str = field(default="", repr=False)
    admins: frozenset[str] = frozenset()
    api_base_url: str = ""


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read :class:`Settings` from ``environ`` (default: the process environment)."""
    env = os.environ if environ is None else environ
    db = env.get("SHOWFACTS_DB", "").strip()
    admins = frozenset(a.strip() for a in env.get("SHOWFACTS_ADMINS", "").split(",") if a.strip())
    return Settings(
        db_path=Path(db).expanduser() if db else default_db_path(env),
        bot_token=env.get("SLACK_BOT_TOKEN", "").strip(),
        signing_secret=env.get("SLACK_SIGNING_SECRET", "").strip(),
        app_token=env.get("SLACK_APP_TOKEN", "").strip(),
        admins=admins,
        api_base_url=env.get("SLACK_API_BASE_URL", "").strip(),
    )
