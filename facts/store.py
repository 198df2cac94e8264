"""The fact store: one SQLite database, opened with the declared schema.

Many threads (Bolt runs listeners on a pool) and many processes (web server workers, the
Socket Mode worker, the CLI) share one database file:

* WAL mode lets readers keep answering while an import writes;
* each :class:`FactStore` owns one connection guarded by a lock, because an sqlite3
  connection shared by threads without one corrupts savepoints;
* writers take ``BEGIN IMMEDIATE`` with a busy timeout, so two imports are serialised
  instead of failing with "database is locked";
* every write bumps ``meta.generation``, which other processes notice through
  ``PRAGMA data_version`` and use to refresh what they keep in memory.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

from sqlite_utils import Database, Migrations

from facts.dialect import SQLITE, Connection, Dialect, Reader
from facts.errors import FactsError
from facts.schema import migrations, register_functions

MEMORY = ":memory:"
# How long a writer waits for another process's write lock (an import) before giving up.
DEFAULT_BUSY_TIMEOUT_SECONDS = 30.0
WAL_SWITCH_RETRY_SECONDS = 0.02
# A health check answers within a second or two, or the host counts it as failed.
HEALTH_TIMEOUT_SECONDS = 1.0
# Every write of facts runs this in its transaction (both backends).
BUMP_GENERATION = "UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'generation'"
READ_GENERATION = "SELECT value FROM meta WHERE key = 'generation'"


class StoreLock(Protocol):
    """What guards a store's connection: an ``RLock``, or a pool's (:class:`facts.pgpool.PoolLock`)."""

    def acquire(self, blocking: bool = ..., timeout: float = ...) -> bool: ...

    def release(self) -> None: ...

    def __enter__(self) -> Any: ...

    def __exit__(
        self, t: type[BaseException] | None, v: BaseException | None, tb: TracebackType | None, /
    ) -> Any: ...


class Store(Protocol):
    """What answering and the bot's shared state need of a store, on SQLite or PostgreSQL
    (:class:`FactStore`, :class:`facts.postgres.PostgresStore`)."""

    @property
    def dialect(self) -> Dialect: ...

    @property
    def conn(self) -> Connection: ...

    @property
    def lock(self) -> StoreLock: ...

    @property
    def path(self) -> str: ...

    @property
    def busy_timeout_ms(self) -> int: ...

    def read(self) -> AbstractContextManager[Reader]: ...

    def write(self) -> AbstractContextManager[Reader]: ...

    def migrate(self, schema: Any) -> None: ...

    def has_imports(self) -> bool: ...

    def generation(self) -> int: ...

    def data_version(self) -> int: ...

    def close(self) -> None: ...


class SqliteDatabase(Database):
    """The store's ``db``: a ``sqlite_utils.Database`` that says its dialect."""

    dialect: Dialect = SQLITE

    def executescript(self, sql: str) -> sqlite3.Cursor:
        """Run a script of statements, inside the open transaction if there is one.

        As sqlite-utils does, but its splitter tests the script for a complete statement after
        every character (19 of the 21 ms CPU that migrating a new store took).
        """
        if not self.conn.in_transaction:
            return self.conn.executescript(sql)
        cursor = self.conn.cursor()
        for statement in split_statements(sql):
            cursor.execute(statement)
        return cursor


def split_statements(script: str) -> Iterator[str]:
    """The complete statements of ``script``, in order, each cut at the semicolon that ends it."""
    start, end = 0, script.find(";")
    while end != -1:
        if sqlite3.complete_statement(script[start : end + 1]):  # not a ; inside quotes or a trigger
            yield script[start : end + 1].strip()
            start = end + 1
        end = script.find(";", end + 1)
    if script[start:].strip():
        yield script[start:].strip()


class FactStore:
    """An open fact database. Use :meth:`open`; close with :meth:`close` or ``with``.

    Args:
        conn: the connection, made by :meth:`open`.
        path: the database file.
        busy_timeout: seconds a write waits for another process's write lock before it is
            refused with a :class:`FactsError` saying the database stayed locked.
    """

    dialect: Dialect = SQLITE

    def __init__(
        self, conn: sqlite3.Connection, path: str, *, busy_timeout: float = DEFAULT_BUSY_TIMEOUT_SECONDS
    ) -> None:
        self.conn = conn
        self.path = path
        self.busy_timeout = busy_timeout
        # No sqlite-utils plugins on the facts' connection: none is used, and looking for them
        # reads every installed package's entry points (20-30 ms CPU at each start).
        self.db = SqliteDatabase(conn, execute_plugins=False)
        self.lock = threading.RLock()

    @classmethod
    def open(
        cls, path: str | Path = MEMORY, *, busy_timeout: float = DEFAULT_BUSY_TIMEOUT_SECONDS
    ) -> FactStore:
        """Open (creating and migrating if needed) the database at ``path``.

        A new database has no facts: loading the bundled seed is a step of its own
        (:func:`facts.importing.seed_if_new`), so that the store never depends on the importer.

        Args:
            path: the database file (``:memory:`` for a private one).
            busy_timeout: seconds to wait for another process's write lock (see :class:`FactStore`).

        Raises:
            FactsError: the database cannot be opened (missing folder, read-only, locked, not ours).
        """
        path = str(path)
        store = cls(_connect(path, busy_timeout), path, busy_timeout=busy_timeout)
        try:
            store.migrate()
        except sqlite3.OperationalError as error:  # e.g. "attempt to write a readonly database"
            store.close()
            raise _open_error(path, error, busy_timeout) from error
        except BaseException:  # locked for too long (a FactsError already), or interrupted
            store.close()
            raise
        return store

    @property
    def busy_timeout_ms(self) -> int:
        """The busy timeout in milliseconds, as ``PRAGMA busy_timeout`` takes it."""
        return _milliseconds(self.busy_timeout)

    def migrate(self, schema: Migrations = migrations) -> None:
        """Apply the pending migrations of ``schema`` (the facts' by default); safe to repeat.

        Other parts keep their own tables in the same database with their own set (the bot's).
        """
        with self.lock:
            if not schema.pending(self.db):
                return
            # Several processes may open a new database at once (the web and Socket Mode workers
            # on a first deploy): the write lock, taken up front, lets one migrate while the others
            # wait and then find nothing pending, instead of failing with "database is locked".
            with self.transaction(bump_generation=False):
                schema.apply(self.db)

    @contextmanager
    def read(self) -> Iterator[SqliteDatabase]:
        """Hold a consistent snapshot of the facts for the duration of the block.

        Inside another read or a write of this store, the block reads in that one.
        """
        with self.lock:
            if self.conn.in_transaction:
                yield self.db
                return
            self.conn.execute("BEGIN")
            try:
                yield self.db
            finally:
                self.conn.execute("COMMIT")

    def write(self) -> AbstractContextManager[SqliteDatabase]:
        """Run the block as one transaction that other writers wait for; bump the generation."""
        return self.transaction()

    @contextmanager
    def transaction(self, *, bump_generation: bool = True) -> Iterator[SqliteDatabase]:
        """Run the block as one transaction that other writers wait for (``BEGIN IMMEDIATE``).

        Raises inside the block roll everything back: a write is all or nothing. Writes of facts
        bump the generation, which other processes watch; bookkeeping (staged uploads, migrations)
        does not, so their caches stay valid.

        Raises:
            FactsError: another process held the write lock for longer than the busy timeout, or
                the disk is full; nothing was changed.
        """
        self.wait_until_writable()
        with self.lock:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as error:
                if _is_busy(error):
                    raise _locked(self.path, self.busy_timeout) from error
                raise
            try:
                yield self.db
                if bump_generation:
                    self.conn.execute(BUMP_GENERATION)
                self.conn.execute("COMMIT")
            except BaseException as error:
                if self.conn.in_transaction:  # a failed COMMIT (disk full) leaves it open
                    self.conn.execute("ROLLBACK")
                if isinstance(error, sqlite3.OperationalError) and _is_disk_full(error):
                    raise _disk_full(self.path) from error
                if isinstance(error, sqlite3.OperationalError) and _is_busy(error):
                    raise _locked(self.path, self.busy_timeout) from error
                raise

    def wait_until_writable(self) -> None:
        """Wait until no other connection holds the write lock, without holding :attr:`lock`.

        A write that waited for another process's import inside the lock would stop every thread
        of this process from answering, and Slack's acknowledgements with them, for as long as the
        busy timeout. Waiting here first, on a connection of its own, leaves only a moment between
        the lock coming free and the write taking it. Writers that must hold :attr:`lock` before
        they begin (an import attaching its staging database) call this first.

        Raises:
            FactsError: the write lock stayed taken for longer than the busy timeout.
        """
        if self.path == MEMORY:
            return
        uri = f"{Path(self.path).expanduser().resolve().as_uri()}?mode=rw"  # never creates the file
        try:
            probe = sqlite3.connect(uri, uri=True, timeout=self.busy_timeout, isolation_level=None)
        except sqlite3.Error:  # gone or unreadable: for the write itself to report
            return
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
        except sqlite3.OperationalError as error:
            if _is_busy(error):
                raise _locked(self.path, self.busy_timeout) from error
            # Anything else (a read-only database, say) is for the write itself to report.
        finally:
            probe.close()

    def has_imports(self) -> bool:
        """Return whether any import (the bundled seed included) was ever applied to this database."""
        with self.lock:
            return self.conn.execute("SELECT EXISTS (SELECT 1 FROM imports)").fetchone()[0] == 1

    def generation(self) -> int:
        """Return how many writes the database has seen (any process)."""
        with self.lock:
            row = self.conn.execute(READ_GENERATION).fetchone()
        return int(row[0]) if row else 0

    def data_version(self) -> int:
        """Return a number that changes when another connection commits; cheap to poll."""
        with self.lock:
            return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    def close(self) -> None:
        with self.lock:
            self.conn.close()

    def __enter__(self) -> FactStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _connect(path: str, busy_timeout: float) -> sqlite3.Connection:
    if path != MEMORY:
        parent = Path(path).expanduser().resolve().parent
        if not parent.is_dir():
            raise FactsError(
                f"Cannot create the fact database {path}: the folder {parent} does not exist.",
                "Create the folder, or point SHOWFACTS_DB (or --db) at a file in an existing folder.",
            )
    conn: sqlite3.Connection | None = None
    try:
        # isolation_level=None: we issue BEGIN/COMMIT ourselves (see FactStore.write).
        conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout = {_milliseconds(busy_timeout)}")
        if path != MEMORY:
            _use_wal(conn, busy_timeout)
            conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.DatabaseError as error:
        if conn is not None:
            conn.close()
        raise _open_error(path, error, busy_timeout) from error
    register_functions(conn)
    return conn


def _open_error(path: str, error: sqlite3.DatabaseError, busy_timeout: float) -> FactsError:
    """Say why the database at ``path`` could not be opened: locked, read-only, or not ours."""
    if isinstance(error, sqlite3.OperationalError) and _is_busy(error):
        return _locked(path, busy_timeout)
    return _read_only(path, Path(path).expanduser().resolve().parent) or _not_a_store(path, error)


def check_readable(path: str | Path) -> None:
    """Check, on a connection of its own, that the fact database at ``path`` can be read now.

    Used by health checks: it does not wait for this process's store lock (an import may hold it)
    and waits at most :data:`HEALTH_TIMEOUT_SECONDS` for SQLite.

    Raises:
        FactsError: the database is missing, unreadable or not a showfacts database.
    """
    uri = f"{Path(path).expanduser().resolve().as_uri()}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=HEALTH_TIMEOUT_SECONDS)
        try:
            conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as error:
        raise FactsError(f"The fact database {path} cannot be read ({error}).") from error


def _milliseconds(seconds: float) -> int:
    return max(0, round(seconds * 1000))


def _is_busy(error: sqlite3.OperationalError) -> bool:
    # The extended codes (SQLITE_BUSY_RECOVERY, ...) keep the primary code in their low byte.
    return error.sqlite_errorcode & 0xFF == sqlite3.SQLITE_BUSY


def _locked(path: str, busy_timeout: float) -> FactsError:
    return FactsError(
        f"The fact database {path} stayed locked by another process for {busy_timeout:g} s,"
        " so nothing was changed.",
        "Wait for the other showfacts process (an import?) to finish, or stop it, and try again.",
    )


def _is_disk_full(error: sqlite3.OperationalError) -> bool:
    return error.sqlite_errorcode == sqlite3.SQLITE_FULL or "disk is full" in str(error)


def _disk_full(path: str) -> FactsError:
    return FactsError(
        f"The disk holding the fact database {path} is full, so nothing was changed.",
        "Free some space on it (or move SHOWFACTS_DB to a larger disk), then try again.",
    )


def _read_only(path: str, parent: Path) -> FactsError | None:
    """Name a database showfacts cannot write (WAL needs its folder writable too), or None."""
    if os.access(parent, os.W_OK) and (not os.path.exists(path) or os.access(path, os.W_OK)):
        return None
    return FactsError(
        f"The fact database {path} is read-only: showfacts needs to write to it and to its folder {parent}.",
        "Make both writable by the user showfacts runs as, or point SHOWFACTS_DB (or --db) elsewhere.",
    )


def _not_a_store(path: str, error: sqlite3.DatabaseError) -> FactsError:
    return FactsError(
        f"{path} is not a showfacts database ({error}).",
        "Point SHOWFACTS_DB (or --db) at a showfacts database, or at a new file name to create one.",
    )


def _use_wal(conn: sqlite3.Connection, busy_timeout: float) -> None:
    """Switch the database to WAL, waiting (up to the busy timeout) while another connection writes.

    SQLite answers a journal-mode change with "database is locked" at once, without waiting as
    the busy timeout says, while another connection holds a write lock: the processes of a first
    deploy, creating one new database together, would fail to start.
    """
    deadline = time.monotonic() + busy_timeout
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if error.sqlite_errorcode != sqlite3.SQLITE_BUSY or time.monotonic() >= deadline:
                raise
        time.sleep(WAL_SWITCH_RETRY_SECONDS)
