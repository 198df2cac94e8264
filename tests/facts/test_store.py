from __future__ import annotations

from pathlib import Path

import pytest

from facts.errors import FactsError
from facts.store import FactStore


def test_migrations_are_safe_to_rerun(tmp_path: Path) -> None:
    path = tmp_path / "facts.db"
    FactStore.open(path, seed=False).close()
    with FactStore.open(path, seed=False) as store:
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
