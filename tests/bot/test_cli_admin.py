"""``showfacts import / export / history / undo`` through click's runner, on both backends (``--db`` a
SQLite file or a PostgreSQL URL)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.cli import _register_commands, cli
from facts.opening import open_seeded_store
from tests.backends import Backend

FIGURES = b"show,viewers,window,platform\nLupin,71M,first 28 days,Netflix\n"


@pytest.fixture
def db(tmp_path: Path, backend: Backend) -> str:
    """A new store's location on each backend."""
    _register_commands()
    return backend.location(tmp_path)


def run(db: str, *args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, ["--db", db, *args], input=input)


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def lupin(db: str) -> int:
    store = open_seeded_store(db)
    try:
        with store.read() as data:
            row = data.execute(
                "SELECT value FROM viewership v JOIN shows s ON s.id = v.show_id WHERE s.title = 'Lupin'"
            ).fetchone()
    finally:
        store.close()
    return int(row[0])


def test_dry_run_prints_the_diff_and_applies_nothing(db: str, tmp_path: Path) -> None:
    result = run(db, "import", write(tmp_path, "figures.csv", FIGURES), "--dry-run")
    assert result.exit_code == 0
    assert result.output == (
        "Dry run: 0 added, 1 changed, 0 unchanged — nothing applied\n"
        "viewership: 0 added, 1 changed, 0 unchanged\n"
        "- Lupin — viewers (first 28 days): 70M -> 71M\n"
        "Files: figures.csv.\n"
    )
    assert lupin(db) == 70_000_000


def test_import_then_history_then_undo(db: str, tmp_path: Path) -> None:
    result = run(db, "import", write(tmp_path, "figures.csv", FIGURES), "--user", "ana")
    assert result.exit_code == 0
    assert result.output.startswith(
        "Imported figures.csv: 0 added, 1 changed, 0 unchanged.\n"
        "viewership: 0 added, 1 changed, 0 unchanged\n"
        "- Lupin — viewers (first 28 days): 70M -> 71M\n"
        "Import #2 by ana at "
    )
    assert lupin(db) == 71_000_000
    history = run(db, "history", "--limit", "1")
    assert history.output.startswith("The last import:\n- #2 ")
    assert history.output.endswith(" by ana: figures.csv — 0 added, 1 changed, 0 unchanged\n")
    undo = run(db, "undo", "--yes", "--user", "bo")
    assert undo.exit_code == 0
    assert undo.output.startswith(
        "Undid import #2 (figures.csv by ana): the facts are as they were before it.\n"
        "viewership: 1 changed back\n"
    )
    assert lupin(db) == 70_000_000


def test_a_refused_import_exits_1_with_every_problem(db: str, tmp_path: Path) -> None:
    good = write(tmp_path, "shows.csv", b"title\nDark\n")
    bad = write(tmp_path, "bad.csv", b"show,viewers\nLupin,lots\nDark,\n")
    result = run(db, "import", good, bad)
    assert result.exit_code == 1
    assert result.output == (
        "Error: Nothing was imported: 2 problems found. Fix them and import the files again.\n"
        "bad.csv line 2, column viewers: 'lots' is not a number. Write a whole number such as 70000000, "
        "70,000,000, 70M, 70 million, 1.2B or 1.5k.\n"
        "bad.csv line 3, column viewers: empty. Every row needs a value there.\n"
    )
    assert "Traceback" not in result.output
    assert run(db, "history").output.count("\n- ") == 1  # only the seed


def test_a_missing_file_is_a_clean_error(db: str, tmp_path: Path) -> None:
    result = run(db, "import", str(tmp_path / "nope.csv"))
    assert result.exit_code == 1
    assert result.output == (
        f"Error: Cannot read {tmp_path / 'nope.csv'}: No such file or directory. "
        "Check the file name and its permissions.\n"
    )


def test_undo_with_piped_input_and_no_yes_changes_nothing(db: str, tmp_path: Path) -> None:
    run(db, "import", write(tmp_path, "figures.csv", FIGURES), "--user", "ana")
    result = run(db, "undo", input="y\n")  # piped: not a terminal to ask on
    assert result.exit_code == 1
    assert result.output.startswith("Error: Nothing was undone: undo asks before it undoes import #2 ")
    assert result.output.endswith(", and there is no terminal to ask on. Pass --yes to undo it.\n")
    assert lupin(db) == 71_000_000


def test_the_seed_is_only_undone_when_asked_for(db: str) -> None:
    refused = run(db, "undo", "--yes")
    assert (refused.exit_code, refused.output) == (
        1,
        "Error: Nothing was undone: the last import left (#1) is the bundled seed, and undoing it would"
        " leave no facts at all. To empty the store anyway, run: showfacts undo --seed --yes\n",
    )
    assert lupin(db) == 70_000_000
    emptied = run(db, "undo", "--seed", "--yes")
    assert emptied.exit_code == 0
    assert emptied.output.startswith(
        "Undid import #1 (attributes.csv, credits.csv, people.csv, shows.csv, viewership.csv by showfacts"
        " (bundled seed)): the facts are as they were before it.\nshows: 4 removed\n"
    )


def test_undo_with_nothing_left_exits_1(db: str) -> None:
    assert run(db, "undo", "--seed", "--yes").exit_code == 0
    result = run(db, "undo", "--seed", "--yes")
    assert result.exit_code == 1
    assert (
        result.output
        == "Error: Nothing to undo: every import has been undone already. See showfacts history.\n"
    )


def test_export_writes_the_import_format(db: str, tmp_path: Path) -> None:
    result = run(db, "export", str(tmp_path / "out"))
    assert result.exit_code == 0
    assert result.output == (
        f"Exported 5 files to {tmp_path / 'out'}: shows.csv, people.csv, credits.csv, viewership.csv, "
        "attributes.csv\n"
    )
    again = run(db, "import", *sorted(str(p) for p in (tmp_path / "out").glob("*.csv")), "--dry-run")
    assert again.output.startswith("Dry run: 0 added, 0 changed, 50 unchanged — nothing applied\n")


@pytest.mark.parametrize(
    ("command", "example"),
    [
        ("import", "showfacts import shows.csv viewership.csv --dry-run"),
        ("export", "showfacts export backup/"),
        ("history", "showfacts history --limit 5"),
        ("undo", "showfacts undo --yes"),
    ],
)
def test_every_command_has_help_with_an_example(db: str, command: str, example: str) -> None:
    result = run(db, command, "--help")
    assert result.exit_code == 0
    assert example in result.output
