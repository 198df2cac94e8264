from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from facts import store as store_module
from facts.errors import FactsError
from facts.store import FactStore


def test_migrations_are_safe_to_rerun(tmp_path: Path) -> None:
    path = tmp_path / "facts.db"
    FactStore.open(path).close()
    with FactStore.open(path) as store:
        store.migrate()
        assert "shows" in store.db.table_names()


def test_database_uses_wal(empty_store: FactStore) -> None:
    assert empty_store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_write_is_all_or_nothing(empty_store: FactStore) -> None:
    with pytest.raises(RuntimeError), empty_store.write() as db:
        db.execute("INSERT INTO shows(title, title_key) VALUES ('A', 'a')")
        raise RuntimeError("boom")
    assert empty_store.db.table("shows").count == 0
    assert empty_store.generation() == 0


def test_name_index_follows_the_facts(empty_store: FactStore) -> None:
    with empty_store.write() as db:
        db.execute("INSERT INTO shows(title, title_key, aliases) VALUES ('Émily in Paris', 'x', 'EiP; ')")
    rows = [(r["kind"], r["norm"]) for r in empty_store.db.query("SELECT kind, norm FROM names")]
    assert rows == [("show", "emily in paris"), ("show_alias", "eip")]
    with empty_store.write() as db:
        db.execute("DELETE FROM shows")
    assert empty_store.db.table("names").count == 0
    assert empty_store.generation() == 2


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FactsError, match="does not exist"):
        FactStore.open(tmp_path / "nope" / "facts.db")


@contextmanager
def write_locked(path: Path, *, release_after: float | None = None) -> Iterator[None]:
    """Hold a write lock on a new database in rollback mode, as a process creating it does."""
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("CREATE TABLE creating(x)")
    other.execute("BEGIN IMMEDIATE")
    timer = threading.Timer(release_after, other.execute, ("COMMIT",)) if release_after else None
    if timer is not None:
        timer.start()
    try:
        yield
    finally:
        if timer is not None:
            timer.join()
        else:
            other.execute("ROLLBACK")
        other.close()


def test_open_waits_while_another_process_creates_the_database(tmp_path: Path) -> None:
    # SQLite refuses the switch to WAL at once while another connection writes, busy timeout or not.
    path = tmp_path / "facts.db"
    with write_locked(path, release_after=0.3), FactStore.open(path) as store:
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_database_locked_for_too_long_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 200)
    path = tmp_path / "facts.db"
    with write_locked(path), pytest.raises(FactsError) as raised:
        FactStore.open(path)
    assert str(raised.value) == (
        f"The fact database {path} stayed locked by another process for 0.2 s. Wait for the other"
        " showfacts process (an import?) to finish, or stop it, and try again."
    )
