"""Numbering the shows and people an import adds, in the order the files first name them.

Runs in the diff (see :mod:`.diff`), once every staged row has the store's ids: ``stage.new_shows``
and ``stage.new_people`` hold one row per new key, numbered ``seq`` 1, 2, ... in the order of the
shows (people) files' rows, then of the first rows of the other files naming them. The write gives
them the ids after the store's largest, in that order.
"""

from __future__ import annotations

from facts.csvformat import KIND_BY_NAME
from facts.dialect import Connection
from facts.importing.rows import DEPENDENT_KINDS, staged_table
from facts.importing.target import dialect_of


def number_new_shows(conn: Connection) -> None:
    """Number the shows an import adds: its shows files' new rows, then those other files name."""
    _create_numbered(conn, "new_shows", "title TEXT, source TEXT, as_of TEXT")
    listed = conn.execute(
        "INSERT INTO stage.new_shows(key, st_rowid, title) SELECT title_key, rowid, title"
        " FROM stage.st_shows WHERE store_id IS NULL ORDER BY rowid"
    ).rowcount
    _index_keys(conn, "new_shows")
    # The first row naming a show gives its title as written; a show's rows all have its store id
    # or none. Where the shows files listed shows, the other files' rows mostly name those: grouped
    # by show (along the duplicate check's index), each show is looked up once, not once a row.
    # Otherwise their rows are mostly new shows in order (an upload of figures), which are
    # inserted in one pass for less than the grouping costs.
    for name in DEPENDENT_KINDS:
        table = f"stage.{staged_table(KIND_BY_NAME[name])}"
        first_rows = (
            f"rowid IN (SELECT MIN(rowid) FROM {table} s GROUP BY show_key"
            "  HAVING NOT EXISTS (SELECT 1 FROM stage.new_shows n WHERE n.key = s.show_key))"
        )
        conn.execute(
            "INSERT INTO stage.new_shows(key, title, source, as_of)"
            " SELECT show_key, show, COALESCE(source, ''), COALESCE(as_of, '')"
            f" FROM {table} WHERE show_id IS NULL AND {first_rows if listed > 0 else 'TRUE'}"
            " ORDER BY rowid ON CONFLICT (key) DO NOTHING"
        )
    _renumber(conn, "new_shows")


def number_new_people(conn: Connection) -> None:
    """Number the people an import adds: its people files' new rows, then credits' people and companies."""
    _create_numbered(conn, "new_people", "name TEXT, kind TEXT, source TEXT, as_of TEXT")
    conn.execute(
        "INSERT INTO stage.new_people(key, st_rowid, name) SELECT name_key, rowid, name"
        " FROM stage.st_people WHERE store_id IS NULL ORDER BY rowid"
    )
    _index_keys(conn, "new_people")
    # A credit's person comes before its company; the first row naming someone is kept.
    if not conn.execute(
        "SELECT EXISTS (SELECT 1 FROM stage.st_credits WHERE company_key IS NOT NULL)"
    ).fetchone()[0]:
        # No companies: the credits' people in the order of the rows (no sort of the union).
        conn.execute(
            "INSERT INTO stage.new_people(key, name, kind, source, as_of)"
            " SELECT person_key, name, 'person', COALESCE(source, ''), COALESCE(as_of, '')"
            " FROM stage.st_credits WHERE person_id IS NULL ORDER BY rowid ON CONFLICT (key) DO NOTHING"
        )
        _renumber(conn, "new_people")
        return
    conn.execute(
        "INSERT INTO stage.new_people(key, name, kind, source, as_of)"
        " SELECT key, name, kind, COALESCE(source, ''), COALESCE(as_of, '') FROM"
        " (SELECT person_key AS key, name, 'person' AS kind, source, as_of, rowid AS origin, 0 AS part"
        "  FROM stage.st_credits WHERE person_id IS NULL"
        "  UNION ALL SELECT company_key, company, 'organisation', source, as_of, rowid, 1"
        "  FROM stage.st_credits s WHERE company_key IS NOT NULL"
        "  AND NOT EXISTS (SELECT 1 FROM main.people p WHERE p.name_key = s.company_key)) AS named"
        " ORDER BY origin, part ON CONFLICT (key) DO NOTHING"
    )
    _renumber(conn, "new_people")


def _create_numbered(conn: Connection, table: str, columns: str) -> None:
    """Create ``stage.table``: the rows an import adds, numbered ``seq`` 1, 2, ... in insert order."""
    dialect = dialect_of(conn)
    conn.execute(f"DROP TABLE IF EXISTS stage.{table}")
    conn.execute(
        f"CREATE TABLE stage.{table} (seq {dialect.staged_serial}, key TEXT NOT NULL,"
        f" st_rowid BIGINT, {columns})".replace("TEXT", dialect.staged_text)
    )


def _index_keys(conn: Connection, table: str) -> None:
    """Make the keys of ``stage.table`` unique, once the rows of the named files are in.

    Those rows' keys are unique (the duplicate check saw to it); indexed after them, they are
    sorted once instead of each going into the index at its place.
    """
    conn.execute(dialect_of(conn).staged_unique_index(table, "key"))


def _renumber(conn: Connection, table: str) -> None:
    for statement in dialect_of(conn).renumber(f"stage.{table}", "seq"):
        conn.execute(statement)
