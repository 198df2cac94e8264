"""Deploying on PostgreSQL: ``SHOWFACTS_DB``, ``DATABASE_URL`` and ``--db`` take a PostgreSQL URL, and
the CLI, the web process and its health check run on a real server (started by the tests)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.cli import _register_commands, cli
from bot.server import ShowfactsRequestHandler, create_asgi_app
from bot.socket_mode import worker_health
from facts.opening import open_seeded_store
from facts.postgres import PostgresStore
from tests.backends import PostgresServer
from tests.bot.conftest import ADMIN, file_share
from tests.bot.fakeslack import BOT_TOKEN, SIGNING_SECRET, FakeSlack, SlackDriver

LUPIN = (
    "Lupin had 70M viewers in its first 28 days on Netflix.\n"
    "Source: Trade press report on Emily in Paris season 2 (Netflix figures) (as of May 2021)\n"
)
NOT_YET = (
    "is not available yet when the facts are kept in PostgreSQL (answering is). Import into a SQLite"
    " store instead and copy it across with `showfacts migrate --to URL --replace`."
)
# A server nobody listens on, with a password that must never be shown.
UNREACHABLE = "postgresql://showfacts:hunter2@127.0.0.1:1/facts"


@pytest.fixture
def url(postgres_server: PostgresServer) -> str:
    """A new, empty database on the test server."""
    return postgres_server.new_database()


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The current directory of the commands run (where a URL taken for a path would appear)."""
    monkeypatch.chdir(tmp_path)
    _register_commands()
    return tmp_path


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(
        cli, list(args), env={"SHOWFACTS_DB": None, "DATABASE_URL": None, **(env or {})}
    )


def imports_in(url: str) -> int:
    with PostgresStore.open(url) as store, store.read() as db:
        return int(db.execute("SELECT count(*) FROM imports").fetchone()[0])


def as_heroku_url(url: str) -> str:
    """The same database as Heroku's DATABASE_URL names it (postgres://)."""
    return "postgres://" + url.removeprefix("postgresql://")


@pytest.mark.parametrize(
    "how", ["SHOWFACTS_DB", "DATABASE_URL", "DATABASE_URL as postgres://", "--db"], ids=str
)
def test_the_cli_answers_from_the_postgresql_database_it_is_given(workdir: Path, url: str, how: str) -> None:
    if how == "--db":
        result = run("--db", url, "ask", "How many people watched Lupin?")
    else:
        name = how.split()[0]
        result = run(
            "ask", "How many people watched Lupin?", env={name: as_heroku_url(url) if " " in how else url}
        )
    assert (result.exit_code, result.output) == (0, LUPIN)
    # A new database gets the bundled seed, once; nothing is created on the local disk.
    assert imports_in(url) == 1
    assert list(workdir.iterdir()) == []


def test_processes_starting_on_a_new_database_at_once_seed_it_once(url: str) -> None:
    opened: list[object] = []

    def open_it() -> None:
        store = open_seeded_store(url)
        opened.append(store.generation())
        store.close()

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(opened) == 4
    assert imports_in(url) == 1


@pytest.mark.parametrize(
    ("command", "doing"),
    [
        (["import", "facts.csv"], "Importing"),
        (["undo", "--yes"], "Undoing an import"),
        (["history"], "The import history"),
    ],
)
def test_what_postgresql_cannot_do_yet_is_refused_clearly(
    workdir: Path, url: str, command: list[str], doing: str
) -> None:
    (workdir / "facts.csv").write_text("show,viewers\nLupin,71M\n")
    result = run("--db", url, *command)
    assert (result.exit_code, result.output) == (1, f"Error: {doing} {NOT_YET}\n")


def test_an_unreachable_server_is_named_without_its_password(workdir: Path) -> None:
    result = run("--db", UNREACHABLE, "ask", "lupin")
    assert result.exit_code == 1
    assert result.output.startswith("Error: Cannot connect to the PostgreSQL database facts on 127.0.0.1 (")
    assert result.output.endswith(
        "Check SHOWFACTS_DB (or DATABASE_URL): host, port, database name, user and password.\n"
    )
    assert "hunter2" not in result.output


def test_health_checks_read_the_postgresql_database(url: str) -> None:
    open_seeded_store(url).close()
    assert worker_health(lambda: True, url) == (
        200,
        {"status": "ok", "socket_mode": "connected", "database": "reachable"},
    )
    status, body = worker_health(lambda: True, UNREACHABLE)
    assert status == 503
    assert body["database"].startswith("The PostgreSQL database facts on 127.0.0.1 cannot be read (")
    assert "hunter2" not in body["database"]


@pytest.fixture
def web(url: str, fake: FakeSlack) -> Iterator[SlackDriver]:
    """The web process as uvicorn's factory builds it from the environment, over PostgreSQL."""
    environ = {
        "DATABASE_URL": as_heroku_url(url),
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_BASE_URL": fake.api_url,
        "SHOWFACTS_ADMINS": ADMIN,
    }
    handler: ShowfactsRequestHandler = create_asgi_app(environ)
    driver = SlackDriver(handler, fake, answers=handler.app.answers)
    yield driver
    driver.close()


def test_the_web_process_answers_slack_from_postgresql(web: SlackDriver, fake: FakeSlack) -> None:
    (call,) = fake.wait_for(web.command("/viewers", "Lupin"))
    assert call.body["text"] == LUPIN.rstrip("\n")


def test_an_upload_to_a_postgresql_store_is_refused_clearly(web: SlackDriver, fake: FakeSlack) -> None:
    web.event(file_share(fake, "facts.csv", b"show,viewers\nLupin,71M\n"))
    (call,) = fake.wait_for("/api/chat.postMessage")
    assert call.body["text"] == f"Importing {NOT_YET}"
