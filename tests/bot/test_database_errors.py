"""A fact database that cannot be used is named as such, without a traceback: a folder that cannot be
created, a read-only file system, a full disk (nothing is changed)."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.buttons import ACTION_APPLY
from bot.server import create_asgi_app
from bot.settings import Settings
from facts.answering import Answerer
from facts.errors import FactsError
from facts.importing import ImportTuning
from facts.store import FactStore
from tests.bot.conftest import ADMIN, apply_token, file_share, open_seeded, serve_app
from tests.bot.fakeslack import FakeSlack

NOWHERE = "/proc/nope/x.db"


def run_cli(args: list[str], db: str) -> object:
    from bot.cli import _register_commands, cli

    _register_commands()
    return CliRunner().invoke(
        cli, args, env={"SHOWFACTS_DB": db, "SLACK_BOT_TOKEN": "", "SLACK_APP_TOKEN": ""}
    )


def test_a_database_folder_that_cannot_be_created_is_named() -> None:
    result = run_cli(["ask", "Lupin"], NOWHERE)
    assert result.exit_code == 1
    assert result.output.startswith("Error: Cannot create the folder /proc/nope for the fact database (")
    assert result.output.endswith(
        "Point SHOWFACTS_DB (or --db) at a file in a folder showfacts can write to.\n"
    )
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_the_web_process_names_it_too() -> None:
    environ = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "SHOWFACTS_DB": NOWHERE}
    with pytest.raises(FactsError) as raised:
        create_asgi_app(environ)
    assert raised.value.message.startswith("Cannot create the folder /proc/nope for the fact database (")


@pytest.fixture
def read_only_db(tmp_path: Path) -> Iterator[Path]:
    """A seeded database on a file system mounted read-only (skipped where mounting is not allowed)."""
    mount = tmp_path / "ro"
    mount.mkdir()
    if (
        shutil.which("mount") is None
        or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount)], capture_output=True
        ).returncode
    ):
        pytest.skip("cannot mount a file system here")
    try:
        open_seeded(mount / "facts.db").close()
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True, capture_output=True)
        yield mount / "facts.db"
    finally:
        if subprocess.run(["umount", str(mount)], capture_output=True).returncode:
            subprocess.run(["umount", "-l", str(mount)], capture_output=True)  # still held open somewhere


def test_a_read_only_database_is_called_read_only(read_only_db: Path) -> None:
    with pytest.raises(FactsError) as raised:
        FactStore.open(read_only_db)
    assert raised.value.message == (
        f"The fact database {read_only_db} is read-only: showfacts needs to write to it "
        f"and to its folder {read_only_db.parent}."
    )
    result = run_cli(["ask", "Lupin"], str(read_only_db))
    assert result.exit_code == 1
    assert "is read-only" in result.output and "not a showfacts database" not in result.output


def fill_the_disk(step: str) -> None:
    """Fail an import's first insert with the error SQLite raises when its disk is full."""
    if not step.startswith("insert"):
        return
    with closing(sqlite3.connect(":memory:")) as full:
        full.execute("CREATE TABLE filler (data)")
        full.execute("PRAGMA max_page_count = 2")  # SQLite's own limit on a database's size
        full.execute("INSERT INTO filler VALUES (zeroblob(100000))")


def test_a_full_disk_during_apply_changes_nothing_and_says_so(
    settings: Settings, fake: FakeSlack, store: FactStore, caplog: pytest.LogCaptureFixture
) -> None:
    rows = "".join(f"Show {n},{n}M,first 28 days\n" for n in range(3000))
    tuning = ImportTuning(before_step=fill_the_disk)
    with serve_app(settings, Answerer(store), fake, tuning) as slack:
        slack.event(file_share(fake, "figures.csv", f"show,viewers,window\n{rows}".encode()))
        (preview,) = fake.wait_for("/api/chat.postMessage")
        token = apply_token(preview.body)
        generation = store.generation()
        _, path = slack.click(ACTION_APPLY, token, user=ADMIN, channel="D0001", ephemeral=False)
        (reply,) = fake.wait_for(path)
    assert reply.body["text"] == (
        f"The disk holding the fact database {store.path} is full, so nothing was changed. "
        "Free some space on it (or move SHOWFACTS_DB to a larger disk), then try again."
    )
    assert store.generation() == generation
    assert [record for record in caplog.records if record.levelname == "ERROR"] == []


@pytest.mark.parametrize(
    ("value", "scheme"), [("mysql://localhost/facts", "mysql://"), ("postgresql:facts", "postgresql:")]
)
def test_a_database_url_showfacts_cannot_use_is_refused_not_made_a_folder(
    value: str, scheme: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.cli import _register_commands, cli

    monkeypatch.chdir(tmp_path)
    _register_commands()
    result = CliRunner().invoke(cli, ["--db", value, "ask", "Lupin"], env={"SLACK_BOT_TOKEN": ""})
    assert result.exit_code == 1
    assert result.output == (
        f"Error: --db is a {scheme} URL,"
        " which showfacts cannot use. It takes a SQLite file (such as /data/showfacts.db, or"
        " sqlite:////data/showfacts.db) or a PostgreSQL URL (postgresql://USER:PASSWORD@HOST:PORT/DATABASE;"
        " postgres:// too).\n"
    )
    assert list(tmp_path.iterdir()) == []
