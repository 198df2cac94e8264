"""Exporting the facts as admin CSV files, one per kind, in exactly the import format.

Exported files import back unchanged: export -> import changes nothing, and export -> import ->
export gives the same bytes. Rows are written in natural-key order so the files diff well.
Cells a spreadsheet would run as formulas get a leading ``'`` (the importer strips it again).
"""

from __future__ import annotations

import csv
import itertools
from pathlib import Path
from typing import Any

from facts.csvformat import KINDS, Kind, quote_formula
from facts.dialect import Reader
from facts.errors import FactsError
from facts.store import Store

# What each kind's rows are joined with, so show titles and names replace the ids.
_SELECTS = {
    "shows": "SELECT * FROM shows ORDER BY title_key",
    "people": "SELECT * FROM people ORDER BY name_key",
    "credits": (
        "SELECT c.*, s.title AS show, p.name AS name FROM credits c "
        "JOIN shows s ON s.id = c.show_id JOIN people p ON p.id = c.person_id "
        "ORDER BY s.title_key, p.name_key, c.role"
    ),
    "viewership": (
        'SELECT v.*, s.title AS show, v.value AS viewers, v.time_window AS "window", '
        "v.runtime_hours AS runtime, v.weeks_in_top10 AS weeks_in_top_10 "
        "FROM viewership v JOIN shows s ON s.id = v.show_id "
        "ORDER BY s.title_key, v.season, v.platform, v.time_window, v.metric"
    ),
    "attributes": (
        "SELECT a.*, s.title AS show FROM show_attributes a JOIN shows s ON s.id = a.show_id "
        "ORDER BY s.title_key, a.attribute, a.value"
    ),
    "country_ranks": (
        'SELECT r.*, s.title AS show, r.time_window AS "window", r.weeks_in_top10 AS weeks_in_top_10 '
        "FROM country_ranks r JOIN shows s ON s.id = r.show_id "
        "ORDER BY s.title_key, r.season, r.country, r.time_window, r.category"
    ),
}


def format_cell(value: Any) -> str:
    """Write one value as the importer reads it back (numbers plain, formulas quoted)."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value).removesuffix(".0") if value.is_integer() else repr(value)
    return quote_formula(str(value))


def export_facts(store: Store, directory: Path) -> list[Path]:
    """Write one CSV file per kind of fact (shows.csv, people.csv, ...) into ``directory``.

    Returns:
        The paths written, in import order; kinds without any facts get no file.

    Raises:
        FactsError: the directory cannot be created or written.
    """
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with store.read() as db:
            written = [_export_kind(db, kind, directory) for kind in KINDS]
    except OSError as error:
        raise FactsError(
            f"Cannot write the export to {directory}: {error.strerror or error}.",
            "Choose a folder you can write to.",
        ) from error
    return [path for path in written if path is not None]


def _export_kind(db: Reader, kind: Kind, directory: Path) -> Path | None:
    # A kind without facts gets no file: a header-only file is refused on import.
    path = directory / f"{kind.name}.csv"
    path.unlink(missing_ok=True)
    cursor = db.execute(_SELECTS[kind.name])
    names = [description[0] for description in cursor.description]
    first = cursor.fetchone()
    if first is None:
        return None
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(kind.names)
        for values in itertools.chain([first], cursor):
            row = dict(zip(names, values, strict=True))
            writer.writerow(format_cell(row[name]) for name in kind.names)
    return path
