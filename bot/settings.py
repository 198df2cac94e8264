"""Configuration, read once from the environment and passed to whatever needs it.

No other module reads ``os.environ``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from facts.errors import FactsError
from facts.opening import is_postgres_url
from facts.pgpool import DEFAULT_POOL_SIZE
from facts.store import DEFAULT_BUSY_TIMEOUT_SECONDS

DEFAULT_DB_NAME = "showfacts.db"
# Slack lets people share files of up to 1 GB; a fact file is a few MB at most, so anything
# larger is refused before it is downloaded.
DEFAULT_MAX_UPLOAD_MB = 50
DEFAULT_PORT = 3000
# A fact file of a few MB downloads in well under a second; one that takes longer is trickling.
DEFAULT_DOWNLOAD_SECONDS = 30.0
# A download that sends nothing for this long has stopped.
DEFAULT_DOWNLOAD_IDLE_SECONDS = 10.0
BYTES_PER_MB = 1024 * 1024
POSTGRES_SCHEMES = ("postgres", "postgresql")
SQLITE_URL_PREFIX = "sqlite:///"


def default_db_path(environ: Mapping[str, str]) -> Path:
    """Return where the fact database lives when ``SHOWFACTS_DB`` is not set.

    ``$XDG_DATA_HOME/showfacts/showfacts.db``, i.e. ``~/.local/share/showfacts/showfacts.db``.
    """
    data_home = environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "showfacts" / DEFAULT_DB_NAME


@dataclass(frozen=True)
class Settings:
    """Everything showfacts reads from the environment. Secrets are kept out of the repr.

    The facts live in PostgreSQL when ``db_url`` is set (then ``db_path`` is not used), else in the
    SQLite file ``db_path``: :attr:`database` is whichever it is.
    """

    db_path: Path
    # May hold a password, like the tokens.
    db_url: str = field(default="", repr=False)
    bot_token: str = field(default="", repr=False)
    signing_secret: str = field(default="", repr=False)
    app_token: str = field(default="", repr=False)
    admins: frozenset[str] = frozenset()
    api_base_url: str = ""
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_MB * BYTES_PER_MB
    port: int = DEFAULT_PORT
    health_port: int = 0
    # The longest an uploaded file's download may take (fixed; tests shorten it).
    download_seconds: float = DEFAULT_DOWNLOAD_SECONDS
    # The longest one read of that download may wait for data (fixed; tests shorten it).
    download_idle_seconds: float = DEFAULT_DOWNLOAD_IDLE_SECONDS
    # How long a write waits for another process's (an import) before saying the database is
    # locked (fixed; tests shorten it).
    busy_timeout_seconds: float = DEFAULT_BUSY_TIMEOUT_SECONDS
    # PostgreSQL connections a process serving Slack shares among its threads.
    pg_pool_size: int = DEFAULT_POOL_SIZE

    @property
    def database(self) -> Path | str:
        """Where the facts live: the PostgreSQL URL, else the SQLite file."""
        return self.db_url or self.db_path

    @property
    def socket_mode(self) -> bool:
        """True when an app-level token is set: serve Slack over Socket Mode instead of HTTP."""
        return bool(self.app_token)


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read :class:`Settings` from ``environ`` (default: the process environment).

    Raises:
        FactsError: a variable holds a value that cannot be used; the message names it.
    """
    env = os.environ if environ is None else environ
    admins = frozenset(a.strip() for a in env.get("SHOWFACTS_ADMINS", "").split(",") if a.strip())
    location = _read_db_location(env)
    return Settings(
        db_path=location if isinstance(location, Path) else default_db_path(env),
        db_url=location if isinstance(location, str) else "",
        bot_token=env.get("SLACK_BOT_TOKEN", "").strip(),
        signing_secret=env.get("SLACK_SIGNING_SECRET", "").strip(),
        app_token=env.get("SLACK_APP_TOKEN", "").strip(),
        admins=admins,
        api_base_url=env.get("SLACK_API_BASE_URL", "").strip(),
        max_upload_bytes=_read_upload_limit(env),
        port=_read_port(env),
        health_port=_read_port(env, "SHOWFACTS_HEALTH_PORT", default=0),
        pg_pool_size=_read_pool_size(env),
    )


def _read_db_location(env: Mapping[str, str]) -> Path | str:
    # DATABASE_URL is what Heroku and Render set when a database is attached to the app.
    for name in ("SHOWFACTS_DB", "DATABASE_URL"):
        if value := env.get(name, "").strip():
            return parse_db_location(value, name)
    return default_db_path(env)


def parse_db_location(value: str, name: str = "SHOWFACTS_DB") -> Path | str:
    """Return the SQLite file (a path or a ``sqlite:///`` URL) or the PostgreSQL URL ``value`` names.

    Returns:
        A :class:`~pathlib.Path` for SQLite, the URL itself (a ``str``) for PostgreSQL.

    Raises:
        FactsError: ``value`` is a URL of a database showfacts cannot use; the message says
            what it takes instead.
    """
    if is_postgres_url(value):
        return value
    # sqlite:///facts.db is relative and sqlite:////data/facts.db absolute, as in SQLAlchemy.
    if value.startswith(SQLITE_URL_PREFIX) and len(value) > len(SQLITE_URL_PREFIX):
        return Path(value.removeprefix(SQLITE_URL_PREFIX)).expanduser()
    scheme, separator, rest = value.partition(":")
    # "postgresql:" alone would otherwise become a folder of that name.
    if separator and (rest.startswith("//") or scheme.lower() in POSTGRES_SCHEMES):
        shown = f"{scheme}://" if rest.startswith("//") else f"{scheme}:"
        raise FactsError(
            f"{name} is a {shown} URL, which showfacts cannot use.",
            "It takes a SQLite file (such as /data/showfacts.db, or sqlite:////data/showfacts.db) or a"
            " PostgreSQL URL (postgresql://USER:PASSWORD@HOST:PORT/DATABASE; postgres:// too).",
        )
    return Path(value).expanduser()


def with_database(settings: Settings, location: Path | str) -> Settings:
    """Return ``settings`` with the fact database at ``location`` (from :func:`parse_db_location`)."""
    if isinstance(location, Path):
        return replace(settings, db_path=location, db_url="")
    return replace(settings, db_url=location)


def _read_port(env: Mapping[str, str], name: str = "PORT", *, default: int = DEFAULT_PORT) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise FactsError(
            f"{name} is {raw!r}, which is not a port number.", "Set it to a number such as 3000."
        )
    return int(raw)


def _read_pool_size(env: Mapping[str, str]) -> int:
    raw = env.get("SHOWFACTS_PG_POOL_SIZE", "").strip()
    if not raw:
        return DEFAULT_POOL_SIZE
    if not raw.isdigit() or int(raw) < 1:
        raise FactsError(
            f"SHOWFACTS_PG_POOL_SIZE is {raw!r}, which is not a number of connections.",
            f"Set it to a whole number of at least 1, such as {DEFAULT_POOL_SIZE}, or unset it.",
        )
    return int(raw)


def _read_upload_limit(env: Mapping[str, str]) -> int:
    raw = env.get("SHOWFACTS_MAX_UPLOAD_MB", "").strip()
    if not raw:
        return DEFAULT_MAX_UPLOAD_MB * BYTES_PER_MB
    try:
        megabytes = float(raw)
    except ValueError:
        megabytes = 0
    if megabytes <= 0:
        raise FactsError(
            f"SHOWFACTS_MAX_UPLOAD_MB is {raw!r}, which is not a positive number of megabytes.",
            f"Set it to a number such as {DEFAULT_MAX_UPLOAD_MB}, or unset it.",
        )
    return int(megabytes * BYTES_PER_MB)


def make_db_folder(settings: Settings) -> None:
    """Create the folder of the fact database if it is missing (nothing to do for PostgreSQL).

    Raises:
        FactsError: it cannot be created (a read-only or virtual file system, no permission).
    """
    if settings.db_url:
        return
    folder = settings.db_path.expanduser().parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise FactsError(
            f"Cannot create the folder {folder} for the fact database ({error.strerror or error}).",
            "Point SHOWFACTS_DB (or --db) at a file in a folder showfacts can write to.",
        ) from error


def check_slack_settings(settings: Settings, *, socket_mode: bool | None = None) -> None:
    """Refuse to serve Slack with an incomplete configuration.

    Socket Mode needs ``SLACK_BOT_TOKEN`` and ``SLACK_APP_TOKEN``; HTTP needs ``SLACK_BOT_TOKEN``
    and ``SLACK_SIGNING_SECRET`` (without it nobody could tell Slack's requests from forgeries).

    Args:
        settings: what was read from the environment.
        socket_mode: the transport to check for (default: Socket Mode when SLACK_APP_TOKEN is set).

    Raises:
        FactsError: naming every missing variable.
    """
    socket = settings.socket_mode if socket_mode is None else socket_mode
    needed = {"SLACK_BOT_TOKEN": settings.bot_token}
    if socket:
        needed["SLACK_APP_TOKEN"] = settings.app_token
    else:
        needed["SLACK_SIGNING_SECRET"] = settings.signing_secret
    missing = [name for name, value in needed.items() if not value]
    if missing:
        mode = "Socket Mode" if socket else "HTTP mode"
        raise FactsError(
            f"Cannot serve Slack in {mode}: {' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} "
            "not set.",
            "Copy the values from your Slack app's settings page (see README.md, Running in Slack).",
        )
