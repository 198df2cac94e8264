"""What an import of many new rows drops and creates again: the shows' and people's keys (unique
indexes), the other indexes, the name index's insert triggers.

SQLite only: PostgreSQL keeps its keys as table constraints, drops no index and has no triggers.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from facts import importing
from facts.importing import ImportFile, ImportTuning, apply_import, plan_import, undo_last_import
from facts.schema import migrations, register_functions
from facts.store import FactStore
from tests.facts.test_import import BULK_FILES, dump

KEY_INDEXES = ("people_name_key", "shows_title_key")


def bulk_files() -> list[ImportFile]:
    return [ImportFile(name, data) for name, data in BULK_FILES]


def indexes(store: FactStore) -> list[tuple[str, str]]:
    with store.read() as db:
        rows = db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('shows', 'people')"
            " ORDER BY name"
        )
        return [tuple(row) for row in rows.fetchall()]


def test_keys_built_anew_after_an_import_still_refuse_a_duplicate(tmp_path: Path) -> None:
    with importing.open_seeded(tmp_path / "facts.db") as store:
        before = indexes(store)
        # Always rebuilt, whatever the store holds.
        plan = plan_import(store, bulk_files(), tuning=ImportTuning(rebuild_indexes_at=0))
        apply_import(store, plan, user="ana")
        assert indexes(store) == before
        assert [name for name, _ in before] == list(KEY_INDEXES)
        with pytest.raises(sqlite3.IntegrityError, match="shows.title_key"), store.write() as db:
            db.execute("INSERT INTO shows(title, title_key) VALUES ('BULK SHOW 3', 'bulk show 3')")


def test_the_schema_is_back_after_an_import_and_its_triggers_index_the_next_write(tmp_path: Path) -> None:
    with importing.open_seeded(tmp_path / "facts.db") as store:
        with store.read() as db:
            schema = db.execute("SELECT type, name, sql FROM sqlite_master ORDER BY 1, 2").fetchall()
        apply_import(store, plan_import(store, bulk_files()), user="ana")
        with store.write() as db:
            assert db.execute("SELECT type, name, sql FROM sqlite_master ORDER BY 1, 2").fetchall() == schema
            db.execute("INSERT INTO shows(title, title_key) VALUES ('Late Show', 'late show')")
        with store.read() as db:
            found = db.execute("SELECT kind, norm FROM names WHERE text = 'Late Show'").fetchall()
            words = db.execute("SELECT COUNT(*) FROM names_fts WHERE names_fts MATCH 'late'").fetchone()
        assert (found, words) == ([("show", "late show")], (1,))


@pytest.mark.parametrize("step", [f"index {name}" for name in KEY_INDEXES])
def test_a_fault_while_a_key_is_built_changes_nothing(tmp_path: Path, step: str) -> None:
    def failing(name: str) -> None:
        if name == step:
            raise OSError("disk full (injected)")

    with importing.open_seeded(tmp_path / "facts.db") as store:
        before, keys = dump(store), indexes(store)
        tuning = ImportTuning(rebuild_indexes_at=0, before_step=failing)
        plan = plan_import(store, bulk_files(), tuning=tuning)
        with pytest.raises(OSError, match="injected"):
            apply_import(store, plan, user="ana")
        assert dump(store) == before
        assert indexes(store) == keys


def test_a_store_whose_keys_were_table_constraints_keeps_its_rows_and_names(tmp_path: Path) -> None:
    path = tmp_path / "facts.db"
    conn = sqlite3.connect(path, isolation_level=None)
    register_functions(conn)
    conn.execute("PRAGMA foreign_keys = ON")
    old = Database(conn)
    migrations.apply(old, stop_before="m110_keys_as_unique_indexes")
    old.execute(
        "INSERT INTO shows(id, title, title_key, aliases)"
        " VALUES (7, 'Harbour Lights', 'harbour lights', 'HL')"
    )
    old.execute("INSERT INTO people(id, name, name_key) VALUES (9, 'Declan Moore', 'declan moore')")
    old.execute(
        "INSERT INTO credits(id, show_id, person_id, role, character) VALUES (42, 7, 9, 'cast', 'Father Tom')"
    )
    old.execute("INSERT INTO viewership(id, show_id, value) VALUES (5, 7, 1000)")
    conn.close()

    with FactStore.open(path) as store:
        tables = dump(store)
        assert tables["shows"][0][:4] == (7, "Harbour Lights", "harbour lights", "HL")
        assert [row[:3] for row in tables["credits"]] == [(42, 7, 9)]
        assert [(kind, ref) for kind, ref, _, _ in tables["names"]] == [
            ("character", 42),
            ("person", 9),
            ("show", 7),
            ("show_alias", 7),
        ]
        assert [name for name, _ in indexes(store)] == list(KEY_INDEXES)
        with store.read() as db:
            assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        apply_import(store, plan_import(store, bulk_files()), user="ana")
        undo_last_import(store, user="ana")
        assert dump(store) == tables
