"""An import (or undo) killed with SIGKILL half-way leaves the database intact and answering as before.

The kill has to land while the import is writing, not while it is still reading its files, so the
``showfacts`` process is started through a small wrapper that pauses it right after one of its
write steps (inside the import's transaction, with thousands of rows already written to the
write-ahead log) and announces the pause in a marker file. The test then SIGKILLs it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from facts.answering import Answerer
from facts.importing import list_imports, open_seeded
from facts.plaintext import render_text
from facts.wording import format_date
from tests.conftest import REPO_ROOT
from tests.reliability.pausing import kill, start_paused_cli

SHOWS = 8_000
CLI_TIMEOUT_S = 120
QUESTIONS = (
    "how many people watched Lupin?",
    "who created Emily in Paris?",
    "top 5",
    "how many people watched Crash Show 00007?",
    "what is Crash Show 01234?",
)


def write_catalogue(folder: Path) -> list[Path]:
    """A large generated catalogue: shows with aliases (name index in bulk) and their figures."""
    shows = folder / "shows.csv"
    shows.write_text(
        "title,summary,aliases\n"
        + "".join(f"Crash Show {i:05d},Summary {i},CS{i}\n" for i in range(SHOWS))
        + "Lupin,A new summary,\n"
    )
    figures = folder / "figures.csv"
    figures.write_text(
        "show,viewers,window,platform\n"
        + "".join(f"Crash Show {i:05d},{i + 1000},first 28 days,Netflix\n" for i in range(SHOWS))
        + "Lupin,99M,first 28 days,Netflix\n"
    )
    return [shows, figures]


def snapshot(db: Path) -> tuple[dict[str, str], dict[str, list[Any]], str]:
    """What the database answers, every fact row, and its integrity check."""
    with open_seeded(db) as store:
        answerer = Answerer(store)
        answers = {question: render_text(answerer.answer(question)) for question in QUESTIONS}
        with store.read() as conn:
            tables = ("shows", "people", "credits", "viewership", "show_attributes", "names", "imports")
            rows = {table: conn.execute(f"SELECT * FROM {table} ORDER BY id").fetchall() for table in tables}
            integrity = str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    return answers, rows, integrity


def kill_when_paused(db: Path, marker: Path, step: str, calls: int, *args: str, spilled: bool = True) -> None:
    """Run ``showfacts --db DB ARGS`` until it pauses after a write step, then SIGKILL it.

    With ``spilled``, check that the paused transaction has already written pages to the log.
    """
    process = start_paused_cli(db, marker, step, calls, *args)
    try:
        assert not spilled or Path(f"{db}-wal").stat().st_size > 0  # uncommitted pages in the log
    finally:
        kill(process)


def run_cli(db: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "--db", str(db), *args],
        cwd=REPO_ROOT,
        capture_output=True,
        timeout=CLI_TIMEOUT_S,
        check=False,
    )


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_catalogue(tmp_path_factory.mktemp("catalogue"))


@pytest.mark.parametrize(
    ("step", "calls"),
    [("insert viewership", 0), ("commit", 0)],
    ids=["after-the-new-shows", "after-every-row-before-commit"],
)
def test_an_import_killed_half_way_changes_nothing(
    tmp_path: Path, catalogue: list[Path], step: str, calls: int
) -> None:
    db = tmp_path / "facts.db"
    open_seeded(db).close()
    before = snapshot(db)

    kill_when_paused(db, tmp_path / "paused", step, calls, "import", *map(str, catalogue))

    assert snapshot(db) == before
    assert before[2] == "ok"
    done = run_cli(db, "import", *map(str, catalogue))
    assert done.returncode == 0, done.stderr.decode()
    answers, _rows, integrity = snapshot(db)
    assert integrity == "ok"
    store = open_seeded(db)
    imported = format_date(list_imports(store, 1)[0].at[:10])
    store.close()
    assert answers["how many people watched Crash Show 00007?"] == (
        "Crash Show 00007 had 1,007 viewers in its first 28 days on Netflix.\n"
        f"Source: figures.csv, imported {imported}"
    )


def test_an_undo_killed_half_way_changes_nothing(tmp_path: Path, catalogue: list[Path]) -> None:
    db = tmp_path / "facts.db"
    open_seeded(db).close()
    assert run_cli(db, "import", "--replace", *map(str, catalogue)).returncode == 0
    before = snapshot(db)

    kill_when_paused(db, tmp_path / "paused", "restore", 1, "undo", "--yes", spilled=False)

    assert snapshot(db) == before
    done = run_cli(db, "undo", "--yes")
    assert done.returncode == 0, done.stderr.decode()
    with open_seeded(db) as store:
        assert list_imports(store)[0].undone_at is not None


def test_a_first_start_killed_while_loading_the_seed_still_gets_the_seed(tmp_path: Path) -> None:
    reference = tmp_path / "reference.db"
    open_seeded(reference).close()
    db = tmp_path / "facts.db"

    kill_when_paused(db, tmp_path / "paused", "insert people", 0, "ask", "who created Emily in Paris?")

    assert snapshot(db)[0] == snapshot(reference)[0]
