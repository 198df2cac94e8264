"""The fact store on PostgreSQL (psycopg 3): the same interface as :class:`facts.store.FactStore`.

The queries are the SQLite store's, ``?`` placeholders and all: :class:`PostgresConnection`
rewrites them for psycopg, and :data:`facts.dialect.POSTGRESQL` says what the two say differently.
Like the SQLite store, one store owns one connection guarded by a lock; transactions are begun
and ended by the store (the connection is in autocommit mode between them).

What runs here: opening and migrating, reading and answering, conversation context and event
dedupe, export, health checks (:func:`check_reachable`), :func:`copy_facts` (facts, journal and
name index from a SQLite store: ``showfacts migrate``) and the import pipeline
(:mod:`facts.importing`, through :mod:`facts.importing.target`).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from functools import lru_cache
from typing import Any, Protocol

from facts.dialect import COPIED_IMPORTS_KEY, POSTGRESQL, Dialect
from facts.errors import FactsError
from facts.pgschema import ID_TABLES, MERGE_NAME_WORDS, PostgresMigrations, migrations
from facts.store import (
    BUMP_GENERATION,
    DEFAULT_BUSY_TIMEOUT_SECONDS,
    HEALTH_TIMEOUT_SECONDS,
    READ_GENERATION,
    FactStore,
    StoreLock,
)

try:  # psycopg is an optional dependency: pip install 'showfacts[postgres]'
    import psycopg
    from psycopg.pq import TransactionStatus
    from psycopg.rows import dict_row
except ImportError:  # pragma: no cover - exercised only without the extra
    psycopg = None  # type: ignore[assignment]

_NO_PSYCOPG = (
    "The facts are in PostgreSQL, which needs the psycopg package: pip install 'showfacts[postgres]'"
)
# libpq waits at least 2 s for a connection (it rounds less up to 2).
HEALTH_CONNECT_SECONDS = 2
_INDEXED_BY = re.compile(r"\s+INDEXED BY\s+\w+", re.IGNORECASE)
# "+v.metric = ?": a plus right before a table's column, after a space or a parenthesis.
_UNARY_PLUS = re.compile(r"(?<=[\s(])\+(?=[a-z_]\w*\.\w)")
# Facts copied per batch: bounded memory whatever the size of the store.
COPY_BATCH_ROWS = 10_000
COPIED_TABLES = (*ID_TABLES, "meta")
# Slack uploads waiting for Apply: plans against the facts a copy replaces, so they go with them.
STAGING_TABLES = ("staged_import_files", "staged_imports")


@lru_cache(maxsize=4096)
def to_psycopg(sql: str) -> str:
    """Rewrite a query of the store for psycopg: SQLite's planner hints dropped (``INDEXED BY``, and
    the unary ``+`` that keeps a column off an index), ``?`` placeholders (outside quotes) as ``%s``
    and ``%`` as ``%%``."""
    sql = _UNARY_PLUS.sub("", _INDEXED_BY.sub("", sql))
    out: list[str] = []
    quote = ""
    for char in sql:
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "?":
            out.append("%s")
            continue
        out.append("%%" if char == "%" else char)
    return "".join(out)


_IN_TRANSACTION = frozenset(
    {TransactionStatus.ACTIVE, TransactionStatus.INTRANS, TransactionStatus.INERROR} if psycopg else ()
)


class PgConnection(Protocol):
    """What the store uses of its connection: a :class:`PostgresConnection`, or the one a thread holds
    of a pool (:class:`facts.pgpool.HeldConnection`)."""

    @property
    def raw(self) -> psycopg.Connection[Any]: ...

    @property
    def in_transaction(self) -> bool: ...

    def execute(self, sql: str, parameters: Any = (), /) -> psycopg.Cursor[Any]: ...

    def close(self) -> None: ...


class PostgresConnection:
    """A psycopg connection that takes the store's ``?`` queries."""

    def __init__(self, raw: psycopg.Connection[Any]) -> None:
        self.raw = raw

    @property
    def in_transaction(self) -> bool:
        # Not when the connection is lost (UNKNOWN): the server has rolled the transaction back.
        return self.raw.info.transaction_status in _IN_TRANSACTION

    def execute(self, sql: str, parameters: Any = (), /) -> psycopg.Cursor[Any]:
        return self.raw.execute(to_psycopg(sql), tuple(parameters))

    def close(self) -> None:
        self.raw.close()


class PostgresDatabase:
    """The store's ``db`` on PostgreSQL: the part of ``sqlite_utils.Database`` queries use."""

    dialect: Dialect = POSTGRESQL

    def __init__(self, conn: PgConnection) -> None:
        self.conn = conn

    def query(self, sql: str, params: Any = (), /) -> Iterator[dict[str, Any]]:
        with self.conn.raw.cursor(row_factory=dict_row) as cursor:
            cursor.execute(to_psycopg(sql), tuple(params))
            yield from cursor

    def execute(self, sql: str, parameters: Any = (), /) -> psycopg.Cursor[Any]:
        return self.conn.execute(sql, parameters)

    def executescript(self, script: str) -> None:
        """Run several statements without parameters."""
        self.conn.raw.execute(script.encode())

    def table_names(self) -> list[str]:
        rows = self.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        return sorted(row[0] for row in rows.fetchall())


class PostgresStore:
    """An open fact database on a PostgreSQL server. Use :meth:`open`; close with :meth:`close`."""

    dialect: Dialect = POSTGRESQL

    def __init__(
        self,
        conn: PgConnection,
        url: str,
        *,
        busy_timeout: float = DEFAULT_BUSY_TIMEOUT_SECONDS,
        lock: StoreLock | None = None,
    ) -> None:
        self.conn = conn
        self.path = url
        self.busy_timeout = busy_timeout
        self.db = PostgresDatabase(conn)
        # A pool's lock (facts.pgpool.PoolLock) hands each thread a connection of its own.
        self.lock: StoreLock = lock or threading.RLock()
        if lock is None:
            conn.execute(self.dialect.busy_timeout(self.busy_timeout_ms))
        # The generation each thread's open read snapshot sees (unset outside one): read with its BEGIN.
        self._snapshot = threading.local()

    @property
    def busy_timeout_ms(self) -> int:
        """How long (ms) a statement waits for another connection's lock (``lock_timeout``)."""
        return max(0, round(self.busy_timeout * 1000))

    @classmethod
    def open(
        cls, url: str, *, busy_timeout: float = DEFAULT_BUSY_TIMEOUT_SECONDS, pool_size: int = 0
    ) -> PostgresStore:
        """Connect to the database at ``url`` (``postgresql://...``) and migrate it if needed.

        Args:
            busy_timeout: seconds a write waits for another process's write (an import) to end.
            pool_size: share up to this many connections among the threads of this process
                (:mod:`facts.pgpool`); 0 for one connection, all a single-threaded process needs.

        Raises:
            FactsError: psycopg is not installed, or the server cannot be reached (never naming
                the password).
        """
        # One connection first, in any case: its failure says why, where a pool would only wait.
        store = cls(PostgresConnection(_connect(url)), url, busy_timeout=busy_timeout)
        try:
            store.migrate()
        except BaseException:
            store.close()
            raise
        if not pool_size:
            return store
        store.close()
        return cls.pooled(url, pool_size, busy_timeout=busy_timeout)

    @classmethod
    def pooled(
        cls, url: str, size: int, *, busy_timeout: float = DEFAULT_BUSY_TIMEOUT_SECONDS
    ) -> PostgresStore:
        """A store on a pool of up to ``size`` connections to the (migrated) database at ``url``."""
        from facts.pgpool import DEFAULT_POOL_WAIT_SECONDS, HeldConnection, PoolLock, open_pool

        timeout = POSTGRESQL.busy_timeout(max(0, round(busy_timeout * 1000)))
        pool = open_pool(url, size, configure=lambda raw: raw.execute(timeout))
        lock = PoolLock(pool, PostgresConnection, wait_seconds=DEFAULT_POOL_WAIT_SECONDS)
        return cls(HeldConnection(lock), url, busy_timeout=busy_timeout, lock=lock)

    def migrate(self, schema: PostgresMigrations = migrations) -> None:
        """Apply the pending migrations of ``schema``; other processes wait on the write lock."""
        with self.lock:
            if not schema.pending(self.db):
                return
            with self.transaction(bump_generation=False):
                schema.apply(self.db)

    @contextmanager
    def read(self) -> Iterator[PostgresDatabase]:
        """Hold a consistent snapshot of the facts for the duration of the block.

        Inside another read or a write of this store, the block reads in that one.
        """
        with self.lock:
            if self.conn.in_transaction:
                yield self.db
                return
            self._snapshot.generation = self._begin_read()
            try:
                yield self.db
            finally:
                self._snapshot.generation = None
                self.conn.execute("COMMIT")

    def _begin_read(self) -> int:
        """Begin a read snapshot and return its generation, in one round trip to the server."""
        # Statements without parameters go in one message (the simple query protocol).
        script = "; ".join((*self.dialect.begin_read, READ_GENERATION))
        try:
            cursor = self.conn.raw.execute(script)
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        while cursor.nextset():
            pass
        row = cursor.fetchone()
        return int(row[0]) if row else 0

    def write(self) -> AbstractContextManager[PostgresDatabase]:
        """Run the block as one transaction that other writers wait for; bump the generation."""
        return self.transaction()

    @contextmanager
    def transaction(self, *, bump_generation: bool = True) -> Iterator[PostgresDatabase]:
        """Run the block as one transaction, serialised with every other writer by an advisory lock."""
        with self.lock:
            for statement in self.dialect.begin_write:
                self.conn.execute(statement)
            try:
                yield self.db
                if bump_generation:
                    self.conn.execute(BUMP_GENERATION)
                    self.conn.execute(MERGE_NAME_WORDS)
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise

    def has_imports(self) -> bool:
        """Return whether any import was ever applied to this database."""
        with self.lock:
            row = self.conn.execute("SELECT EXISTS (SELECT 1 FROM imports)").fetchone()
        return bool(row and row[0])

    def generation(self) -> int:
        """Return how many writes the database has seen (any process); inside a read, as it sees them."""
        with self.lock:
            generation = getattr(self._snapshot, "generation", None)
            if generation is not None and self.conn.in_transaction:
                return int(generation)
            row = self.conn.execute(READ_GENERATION).fetchone()
        return int(row[0]) if row else 0

    def data_version(self) -> int:
        """Always 0: every write bumps the generation, which is read from the server each time."""
        return 0

    def close(self) -> None:
        with self.lock:
            self.conn.close()

    def __enter__(self) -> PostgresStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def copy_facts(source: FactStore, target: PostgresStore, *, replace: bool = False) -> int:
    """Copy every fact, the import journal and the name index of ``source`` into ``target``.

    The copy is one transaction, taken with the write lock: other processes answer from the old
    facts until it commits, then from the new ones, never from a mixture, and a failure changes
    nothing. The generation goes on from the larger of the two, so every process reloads.

    Args:
        replace: remove the facts ``target`` holds first, instead of refusing to copy over them.

    Returns:
        The number of rows copied.

    Raises:
        FactsError: ``target`` already has facts (and ``replace`` is not set).
    """
    with source.read() as db, target.transaction() as pg:
        generation = _holding_generation(pg, target.path, replace=replace)
        for table in (*reversed(COPIED_TABLES), *STAGING_TABLES):
            pg.execute(f"DELETE FROM {table}")
        copied = sum(_copy_table(db, target, table) for table in COPIED_TABLES)
        for table in ID_TABLES:
            pg.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce(max(id), 0) + 1, false)"
                f" FROM {table}"
            )
        pg.execute(
            "UPDATE meta SET value = CAST(GREATEST(CAST(value AS BIGINT), ?) AS TEXT)"
            " WHERE key = 'generation'",
            (generation,),
        )
        _mark_copied_imports(pg)
        # Planner statistics now, not when autovacuum gets round to it: without them the name
        # index's lookups scan every name.
        for table in COPIED_TABLES:
            pg.execute(f"ANALYZE {table}")
    return copied


def _mark_copied_imports(pg: PostgresDatabase) -> None:
    """Note the last import copied: SQLite's journal of it holds no name rows to undo it with here."""
    pg.execute(
        f"INSERT INTO meta(key, value) SELECT '{COPIED_IMPORTS_KEY}', CAST(max(id) AS TEXT) FROM imports"
        " HAVING count(*) > 0 ON CONFLICT (key) DO UPDATE SET value = excluded.value"
    )


def _holding_generation(pg: PostgresDatabase, url: str, *, replace: bool) -> int:
    """Return the generation of the database ``pg``, refusing to copy over its facts unless told."""
    held = pg.execute("SELECT EXISTS (SELECT 1 FROM imports)").fetchone()
    if not replace and held and held[0]:
        raise FactsError(
            f"The PostgreSQL database {describe_url(url)} already holds facts; nothing was copied.",
            "Copy into a new database, or pass --replace to replace its facts with these.",
        )
    row = pg.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
    return int(row[0]) if row else 0


def _copy_table(db: Any, target: PostgresStore, table: str) -> int:
    """Copy the rows of ``table`` from the SQLite ``db`` into ``target`` (in its transaction)."""
    columns = [c for c in _columns(target.db, table) if c in db[table].columns_dict]
    names = ", ".join(f'"{column}"' for column in columns)
    cursor = db.execute(f"SELECT {names} FROM {table} ORDER BY 1")
    copied = 0
    with target.conn.raw.cursor().copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        while batch := cursor.fetchmany(COPY_BATCH_ROWS):
            for row in batch:
                copy.write_row(row)
            copied += len(batch)
    return copied


def _connect(url: str) -> psycopg.Connection[Any]:
    if psycopg is None:  # pragma: no cover
        raise FactsError(_NO_PSYCOPG)
    try:
        return psycopg.connect(url, autocommit=True)
    except psycopg.OperationalError as error:
        raise FactsError(
            f"Cannot connect to the PostgreSQL database {describe_url(url)} ({_first_line(error)}).",
            "Check SHOWFACTS_DB (or DATABASE_URL): host, port, database name, user and password.",
        ) from error


def check_reachable(url: str) -> None:
    """Check on a new connection, within about a second, that the facts at ``url`` can be read.

    Raises:
        FactsError: the server cannot be reached or the database read, saying why.
    """
    if psycopg is None:  # pragma: no cover
        raise FactsError(_NO_PSYCOPG)
    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=HEALTH_CONNECT_SECONDS) as conn:
            conn.execute(f"SET statement_timeout = {round(HEALTH_TIMEOUT_SECONDS * 1000)}")
            conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
    except psycopg.Error as error:
        raise FactsError(
            f"The PostgreSQL database {describe_url(url)} cannot be read ({_first_line(error)})."
        ) from error


def _columns(db: PostgresDatabase, table: str) -> list[str]:
    rows = db.execute(
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_schema = current_schema() AND table_name = ? AND is_generated = 'NEVER'"
        " ORDER BY ordinal_position",
        (table,),
    )
    return [row[0] for row in rows.fetchall()]


def describe_url(url: str) -> str:
    """Name the database at ``url`` without its password ("facts on db.example"), fit for messages."""
    try:
        info = psycopg.conninfo.conninfo_to_dict(url) if psycopg is not None else {}
    except psycopg.Error:  # not a URL libpq can read: say nothing of it rather than repeat it
        info = {}
    host, name = info.get("host", ""), info.get("dbname", "")
    return f"{name} on {host}" if name or host else "(the configured URL)"


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
