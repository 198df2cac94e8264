"""The declared schema of the fact store, as sqlite-utils migrations that are safe to re-run.

Columns are declared, never guessed: a value such as "02134" stays text.

Tables
------
shows, people, credits, viewership, show_attributes, country_ranks
    The facts. Every row carries ``source`` and ``as_of``. ``country_ranks`` holds each country's
    weekly Top 10 places (Netflix's all-weeks-countries list): a rank, no audience figure.
imports, import_changes
    The import journal: one ``imports`` row per applied import, and for every row that
    import inserted, changed or deleted, its previous state, so that an import can be undone.
names, names_fts
    The name index (show titles and aliases, people and organisations, characters). Triggers
    keep it in step with the facts on every write path (import, replace, undo), so it is never
    rebuilt at start-up. ``names.norm`` is :func:`facts.normalize.normalize_name` of the text,
    computed by the SQL function ``sf_norm`` that :func:`register_functions` installs.
meta
    Key/value pairs; ``generation`` grows by one with every applied import or undo.
"""

from __future__ import annotations

import json
import sqlite3

from sqlite_utils import Database, Migrations

from facts.normalize import normalize_name

migrations = Migrations("showfacts")

FACT_TABLES = ("shows", "people", "credits", "viewership", "show_attributes", "country_ranks")


def register_functions(conn: sqlite3.Connection) -> None:
    """Install the SQL functions the schema's triggers call; needed on every connection."""
    conn.create_function("sf_norm", 1, _sql_normalize, deterministic=True)
    conn.create_function("sf_aliases", 1, _sql_split_aliases, deterministic=True)


def split_aliases(aliases: str) -> list[str]:
    """Return the non-empty, trimmed entries of a ``;``-separated alias list."""
    return [alias.strip() for alias in aliases.split(";") if alias.strip()]


def _sql_normalize(text: str | None) -> str:
    return normalize_name(text or "")


def _sql_split_aliases(aliases: str | None) -> str:
    return json.dumps(split_aliases(aliases or ""))


@migrations()
def m001_facts(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE IF NOT EXISTS shows (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            title_key TEXT NOT NULL UNIQUE,
            aliases TEXT NOT NULL DEFAULT '',
            network TEXT NOT NULL DEFAULT '',
            original_network TEXT NOT NULL DEFAULT '',
            premiere_date TEXT NOT NULL DEFAULT '',
            genre TEXT NOT NULL DEFAULT '',
            format TEXT NOT NULL DEFAULT '',
            country TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT '',
            summary TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL DEFAULT '',
            as_of TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE IF NOT EXISTS people (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            name_key TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL DEFAULT 'person',
            aliases TEXT NOT NULL DEFAULT '',
            summary TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL DEFAULT '',
            as_of TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE IF NOT EXISTS credits (
            id INTEGER PRIMARY KEY,
            show_id INTEGER NOT NULL REFERENCES shows(id),
            person_id INTEGER NOT NULL REFERENCES people(id),
            role TEXT NOT NULL,
            character TEXT NOT NULL DEFAULT '',
            company TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL DEFAULT '',
            as_of TEXT NOT NULL DEFAULT '',
            UNIQUE (show_id, person_id, role)
        );
        CREATE INDEX IF NOT EXISTS credits_person ON credits(person_id);
        CREATE TABLE IF NOT EXISTS viewership (
            id INTEGER PRIMARY KEY,
            show_id INTEGER NOT NULL REFERENCES shows(id),
            season TEXT NOT NULL DEFAULT '',
            metric TEXT NOT NULL DEFAULT 'viewers',
            value INTEGER NOT NULL,
            time_window TEXT NOT NULL DEFAULT '',
            start_date TEXT NOT NULL DEFAULT '',
            platform TEXT NOT NULL DEFAULT '',
            category TEXT NOT NULL DEFAULT '',
            hours_viewed INTEGER,
            runtime_hours REAL,
            rank INTEGER,
            weeks_in_top10 INTEGER,
            source TEXT NOT NULL DEFAULT '',
            as_of TEXT NOT NULL DEFAULT '',
            UNIQUE (show_id, season, platform, time_window, metric)
        );
        CREATE INDEX IF NOT EXISTS viewership_metric ON viewership(metric, time_window, value);
        CREATE TABLE IF NOT EXISTS show_attributes (
            id INTEGER PRIMARY KEY,
            show_id INTEGER NOT NULL REFERENCES shows(id),
            attribute TEXT NOT NULL,
            value TEXT NOT NULL,
            source TEXT NOT NULL DEFAULT '',
            as_of TEXT NOT NULL DEFAULT '',
            UNIQUE (show_id, attribute, value)
        );
        CREATE INDEX IF NOT EXISTS show_attributes_value ON show_attributes(attribute, value);
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT OR IGNORE INTO meta(key, value) VALUES ('generation', '0');
        """
    )


@migrations()
def m002_import_journal(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE IF NOT EXISTS imports (
            id INTEGER PRIMARY KEY,
            user TEXT NOT NULL,
            at TEXT NOT NULL,
            files TEXT NOT NULL,
            mode TEXT NOT NULL,
            summary TEXT NOT NULL,
            undone_at TEXT
        );
        CREATE TABLE IF NOT EXISTS import_changes (
            id INTEGER PRIMARY KEY,
            import_id INTEGER NOT NULL REFERENCES imports(id),
            table_name TEXT NOT NULL,
            row_id INTEGER NOT NULL,
            before TEXT
        );
        CREATE INDEX IF NOT EXISTS import_changes_import ON import_changes(import_id);
        """
    )


@migrations()
def m003_name_index(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE IF NOT EXISTS names (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            ref_id INTEGER NOT NULL,
            text TEXT NOT NULL,
            norm TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS names_ref ON names(kind, ref_id);
        CREATE INDEX IF NOT EXISTS names_norm ON names(norm);
        CREATE VIRTUAL TABLE IF NOT EXISTS names_fts USING fts5(
            norm, content='', tokenize='unicode61 remove_diacritics 0'
        );
        CREATE VIRTUAL TABLE IF NOT EXISTS names_vocab USING fts5vocab(names_fts, 'row');

        CREATE TRIGGER IF NOT EXISTS names_fts_insert AFTER INSERT ON names BEGIN
            INSERT INTO names_fts(rowid, norm) VALUES (new.id, new.norm);
        END;
        CREATE TRIGGER IF NOT EXISTS names_fts_delete AFTER DELETE ON names BEGIN
            INSERT INTO names_fts(names_fts, rowid, norm) VALUES ('delete', old.id, old.norm);
        END;

        CREATE TRIGGER IF NOT EXISTS shows_names_insert AFTER INSERT ON shows BEGIN
            INSERT INTO names(kind, ref_id, text, norm)
                VALUES ('show', new.id, new.title, sf_norm(new.title));
            INSERT INTO names(kind, ref_id, text, norm)
                SELECT 'show_alias', new.id, value, sf_norm(value)
                FROM json_each(sf_aliases(new.aliases));
        END;
        CREATE TRIGGER IF NOT EXISTS shows_names_delete AFTER DELETE ON shows BEGIN
            DELETE FROM names WHERE kind IN ('show', 'show_alias') AND ref_id = old.id;
        END;
        CREATE TRIGGER IF NOT EXISTS shows_names_update AFTER UPDATE OF title, aliases ON shows BEGIN
            DELETE FROM names WHERE kind IN ('show', 'show_alias') AND ref_id = old.id;
            INSERT INTO names(kind, ref_id, text, norm)
                VALUES ('show', new.id, new.title, sf_norm(new.title));
            INSERT INTO names(kind, ref_id, text, norm)
                SELECT 'show_alias', new.id, value, sf_norm(value)
                FROM json_each(sf_aliases(new.aliases));
        END;

        CREATE TRIGGER IF NOT EXISTS people_names_insert AFTER INSERT ON people BEGIN
            INSERT INTO names(kind, ref_id, text, norm)
                VALUES (new.kind, new.id, new.name, sf_norm(new.name));
            INSERT INTO names(kind, ref_id, text, norm)
                SELECT new.kind || '_alias', new.id, value, sf_norm(value)
                FROM json_each(sf_aliases(new.aliases));
        END;
        CREATE TRIGGER IF NOT EXISTS people_names_delete AFTER DELETE ON people BEGIN
            DELETE FROM names WHERE kind IN (old.kind, old.kind || '_alias') AND ref_id = old.id;
        END;
        CREATE TRIGGER IF NOT EXISTS people_names_update AFTER UPDATE OF name, aliases, kind ON people BEGIN
            DELETE FROM names WHERE kind IN (old.kind, old.kind || '_alias') AND ref_id = old.id;
            INSERT INTO names(kind, ref_id, text, norm)
                VALUES (new.kind, new.id, new.name, sf_norm(new.name));
            INSERT INTO names(kind, ref_id, text, norm)
                SELECT new.kind || '_alias', new.id, value, sf_norm(value)
                FROM json_each(sf_aliases(new.aliases));
        END;

        CREATE TRIGGER IF NOT EXISTS credits_names_insert AFTER INSERT ON credits
        WHEN new.character != '' BEGIN
            INSERT INTO names(kind, ref_id, text, norm)
                VALUES ('character', new.id, new.character, sf_norm(new.character));
        END;
        CREATE TRIGGER IF NOT EXISTS credits_names_delete AFTER DELETE ON credits BEGIN
            DELETE FROM names WHERE kind = 'character' AND ref_id = old.id;
        END;
        CREATE TRIGGER IF NOT EXISTS credits_names_update AFTER UPDATE OF character ON credits BEGIN
            DELETE FROM names WHERE kind = 'character' AND ref_id = old.id;
            INSERT INTO names(kind, ref_id, text, norm)
                SELECT 'character', new.id, new.character, sf_norm(new.character)
                WHERE new.character != '';
        END;
        """
    )


@migrations()
def m301_credits_company_index(db: Database) -> None:
    # "Who works at Jax Media?" looks credits up by company; most credits have none, so the
    # index is partial and costs imports little.
    db.execute(
        "CREATE INDEX IF NOT EXISTS credits_company ON credits(company COLLATE NOCASE) WHERE company != ''"
    )


@migrations()
def m101_import_ranges_and_staging(db: Database) -> None:
    # Rows an import inserts get consecutive ids, journaled as one range instead of one row each.
    if "row_id_end" not in db["import_changes"].columns_dict:
        db.execute("ALTER TABLE import_changes ADD COLUMN row_id_end INTEGER")
    db.executescript(
        """
        CREATE TABLE IF NOT EXISTS staged_imports (
            token TEXT PRIMARY KEY,
            user TEXT NOT NULL,
            created_at TEXT NOT NULL,
            replace_mode INTEGER NOT NULL,
            status TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS staged_import_files (
            token TEXT NOT NULL REFERENCES staged_imports(token),
            position INTEGER NOT NULL,
            name TEXT NOT NULL,
            data BLOB NOT NULL,
            PRIMARY KEY (token, position)
        );
        """
    )


@migrations()
def m102_imports_undone_by(db: Database) -> None:
    if "undone_by" not in db["imports"].columns_dict:
        db.execute("ALTER TABLE imports ADD COLUMN undone_by TEXT")


@migrations()
def m103_viewership_start_index(db: Database) -> None:
    # "Top shows in 2021" ranks the figures of one year: found by their start date, not by reading
    # every figure of the measure.
    db.execute("CREATE INDEX IF NOT EXISTS viewership_start ON viewership(metric, time_window, start_date)")


# The name rows of each named table, the one definition both the triggers and an import's bulk
# insert use.
NAME_VIEWS = {
    "shows": "show_names",
    "people": "people_names",
    "credits": "character_names",
}
# While this meta key exists the insert triggers leave the name index alone. Imports set it until
# they dropped the triggers instead (NAME_INSERT_TRIGGERS); the gate stays in the triggers' text.
NAMES_IN_BULK = "names_in_bulk"
# The name index's insert triggers. An import drops them for its inserts and creates them again
# after (facts.importing.apply), filling the index for all its new rows at once from the same
# views: a trigger left in place runs for every row inserted, if only to find its gate closed.
NAME_INSERT_TRIGGERS = (
    "credits_names_insert",
    "names_fts_insert",
    "people_names_insert",
    "shows_names_insert",
)
_BULK_GATE = f"WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = '{NAMES_IN_BULK}')"


@migrations()
def m104_name_views(db: Database) -> None:
    gate = _BULK_GATE
    db.executescript(
        f"""
        CREATE VIEW IF NOT EXISTS show_names AS
            SELECT 'show' AS kind, id AS ref_id, title AS text, sf_norm(title) AS norm FROM shows
            UNION ALL
            SELECT 'show_alias', shows.id, alias.value, sf_norm(alias.value)
            FROM shows, json_each(sf_aliases(shows.aliases)) AS alias WHERE shows.aliases != '';
        CREATE VIEW IF NOT EXISTS people_names AS
            SELECT kind, id AS ref_id, name AS text, sf_norm(name) AS norm FROM people
            UNION ALL
            SELECT people.kind || '_alias', people.id, alias.value, sf_norm(alias.value)
            FROM people, json_each(sf_aliases(people.aliases)) AS alias WHERE people.aliases != '';
        CREATE VIEW IF NOT EXISTS character_names AS
            SELECT 'character' AS kind, id AS ref_id, character AS text, sf_norm(character) AS norm
            FROM credits WHERE character != '';

        DROP TRIGGER IF EXISTS names_fts_insert;
        CREATE TRIGGER names_fts_insert AFTER INSERT ON names {gate} BEGIN
            INSERT INTO names_fts(rowid, norm) VALUES (new.id, new.norm);
        END;
        DROP TRIGGER IF EXISTS shows_names_insert;
        CREATE TRIGGER shows_names_insert AFTER INSERT ON shows {gate} BEGIN
            INSERT INTO names(kind, ref_id, text, norm) SELECT * FROM show_names WHERE ref_id = new.id;
        END;
        DROP TRIGGER IF EXISTS shows_names_update;
        CREATE TRIGGER shows_names_update AFTER UPDATE OF title, title_key, aliases ON shows BEGIN
            DELETE FROM names WHERE kind IN ('show', 'show_alias') AND ref_id = old.id;
            INSERT INTO names(kind, ref_id, text, norm) SELECT * FROM show_names WHERE ref_id = new.id;
        END;
        DROP TRIGGER IF EXISTS people_names_insert;
        CREATE TRIGGER people_names_insert AFTER INSERT ON people {gate} BEGIN
            INSERT INTO names(kind, ref_id, text, norm) SELECT * FROM people_names WHERE ref_id = new.id;
        END;
        DROP TRIGGER IF EXISTS people_names_update;
        CREATE TRIGGER people_names_update AFTER UPDATE OF name, name_key, aliases, kind ON people BEGIN
            DELETE FROM names WHERE kind IN (old.kind, old.kind || '_alias') AND ref_id = old.id;
            INSERT INTO names(kind, ref_id, text, norm) SELECT * FROM people_names WHERE ref_id = new.id;
        END;
        """
    )
    for statement in _credit_name_triggers():
        db.execute(statement)


def _credit_name_triggers() -> list[str]:
    """The statements that (re)create the triggers keeping characters in the name index."""
    return [
        "DROP TRIGGER IF EXISTS credits_names_insert",
        f"CREATE TRIGGER credits_names_insert AFTER INSERT ON credits {_BULK_GATE} BEGIN"
        " INSERT INTO names(kind, ref_id, text, norm) SELECT * FROM character_names WHERE ref_id = new.id;"
        " END",
        "DROP TRIGGER IF EXISTS credits_names_update",
        "CREATE TRIGGER credits_names_update AFTER UPDATE OF character ON credits BEGIN"
        " DELETE FROM names WHERE kind = 'character' AND ref_id = old.id;"
        " INSERT INTO names(kind, ref_id, text, norm) SELECT * FROM character_names WHERE ref_id = new.id;"
        " END",
        "DROP TRIGGER IF EXISTS credits_names_delete",
        "CREATE TRIGGER credits_names_delete AFTER DELETE ON credits BEGIN"
        " DELETE FROM names WHERE kind = 'character' AND ref_id = old.id;"
        " END",
    ]


@migrations()
def m105_credits_keyed_by_character(db: Database) -> None:
    # One actor may play several characters in one show, so a credit is one person in one role
    # as one character. SQLite cannot change a table's UNIQUE constraint in place: the credits are
    # set aside, the table created anew and filled with the same ids (the name index refers to
    # them), then its indexes and triggers come back. No rename, so the view of characters stands.
    columns = "id, show_id, person_id, role, character, company, source, as_of"
    statements = [
        f"CREATE TABLE credits_before_m105 AS SELECT {columns} FROM credits",
        "DROP TABLE credits",
        """CREATE TABLE credits (
            id INTEGER PRIMARY KEY,
            show_id INTEGER NOT NULL REFERENCES shows(id),
            person_id INTEGER NOT NULL REFERENCES people(id),
            role TEXT NOT NULL,
            character TEXT NOT NULL DEFAULT '',
            company TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL DEFAULT '',
            as_of TEXT NOT NULL DEFAULT '',
            UNIQUE (show_id, person_id, role, character)
        )""",
        f"INSERT INTO credits({columns}) SELECT {columns} FROM credits_before_m105 ORDER BY id",
        "DROP TABLE credits_before_m105",
        "CREATE INDEX credits_person ON credits(person_id)",
        "CREATE INDEX credits_company ON credits(company COLLATE NOCASE) WHERE company != ''",
        *_credit_name_triggers(),
    ]
    for statement in statements:
        db.execute(statement)


@migrations()
def m106_viewership_year_index(db: Database) -> None:
    # A year of a weekly chart ("top 5 shows in 2024") adds up the year's weekly figures: found by
    # their start date first (viewership_start ranges over every weekly window before it reaches
    # the dates), and summed from the index alone.
    db.execute(
        "CREATE INDEX IF NOT EXISTS viewership_year"
        " ON viewership(metric, start_date, time_window, show_id, season, value)"
    )


@migrations()
def m107_country_ranks(db: Database) -> None:
    # A title's place in one country's weekly Top 10. "What's #1 in France?" reads one country's
    # newest week by rank (country_ranks_week); "was X in the top 10 in Brazil?" one show's places.
    db.executescript(
        """
        CREATE TABLE IF NOT EXISTS country_ranks (
            id INTEGER PRIMARY KEY,
            show_id INTEGER NOT NULL REFERENCES shows(id),
            season TEXT NOT NULL DEFAULT '',
            country TEXT NOT NULL,
            country_code TEXT NOT NULL DEFAULT '',
            rank INTEGER NOT NULL,
            time_window TEXT NOT NULL DEFAULT '',
            start_date TEXT NOT NULL DEFAULT '',
            platform TEXT NOT NULL DEFAULT '',
            category TEXT NOT NULL DEFAULT '',
            weeks_in_top10 INTEGER,
            source TEXT NOT NULL DEFAULT '',
            as_of TEXT NOT NULL DEFAULT '',
            UNIQUE (show_id, season, country, time_window, category)
        );
        CREATE INDEX IF NOT EXISTS country_ranks_week ON country_ranks(country, time_window, rank);
        """
    )


# A name is also found by its letters without spaces: "spiderman", "annmiller", "k9", "the ro se"
# (names.norm without spaces; the linker looks up each span of a question so).
def joined_name(column: str = "norm") -> str:
    """The SQL expression of the ``names_joined`` index: a normalised name without its spaces."""
    return f"replace({column}, ' ', '')"


@migrations()
def m108_names_joined_index(db: Database) -> None:
    db.execute(f"CREATE INDEX IF NOT EXISTS names_joined ON names({joined_name()})")


@migrations()
def m109_names_from_keys(db: Database) -> None:
    # A show's title_key (a person's name_key) is normalize_name of its title, written by the
    # import with the title: the name index takes it from there instead of normalising every
    # title again (a call into Python per name, 2M of them in an import of 1M titles).
    db.executescript(
        """
        DROP VIEW IF EXISTS show_names;
        CREATE VIEW show_names AS
            SELECT 'show' AS kind, id AS ref_id, title AS text, title_key AS norm FROM shows
            UNION ALL
            SELECT 'show_alias', shows.id, alias.value, sf_norm(alias.value)
            FROM shows, json_each(sf_aliases(shows.aliases)) AS alias WHERE shows.aliases != '';
        DROP VIEW IF EXISTS people_names;
        CREATE VIEW people_names AS
            SELECT kind, id AS ref_id, name AS text, name_key AS norm FROM people
            UNION ALL
            SELECT people.kind || '_alias', people.id, alias.value, sf_norm(alias.value)
            FROM people, json_each(sf_aliases(people.aliases)) AS alias WHERE people.aliases != '';
        """
    )


# The shows' and people's keys as named unique indexes (m110) instead of the table constraints
# of m001, which SQLite builds with the table and cannot drop.
_KEYED_TABLES = {
    "shows": (
        """CREATE TABLE shows (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            title_key TEXT NOT NULL,
            aliases TEXT NOT NULL DEFAULT '',
            network TEXT NOT NULL DEFAULT '',
            original_network TEXT NOT NULL DEFAULT '',
            premiere_date TEXT NOT NULL DEFAULT '',
            genre TEXT NOT NULL DEFAULT '',
            format TEXT NOT NULL DEFAULT '',
            country TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT '',
            summary TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL DEFAULT '',
            as_of TEXT NOT NULL DEFAULT ''
        )""",
        "CREATE UNIQUE INDEX shows_title_key ON shows(title_key)",
    ),
    "people": (
        """CREATE TABLE people (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            name_key TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT 'person',
            aliases TEXT NOT NULL DEFAULT '',
            summary TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL DEFAULT '',
            as_of TEXT NOT NULL DEFAULT ''
        )""",
        "CREATE UNIQUE INDEX people_name_key ON people(name_key)",
    ),
}


@migrations()
def m110_keys_as_unique_indexes(db: Database) -> None:
    # An import of many new shows wrote each title_key into the table's own unique index at a
    # random place (4.6 s of the 5 s that 1M new shows took). A named unique index is dropped
    # and built again from all the keys after such an import, like the other indexes, and still
    # refuses a duplicate. Each table is created anew with the same rows and ids; the credits,
    # figures and attributes referring to them are checked when the transaction commits.
    db.execute("PRAGMA defer_foreign_keys = ON")
    for table, (create_table, create_key) in _KEYED_TABLES.items():
        kept = db.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger')"
            " AND sql IS NOT NULL ORDER BY type, name",
            [table],
        ).fetchall()
        for statement in (
            f"CREATE TABLE {table}_before_m110 AS SELECT * FROM {table}",
            f"DROP TABLE {table}",
            create_table,
            f"INSERT INTO {table} SELECT * FROM {table}_before_m110 ORDER BY id",
            f"DROP TABLE {table}_before_m110",
            create_key,
            *(row[0] for row in kept),
        ):
            db.execute(statement)
