"""An import (or undo) killed with SIGKILL half-way leaves the database intact and answering as before.

The kill has to land while the import is writing, not while it is still reading its files, so the
``showfacts`` process is started through a small wrapper that pauses it right after one of its
write steps (inside the import's transaction, with thousands of rows already written to the
write-ahead log) and announces the pause in a marker file. The test then SIGKILLs it.

Every test runs on both backends: a SQLite file, and a database on a real PostgreSQL server, where
the killed process's session ends with it (its transaction rolled back, its advisory lock freed).
A second import started while another holds PostgreSQL's write lock waits for it.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from facts.answering import Answerer
from facts.importing import list_imports
from facts.opening import open_seeded_store
from facts.plaintext import render_text
from facts.wording import format_date
from tests.backends import Backend
from tests.conftest import REPO_ROOT
from tests.reliability.pausing import POLL_S, kill, start_paused_cli

# Enough that the page cache spills rows of the paused transaction into the write-ahead log
# (an import builds the indexes of so many new rows after its inserts, so it writes fewer pages).
SHOWS = 16_000
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


# On PostgreSQL: every show has its title in the name index, and every title there its show.
UNINDEXED = (
    "SELECT (SELECT count(*) FROM shows s WHERE NOT EXISTS"
    " (SELECT 1 FROM names n WHERE n.kind = 'show' AND n.ref_id = s.id))"
    " + (SELECT count(*) FROM names n WHERE n.kind = 'show' AND NOT EXISTS"
    " (SELECT 1 FROM shows s WHERE s.id = n.ref_id))"
)
# An import waiting for another's write lock, on PostgreSQL.
WAITING_FOR_THE_LOCK = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
LOCK_WAIT_S = 120.0


def snapshot(db: str) -> tuple[dict[str, str], dict[str, list[Any]], str]:
    """What the database answers, every fact row, and its integrity check."""
    store = open_seeded_store(db)
    try:
        answerer = Answerer(store)
        answers = {question: render_text(answerer.answer(question)) for question in QUESTIONS}
        with store.read() as conn:
            tables = ("shows", "people", "credits", "viewership", "show_attributes", "names", "imports")
            rows = {
                table: [tuple(row) for row in conn.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()]
                for table in tables
            }
            if conn.dialect.name == "sqlite":
                integrity = str(conn.execute("PRAGMA integrity_check").fetchone()[0])
            else:
                integrity = "ok" if conn.execute(UNINDEXED).fetchone()[0] == 0 else "names out of step"
    finally:
        store.close()
    return answers, rows, integrity


def kill_when_paused(db: str, marker: Path, step: str, calls: int, *args: str, spilled: bool = True) -> None:
    """Run ``showfacts --db DB ARGS`` until it pauses after a write step, then SIGKILL it.

    With ``spilled``, check that the paused transaction has already written pages to the log (SQLite).
    """
    process = start_paused_cli(db, marker, step, calls, *args)
    try:
        sqlite = "://" not in db
        assert not (spilled and sqlite) or Path(f"{db}-wal").stat().st_size > 0  # uncommitted pages
    finally:
        kill(process)


def run_cli(db: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "--db", db, *args],
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
    tmp_path: Path, backend: Backend, catalogue: list[Path], step: str, calls: int
) -> None:
    db = backend.location(tmp_path)
    open_seeded_store(db).close()
    before = snapshot(db)

    kill_when_paused(db, tmp_path / "paused", step, calls, "import", *map(str, catalogue))

    assert snapshot(db) == before
    assert before[2] == "ok"
    done = run_cli(db, "import", *map(str, catalogue))
    assert done.returncode == 0, done.stderr.decode()
    answers, _rows, integrity = snapshot(db)
    assert integrity == "ok"
    store = open_seeded_store(db)
    imported = format_date(list_imports(store, 1)[0].at[:10])
    store.close()
    assert answers["how many people watched Crash Show 00007?"] == (
        "Crash Show 00007 had 1,007 viewers in its first 28 days on Netflix.\n"
        f"Source: figures.csv, imported {imported}"
    )


def test_an_undo_killed_half_way_changes_nothing(
    tmp_path: Path, backend: Backend, catalogue: list[Path]
) -> None:
    db = backend.location(tmp_path)
    open_seeded_store(db).close()
    assert run_cli(db, "import", "--replace", *map(str, catalogue)).returncode == 0
    before = snapshot(db)

    kill_when_paused(db, tmp_path / "paused", "restore", 1, "undo", "--yes", spilled=False)

    assert snapshot(db) == before
    done = run_cli(db, "undo", "--yes")
    assert done.returncode == 0, done.stderr.decode()
    store = open_seeded_store(db)
    assert list_imports(store)[0].undone_at is not None
    store.close()


def test_a_first_start_killed_while_loading_the_seed_still_gets_the_seed(
    tmp_path: Path, backend: Backend
) -> None:
    reference = str(tmp_path / "reference.db")
    open_seeded_store(reference).close()
    db = backend.location(tmp_path)

    kill_when_paused(db, tmp_path / "paused", "insert people", 0, "ask", "who created Emily in Paris?")

    assert snapshot(db)[0] == snapshot(reference)[0]


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_a_second_import_waits_for_the_first_and_a_killed_one_leaves_the_old_facts(
    tmp_path: Path, backend: Backend, catalogue: list[Path]
) -> None:
    db = backend.location(tmp_path)
    store = open_seeded_store(db)
    lupin = tmp_path / "lupin.csv"
    lupin.write_text("show,viewers,window,platform\nLupin,71M,first 28 days,Netflix\n")
    first = start_paused_cli(db, tmp_path / "paused", "commit", 0, "import", *map(str, catalogue))
    second = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "--db", db, "import", str(lupin), "--user", "bo"],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        wait_until_waiting(store)  # the second holds no lock: the first has it, inside its write
    finally:
        kill(first)
        out, err = second.communicate(timeout=CLI_TIMEOUT_S)
    assert second.returncode == 0, err.decode()
    assert out.decode().startswith("Imported lupin.csv: 0 added, 1 changed, 0 unchanged.\n")
    answers, _rows, integrity = snapshot(db)
    assert answers["how many people watched Crash Show 00007?"].startswith("I don't have facts about")
    assert answers["how many people watched Lupin?"].startswith("Lupin had 71M viewers")
    assert integrity == "ok"
    assert [record.user for record in list_imports(store)] == ["bo", "showfacts (bundled seed)"]
    store.close()


def wait_until_waiting(store: Any) -> None:
    """Return once some session waits for an advisory lock (the write lock)."""
    deadline = time.monotonic() + LOCK_WAIT_S
    while store.conn.execute(WAITING_FOR_THE_LOCK).fetchone()[0] == 0:
        assert time.monotonic() < deadline, "the second import never waited for the write lock"
        time.sleep(POLL_S)
