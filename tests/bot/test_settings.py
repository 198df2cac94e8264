from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import DEFAULT_MAX_UPLOAD_MB, check_slack_settings, load_settings
from facts.errors import FactsError
from facts.pgpool import DEFAULT_POOL_SIZE

SECRETS = {
    "SLACK_BOT_TOKEN": "xoxb-secret-1",
    "SLACK_SIGNING_SECRET": "sign-secret-2",
    "SLACK_APP_TOKEN": "xapp-3",
}


def test_settings_are_read_from_the_given_environment() -> None:
    settings = load_settings(
        {
            **SECRETS,
            "SHOWFACTS_DB": "/data/facts.db",
            "SHOWFACTS_ADMINS": " U1, U2 ,,",
            "SLACK_API_BASE_URL": "http://127.0.0.1:8999/api/",
            "SHOWFACTS_MAX_UPLOAD_MB": "5",
            "PORT": "8080",
        }
    )
    assert settings.db_path == Path("/data/facts.db")
    assert settings.admins == frozenset({"U1", "U2"})
    assert settings.api_base_url == "http://127.0.0.1:8999/api/"
    assert settings.max_upload_bytes == 5 * 1024 * 1024
    assert settings.port == 8080
    assert settings.socket_mode


def test_the_postgresql_pool_size_is_read() -> None:
    assert load_settings({"SHOWFACTS_PG_POOL_SIZE": " 8 "}).pg_pool_size == 8
    assert load_settings({}).pg_pool_size == DEFAULT_POOL_SIZE


def test_defaults_without_environment() -> None:
    settings = load_settings({"XDG_DATA_HOME": "/xdg"})
    assert settings.db_path == Path("/xdg/showfacts/showfacts.db")
    assert settings.max_upload_bytes == DEFAULT_MAX_UPLOAD_MB * 1024 * 1024
    assert not settings.socket_mode


def test_secrets_never_appear_in_the_repr() -> None:
    text = repr(load_settings(SECRETS))
    for secret in SECRETS.values():
        assert secret not in text


@pytest.mark.parametrize(
    ("environ", "socket_mode", "message"),
    [
        ({}, False, "Cannot serve Slack in HTTP mode: SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are not set."),
        (
            {"SLACK_BOT_TOKEN": "xoxb-1"},
            False,
            "Cannot serve Slack in HTTP mode: SLACK_SIGNING_SECRET is not set.",
        ),
        (
            {"SLACK_APP_TOKEN": "xapp-1"},
            None,
            "Cannot serve Slack in Socket Mode: SLACK_BOT_TOKEN is not set.",
        ),
        (
            {"SLACK_BOT_TOKEN": "xoxb-1"},
            True,
            "Cannot serve Slack in Socket Mode: SLACK_APP_TOKEN is not set.",
        ),
    ],
)
def test_missing_slack_variables_are_named(
    environ: dict[str, str], socket_mode: bool | None, message: str
) -> None:
    with pytest.raises(FactsError) as raised:
        check_slack_settings(load_settings(environ), socket_mode=socket_mode)
    assert raised.value.message == message


def test_complete_slack_settings_pass() -> None:
    check_slack_settings(load_settings(SECRETS), socket_mode=False)
    check_slack_settings(load_settings(SECRETS), socket_mode=True)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        (
            "SHOWFACTS_MAX_UPLOAD_MB",
            "lots",
            "SHOWFACTS_MAX_UPLOAD_MB is 'lots', which is not a positive number of megabytes.",
        ),
        (
            "SHOWFACTS_MAX_UPLOAD_MB",
            "-1",
            "SHOWFACTS_MAX_UPLOAD_MB is '-1', which is not a positive number of megabytes.",
        ),
        ("PORT", "http", "PORT is 'http', which is not a port number."),
        (
            "SHOWFACTS_PG_POOL_SIZE",
            "0",
            "SHOWFACTS_PG_POOL_SIZE is '0', which is not a number of connections.",
        ),
        (
            "SHOWFACTS_PG_POOL_SIZE",
            "many",
            "SHOWFACTS_PG_POOL_SIZE is 'many', which is not a number of connections.",
        ),
    ],
)
def test_unusable_values_are_named(name: str, value: str, message: str) -> None:
    with pytest.raises(FactsError) as raised:
        load_settings({name: value})
    assert raised.value.message == message


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"SHOWFACTS_DB": "sqlite:////data/facts.db"}, Path("/data/facts.db")),
        ({"SHOWFACTS_DB": "sqlite:///facts.db"}, Path("facts.db")),
        ({"DATABASE_URL": "sqlite:////srv/facts.db"}, Path("/srv/facts.db")),
        # SHOWFACTS_DB wins over the host's DATABASE_URL.
        ({"SHOWFACTS_DB": "/data/facts.db", "DATABASE_URL": "postgres://h/db"}, Path("/data/facts.db")),
    ],
)
def test_the_database_may_be_named_by_a_sqlite_url(environ: dict[str, str], expected: Path) -> None:
    assert load_settings(environ).db_path == expected


@pytest.mark.parametrize(
    ("environ", "url"),
    [
        ({"SHOWFACTS_DB": "postgresql://u:p@db.example/facts"}, "postgresql://u:p@db.example/facts"),
        # Heroku's and Render's attached database, when SHOWFACTS_DB is unset.
        ({"DATABASE_URL": "postgres://u:p@db.example:5432/facts"}, "postgres://u:p@db.example:5432/facts"),
        (
            {"SHOWFACTS_DB": "postgresql://u:p@main/facts", "DATABASE_URL": "postgres://u:p@other/x"},
            "postgresql://u:p@main/facts",
        ),
        ({"SHOWFACTS_DB": " POSTGRESQL://db.example/facts "}, "POSTGRESQL://db.example/facts"),
    ],
)
def test_the_database_may_be_a_postgresql_url(environ: dict[str, str], url: str) -> None:
    settings = load_settings({**environ, "XDG_DATA_HOME": "/xdg"})
    assert settings.db_url == url
    assert settings.database == url
    # The URL's password is a secret like the tokens.
    assert "u:p" not in repr(settings)


def test_a_file_named_by_showfacts_db_wins_over_a_postgresql_database_url() -> None:
    settings = load_settings({"SHOWFACTS_DB": "/data/facts.db", "DATABASE_URL": "postgres://u:p@h/db"})
    assert (settings.db_url, settings.database) == ("", Path("/data/facts.db"))


ACCEPTED = (
    "It takes a SQLite file (such as /data/showfacts.db, or sqlite:////data/showfacts.db) or a"
    " PostgreSQL URL (postgresql://USER:PASSWORD@HOST:PORT/DATABASE; postgres:// too)."
)


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"SHOWFACTS_DB": "mysql://u:p@db.example/facts"}, "SHOWFACTS_DB is a mysql:// URL"),
        ({"DATABASE_URL": "http://u:p@db.example/facts"}, "DATABASE_URL is a http:// URL"),
        ({"SHOWFACTS_DB": "sqlite://u:p@facts.db"}, "SHOWFACTS_DB is a sqlite:// URL"),
        ({"SHOWFACTS_DB": "sqlite:///"}, "SHOWFACTS_DB is a sqlite:// URL"),
        # Not a URL libpq reads: it would have become a folder named "postgresql:".
        ({"SHOWFACTS_DB": "postgresql:u:p@db.example/facts"}, "SHOWFACTS_DB is a postgresql: URL"),
        ({"SHOWFACTS_DB": "postgres:/u:p@db.example/facts"}, "SHOWFACTS_DB is a postgres: URL"),
    ],
)
def test_a_database_url_showfacts_cannot_use_is_refused(environ: dict[str, str], message: str) -> None:
    with pytest.raises(FactsError) as raised:
        load_settings(environ)
    assert str(raised.value) == f"{message}, which showfacts cannot use. {ACCEPTED}"
    # The password in the URL is never repeated back.
    assert "u:p" not in str(raised.value)
