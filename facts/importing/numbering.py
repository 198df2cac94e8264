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
    """Number the people an import adds: its people files' new rows, then credits' people and companies.

    Also lists, in ``stage.credited_people``, the number of the new person each credit names.
    """
    _create_numbered(conn, "new_people", "name TEXT, kind TEXT, source TEXT, as_of TEXT")
    conn.execute(
        "INSERT INTO stage.new_people(key, st_rowid, name) SELECT name_key, rowid, name"
        " FROM stage.st_people WHERE store_id IS NULL ORDER BY rowid"
    )
    credited = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM stage.st_credits WHERE person_id IS NULL)"
    ).fetchone()[0]
    if credited:
        # The credits name people in no order: walked in the order of their keys (an index), each
        # person's rows come together, where the file's order reads the keys' index at random.
        conn.execute(dialect_of(conn).staged_index("st_credits", "person_key"))
    # A credit's person comes before its company; the first row naming someone is kept.
    if conn.execute(
        "SELECT EXISTS (SELECT 1 FROM stage.st_credits WHERE company_key IS NOT NULL)"
    ).fetchone()[0]:
        _index_keys(conn, "new_people")
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
    elif credited:
        _add_credited_people(conn)
        _index_keys(conn, "new_people")
    else:
        _index_keys(conn, "new_people")
    _renumber(conn, "new_people")
    _number_credited_people(conn, credited)


def _add_credited_people(conn: Connection) -> None:
    """Add the people the credits name and the people files do not, in the order of their first credits.

    Each person's first credit is found along the keys, those then put in row order (an index);
    the key index of ``new_people`` is built after (one sort, not an insert a row at its place).
    """
    _create_listed(conn, "first_credits", "st_rowid BIGINT NOT NULL")
    # A key the people files have is the store's (the credits naming it are the store's person's)
    # or numbered already.
    conn.execute(
        "INSERT INTO stage.first_credits(st_rowid) SELECT MIN(rowid)"
        " FROM stage.st_credits s INDEXED BY st_credits_person_key GROUP BY person_key"
        " HAVING NOT EXISTS (SELECT 1 FROM stage.st_people p WHERE p.name_key = s.person_key)"
    )
    conn.execute(dialect_of(conn).staged_index("first_credits", "st_rowid"))
    conn.execute(
        "INSERT INTO stage.new_people(key, name, kind, source, as_of)"
        " SELECT s.person_key, s.name, 'person', COALESCE(s.source, ''), COALESCE(s.as_of, '')"
        " FROM stage.first_credits f INDEXED BY first_credits_st_rowid CROSS JOIN stage.st_credits s"
        " WHERE s.rowid = f.st_rowid AND s.person_id IS NULL ORDER BY f.st_rowid"
    )


def _number_credited_people(conn: Connection, credited: bool) -> None:
    """List each credit that names a new person with that person's number (``seq``).

    ``credited``: some credit names someone the store does not have (the credits' ``person_key``
    index is then there). The write looks a credit's person up here by the credit's row, in the
    order of the rows, instead of by its text key: rows found along the keys' order, each new
    person's number looked up once for its rows (looking it up for each row in the file's order
    read the keys' index at random: 6-9 s for 3M credits), then sorted by row once (an index).
    """
    conn.execute("DROP TABLE IF EXISTS stage.credited_people")
    conn.execute("CREATE TABLE stage.credited_people (st_rowid BIGINT NOT NULL, seq BIGINT NOT NULL)")
    if not credited:
        return
    # No credit naming someone the store has can name a new person: the keys of new people are not
    # in the store.
    conn.execute(
        "INSERT INTO stage.credited_people(st_rowid, seq) SELECT s.rowid, n.seq"
        " FROM stage.st_credits s INDEXED BY st_credits_person_key CROSS JOIN stage.new_people n"
        " WHERE n.key = s.person_key"
    )
    conn.execute(dialect_of(conn).staged_index("credited_people", "st_rowid, seq"))


def _create_listed(conn: Connection, table: str, columns: str) -> None:
    conn.execute(f"DROP TABLE IF EXISTS stage.{table}")
    conn.execute(f"CREATE TABLE stage.{table} ({columns})")


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
    conn.execute(dialect_of(conn).staged_index(table, "key", unique=True))


def _renumber(conn: Connection, table: str) -> None:
    for statement in dialect_of(conn).renumber(f"stage.{table}", "seq"):
        conn.execute(statement)
