"""Deploying on PostgreSQL: ``SHOWFACTS_DB``, ``DATABASE_URL`` and ``--db`` take a PostgreSQL URL, and
the CLI, the web process and its health check run on a real server (started by the tests)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.buttons import ACTION_APPLY
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


def test_imports_undo_and_history_run_on_the_postgresql_database(workdir: Path, url: str) -> None:
    (workdir / "facts.csv").write_text("show,viewers\nLupin,71M\n")
    imported = run("--db", url, "import", "facts.csv", "--user", "ana")
    assert imported.exit_code == 0
    assert imported.output.startswith("Imported facts.csv: 0 added, 1 changed, 0 unchanged.\n")
    assert run("--db", url, "ask", "How many people watched Lupin?").output.startswith(
        "Lupin had 71M viewers"
    )
    assert run("--db", url, "undo", "--yes", "--user", "bo").output.startswith(
        "Undid import #2 (facts.csv by ana)"
    )
    assert (run("--db", url, "ask", "How many people watched Lupin?").output) == LUPIN
    newest = run("--db", url, "history").output.splitlines()[1]
    assert newest.startswith("- #2 ")
    assert " by ana: facts.csv — 0 added, 1 changed, 0 unchanged (undone " in newest
    assert newest.endswith(" by bo)")
    assert imports_in(url) == 2
    assert list(workdir.iterdir()) == [workdir / "facts.csv"]


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


def test_an_upload_to_a_postgresql_store_is_previewed_then_applied(web: SlackDriver, fake: FakeSlack) -> None:
    web.event(file_share(fake, "facts.csv", b"show,viewers\nLupin,71M\n"))
    (preview,) = fake.wait_for("/api/chat.postMessage")
    assert preview.body["text"].startswith("Preview: 0 added, 1 changed, 0 unchanged.")
    (token,) = {
        element["value"]
        for block in preview.body["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == ACTION_APPLY
    }
    _, path = web.click(ACTION_APPLY, token, user=ADMIN, ephemeral=False, channel="D0001")
    (applied,) = fake.wait_for(path)
    assert applied.body["text"].startswith("Imported facts.csv: 0 added, 1 changed, 0 unchanged.")
    (call,) = fake.wait_for(web.command("/viewers", "Lupin"))
    assert call.body["text"].startswith("Lupin had 71M viewers")
