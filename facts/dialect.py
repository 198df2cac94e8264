"""Where the SQL of the two backends differs: SQLite (the embedded default) and PostgreSQL.

Queries are written once, in the SQL both run (``?`` placeholders, ``ON CONFLICT ... DO``,
quoted ``"window"``); what one of them lacks is asked of the store's :class:`Dialect`:

=====================  ===============================  ==========================================
                       SQLite                           PostgreSQL
=====================  ===============================  ==========================================
placeholders           ``?``                            rewritten to ``%s`` by the connection
case-blind equality    ``x = ? COLLATE NOCASE``         ``lower(x) = lower(?)`` (columns are "C")
index hints            ``INDEXED BY``, unary ``+``      dropped by the connection (the planner chooses)
name words             FTS5 ``MATCH`` over names_fts    ``words && ?`` over a GIN-indexed array
vocabulary             fts5vocab ``names_vocab``        the words of ``names`` counted
write lock             ``BEGIN IMMEDIATE``              ``BEGIN`` + a transaction advisory lock
other writers' commit  ``PRAGMA data_version``          the generation alone
lock wait              ``PRAGMA busy_timeout``          ``SET lock_timeout``
import journal         ``json_object``/``json_extract``  ``json_build_object``/``->>`` with casts
staged numbering       ``INTEGER PRIMARY KEY`` (max+1)  an identity, renumbered after the inserts
a statement            a call in the process            a round trip to the server
=====================  ===============================  ==========================================

An import's staging tables are SQLite's on both (:mod:`facts.importing.target` copies them into
PostgreSQL's temporary tables for the diff and the write).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

# Two imports at once are serialised by this advisory lock, the one every writer takes.
WRITE_LOCK_KEY = 0x5F_AC_75  # "showfacts"
# The meta row naming the last import copied from SQLite (its journal has no name rows).
COPIED_IMPORTS_KEY = "copied_imports_through"

# Name words to look up: every group must be matched by one of its words.
WordQuery = Sequence[Sequence[str]]


class Cursor(Protocol):
    """What callers read of an executed statement (sqlite3's and psycopg's cursors both have it)."""

    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


class Connection(Protocol):
    """The part of a DB-API connection the store and the bot use, with ``?`` placeholders."""

    @property
    def in_transaction(self) -> bool: ...

    def execute(self, sql: str, parameters: Any = ..., /) -> Any: ...

    def close(self) -> None: ...


class Reader(Protocol):
    """What read queries take: the store's ``db`` (a ``sqlite_utils.Database`` or its PostgreSQL twin)."""

    @property
    def dialect(self) -> Dialect: ...

    def query(self, sql: str, params: Any = ..., /) -> Iterable[dict[str, Any]]: ...

    def execute(self, sql: str, parameters: Any = ..., /) -> Any: ...


class Dialect:
    """SQLite's way of saying what the two backends say differently."""

    name = "sqlite"
    begin_read: tuple[str, ...] = ("BEGIN",)
    begin_write: tuple[str, ...] = ("BEGIN IMMEDIATE",)
    # LIMIT for "no limit"
    no_limit: int | None = -1
    vocabulary = "SELECT term, doc FROM names_vocab"
    data_version: str | None = "PRAGMA data_version"
    # LIKE that ignores ASCII case (SQLite's does)
    like = "LIKE"
    # Whether each statement is a round trip to a server, so that several queries asked as one
    # statement (union_all) answer sooner; SQLite runs in the process, where one is as quick.
    round_trips = False

    @property
    def busy_errors(self) -> tuple[type[Exception], ...]:
        """What a statement raises when another connection's lock outlasts the wait allowed."""
        return (sqlite3.OperationalError,)

    def nocase_equals(self, column: str) -> str:
        """A condition that ``column`` equals one parameter, ASCII case aside."""
        return f"{column} = ? COLLATE NOCASE"

    def busy_timeout(self, milliseconds: int) -> str:
        """The statement that makes this connection wait that long for another's lock."""
        return f"PRAGMA busy_timeout = {int(milliseconds)}"

    # The staging tables an import's diff creates: a key numbered in insert order, and text.
    staged_serial = "INTEGER PRIMARY KEY"
    staged_text = "TEXT"
    # The name index follows every write by itself (SQLite's triggers, which call sf_norm).
    names_by_triggers = True
    # The keys of the companies the store's credits name.
    company_keys = "SELECT sf_norm(company) FROM main.credits WHERE company != ''"

    def character_key(self, credit: str) -> str:
        """The normalised character of the store's credit ``credit`` (a table alias)."""
        return f"sf_norm({credit}.character)"

    def json_object(self, pairs: str) -> str:
        """An expression of the JSON object text of ``'key', value, ...`` pairs."""
        return f"json_object({pairs})"

    def json_value(self, document: str, key: str, sql_type: str) -> str:
        """An expression of the value at ``key`` of the JSON object text ``document``, as ``sql_type``."""
        return f"json_extract({document}, '$.{key}')"

    def table_columns(self, conn: Connection | Reader, table: str) -> list[tuple[str, str]]:
        """The (name, type) of each column of one of the store's tables, in order."""
        return [(row[1], row[2]) for row in conn.execute(f"PRAGMA main.table_info({table})").fetchall()]

    def renumber(self, table: str, column: str) -> tuple[str, ...]:
        """The statements that make ``column`` (a :attr:`staged_serial`) count 1, 2, ... in its order."""
        return ()

    def staged_index(self, table: str, columns: str, *, unique: bool = False) -> str:
        """The statement that indexes ``columns`` (``a, b``) of the staged table ``stage.table``.

        Named ``table_a_b`` on SQLite, where ``INDEXED BY`` names it (PostgreSQL drops the hint); a
        diff of the same staged rows again finds it there.
        """
        name = f"{table}_{columns.replace(', ', '_')}"
        return f"CREATE {'UNIQUE ' if unique else ''}INDEX IF NOT EXISTS stage.{name} ON {table} ({columns})"

    def name_search(
        self, columns: str, words: WordQuery, limit: int | None, *, ranked: bool = False
    ) -> tuple[str, tuple[Any, ...]]:
        """A query of ``columns`` of the names ``n`` that hold a word of every group in ``words``.

        Args:
            ranked: best matches first (as full-text search ranks them), else in any order.
        """
        match = " AND ".join("(" + " OR ".join(f'"{word}"' for word in group) + ")" for group in words)
        sql = (
            f"SELECT {columns} FROM names_fts f JOIN names n ON n.id = f.rowid"
            " WHERE names_fts MATCH ?" + (" ORDER BY f.rank" if ranked else "") + " LIMIT ?"
        )
        return sql, (match, self.no_limit if limit is None else limit)

    def union_all(self, queries: Sequence[tuple[str, Sequence[Any]]]) -> tuple[str, list[Any]]:
        """One statement returning the rows of every query of ``queries``, each row led by the
        number of its query (from 0): one round trip to a database server instead of several.

        The queries must return the same number of columns; each may have its own LIMIT.
        """
        sql = " UNION ALL ".join(
            f"SELECT {number} AS query_number, q{number}.* FROM ({query}) AS q{number}"
            for number, (query, _) in enumerate(queries)
        )
        return sql, [value for _, params in queries for value in params]


class PostgresDialect(Dialect):
    """PostgreSQL's way (version 13 or later)."""

    name = "postgresql"
    begin_read = ("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",)
    begin_write = ("BEGIN", f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")
    no_limit = None
    # Each name's words counted once, as fts5vocab's 'row' table counts them (its distinct words
    # counted by hash: half the time of count(DISTINCT), which sorts, at 100k titles).
    vocabulary = (
        "SELECT term, count(*) FROM names n"
        " CROSS JOIN LATERAL (SELECT DISTINCT unnest(n.words) AS term) AS w GROUP BY term"
    )
    data_version = None
    like = "ILIKE"
    round_trips = True

    @property
    def busy_errors(self) -> tuple[type[Exception], ...]:
        import psycopg  # only a PostgreSQL store, which has it, asks

        return (psycopg.OperationalError,)

    def nocase_equals(self, column: str) -> str:
        # Text columns use the "C" collation, where lower() folds ASCII only, as NOCASE does.
        return f"lower({column}) = lower(?)"

    def busy_timeout(self, milliseconds: int) -> str:
        return f"SET lock_timeout = {int(milliseconds)}"

    staged_serial = "BIGINT GENERATED BY DEFAULT AS IDENTITY"
    staged_text = 'TEXT COLLATE "C"'  # compared with the store's "C" columns
    names_by_triggers = False
    company_keys = "SELECT key FROM stage.store_company_keys"  # normalised as the import began

    def character_key(self, credit: str) -> str:
        # The name index holds it (the server cannot normalise): one row per credit with a character.
        return f"(SELECT n.norm FROM names n WHERE n.kind = 'character' AND n.ref_id = {credit}.id)"

    def json_object(self, pairs: str) -> str:
        return f"CAST(json_build_object({pairs}) AS TEXT)"

    def json_value(self, document: str, key: str, sql_type: str) -> str:
        return f"CAST(CAST({document} AS json) ->> '{key}' AS {sql_type})"

    def table_columns(self, conn: Connection | Reader, table: str) -> list[tuple[str, str]]:
        rows = conn.execute(
            "SELECT column_name, data_type FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND table_name = ? AND is_generated = 'NEVER'"
            " ORDER BY ordinal_position",
            (table,),
        )
        return [(row[0], row[1]) for row in rows.fetchall()]

    def staged_index(self, table: str, columns: str, *, unique: bool = False) -> str:
        return f"CREATE {'UNIQUE ' if unique else ''}INDEX ON stage.{table} ({columns})"

    def renumber(self, table: str, column: str) -> tuple[str, ...]:
        # An identity skips the values of rows that ON CONFLICT DO NOTHING left out.
        return (
            f"UPDATE {table} AS t SET {column} = r.n FROM"
            f" (SELECT {column} AS old, ROW_NUMBER() OVER (ORDER BY {column}) AS n FROM {table}) AS r"
            f" WHERE t.{column} = r.old AND r.n != r.old",
        )

    def name_search(
        self, columns: str, words: WordQuery, limit: int | None, *, ranked: bool = False
    ) -> tuple[str, tuple[Any, ...]]:
        conditions = " AND ".join(["n.words && CAST(? AS text[])"] * len(words))
        # Ranked: the names with fewest words first, the part of FTS5's bm25 that a word query keeps.
        order = " ORDER BY cardinality(n.words), n.id" if ranked else ""
        sql = f"SELECT {columns} FROM names n WHERE {conditions}{order} LIMIT ?"
        return sql, (*(list(group) for group in words), limit)


SQLITE = Dialect()
POSTGRESQL = PostgresDialect()
