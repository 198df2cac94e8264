"""``showfacts migrate --to URL``: a SQLite store copied into PostgreSQL (a real server), all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.cli import _register_commands, cli
from facts.exporter import export_facts
from facts.importing import apply_import, list_imports, open_seeded, plan_import, read_paths
from facts.postgres import PostgresStore, describe_url
from facts.store import Store
from tests.backends import PostgresServer

FIGURES = b"show,viewers,window,platform\nLupin,71M,first 28 days,Netflix\n"
USE_DB = "Name the SQLite file with --db: showfacts --db /data/showfacts.db migrate --to URL"


@pytest.fixture
def url(postgres_server: PostgresServer) -> str:
    return postgres_server.new_database()


@pytest.fixture
def sqlite(tmp_path: Path) -> Path:
    """A SQLite store with the seed and one admin import after it."""
    _register_commands()
    path = tmp_path / "facts.db"
    (tmp_path / "figures.csv").write_bytes(FIGURES)
    with open_seeded(path) as store:
        apply_import(store, plan_import(store, read_paths([tmp_path / "figures.csv"])), user="ana")
    return path


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), env={"SHOWFACTS_DB": None, "DATABASE_URL": None})


def exported(store: Store, folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in export_facts(store, folder)}


def copied_message(sqlite: Path, url: str, rows: int) -> str:
    return (
        f"Copied {rows:,} rows from {sqlite} into the PostgreSQL database {describe_url(url)}:"
        " the facts, their import history and the name index.\n"
    )


def rows_in(path: Path) -> int:
    tables = ("shows", "people", "credits", "viewership", "show_attributes", "country_ranks", "imports")
    more = ("import_changes", "names", "meta")
    with open_seeded(path) as store, store.read() as db:
        return sum(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in (*tables, *more))


def test_migrate_copies_the_facts_and_their_history(sqlite: Path, url: str, tmp_path: Path) -> None:
    result = run("--db", str(sqlite), "migrate", "--to", url)
    assert (result.exit_code, result.output) == (0, copied_message(sqlite, url, rows_in(sqlite)))
    with open_seeded(sqlite) as source, PostgresStore.open(url) as target:
        assert exported(target, tmp_path / "pg") == exported(source, tmp_path / "sqlite")
        with target.read() as db:
            users = [row[0] for row in db.execute('SELECT "user" FROM imports ORDER BY id').fetchall()]
        assert users == [record.user for record in reversed(list_imports(source))]
    answered = run("--db", url, "ask", "How many people watched Lupin?")
    assert answered.output.startswith("Lupin had 71M viewers in its first 28 days on Netflix.\n")


def test_a_database_holding_facts_is_left_alone_unless_replace_is_given(
    sqlite: Path, url: str, tmp_path: Path
) -> None:
    assert run("--db", url, "ask", "lupin").exit_code == 0  # the seed, as a first deploy leaves it
    with PostgresStore.open(url) as target:
        before, generation = exported(target, tmp_path / "before"), target.generation()
    refused = run("--db", str(sqlite), "migrate", "--to", url)
    assert (refused.exit_code, refused.output) == (
        1,
        f"Error: The PostgreSQL database {describe_url(url)} already holds facts; nothing was copied."
        " Copy into a new database, or pass --replace to replace its facts with these.\n",
    )
    with PostgresStore.open(url) as target:
        assert exported(target, tmp_path / "after") == before
    replaced = run("--db", str(sqlite), "migrate", "--to", url, "--replace")
    assert (replaced.exit_code, replaced.output) == (0, copied_message(sqlite, url, rows_in(sqlite)))
    with open_seeded(sqlite) as source, PostgresStore.open(url) as target:
        assert exported(target, tmp_path / "replaced") == exported(source, tmp_path / "source")
        # Every process on the database sees a new generation, whatever the two were.
        assert target.generation() > max(generation, source.generation())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--db", "missing.db"], f"There is no fact database at missing.db to copy. {USE_DB}"),
        (
            ["--db", "postgresql://localhost/other"],
            f"migrate copies a SQLite store, and the fact database configured is a PostgreSQL one. {USE_DB}",
        ),
    ],
)
def test_migrate_copies_only_an_existing_sqlite_store(
    args: list[str], message: str, url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _register_commands()
    result = run(*args, "migrate", "--to", url)
    assert (result.exit_code, result.output) == (1, f"Error: {message}\n")
    assert list(tmp_path.iterdir()) == []


def test_migrate_copies_only_into_postgresql(sqlite: Path) -> None:
    result = run("--db", str(sqlite), "migrate", "--to", "/tmp/other.db")
    assert (result.exit_code, result.output) == (
        1,
        "Error: --to names the file /tmp/other.db; migrate copies into PostgreSQL. Give it a postgresql://"
        " URL (to copy between SQLite files, copy the file itself).\n",
    )


def test_imports_copied_from_sqlite_are_not_undone_on_postgresql(
    sqlite: Path, url: str, tmp_path: Path
) -> None:
    assert run("--db", str(sqlite), "migrate", "--to", url).exit_code == 0
    (tmp_path / "later.csv").write_bytes(b"show,viewers,window,platform\nLupin,72M,first 28 days,Netflix\n")
    assert run("--db", url, "import", str(tmp_path / "later.csv")).exit_code == 0
    assert run("--db", url, "undo", "--yes").exit_code == 0  # made on PostgreSQL: its names are journaled
    with PostgresStore.open(url) as target:
        before = exported(target, tmp_path / "before")
    refused = run("--db", url, "undo", "--yes")
    with PostgresStore.open(url) as target:
        (last,) = [record.id for record in list_imports(target) if record.user == "ana"]
        assert exported(target, tmp_path / "after") == before
    assert (refused.exit_code, refused.output) == (
        1,
        f"Error: Nothing was undone: import #{last} was made in SQLite before the facts were copied into"
        " PostgreSQL (showfacts migrate), and its journal cannot put the name index back here. Import the"
        " facts you want back instead (showfacts export from the SQLite store, then showfacts import"
        " --replace), or undo it in the SQLite store and migrate again with --replace.\n",
    )
    answered = run("--db", url, "ask", "How many people watched Lupin?")
    assert answered.output.startswith("Lupin had 71M viewers in its first 28 days on Netflix.\n")
