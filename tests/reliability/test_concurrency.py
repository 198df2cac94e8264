"""Several processes asking while imports rewrite every fact; two imports at once.

Reader processes answer a fixed set of questions in a loop while ``showfacts import --replace``
processes switch the catalogue between two versions, "old" and "new", that differ in every row.
Every answer must be exactly the old answer or exactly the new one (never a mixture, such as the
old summary beside a new figure), and nothing may fail with "database is locked".
"""

from __future__ import annotations

import json
import multiprocessing
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from facts.answering import Answerer
from facts.importing import ImportFile, apply_import, list_imports, open_seeded, plan_import, undo_last_import
from facts.plaintext import render_text
from facts.store import FactStore
from tests.conftest import REPO_ROOT

SHOWS = 2000
READERS = 2
IMPORT_ROUNDS = 2
CLI_TIMEOUT_S = 120
READER_TIME_LIMIT_S = 90.0
QUESTIONS = (
    "top 10",
    "how many people watched Conc Show 0007?",
    "Conc Show 0123 vs Conc Show 1456",
    "what is Conc Show 0042?",
    "what is Conc Show 1999?",
)
VERSIONS = {"old": 1_000, "new": 3_000}


def catalogue_files(folder: Path, version: str) -> list[Path]:
    """Write the shows and figures of one version; every row differs between versions."""
    factor = VERSIONS[version]
    shows = "title,summary\n" + "".join(f"Conc Show {i:04d},Summary {version} {i}\n" for i in range(SHOWS))
    figures = "show,viewers,window,platform\n" + "".join(
        f"Conc Show {i:04d},{(i + 1) * factor},first 28 days,Netflix\n" for i in range(SHOWS)
    )
    paths = [folder / f"shows-{version}.csv", folder / f"figures-{version}.csv"]
    for path, text in zip(paths, (shows, figures), strict=True):
        path.write_text(text)
    return paths


def import_paths(store: FactStore, paths: list[Path], *, replace: bool = False) -> None:
    files = [ImportFile(path.name, path.read_bytes()) for path in paths]
    apply_import(store, plan_import(store, files, replace=replace), user="tests")


def answers(store: FactStore) -> dict[str, str]:
    answerer = Answerer(store)
    return {question: render_text(answerer.answer(question)) for question in QUESTIONS}


def run_cli(db: Path, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "--db", str(db), *args],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def finish(process: subprocess.Popen[bytes]) -> tuple[int, str]:
    out, err = process.communicate(timeout=CLI_TIMEOUT_S)
    return process.returncode, (out + err).decode()


def read_until_stopped(db: str, expected: dict[str, dict[str, str]], stop: Any, results: Any) -> None:
    """Reader process: answer every question in a loop; count which version each answer showed."""
    seen: Counter[str] = Counter()
    problems: list[str] = []
    deadline = time.monotonic() + READER_TIME_LIMIT_S
    try:
        store = open_seeded(db)
        answerer = Answerer(store)
        while not stop.is_set() and time.monotonic() < deadline:
            for question in QUESTIONS:
                text = render_text(answerer.answer(question))
                version = next((v for v, texts in expected.items() if texts[question] == text), None)
                if version is None:
                    problems.append(f"{question!r} -> {text[:300]!r}")
                seen[version or "neither"] += 1
        store.close()
    except Exception as error:  # reported to the test, which fails with it
        problems.append(f"{type(error).__name__}: {error}")
    results.put((dict(seen), problems[:5]))


@pytest.fixture
def two_versions(tmp_path: Path) -> tuple[Path, dict[str, list[Path]], dict[str, dict[str, str]]]:
    """A database holding the old version, both versions' files, and both versions' answers."""
    db = tmp_path / "facts.db"
    files = {version: catalogue_files(tmp_path, version) for version in VERSIONS}
    expected: dict[str, dict[str, str]] = {}
    with open_seeded(db) as store:
        import_paths(store, files["new"], replace=True)
        expected["new"] = answers(store)
        import_paths(store, files["old"], replace=True)
        expected["old"] = answers(store)
    for question in QUESTIONS:  # the versions must be told apart by every question
        assert expected["old"][question] != expected["new"][question], question
    return db, files, expected


def test_readers_see_the_old_facts_or_the_new_never_a_mixture(
    two_versions: tuple[Path, dict[str, list[Path]], dict[str, dict[str, str]]],
) -> None:
    db, files, expected = two_versions
    context = multiprocessing.get_context("fork")
    stop, results = context.Event(), context.Queue()
    readers = [
        context.Process(target=read_until_stopped, args=(str(db), expected, stop, results))
        for _ in range(READERS)
    ]
    for reader in readers:
        reader.start()
    outcomes = []
    try:
        for round_number in range(IMPORT_ROUNDS):
            version = "new" if round_number % 2 == 0 else "old"
            outcomes.append(finish(run_cli(db, "import", "--replace", *map(str, files[version]))))
    finally:
        stop.set()
        reports = [results.get(timeout=READER_TIME_LIMIT_S + 30) for _ in readers]
        for reader in readers:
            reader.join(timeout=30)
    assert [code for code, _output in outcomes] == [0] * IMPORT_ROUNDS, outcomes
    assert [problems for _seen, problems in reports] == [[]] * READERS
    totals: Counter[str] = sum((Counter(seen) for seen, _problems in reports), Counter())
    print(f"answers seen: {dict(totals)}")
    assert totals["old"] > 0 and totals["new"] > 0, totals  # the readers did overlap the imports
    with open_seeded(db) as store:
        assert answers(store) == expected["old"]


def test_two_imports_at_once_are_both_applied_and_undo_cleanly(
    tmp_path: Path, two_versions: tuple[Path, dict[str, list[Path]], dict[str, dict[str, str]]]
) -> None:
    db, _files, _expected = two_versions
    first = tmp_path / "first.csv"
    second = tmp_path / "second.csv"
    first.write_text(
        "show,viewers,window,platform\n"
        + "".join(f"Conc Show {i:04d},{i + 7},first 91 days,Netflix\n" for i in range(SHOWS))
    )
    second.write_text(
        "show,attribute,value\n"
        + "".join(f"Conc Show {i:04d},filming location,Place {i}\n" for i in range(SHOWS))
    )
    with open_seeded(db) as store:
        before = fact_dump(store)
        imports_before = len(list_imports(store, limit=1000))

    outcomes = [finish(process) for process in [run_cli(db, "import", str(path)) for path in (first, second)]]

    assert [code for code, _output in outcomes] == [0, 0], outcomes
    with open_seeded(db) as store:
        assert count(store, "viewership", "time_window = 'first 91 days'") == SHOWS
        assert count(store, "show_attributes", "value LIKE 'Place %'") == SHOWS
        records = list_imports(store, limit=1000)
        assert len(records) == imports_before + 2
        assert sorted(r.files for r in records[:2]) == [("first.csv",), ("second.csv",)]
        assert journal_ids(store) <= {record.id for record in records}
        undo_last_import(store, user="tests")
        undo_last_import(store, user="tests")
        assert fact_dump(store) == before
        with store.lock:
            assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def fact_dump(store: FactStore) -> dict[str, list[Any]]:
    tables = ("shows", "people", "credits", "viewership", "show_attributes", "names")
    with store.read() as db:
        return {table: db.execute(f"SELECT * FROM {table} ORDER BY id").fetchall() for table in tables}


def count(store: FactStore, table: str, where: str) -> int:
    with store.read() as db:
        return int(db.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}").fetchone()[0])


def journal_ids(store: FactStore) -> set[int]:
    with store.read() as db:
        return {row[0] for row in db.execute("SELECT DISTINCT import_id FROM import_changes")}


FIRST_STARTS = 4


def test_processes_starting_at_once_on_a_new_database_all_answer(tmp_path: Path) -> None:
    """The web and Socket Mode workers of a first deploy create, migrate and seed one new file."""
    db = tmp_path / "new.db"
    question = "who created Emily in Paris?"
    starts = [run_cli(db, "ask", "--json", question) for _ in range(FIRST_STARTS)]
    outcomes = [finish(process) for process in starts]
    assert [code for code, _output in outcomes] == [0] * FIRST_STARTS, outcomes
    with open_seeded(tmp_path / "reference.db") as reference:
        expected = render_text(Answerer(reference).answer(question))
    assert {json.loads(output)["text"] for _code, output in outcomes} == {expected}
    with open_seeded(db) as store:
        assert answers(store)["top 10"].startswith("Top ")
        assert {record.user for record in list_imports(store)} == {"showfacts (bundled seed)"}
