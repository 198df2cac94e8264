"""Planning an import: the files staged and validated, diffed against the store, summarised.

:func:`plan_import` changes nothing in the store. The plan keeps its staging database, so that
:func:`facts.importing.apply.apply_import` writes exactly what was previewed (or diffs again if the
store changed in between), and only small summaries in memory.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from facts.answer import Answer
from facts.csvformat import KIND_BY_NAME, PEOPLE, SHOWS
from facts.importing.diff import diff
from facts.importing.files import ImportFile
from facts.importing.report import (
    MAX_NAMED_ROWS,
    MAX_REPORTED_CHANGES,
    capped,
    change_line,
    count_fields,
    describe_totals,
    sum_counts,
)
from facts.importing.rows import APPLY_ORDER, create_tables, file_columns, staged_table
from facts.importing.staging import STAGING_SCHEMA, Staging, stage_files
from facts.importing.tuning import DEFAULT_TUNING, ImportTuning
from facts.importing.validation import (
    check_duplicates,
    check_files,
    convert_files,
    raise_problems,
    register_cell_functions,
)
from facts.store import FactStore

Counts = dict[str, dict[str, int]]


@dataclass
class ImportPlan:
    """The validated files of one import and their difference against the store at ``generation``."""

    files: tuple[ImportFile, ...]
    replace: bool
    generation: int
    kinds_in_files: tuple[str, ...]
    kind_counts: Counts
    changed_lines: tuple[str, ...] = ()
    created_lines: tuple[str, ...] = ()
    parse_notes: tuple[str, ...] = ()
    tuning: ImportTuning = DEFAULT_TUNING
    staging: Staging | None = field(default=None, repr=False, compare=False)

    @property
    def file_names(self) -> tuple[str, ...]:
        return tuple(file.name for file in self.files)

    def counts(self) -> Counts:
        """Return added/changed/unchanged/removed per kind that the import touches."""
        return {name: counts for name, counts in self.kind_counts.items() if any(counts.values())}

    def totals(self) -> dict[str, int]:
        """Return added/changed/unchanged/removed summed over kinds."""
        return sum_counts(self.counts())

    def row_count(self) -> int:
        """Return how many rows the plan writes (added, changed, removed)."""
        totals = self.totals()
        return totals["added"] + totals["changed"] + totals["removed"]

    def to_answer(self, *, staged: bool = False) -> Answer:
        """Return the report of what the import would do: totals, counts per kind, the changed rows.

        Args:
            staged: the plan waits for an admin's Apply (a Slack or console preview), rather than
                being a dry run that will never be applied.
        """
        totals = describe_totals(self.totals())
        headline = (
            f"Preview: {totals}. Nothing changes until you apply it."
            if staged
            else f"Dry run: {totals} — nothing applied"
        )
        return Answer(
            kind="report",
            headline=headline,
            fields=count_fields(self.counts()),
            items=self.changed_lines,
            notes=(*self.created_lines, *self.parse_notes, f"Files: {', '.join(self.file_names)}."),
        )

    def close(self) -> None:
        """Delete the plan's staging database (also done when the plan is garbage-collected)."""
        if self.staging is not None:
            self.staging.close()


def plan_import(
    store: FactStore,
    files: Sequence[ImportFile],
    *,
    replace: bool = False,
    tuning: ImportTuning = DEFAULT_TUNING,
) -> ImportPlan:
    """Validate ``files`` and compute what importing them would change; change nothing.

    Args:
        store: the fact store to compare with.
        files: the files of one import (all or nothing).
        replace: remove the facts of the kinds in the files that the files do not list.
        tuning: row limit, batch and cache sizes, fault hook.

    Raises:
        FactsError: any problem in any file, every one listed in ``details`` (the first 50).
    """
    staging, notes = prepare(files, tuning)
    try:
        with attached(store, staging) as conn, store.read():
            return summarise(conn, staging, tuple(files), replace, store.generation(), notes)
    except BaseException:
        staging.close()
        raise


def prepare(files: Sequence[ImportFile], tuning: ImportTuning) -> tuple[Staging, tuple[str, ...]]:
    """Stage and validate ``files``; return the staging and the notes on what was read.

    Raises:
        FactsError: any problem in any file.
    """
    staging = stage_files(files, tuning)
    try:
        conn = staging.conn
        register_cell_functions(conn)
        conn.execute("BEGIN")
        create_tables(conn)
        check_files(staging)
        raise_problems(staging)
        convert_files(staging)
        notes = check_duplicates(staging)
        raise_problems(staging)
        conn.execute("COMMIT")
    except BaseException:
        staging.close()
        raise
    return staging, tuple(capped(notes, len(notes)))


@contextmanager
def attached(store: FactStore, staging: Staging) -> Iterator[sqlite3.Connection]:
    """Attach the staging database to the store's connection (under its lock) for the block."""
    with store.lock:
        store.conn.execute(f"ATTACH DATABASE ? AS {STAGING_SCHEMA}", (str(staging.path),))
        try:
            for pragma in (
                "journal_mode = OFF",
                "synchronous = OFF",
                f"cache_size = -{staging.tuning.cache_kib}",
            ):
                store.conn.execute(f"PRAGMA {STAGING_SCHEMA}.{pragma}")
            yield store.conn
        finally:
            store.conn.execute(f"DETACH DATABASE {STAGING_SCHEMA}")


def summarise(
    conn: sqlite3.Connection,
    staging: Staging,
    files: tuple[ImportFile, ...],
    replace: bool,
    generation: int,
    notes: tuple[str, ...],
) -> ImportPlan:
    """Diff the staged rows against the store and return the plan (on a connection with them attached)."""
    kinds = tuple(
        name
        for name in APPLY_ORDER
        if conn.execute(f"SELECT EXISTS (SELECT 1 FROM stage.{staged_table(KIND_BY_NAME[name])})").fetchone()[
            0
        ]
    )
    diff(conn, staging.files, kinds, replace)
    counts = {name: _counts(conn, name) for name in APPLY_ORDER}
    return ImportPlan(
        files=files,
        replace=replace,
        generation=generation,
        kinds_in_files=kinds,
        kind_counts=counts,
        changed_lines=tuple(_changed_lines(conn, staging, counts)),
        created_lines=tuple(_created_lines(conn)),
        parse_notes=notes,
        tuning=staging.tuning,
        staging=staging,
    )


def _counts(conn: sqlite3.Connection, name: str) -> dict[str, int]:
    table = staged_table(KIND_BY_NAME[name])
    new = {"shows": "stage.new_shows", "people": "stage.new_people"}.get(name)
    added = f"(SELECT COUNT(*) FROM {new})" if new else "COALESCE(SUM(store_id IS NULL), 0)"
    row = conn.execute(
        f"SELECT {added}, COALESCE(SUM(changed = 1), 0),"
        " COALESCE(SUM(store_id IS NOT NULL AND changed = 0), 0),"
        " (SELECT COUNT(*) FROM stage.removed WHERE kind = ?)"
        f" FROM stage.{table}",
        (name,),
    ).fetchone()
    return dict(zip(("added", "changed", "unchanged", "removed"), map(int, row), strict=True))


def _changed_lines(conn: sqlite3.Connection, staging: Staging, counts: Counts) -> list[str]:
    """Return one line per changed or removed row (the first 50): "Lupin — viewers ...: 70M -> 71M"."""
    lines: list[str] = []
    for name in APPLY_ORDER:
        kind = KIND_BY_NAME[name]
        for file in staging.files:
            if (file.kind is kind or (file.netflix and name == "viewership")) and len(
                lines
            ) <= MAX_REPORTED_CHANGES:
                lines.extend(
                    _file_changes(
                        conn,
                        file.number,
                        file_columns(file).stored,
                        name,
                        MAX_REPORTED_CHANGES + 1 - len(lines),
                    )
                )
        lines.extend(_removed_lines(conn, name, MAX_REPORTED_CHANGES + 1))
    total = sum(counts[name]["changed"] + counts[name]["removed"] for name in APPLY_ORDER)
    return capped(lines, total)


def _file_changes(
    conn: sqlite3.Connection, file_no: int, stored: tuple[str, ...], name: str, limit: int
) -> list[str]:
    kind = KIND_BY_NAME[name]
    names = ("show", "name") if name == "credits" else ("show",) if kind not in (SHOWS, PEOPLE) else ()
    cursor = conn.execute(
        f"SELECT m.*, {', '.join(f's.{column}' for column in (*stored, *names))}"
        f" FROM stage.{staged_table(kind)} s JOIN main.{kind.table} m ON m.id = s.store_id"
        " WHERE s.file_no = ? AND s.changed = 1 ORDER BY s.rowid LIMIT ?",
        (file_no, limit),
    )
    width = len(cursor.description) - len(stored) - len(names)
    old_columns = [description[0] for description in cursor.description[:width]]
    lines = []
    for row in cursor.fetchall():
        old = dict(zip(old_columns, row[:width], strict=True))
        new = dict(zip(stored, row[width : width + len(stored)], strict=True))
        lines.append(change_line(kind, old, new, dict(zip(names, row[width + len(stored) :], strict=True))))
    return lines


def _removed_lines(conn: sqlite3.Connection, name: str, limit: int) -> list[str]:
    kind = KIND_BY_NAME[name]
    if kind in (SHOWS, PEOPLE):
        label = "title" if kind is SHOWS else "name"
        rows = conn.execute(
            f"SELECT m.{label} FROM stage.removed r JOIN main.{kind.table} m ON m.id = r.id"
            " WHERE r.kind = ? ORDER BY r.id LIMIT ?",
            (name, limit),
        )
        return [f"Removed: {row[0]}" for row in rows]
    rows = conn.execute("SELECT id FROM stage.removed WHERE kind = ? ORDER BY id LIMIT ?", (name, limit))
    return [f"Removed: {name} row {row[0]}" for row in rows]


def _created_lines(conn: sqlite3.Connection) -> list[str]:
    """Return notes naming the shows and people created because other files name them."""
    notes = []
    for table, label, noun in (("new_shows", "title", "show"), ("new_people", "name", "person or company")):
        count = conn.execute(f"SELECT COUNT(*) FROM stage.{table} WHERE st_rowid IS NULL").fetchone()[0]
        if not count:
            continue
        listed = [
            row[0]
            for row in conn.execute(
                f"SELECT {label} FROM stage.{table} WHERE st_rowid IS NULL ORDER BY seq LIMIT ?",
                (MAX_NAMED_ROWS,),
            )
        ]
        more = f" and {count - MAX_NAMED_ROWS} more" if count > MAX_NAMED_ROWS else ""
        plural = "s" if count != 1 and table == "new_shows" else ""
        notes.append(f"New {noun}{plural} named in the files: {', '.join(listed)}{more}.")
    return notes
