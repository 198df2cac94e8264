"""The staged rows of each kind: one typed table per kind, filled from the raw cells by SQL.

``st_<kind>`` holds every row of every file of that kind: where it came from (file, line), its
values (NULL where its file lacks the column), its natural key, and the columns the diff fills in
(``store_id``: the store's row with the same key; ``changed``; the ids of the show and person).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from facts.csvformat import DEFAULT_METRIC, KIND_BY_NAME, PEOPLE, SHOWS, VIEWERSHIP, Kind
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
