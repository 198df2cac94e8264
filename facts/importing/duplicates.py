"""Duplicate keys: two rows of one kind naming the same fact, found by a unique index or GROUP BY.

Refused with both rows named, except in Netflix's lists, which name two titles the same in one week
(the larger figure is kept, and noted).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from facts.csvformat import KIND_BY_NAME, Kind
from facts.importing.report import describe_row, singular
from facts.importing.rows import KEYS, staged_table
from facts.importing.staging import Staging


def check_duplicates(staging: Staging) -> list[str]:
    """Record two rows of one kind with the same key as a problem; return the notes on Netflix's.

    Netflix lists two different titles that share a name (a film in two language categories) in
    the same week; one show per name can hold one figure, so the larger one is kept (and noted).
    """
    notes: list[str] = []
    for name, keys in KEYS.items():
        table = staged_table(KIND_BY_NAME[name])
        conn = staging.conn
        if _unique(conn, table, keys):
            continue
        conn.execute(f"CREATE INDEX {table}_key ON {table}({', '.join(keys)})")
        repeated = conn.execute(
            f"SELECT EXISTS (SELECT 1 FROM {table} GROUP BY {', '.join(keys)} HAVING COUNT(*) > 1)"
        ).fetchone()[0]
        if repeated:
            _name_duplicates(staging, KIND_BY_NAME[name], keys, notes)
    return notes


def _unique(conn: sqlite3.Connection, table: str, keys: tuple[str, ...]) -> bool:
    """Return whether no two rows of ``table`` share a key, when one unique index can tell (one sort).

    GROUP BY puts rows whose key column is NULL together, a unique index does not: a column NULL
    in every row (a file without characters) groups nothing and is left out of the index; a column
    NULL in some rows only leaves the question to GROUP BY.
    """
    counts = conn.execute(
        f"SELECT COUNT(*), {', '.join(f'COUNT({key})' for key in keys)} FROM {table}"
    ).fetchone()
    rows, given = counts[0], counts[1:]
    if not rows:
        return True
    if any(0 < count < rows for count in given):
        return False
    indexed = [key for key, count in zip(keys, given, strict=True) if count]
    if not indexed:
        return False
    try:
        conn.execute(f"CREATE UNIQUE INDEX {table}_unique ON {table}({', '.join(indexed)})")
    except sqlite3.IntegrityError:
        return False
    return True


# The staged columns a duplicate's message names it by (see report.describe_row).
_DESCRIBED = (
    "title",
    "name",
    "show",
    "role",
    "character",
    "metric",
    "time_window",
    "season",
    "attribute",
    "value",
    "country",
    "category",
    "rank",
)


def _name_duplicates(staging: Staging, kind: Kind, keys: tuple[str, ...], notes: list[str]) -> None:
    table = staged_table(kind)
    conn = staging.conn
    key_list = ", ".join(keys)
    groups = conn.execute(
        f"SELECT {key_list} FROM {table} GROUP BY {key_list} HAVING COUNT(*) > 1 ORDER BY MIN(rowid)"
    ).fetchall()
    described = [column for column in _DESCRIBED if column in _columns_of(conn, table)]
    match = " AND ".join(f"{key} IS ?" for key in keys)  # a row may name no character (NULL)
    for group in groups:
        cursor = conn.execute(
            f"SELECT rowid, file_no, line, published, {', '.join(described)} FROM {table}"
            f" WHERE {match} ORDER BY rowid",
            group,
        )
        rows = [
            _Duplicate(
                rowid,
                file_no,
                staging.files[file_no - 1].name,
                line,
                bool(published),
                dict(zip(described, values, strict=True)),
            )
            for rowid, file_no, line, published, *values in cursor
        ]
        if all(row.published for row in rows):
            _keep_larger_figure(conn, table, rows, notes)
            continue
        for row in rows[1:]:
            staging.add_problem(
                row.file_no,
                row.line,
                f"{row.where}: the same {singular(kind.name)} as {rows[0].where}"
                f" ({describe_row(kind, row.values)}). Keep one of the two rows.",
            )


@dataclass(frozen=True)
class _Duplicate:
    """One of several staged rows with the same key."""

    rowid: int
    file_no: int
    file: str
    line: int
    published: bool
    values: dict[str, Any]

    @property
    def where(self) -> str:
        return f"{self.file} line {self.line}"


def _keep_larger_figure(
    conn: sqlite3.Connection, table: str, rows: list[_Duplicate], notes: list[str]
) -> None:
    # Netflix lists two different titles that share a name (a film in two language categories) in
    # the same week; one show per name can hold one figure, so the larger one is kept.
    # A country's chart has places, not figures: the better place is kept.
    ranked = "value" not in rows[0].values
    if ranked:
        kept = min(rows, key=lambda row: (row.values["rank"], row.rowid))
    else:
        kept = max(rows, key=lambda row: (row.values["value"] or 0, -row.rowid))
    for row in rows:
        if row is not kept:
            notes.append(
                f"{row.where}: {row.values['show']} is listed twice for the same window (also {kept.where});"
                f" kept the {'better place' if ranked else 'larger figure'}."
            )
            conn.execute(f"DELETE FROM {table} WHERE rowid = ?", (row.rowid,))


def _columns_of(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
