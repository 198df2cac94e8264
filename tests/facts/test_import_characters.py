"""One actor may play several characters in one show: a cast credit is keyed by its character too.

The tests taking ``empty_store`` run on both backends (a new SQLite file, a new PostgreSQL database).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from facts.answering import Answerer
from facts.errors import FactsError
from facts.importing import ImportFile, apply_import, plan_import, undo_last_import
from facts.plaintext import render_text
from facts.schema import migrations, register_functions
from facts.store import FactStore, Store
from tests.facts.test_import import dump

TWINS = (
    b"show,name,role,character\n"
    b"Harbour Lights,Declan Moore,cast,Father Tom\n"
    b"Harbour Lights,Declan Moore,cast,Brother Liam\n"
)


@pytest.fixture
def empty_store(backend_store: Store) -> Store:
    """No facts, on each backend."""
    return backend_store


def run_import(store: Store, data: bytes) -> None:
    apply_import(store, plan_import(store, [ImportFile("credits.csv", data)]), user="ana")


def roles(store: Store) -> list[tuple[str, str, str]]:
    with store.read() as db:
        return db.execute(
            "SELECT p.name, c.role, c.character FROM credits c JOIN people p ON p.id = c.person_id"
            " ORDER BY c.id"
        ).fetchall()


def characters_indexed(store: Store) -> list[str]:
    with store.read() as db:
        return [row[0] for row in db.execute("SELECT text FROM names WHERE kind = 'character' ORDER BY id")]


def test_two_characters_of_one_actor_both_import_and_undo_removes_them(empty_store: Store) -> None:
    before = dump(empty_store)
    run_import(empty_store, TWINS)
    assert roles(empty_store) == [
        ("Declan Moore", "cast", "Father Tom"),
        ("Declan Moore", "cast", "Brother Liam"),
    ]
    assert characters_indexed(empty_store) == ["Father Tom", "Brother Liam"]
    undo_last_import(empty_store, user="ana")
    assert dump(empty_store) == before


def test_reimporting_the_same_characters_changes_nothing(empty_store: Store) -> None:
    run_import(empty_store, TWINS)
    imported = dump(empty_store)
    plan = plan_import(empty_store, [ImportFile("credits.csv", TWINS.replace(b"Father Tom", b"father tom"))])
    assert plan.to_answer().headline.startswith("Dry run:")
    apply_import(empty_store, plan, user="ana")
    # The same character written in another case is the same credit: an update, not a third row.
    assert [character for _, _, character in roles(empty_store)] == ["father tom", "Brother Liam"]
    run_import(empty_store, TWINS)
    assert dump(empty_store) == imported


def test_a_row_with_the_same_character_updates_that_credit(empty_store: Store) -> None:
    run_import(empty_store, TWINS)
    run_import(
        empty_store,
        b"show,name,role,character,company\nHarbour Lights,Declan Moore,cast,Brother Liam,Harrow\n",
    )
    with empty_store.read() as db:
        companies = db.execute("SELECT character, company FROM credits ORDER BY id").fetchall()
    assert companies == [("Father Tom", ""), ("Brother Liam", "Harrow")]


def test_a_file_without_characters_updates_the_credit_it_names(empty_store: Store) -> None:
    run_import(empty_store, b"show,name,role,character\nDark,Louis Hofmann,cast,Jonas Kahnwald\n")
    run_import(empty_store, b"show,name,role,source\nDark,Louis Hofmann,cast,Netflix press\n")
    with empty_store.read() as db:
        credits = db.execute("SELECT character, source FROM credits").fetchall()
    assert credits == [("Jonas Kahnwald", "Netflix press")]


def test_the_same_character_twice_in_a_file_is_a_duplicate(empty_store: Store) -> None:
    data = TWINS + b"Harbour Lights,declan moore,Cast,Brother  Liam\n"
    with pytest.raises(FactsError) as raised:
        plan_import(empty_store, [ImportFile("credits.csv", data)])
    assert raised.value.details == (
        "credits.csv line 4: the same credit as credits.csv line 3"
        " (Harbour Lights — declan moore (cast as Brother  Liam)). Keep one of the two rows.",
    )


def test_a_store_of_the_old_schema_keeps_its_credits_and_takes_a_second_character(tmp_path: Path) -> None:
    path = tmp_path / "facts.db"
    conn = sqlite3.connect(path, isolation_level=None)
    register_functions(conn)
    old = Database(conn)
    migrations.apply(old, stop_before="m105_credits_keyed_by_character")
    old.execute("INSERT INTO shows(id, title, title_key) VALUES (7, 'Harbour Lights', 'harbour lights')")
    old.execute("INSERT INTO people(id, name, name_key) VALUES (9, 'Declan Moore', 'declan moore')")
    old.execute(
        "INSERT INTO credits(id, show_id, person_id, role, character, company, source)"
        " VALUES (42, 7, 9, 'cast', 'Father Tom', 'Harrow', 'press')"
    )
    conn.close()

    with FactStore.open(path) as store:
        with store.read() as db:
            assert db.execute("SELECT * FROM credits").fetchall() == [
                (42, 7, 9, "cast", "Father Tom", "Harrow", "press", "")
            ]
            assert db.execute("SELECT ref_id FROM names WHERE text = 'Father Tom'").fetchall() == [(42,)]
        run_import(store, TWINS)
        assert [character for _, _, character in roles(store)] == ["Father Tom", "Brother Liam"]
        assert characters_indexed(store) == ["Father Tom", "Brother Liam"]
        undo_last_import(store, user="ana")
        assert characters_indexed(store) == ["Father Tom"]


def test_a_cast_listing_names_an_actor_once_with_all_their_characters(empty_store: Store) -> None:
    run_import(empty_store, TWINS + b"Harbour Lights,Siobhan Reilly,cast,Nora Keane\n")
    answer = Answerer(empty_store).answer("who is in the cast of Harbour Lights?")
    assert render_text(answer).splitlines()[:3] == [
        "Harbour Lights stars Declan Moore and Siobhan Reilly.",
        "- Declan Moore as Father Tom and Brother Liam",
        "- Siobhan Reilly as Nora Keane",
    ]
