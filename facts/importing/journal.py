"""The import journal: every applied import, the previous state of every row it touched, undo, history.

Rows an import inserts are journaled as id ranges; rows it changes or removes as JSON of their
previous values, written by ``INSERT ... SELECT`` and read back by ``INSERT ... SELECT`` when the
import is undone.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from facts.answer import Answer
from facts.dialect import COPIED_IMPORTS_KEY, Connection, Reader
from facts.errors import FactsError
from facts.importing.report import count_fields, describe_totals, reverted_fields, short_time, sum_counts
from facts.importing.target import ImportStore, dialect_of
from facts.importing.tuning import DEFAULT_TUNING, ImportTuning

RECORD_COLUMNS = 'id, "user", at, files, mode, summary, undone_at, undone_by'
SEED_USER = "showfacts (bundled seed)"


@dataclass(frozen=True)
class ImportRecord:
    """One journaled import: who, when, which files, what it changed, and whether it was undone."""

    id: int
    user: str
    at: str
    files: tuple[str, ...]
    mode: str
    counts: dict[str, dict[str, int]]
    undone_at: str | None = None
    undone_by: str | None = None
    # What the report of an import just applied lists (not kept in the journal).
    items: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def describe(self) -> str:
        """Return one history line: "#3 2026-11-25 06:00 UTC by ana: a.csv — 1 added, ..."."""
        undone = f" (undone {short_time(self.undone_at)} by {self.undone_by})" if self.undone_at else ""
        mode = " (replace)" if self.mode == "replace" else ""
        return (
            f"#{self.id} {short_time(self.at)} by {self.user}: {', '.join(self.files)}{mode} — "
            f"{describe_totals(sum_counts(self.counts))}{undone}"
        )

    def to_answer(self) -> Answer:
        """Return the report of this import (or of its undoing, once undone)."""
        totals = describe_totals(sum_counts(self.counts))
        if self.undone_at:
            files = ", ".join(self.files)
            headline = (
                f"Undid import #{self.id} ({files} by {self.user}): the facts are as they were before it."
            )
        else:
            headline = f"Imported {', '.join(self.files)}: {totals}."
        return Answer(
            kind="report",
            headline=headline,
            fields=reverted_fields(self.counts) if self.undone_at else count_fields(self.counts),
            items=self.items,
            notes=(*self.notes, f"Import #{self.id} by {self.user} at {short_time(self.at)}."),
        )

    @property
    def is_seed(self) -> bool:
        """Whether this is the import of the bundled seed facts."""
        return self.user == SEED_USER


def now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def record_import(conn: Connection, record: ImportRecord) -> int:
    """Write the journal record of an import being applied; return its id."""
    cursor = conn.execute(
        'INSERT INTO imports("user", at, files, mode, summary) VALUES (?, ?, ?, ?, ?) RETURNING id',
        (record.user, record.at, json.dumps(record.files), record.mode, json.dumps(record.counts)),
    )
    return int(cursor.fetchone()[0])


def journal_inserted(conn: Connection, import_id: int, table: str, first: int, last: int) -> None:
    if last >= first:
        conn.execute(
            "INSERT INTO import_changes(import_id, table_name, row_id, row_id_end, before)"
            " VALUES (?, ?, ?, ?, NULL)",
            (import_id, table, first, last),
        )


def journal_before(
    conn: Connection, import_id: int, table: str, where: str, params: Sequence[Any] = ()
) -> None:
    """Journal the present state of the rows of ``table`` matching ``where``, before they change."""
    pairs = ", ".join(f"'{column}', {column}" for column in table_columns(conn, table))
    before = dialect_of(conn).json_object(pairs)
    conn.execute(
        "INSERT INTO import_changes(import_id, table_name, row_id, before)"
        f" SELECT ?, ?, id, {before} FROM main.{table} WHERE {where} ORDER BY id",
        (import_id, table, *params),
    )


def table_columns(conn: Connection, table: str) -> list[str]:
    return [name for name, _ in dialect_of(conn).table_columns(conn, table)]


def undo_last_import(
    store: ImportStore, *, user: str, seed_too: bool = False, tuning: ImportTuning = DEFAULT_TUNING
) -> ImportRecord:
    """Put the store back exactly as it was before the last import that is not undone yet.

    Args:
        seed_too: undo the bundled seed too, if it is the last import left (the store is then empty).

    Raises:
        FactsError: there is no import left to undo, or only the seed and ``seed_too`` is false.
    """
    with store.write() as db:
        row = db.execute(
            f"SELECT {RECORD_COLUMNS} FROM imports WHERE undone_at IS NULL ORDER BY id DESC LIMIT 1"
        ).fetchone()
        if row is None:
            raise FactsError(
                "Nothing to undo: every import has been undone already.", "See showfacts history."
            )
        if record_from_row(row).is_seed and not seed_too:
            raise FactsError(
                f"Nothing was undone: the last import left (#{row[0]}) is the bundled seed, and undoing it"
                " would leave no facts at all.",
                "To empty the store anyway, run: showfacts undo --seed --yes",
            )
        _refuse_copied_import(db, int(row[0]))
        _restore(db, int(row[0]), tuning)
        undone_at = now()
        db.execute("UPDATE imports SET undone_at = ?, undone_by = ? WHERE id = ?", [undone_at, user, row[0]])
        return record_from_row((*row[:6], undone_at, user))


def _refuse_copied_import(db: Reader, import_id: int) -> None:
    """Refuse an import copied from SQLite where no trigger would put its name rows back."""
    if db.dialect.names_by_triggers:
        return
    row = db.execute("SELECT value FROM meta WHERE key = ?", (COPIED_IMPORTS_KEY,)).fetchone()
    if row is not None and import_id <= int(row[0]):
        raise FactsError(
            f"Nothing was undone: import #{import_id} was made in SQLite before the facts were copied"
            " into PostgreSQL (showfacts migrate), and its journal cannot put the name index back here.",
            "Import the facts you want back instead (showfacts export from the SQLite store, then"
            " showfacts import --replace), or undo it in the SQLite store and migrate again with --replace.",
        )


def last_undoable_import(store: ImportStore) -> ImportRecord | None:
    """Return the import that :func:`undo_last_import` would undo, if any."""
    with store.read() as db:
        row = db.execute(
            f"SELECT {RECORD_COLUMNS} FROM imports WHERE undone_at IS NULL ORDER BY id DESC LIMIT 1"
        ).fetchone()
    return record_from_row(row) if row else None


# The journal of one import in runs of consecutive entries of one table and one sort (ranges of
# inserted rows, or previous states), last first: undone in the reverse of the order written.
_RUNS = """
SELECT table_name, is_range, MIN(id), MAX(id) FROM (
    SELECT id, table_name, is_range,
        ROW_NUMBER() OVER (ORDER BY id)
        - ROW_NUMBER() OVER (PARTITION BY table_name, is_range ORDER BY id) AS run
    FROM (
        SELECT id, table_name, row_id_end IS NOT NULL AS is_range FROM import_changes WHERE import_id = ?
    ) AS entries
) AS numbered GROUP BY table_name, is_range, run ORDER BY MIN(id) DESC
"""


def _restore(conn: Reader, import_id: int, tuning: ImportTuning) -> None:
    for table, is_range, first, last in conn.execute(_RUNS, (import_id,)).fetchall():
        tuning.before_step(f"restore {table}")
        if is_range:
            ranges = conn.execute(
                "SELECT row_id, row_id_end FROM import_changes WHERE id BETWEEN ? AND ?", (first, last)
            ).fetchall()
            for first_id, last_id in ranges:
                conn.execute(f"DELETE FROM {table} WHERE id BETWEEN ? AND ?", (first_id, last_id))
        else:
            _restore_rows(conn, table, first, last)


def _restore_rows(conn: Reader, table: str, first: int, last: int) -> None:
    dialect = dialect_of(conn)
    typed = dialect.table_columns(conn, table)
    columns = [column for column, _ in typed]
    values = ", ".join(dialect.json_value("before", column, sql_type) for column, sql_type in typed)
    updates = ", ".join(f"{column} = excluded.{column}" for column in columns if column != "id")
    # A row journaled twice by one import is put back as it was first (one upsert may not touch
    # a row twice on PostgreSQL).
    conn.execute(
        f"INSERT INTO {table}({', '.join(columns)}) SELECT {values} FROM import_changes"
        " WHERE id IN (SELECT MIN(id) FROM import_changes WHERE id BETWEEN ? AND ? GROUP BY row_id)"
        f" ORDER BY id DESC ON CONFLICT(id) DO UPDATE SET {updates}",
        (first, last),
    )


def list_imports(store: ImportStore, limit: int = 20) -> list[ImportRecord]:
    """Return the latest ``limit`` imports, newest first."""
    with store.read() as db:
        rows = db.execute(
            f"SELECT {RECORD_COLUMNS} FROM imports ORDER BY id DESC LIMIT ?", [limit]
        ).fetchall()
    return [record_from_row(row) for row in rows]


def record_from_row(row: Sequence[Any]) -> ImportRecord:
    return ImportRecord(
        id=int(row[0]),
        user=row[1],
        at=row[2],
        files=tuple(json.loads(row[3])),
        mode=row[4],
        counts=json.loads(row[5]),
        undone_at=row[6],
        undone_by=row[7],
    )


def history_answer(records: Sequence[ImportRecord]) -> Answer:
    """Return the import history report: one line per import, newest first."""
    if not records:
        return Answer(kind="report", headline="No imports yet.")
    count = len(records)
    return Answer(
        kind="report",
        headline=f"The last {count} import{'s' if count != 1 else ''}, newest first:"
        if count > 1
        else "The last import:",
        items=tuple(record.describe() for record in records),
    )
