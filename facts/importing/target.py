"""Where an import's diff and write run: the store's connection, with the staged rows beside it.

On SQLite the staging database is attached to the store's connection as ``stage``. On PostgreSQL
its typed tables are copied (``COPY``) into temporary tables of the store's session, with the
names an import writes into the name index already normalised (the server cannot call Python);
the diff's and the write's SQL, written with SQLite's ``stage.`` and ``main.`` schemas, reads
``stage.`` as ``pg_temp.`` and ``main.`` as the store's own schema.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import TYPE_CHECKING, Any, TypeAlias

from facts.csvformat import KIND_BY_NAME
from facts.dialect import POSTGRESQL, SQLITE, Connection, Dialect
from facts.importing.rows import staged_table
from facts.importing.staging import STAGING_SCHEMA, Staging
from facts.normalize import normalize_name
from facts.schema import split_aliases
from facts.store import FactStore

if TYPE_CHECKING:  # psycopg (optional) is loaded only when a store is on PostgreSQL
    from facts.postgres import PgConnection, PostgresStore

ImportStore: TypeAlias = "FactStore | PostgresStore"
# Columns of the staged tables that are not the store's: whole numbers, else text.
_NUMBERS = ("rowid", "file_no", "line", "store_id", "changed", "published", "matches", "cited")
# The temporary tables an import makes in the store's session (the diff makes the last five).
_TEMPORARY = (
    *(staged_table(kind) for kind in KIND_BY_NAME.values()),
    "st_aliases",
    "store_company_keys",
    "new_shows",
    "new_people",
    "first_credits",
    "credited_people",
    "removed",
)
_SCHEMAS = re.compile(r"\b(main|stage)\.")


def diff_kept(conn: Any) -> bool:
    """Whether what a diff finds stays in the staging database (SQLite), not in temporary tables."""
    return not isinstance(conn, StagedConnection)


def dialect_of(conn: Any) -> Dialect:
    """The dialect of a connection an import runs on (a bare sqlite3 connection is SQLite's)."""
    dialect: Dialect = getattr(conn, "dialect", SQLITE)
    return dialect


@contextmanager
def planning(store: ImportStore, staging: Staging, *, replace: bool) -> Iterator[Connection]:
    """The store's connection with the staged rows beside it, in one snapshot of the facts."""
    if isinstance(store, FactStore):
        with attached(store, staging) as conn, store.read():
            yield conn
        return
    with loaded(store, staging, replace=replace) as conn:
        # Not READ ONLY: the diff creates and fills temporary tables. Nothing else is written.
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        try:
            yield conn
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")


@contextmanager
def writing(store: ImportStore, staging: Staging, *, replace: bool) -> Iterator[Connection]:
    """The store's connection with the staged rows beside it, in the one write transaction."""
    if isinstance(store, FactStore):
        store.wait_until_writable()  # before attaching, which holds the store's lock
        # The plan's own connection to the staging database is idle meanwhile: its cached pages
        # are freed rather than held beside the larger cache of the store's connection.
        staging.conn.execute("PRAGMA shrink_memory")
        with attached(store, staging, staging.tuning.write_cache_kib) as conn, store.write():
            yield conn
        return
    with loaded(store, staging, replace=replace) as conn, store.write():
        yield conn


@contextmanager
def attached(store: FactStore, staging: Staging, cache_kib: int | None = None) -> Iterator[Connection]:
    """Attach the staging database to the store's connection (under its lock) for the block.

    ``cache_kib``: its page cache meanwhile (by default the tuning's ``cache_kib``).
    """
    with store.lock:
        store.conn.execute(f"ATTACH DATABASE ? AS {STAGING_SCHEMA}", (str(staging.path),))
        try:
            for pragma in (
                "journal_mode = OFF",
                "synchronous = OFF",
                f"cache_size = -{cache_kib or staging.tuning.cache_kib}",
            ):
                store.conn.execute(f"PRAGMA {STAGING_SCHEMA}.{pragma}")
            yield store.conn
        finally:
            store.conn.execute(f"DETACH DATABASE {STAGING_SCHEMA}")


class StagedConnection:
    """The PostgreSQL store's connection, taking the import's SQL with its ``stage.`` and ``main.``."""

    dialect: Dialect = POSTGRESQL

    def __init__(self, conn: PgConnection) -> None:
        self.conn = conn

    @property
    def in_transaction(self) -> bool:
        return self.conn.in_transaction

    def execute(self, sql: str, parameters: Any = (), /) -> Any:
        return self.conn.execute(_in_postgres(sql), parameters)

    def close(self) -> None:
        self.conn.close()


@lru_cache(maxsize=1024)
def _in_postgres(sql: str) -> str:
    return _SCHEMAS.sub(lambda match: "" if match[1] == "main" else "pg_temp.", sql)


@contextmanager
def loaded(store: PostgresStore, staging: Staging, *, replace: bool) -> Iterator[StagedConnection]:
    """Copy the staged rows into temporary tables of the store's session (under its lock) for the block."""
    with store.lock:
        conn = StagedConnection(store.conn)
        try:
            _drop_temporary(conn)  # an earlier import's, if its block was cut short
            for kind in KIND_BY_NAME.values():
                _copy_table(conn, staging, staged_table(kind), kind.table)
            _copy_aliases(conn, staging)
            _copy_company_keys(conn, replace)
            yield conn
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if not store.conn.raw.closed:
                _drop_temporary(conn)


def _drop_temporary(conn: StagedConnection) -> None:
    conn.execute(f"DROP TABLE IF EXISTS {', '.join(f'pg_temp.{table}' for table in _TEMPORARY)}")


def _copy_table(conn: StagedConnection, staging: Staging, table: str, stored_in: str) -> None:
    """Create ``pg_temp.table`` with the staged table's columns, typed as the store types them; fill it."""
    stored = dict(conn.dialect.table_columns(conn, stored_in))
    columns = [row[1] for row in staging.conn.execute(f"PRAGMA table_info({table})")]
    declared = ", ".join(f"{column} {_pg_type(column, stored)}" for column in ("rowid", *columns))
    conn.execute(f"CREATE TEMPORARY TABLE {table} ({declared})")
    names = ", ".join(columns)
    rows = staging.conn.execute(f"SELECT rowid, {names} FROM {table} ORDER BY rowid")
    _copy_rows(conn, f"pg_temp.{table} (rowid, {names})", rows)
    conn.execute(f"CREATE INDEX ON pg_temp.{table} (rowid)")
    conn.execute(f"ANALYZE pg_temp.{table}")


def _pg_type(column: str, stored: dict[str, str]) -> str:
    if column == "changed":
        return "BIGINT DEFAULT 0"
    sql_type = stored.get(column, "bigint" if column in _NUMBERS or column.endswith("_id") else "text")
    return POSTGRESQL.staged_text if sql_type == "text" else sql_type


def _copy_rows(conn: StagedConnection, target: str, rows: Iterator[Any]) -> None:
    with conn.conn.raw.cursor().copy(f"COPY {target} FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _copy_aliases(conn: StagedConnection, staging: Staging) -> None:
    """Each staged show's and person's aliases, one row each, with their normalised text."""
    text = POSTGRESQL.staged_text
    conn.execute(
        f"CREATE TEMPORARY TABLE st_aliases"
        f" (kind {text}, st_rowid BIGINT, pos BIGINT, text {text}, norm {text})"
    )
    for name in ("shows", "people"):
        rows = staging.conn.execute(
            f"SELECT rowid, aliases FROM st_{name} WHERE aliases != '' ORDER BY rowid"
        )
        _copy_rows(conn, "pg_temp.st_aliases", _alias_rows(name, rows))
    conn.execute("CREATE INDEX ON pg_temp.st_aliases (kind, st_rowid)")
    conn.execute("ANALYZE pg_temp.st_aliases")


def _alias_rows(name: str, rows: Iterator[Any]) -> Iterator[tuple[str, int, int, str, str]]:
    for rowid, aliases in rows:
        for position, alias in enumerate(split_aliases(aliases)):
            yield name, rowid, position, alias, normalize_name(alias)


def _copy_company_keys(conn: StagedConnection, replace: bool) -> None:
    """The keys of the companies the store's credits name (what a replace of people keeps)."""
    conn.execute(f"CREATE TEMPORARY TABLE store_company_keys (key {POSTGRESQL.staged_text})")
    if not replace:
        return
    companies = conn.execute("SELECT DISTINCT company FROM main.credits WHERE company != ''").fetchall()
    keys = ((key,) for key in sorted({normalize_name(row[0]) for row in companies}))
    _copy_rows(conn, "pg_temp.store_company_keys", keys)
