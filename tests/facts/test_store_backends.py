"""The store's contract on both backends: migrations, all-or-nothing writes, snapshots, one writer at once."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from facts.errors import FactsError
from facts.importing import open_seeded
from facts.store import Store
from tests.backends import Backend

ADD_SHOW = "INSERT INTO shows(title, title_key) VALUES (?, ?)"


def count_shows(store: Store) -> int:
    with store.read() as db:
        return int(db.execute("SELECT count(*) FROM shows").fetchone()[0])


def test_migrations_are_safe_to_rerun(backend: Backend, backend_store: Store) -> None:
    again = backend.open_again(backend_store)
    again.close()
    assert {"shows", "people", "credits", "viewership", "names", "meta"} <= backend.tables(backend_store)
    assert backend_store.generation() == 0
    assert not backend_store.has_imports()


def test_write_is_all_or_nothing(backend_store: Store) -> None:
    with pytest.raises(RuntimeError), backend_store.write() as db:
        db.execute(ADD_SHOW, ("A", "a"))
        raise RuntimeError("boom")
    assert count_shows(backend_store) == 0
    assert backend_store.generation() == 0


def test_a_write_bumps_the_generation_every_process_sees(backend: Backend, backend_store: Store) -> None:
    other = backend.open_again(backend_store)
    with backend_store.write() as db:
        db.execute(ADD_SHOW, ("Lupin", "lupin"))
    assert other.generation() == 1
    assert count_shows(other) == 1
    other.close()


def test_a_read_sees_one_snapshot(backend: Backend, backend_store: Store) -> None:
    other = backend.open_again(backend_store)
    with backend_store.read() as db:
        before = db.execute("SELECT count(*) FROM shows").fetchone()[0]
        with other.write() as writing:
            writing.execute(ADD_SHOW, ("Lupin", "lupin"))
        assert db.execute("SELECT count(*) FROM shows").fetchone()[0] == before
        assert count_shows(backend_store) == before  # a read inside it reads in it
    assert count_shows(backend_store) == before + 1
    other.close()


def test_a_read_inside_a_write_reads_in_it(backend_store: Store) -> None:
    with backend_store.write() as db:
        db.execute(ADD_SHOW, ("Dexter", "dexter"))
        assert count_shows(backend_store) == 1


def test_the_generation_a_read_sees_is_its_snapshots(backend: Backend, backend_store: Store) -> None:
    other = backend.open_again(backend_store)
    with backend_store.read():
        assert backend_store.generation() == 0
        with other.write() as writing:
            writing.execute(ADD_SHOW, ("Lupin", "lupin"))
        assert backend_store.generation() == 0
    assert backend_store.generation() == 1
    other.close()


def test_several_queries_are_asked_as_one(backend_seeded_store: Store) -> None:
    dialect = backend_seeded_store.dialect
    queries = [
        ("SELECT title FROM shows WHERE title_key = ?", ("lupin",)),
        ("SELECT title FROM shows WHERE title_key > ? ORDER BY title_key LIMIT ?", ("emily", 2)),
        ("SELECT title FROM shows WHERE title_key = ?", ("the crown",)),
    ]
    sql, params = dialect.union_all(queries)
    with backend_seeded_store.read() as db:
        rows = db.execute(sql, params).fetchall()
    assert sorted(tuple(row) for row in rows) == [(0, "Lupin"), (1, "Emily in Paris"), (1, "Lupin")]


def test_the_vocabulary_counts_each_name_once_per_word(backend_store: Store) -> None:
    with backend_store.write() as db:
        for ref_id, norm in enumerate(("tora tora tora", "tora", "the wire"), start=1):
            db.execute(
                "INSERT INTO names(kind, ref_id, text, norm) VALUES ('show', ?, ?, ?)", (ref_id, norm, norm)
            )
    with backend_store.read() as db:
        vocabulary = sorted(tuple(row) for row in db.execute(backend_store.dialect.vocabulary).fetchall())
    assert vocabulary == [("the", 1), ("tora", 2), ("wire", 1)]


def test_writers_take_turns(backend: Backend, backend_store: Store) -> None:
    other = backend.open_again(backend_store)
    entered = threading.Event()

    def write_elsewhere() -> None:
        with other.write() as db:
            entered.set()
            db.execute(ADD_SHOW, ("Dexter", "dexter"))

    with backend_store.write() as db:
        db.execute(ADD_SHOW, ("Lupin", "lupin"))
        writer = threading.Thread(target=write_elsewhere)
        writer.start()
        assert not entered.wait(0.3)  # the second writer waits for the first to commit
    writer.join(timeout=10)
    assert entered.is_set()
    assert backend_store.generation() == 2
    assert count_shows(backend_store) == 2
    other.close()


def test_the_seed_is_on_both(backend_seeded_store: Store) -> None:
    assert backend_seeded_store.has_imports()
    with backend_seeded_store.read() as db:
        titles = [row["title"] for row in db.query("SELECT title FROM shows ORDER BY title_key")]
        words = db.execute("SELECT count(*) FROM names").fetchone()[0]
    assert titles == ["Bridgerton", "Emily in Paris", "Lupin", "The Witcher"]
    assert words > len(titles)


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_copying_into_a_database_with_facts_is_refused(
    backend: Backend, backend_seeded_store: Store, tmp_path: Path
) -> None:
    from facts.postgres import PostgresStore, copy_facts

    assert isinstance(backend_seeded_store, PostgresStore)
    source = open_seeded(tmp_path / "again.db")
    with pytest.raises(FactsError, match="already holds facts; nothing was copied"):
        copy_facts(source, backend_seeded_store)
    source.close()


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_new_rows_after_a_copy_get_new_ids(backend_seeded_store: Store) -> None:
    with backend_seeded_store.write() as db:
        db.execute(ADD_SHOW, ("Dexter", "dexter"))
    with backend_seeded_store.read() as db:
        ids = [row[0] for row in db.execute("SELECT id FROM shows ORDER BY id").fetchall()]
    assert ids == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_a_killed_writer_leaves_the_old_facts_and_frees_the_write_lock(
    backend: Backend, backend_store: Store
) -> None:
    import psycopg

    from facts.postgres import PostgresStore

    assert isinstance(backend_store, PostgresStore)
    other = backend.open_again(backend_store)
    with pytest.raises(psycopg.OperationalError), backend_store.write() as db:
        db.execute(ADD_SHOW, ("Half", "half"))
        # The server ends the writer's session, as when its process is killed mid-import.
        other.conn.execute("SELECT pg_terminate_backend(?)", (backend_store.conn.raw.info.backend_pid,))
        db.execute(ADD_SHOW, ("Other half", "other half"))
    with other.write() as db:  # the advisory lock went with the session: no wait
        db.execute(ADD_SHOW, ("Whole", "whole"))
    with other.read() as db:
        assert [row["title"] for row in db.query("SELECT title FROM shows")] == ["Whole"]
    assert other.generation() == 1
    other.close()


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_a_write_leaves_no_name_words_pending(backend_seeded_store: Store) -> None:
    from facts.pgschema import MERGE_NAME_WORDS

    with backend_seeded_store.write() as db:
        db.execute("INSERT INTO names(kind, ref_id, text, norm) VALUES ('show', 1, 'Lupin Two', 'lupin two')")
    with backend_seeded_store.read() as db:
        # The pages it would merge now: none, as the copy's and the write's rows were merged already.
        assert db.execute(MERGE_NAME_WORDS).fetchone()[0] == 0
