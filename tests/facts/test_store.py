from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from facts.errors import FactsError
from facts.store import FactStore, split_statements


def test_migrations_are_safe_to_rerun(tmp_path: Path) -> None:
    path = tmp_path / "facts.db"
    FactStore.open(path).close()
    with FactStore.open(path) as store:
        store.migrate()
        assert "shows" in store.db.table_names()


def test_a_script_is_split_at_the_semicolons_that_end_its_statements() -> None:
    trigger = "CREATE TRIGGER a_one AFTER INSERT ON a BEGIN SELECT 'b;c'; SELECT 1; END;"
    script = f"""
        CREATE TABLE a (x TEXT);
        -- a comment; with a semicolon
        {trigger}
        INSERT INTO "a;b" VALUES ('d;e')
    """
    assert list(split_statements(script)) == [
        "CREATE TABLE a (x TEXT);",
        f"-- a comment; with a semicolon\n        {trigger}",
        """INSERT INTO "a;b" VALUES ('d;e')""",
    ]


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
        db.execute(
            "INSERT INTO shows(title, title_key, aliases)"
            " VALUES ('Émily in Paris', 'emily in paris', 'EiP; ')"
        )
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


def locked_message(path: Path, seconds: str) -> str:
    return (
        f"The fact database {path} stayed locked by another process for {seconds} s, so nothing was"
        " changed. Wait for the other showfacts process (an import?) to finish, or stop it, and try again."
    )


def test_a_database_locked_for_too_long_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "facts.db"
    with write_locked(path), pytest.raises(FactsError) as raised:
        FactStore.open(path, busy_timeout=0.2)
    assert str(raised.value) == locked_message(path, "0.2")


def test_a_write_waiting_too_long_for_another_process_is_refused_with_nothing_changed(
    tmp_path: Path,
) -> None:
    path = tmp_path / "facts.db"
    with FactStore.open(path, busy_timeout=0.2) as store:
        assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] == 200
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(FactsError) as raised, store.write() as db:
                db.execute("INSERT INTO shows(title, title_key) VALUES ('A', 'a')")
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert str(raised.value) == locked_message(path, "0.2")
        assert not store.conn.in_transaction
        with store.write() as db:  # the lock is free again: writes go through
            db.execute("INSERT INTO shows(title, title_key) VALUES ('A', 'a')")
        assert store.db.table("shows").count == 1


def test_a_write_waiting_for_another_process_leaves_this_process_reading(tmp_path: Path) -> None:
    path = tmp_path / "facts.db"
    with FactStore.open(path) as store:
        other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        other.execute("BEGIN IMMEDIATE")
        written = threading.Event()

        def write() -> None:
            with store.write() as db:
                db.execute("INSERT INTO shows(title, title_key) VALUES ('A', 'a')")
            written.set()

        writer = threading.Thread(target=write)
        writer.start()
        try:
            assert not written.wait(0.2)  # waiting for the other process...
            assert store.lock.acquire(timeout=1)  # ...without holding this store's lock
            store.lock.release()
            with store.read() as db:
                assert db.table("shows").count == 0
        finally:
            other.execute("ROLLBACK")
            other.close()
            writer.join()
        assert written.is_set()
        assert store.db.table("shows").count == 1


def test_the_default_busy_timeout_is_thirty_seconds(empty_store: FactStore) -> None:
    assert empty_store.conn.execute("PRAGMA busy_timeout").fetchone()[0] == 30_000
