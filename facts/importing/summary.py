"""What a plan reports: the rows it changes, removes and adds, the names it creates and keeps.

Read from the staging database (attached as ``stage``) after the diff; only the first few rows of
each sort are read, however large the import.
"""

from __future__ import annotations

from facts.csvformat import KIND_BY_NAME, PEOPLE, SHOWS, VIEWERSHIP, Kind
from facts.dialect import Connection
from facts.importing.report import (
    MAX_NAMED_ROWS,
    MAX_REPORTED_CHANGES,
    capped,
    change_line,
    describe_row,
    format_figure,
)
from facts.importing.rows import APPLY_ORDER, PROVENANCE, file_columns, staged_table
from facts.importing.staging import StagedFile, Staging

Counts = dict[str, dict[str, int]]
MAX_ADDED_SHOWN = 10
# The staged columns a row is named by (see report.describe_row), and a figure's value.
_DESCRIBED = ("title", "name", "show", "role", "metric", "time_window", "season", "attribute", "value")
# The tables of the shows and people an import adds, with the column naming each and its noun.
_CREATED = {"new_shows": ("title", "show"), "new_people": ("name", "person or company")}


def changed_lines(conn: Connection, staging: Staging, counts: Counts, created: int) -> list[str]:
    """Return one line per changed or removed row, then per added row (the first few of each).

    ``created`` is how many shows and people the import creates because other files name them
    (not listed as added rows: :func:`created_lines` names them).

    For example "Lupin — viewers (first 28 days): 70M -> 71M", "Added: Dark — viewers (...): 1.2B".
    """
    lines: list[str] = []
    for name in APPLY_ORDER:
        for file in _files_of(staging, name) if counts[name]["changed"] else ():
            room = MAX_REPORTED_CHANGES + 1 - len(lines)
            lines.extend(_file_changes(conn, file.number, file_columns(file).compared, name, room))
        lines.extend(_removed_lines(conn, name, MAX_REPORTED_CHANGES + 1))
    total = sum(counts[name]["changed"] + counts[name]["removed"] for name in APPLY_ORDER)
    added: list[str] = []
    for name in APPLY_ORDER:
        for file in _files_of(staging, name):
            added.extend(_added_lines(conn, file.number, name, MAX_ADDED_SHOWN + 1 - len(added)))
    shown_added = sum(counts[name]["added"] for name in APPLY_ORDER) - created
    return [*capped(lines, total), *capped(added, shown_added, MAX_ADDED_SHOWN, "added")]


def _files_of(staging: Staging, name: str) -> list[StagedFile]:
    kind = KIND_BY_NAME[name]
    return [file for file in staging.files if file.holds_facts and file_columns(file).kind is kind]


def _added_lines(conn: Connection, file_no: int, name: str, limit: int) -> list[str]:
    """Return "Added: ..." for the first new rows of one file (a figure with its value)."""
    if limit <= 0:
        return []
    kind = KIND_BY_NAME[name]
    columns = [column for column in _DESCRIBED if column in _staged_columns(conn, kind)]
    cursor = conn.execute(
        f"SELECT {', '.join(columns)} FROM stage.{staged_table(kind)}"
        " WHERE file_no = ? AND store_id IS NULL ORDER BY rowid LIMIT ?",
        (file_no, limit),
    )
    lines = []
    for row in cursor:
        values = dict(zip(columns, row, strict=True))
        figure = f": {format_figure(values['value'])}" if kind is VIEWERSHIP else ""
        lines.append(f"Added: {describe_row(kind, values)}{figure}")
    return lines


def _staged_columns(conn: Connection, kind: Kind) -> list[str]:
    cursor = conn.execute(f"SELECT * FROM stage.{staged_table(kind)} LIMIT 0")
    return [description[0] for description in cursor.description]


def created_counts(conn: Connection) -> dict[str, int]:
    """Return how many shows and people the import creates because other files name them."""
    return {
        table: conn.execute(f"SELECT COUNT(*) FROM stage.{table} WHERE st_rowid IS NULL").fetchone()[0]
        for table in _CREATED
    }


def _file_changes(
    conn: Connection, file_no: int, stored: tuple[str, ...], name: str, limit: int
) -> list[str]:
    kind = KIND_BY_NAME[name]
    names = ("show", "name") if name == "credits" else ("show",) if kind not in (SHOWS, PEOPLE) else ()
    cursor = conn.execute(
        f"SELECT m.*, {', '.join(f's.{column}' for column in (*stored, *names))}, COALESCE(s.cited, 0)"
        f" FROM stage.{staged_table(kind)} s JOIN main.{kind.table} m ON m.id = s.store_id"
        " WHERE s.file_no = ? AND s.changed = 1 ORDER BY s.rowid LIMIT ?",
        (file_no, limit),
    )
    width = len(cursor.description) - len(stored) - len(names) - 1
    old_columns = [description[0] for description in cursor.description[:width]]
    lines = []
    for *row, cited in cursor.fetchall():
        old = dict(zip(old_columns, row[:width], strict=True))
        new = dict(zip(stored, row[width : width + len(stored)], strict=True))
        if cited:  # the source the import filled in names the file: not a change worth listing
            new = {column: value for column, value in new.items() if column not in PROVENANCE}
        lines.append(change_line(kind, old, new, dict(zip(names, row[width + len(stored) :], strict=True))))
    return lines


def _removed_lines(conn: Connection, name: str, limit: int) -> list[str]:
    kind = KIND_BY_NAME[name]
    if kind in (SHOWS, PEOPLE):
        label = "title" if kind is SHOWS else "name"
        rows = conn.execute(
            f"SELECT m.{label} FROM stage.removed r JOIN main.{kind.table} m ON m.id = r.id"
            " WHERE r.kind = ? ORDER BY r.id LIMIT ?",
            (name, limit),
        )
        return [f"Removed: {row[0]}" for row in rows]
    person = ", p.name AS name" if name == "credits" else ""
    joined = " JOIN main.people p ON p.id = m.person_id" if name == "credits" else ""
    cursor = conn.execute(
        f"SELECT m.*, s.title AS show{person} FROM stage.removed r JOIN main.{kind.table} m ON m.id = r.id"
        f" JOIN main.shows s ON s.id = m.show_id{joined} WHERE r.kind = ? ORDER BY r.id LIMIT ?",
        (name, limit),
    )
    columns = [description[0] for description in cursor.description]
    return [f"Removed: {describe_row(kind, dict(zip(columns, row, strict=True)))}" for row in cursor]


def created_lines(conn: Connection, replace: bool, created: dict[str, int]) -> list[str]:
    """Return notes naming the shows and people created because other files name them.

    ``created`` is what :func:`created_counts` returned.
    """
    notes = []
    for table, (label, noun) in _CREATED.items():
        count = created[table]
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
    if replace:
        notes.extend(_kept_notes(conn))
    return notes


def _kept_notes(conn: Connection) -> list[str]:
    """Name the shows and people a replacing import keeps although its files do not list them."""
    notes = []
    for name, label, noun in (("shows", "title", "show"), ("people", "name", "person or company")):
        kind = KIND_BY_NAME[name]
        if not conn.execute(f"SELECT EXISTS (SELECT 1 FROM stage.{staged_table(kind)})").fetchone()[0]:
            continue
        unlisted = (
            f"FROM main.{name} m WHERE m.id NOT IN (SELECT store_id FROM stage.{staged_table(kind)}"
            " WHERE store_id IS NOT NULL) AND m.id NOT IN (SELECT id FROM stage.removed WHERE kind = ?)"
        )
        count = conn.execute(f"SELECT COUNT(*) {unlisted}", (name,)).fetchone()[0]
        if not count:
            continue
        listed = [
            row[0]
            for row in conn.execute(
                f"SELECT m.{label} {unlisted} ORDER BY m.id LIMIT ?", (name, MAX_NAMED_ROWS)
            )
        ]
        more = f" and {count - MAX_NAMED_ROWS} more" if count > MAX_NAMED_ROWS else ""
        plural = "s" if count != 1 and name == "shows" else ""
        why = "credits, figures or attributes" if name == "shows" else "credits"
        notes.append(
            f"Kept {count:,} {noun}{plural} the files do not list, because other facts ({why}) name"
            f" {'them' if count != 1 else 'it'}: {', '.join(listed)}{more}."
        )
    return notes
