"""The staged rows of each kind: one typed table per kind, into which staging inserts each row.

``st_<kind>`` holds every row of every file of that kind: where it came from (file, line), its
values (NULL where its file lacks the column), its natural key, and the columns the diff fills in
(``store_id``: the store's row with the same key; ``changed``; the ids of the show and person).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import chain, islice
from typing import TYPE_CHECKING

from facts.csvformat import DEFAULT_METRIC, KIND_BY_NAME, PEOPLE, SHOWS, VIEWERSHIP, Kind
from facts.importing.cells import unquoted
from facts.wording import format_date

if TYPE_CHECKING:  # staging inserts the rows this module says how to insert
    from facts.importing.staging import StagedFile

# Dependent kinds refer to shows (and credits to people) by name; the order shows, people, then
# the rest lets a single import create a show and its figures.
APPLY_ORDER = ("shows", "people", "credits", "viewership", "attributes", "country_ranks")
DEPENDENT_KINDS = ("credits", "viewership", "attributes", "country_ranks")

# The natural key of each kind, as staged columns (names normalised into *_key columns).
KEYS = {
    "shows": ("title_key",),
    "people": ("name_key",),
    "credits": ("show_key", "person_key", "role", "character_key"),
    "viewership": ("show_key", "season", "platform", "time_window", "metric"),
    "attributes": ("show_key", "attribute", "value"),
    "country_ranks": ("show_key", "season", "country", "time_window", "category"),
}
# What the key columns a file lacks stand for.
KEY_DEFAULTS = {
    "metric": f"'{DEFAULT_METRIC}'",
    "season": "''",
    "platform": "''",
    "time_window": "''",
    "category": "''",
}
# Columns that name what a row refers to: stored as ids, not as text.
UNSTORED = {
    "credits": ("show", "name"),
    "viewership": ("show",),
    "attributes": ("show",),
    "country_ranks": ("show",),
}
# Compared without case or extra spaces.
FOLDED = ("role", "attribute", "metric")
REFERENCES = {
    "credits": ("show_id", "person_id"),
    "viewership": ("show_id",),
    "attributes": ("show_id",),
    "country_ranks": ("show_id",),
}
DERIVED_KEY = {"shows": "title_key", "people": "name_key"}
# ``cited`` is 1 on a row whose source the import filled in (its file has none for it).
_BOOKKEEPING = ("file_no", "line", "store_id", "changed", "published", "matches", "cited")
# Where a fact came from and when it was true; an import fills them in for files that do not say.
PROVENANCE = ("source", "as_of")
_EXTRA = {
    "shows": ("title_key",),
    "people": ("name_key",),
    "credits": ("show_key", "person_key", "character_key", "company_key", "show_id", "person_id"),
    "viewership": ("show_key", "show_id"),
    "attributes": ("show_key", "show_id"),
    "country_ranks": ("show_key", "show_id"),
}


def staged_table(kind: Kind) -> str:
    return f"st_{kind.name}"


def create_tables(conn: sqlite3.Connection) -> None:
    """Create the empty typed tables of every kind in the staging database."""
    for name, kind in KIND_BY_NAME.items():
        # A row is unchanged until the diff finds it changed.
        bookkeeping = ("changed DEFAULT 0" if column == "changed" else column for column in _BOOKKEEPING)
        columns = (*bookkeeping, *(column.db_column for column in kind.columns), *_EXTRA[name])
        conn.execute(f"CREATE TABLE {staged_table(kind)} ({', '.join(columns)})")


@dataclass(frozen=True)
class FileColumns:
    """The columns of one file's rows that an import writes into the store."""

    kind: Kind
    stored: tuple[str, ...]
    # The provenance columns the file lacks, which the import fills in (see facts.importing.validation).
    cited: tuple[str, ...] = ()

    @property
    def compared(self) -> tuple[str, ...]:
        """The stored columns whose difference makes a row changed (the file's own)."""
        return tuple(column for column in self.stored if column not in self.cited)

    @property
    def written(self) -> tuple[str, ...]:
        """The stored columns and the references (ids) an inserted row also needs."""
        return (*self.stored, *REFERENCES.get(self.kind.name, ()))


# The columns a row of each kind of Netflix list fills (facts.netflix.netflix_figure).
NETFLIX_COLUMNS = {
    "viewership": (
        "season",
        "platform",
        "category",
        "source",
        "as_of",
        "start_date",
        "runtime_hours",
        "weeks_in_top10",
        "metric",
        "value",
        "time_window",
        "hours_viewed",
        "rank",
    ),
    "country_ranks": (
        "season",
        "platform",
        "category",
        "source",
        "as_of",
        "start_date",
        "weeks_in_top10",
        "country",
        "country_code",
        "rank",
        "time_window",
    ),
}


def missing_key_columns(file: StagedFile) -> tuple[str, ...]:
    """Return the key columns (besides the show) that a figures file leaves out."""
    if file.kind is not VIEWERSHIP:
        return ()
    in_file = {VIEWERSHIP.column(name).db_column for name in file.header}
    return tuple(column for column in KEYS["viewership"][1:] if column not in in_file)


def file_columns(file: StagedFile) -> FileColumns:
    """Return the columns a staged file's rows store (the file's own, less names stored as ids)."""
    if file.netflix is not None:
        return FileColumns(KIND_BY_NAME[file.netflix.kind], NETFLIX_COLUMNS[file.netflix.kind])
    assert file.kind is not None
    kind = file.kind
    in_file = [kind.column(name).db_column for name in file.header]
    stored = [column for column in in_file if column not in UNSTORED.get(kind.name, ())]
    cited = tuple(column for column in PROVENANCE if "source" not in in_file and column not in in_file)
    if kind in (SHOWS, PEOPLE):
        stored.append(DERIVED_KEY[kind.name])
    return FileColumns(kind, (*stored, *cited), cited)


def insert_sql(file: StagedFile, rows: int) -> str:
    """Return the INSERT that stages ``rows`` rows of a file of the admin format into its typed table.

    Its parameters are the rows as staging reads them, one after the other: a row's line, its
    cells, then the keys of its keyed cells (:attr:`StagedFile.keyed`), computed as it was read.
    Typed cells go through ``sf_typed`` (see :mod:`.cells`), which keeps a cell that is not a value
    as its text. The rows are inserted in the order they are given.
    """
    assert file.kind is not None
    kind = file.kind
    values: dict[str, str] = {}
    for at, name in enumerate(file.header):
        column = kind.column(name)
        cell = f"column{at + 2}"
        if column.type != "text":
            values[column.db_column] = f"sf_typed('{kind.name}', '{name}', {cell})"
        elif column.db_column == "metric":
            values["metric"] = f"sf_metric({unquoted(cell)})"
        elif column.db_column in FOLDED:
            values[column.db_column] = f"sf_fold({unquoted(cell)})"
        else:
            values[column.db_column] = unquoted(cell)
    values.update(_provenance(file.name, values))
    for key in KEYS[kind.name]:
        if key not in values and key in KEY_DEFAULTS:
            values[key] = KEY_DEFAULTS[key]
    width = len(file.header) + 1 + len(file.keyed)
    keyed = {file.header[at]: f"column{len(file.header) + 2 + n}" for n, at in enumerate(file.keyed)}
    values.update(_name_keys(kind, values, keyed))
    return (
        f"INSERT INTO {staged_table(kind)}(file_no, line, {', '.join(values)})"
        f" SELECT {file.number}, column1, {', '.join(values.values())} FROM ({values_sql(width, rows)})"
    )


def insert_batches(
    conn: sqlite3.Connection,
    statement: Callable[[int], str],
    rows: Iterator[list[object]],
    width: int,
    batch_rows: int,
) -> None:
    """Insert ``rows`` (of ``width`` values) by ``statement(count)``, which inserts ``count`` rows."""
    size = max(1, min(batch_rows, conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // width))
    full = statement(size)
    while batch := list(islice(rows, size)):
        conn.execute(full if len(batch) == size else statement(len(batch)), list(chain.from_iterable(batch)))


def values_sql(width: int, rows: int) -> str:
    """Return a VALUES clause of ``rows`` rows of ``width`` parameters each."""
    row = f"({', '.join('?' * width)})"
    return f"VALUES {', '.join([row] * rows)}"


def _provenance(file_name: str, values: dict[str, str]) -> dict[str, str]:
    """SQL for where a row came from: its source cell, else the file and the day it is imported."""
    cited = f"'{imported_from(file_name).replace(chr(39), chr(39) * 2)}'"
    given = values.get("source", "''")
    provenance = {"source": f"COALESCE(NULLIF({given}, ''), {cited})", "cited": f"{given} = ''"}
    if "source" not in values and "as_of" not in values:
        provenance["as_of"] = "''"  # the import's date is in the source; no date the fact was true on
    return provenance


def imported_from(file_name: str) -> str:
    """Return the source of facts a file does not give one for: "lupin.csv, imported 2 December 2026"."""
    return f"{file_name}, imported {format_date(datetime.now(UTC).date().isoformat())}"


def _name_keys(kind: Kind, values: dict[str, str], keyed: dict[str, str]) -> dict[str, str]:
    """SQL for the keys of the names a row gives, from the keys of its keyed cells."""
    if kind.name == "shows":
        return {"title_key": keyed["title"]}
    if kind.name == "people":
        return {"name_key": keyed["name"]}
    keys = {"show_key": keyed["show"]}
    if kind.name == "credits":
        keys["person_key"] = keyed["name"]
        # A row that names no character means the person's credit in that role, whichever it is.
        if "character" in values:
            keys["character_key"] = f"NULLIF({keyed['character']}, '')"
        if "company" in values:
            keys["company_key"] = f"CASE WHEN {values['company']} != '' THEN {keyed['company']} END"
    return keys
