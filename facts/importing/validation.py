"""Validation in SQL: every cell of every staged file checked, typed and keyed.

Typed cells (numbers, dates, kinds of person) are checked and converted by SQL functions that call
:func:`facts.csvformat.convert_cell`; required cells, metrics and duplicate keys by queries. Every
problem names its file, line, column and value, in the messages the admin CSV format defines.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

from facts.csvformat import DEFAULT_METRIC, KIND_BY_NAME, METRICS, VIEWERSHIP, Kind, convert_cell
from facts.errors import FactsError
from facts.importing.journal import now
from facts.importing.report import MAX_REPORTED_PROBLEMS, refusal
from facts.importing.rows import FOLDED, KEY_DEFAULTS, KEYS, NETFLIX_COLUMNS, staged_table
from facts.importing.staging import StagedFile, Staging
from facts.netflix import netflix_figure
from facts.normalize import normalize_name
from facts.wording import format_date

# The seq of row-level problems (empty cells, metrics) after the typed-cell problems of the row.
ROW_CHECK_SEQ = 1_000_000
# Distinct cells each SQL function remembers (bounded: memory stays flat however large the file).
CACHED_CELLS = 1 << 14


def register_cell_functions(conn: sqlite3.Connection) -> None:
    """Install the SQL functions validation and conversion call on the staging connection.

    Names, dates and roles repeat down a file (a show's credits follow each other): a small cache
    before each function answers most calls without running it.
    """
    conn.create_function("sf_fold", 1, _cached(fold), deterministic=True)
    conn.create_function("sf_convert", 3, _cached(_convert), deterministic=True)
    conn.create_function("sf_cell_problem", 3, _cached(_cell_problem), deterministic=True)
    conn.create_function("sf_metric_problem", 1, _metric_problem, deterministic=True)


def _cached(function: Callable[..., Any]) -> Callable[..., Any]:
    return lru_cache(maxsize=CACHED_CELLS)(function)


def fold(text: Any) -> str:
    """Return a role, attribute or metric as it is compared: case-folded, one space between words."""
    return " ".join(str(text if text is not None else "").casefold().split())


def _convert(kind: str, column: str, text: str) -> Any:
    return convert_cell(KIND_BY_NAME[kind].column(column), text)


def _cell_problem(kind: str, column: str, text: str) -> str | None:
    try:
        convert_cell(KIND_BY_NAME[kind].column(column), text)
    except FactsError as error:
        return str(error)
    return None


def _metric_problem(text: str) -> str | None:
    folded = fold(text)
    if not folded or folded in METRICS:
        return None
    return f"column metric: {text!r} is not a metric. Write one of: {', '.join(METRICS)}."


def unquoted(cell: str) -> str:
    """SQL for a cell without the ' that export puts before what a spreadsheet would run as a formula."""
    return (
        f"CASE WHEN substr({cell}, 1, 1) = '''' AND substr({cell}, 2, 1) IN ('=', '+', '-', '@')"
        f" THEN substr({cell}, 2) ELSE {cell} END"
    )


def check_files(staging: Staging) -> None:
    """Record the problems of every cell of every recognised file; stage Netflix rows as figures."""
    for file in staging.files:
        if _has_problems(staging, file):
            continue
        if file.netflix is not None:
            _stage_netflix(staging, file)
        elif file.kind is not None:
            _check_cells(staging, file, file.kind)


def _has_problems(staging: Staging, file: StagedFile) -> bool:
    found = staging.conn.execute("SELECT EXISTS (SELECT 1 FROM problems WHERE file_no = ?)", (file.number,))
    return bool(found.fetchone()[0])


def _check_cells(staging: Staging, file: StagedFile, kind: Kind) -> None:
    where = "? || ' line ' || line || ', ' || "
    for at, name in enumerate(file.header):
        column = kind.column(name)
        if column.type == "text":
            continue
        staging.conn.execute(
            f"INSERT INTO problems(file_no, line, seq, message) SELECT ?, line, ?, {where} problem"
            f" FROM (SELECT line, sf_cell_problem(?, ?, c{at}) AS problem FROM {file.raw})"
            " WHERE problem IS NOT NULL",
            (file.number, at, file.name, kind.name, name),
        )
    checks = [
        f"WHEN c{file.header.index(name)} = '' THEN 'column {name}: empty. Every row needs a value there.'"
        for name in kind.required
        if kind.column(name).type == "text"
    ]
    if kind is VIEWERSHIP and "metric" in file.header:
        metric = unquoted(f"c{file.header.index('metric')}")
        checks.append(f"ELSE sf_metric_problem({metric})")
    if not checks:
        return
    staging.conn.execute(
        f"INSERT INTO problems(file_no, line, seq, message) SELECT ?, line, ?, {where} problem FROM"
        f" (SELECT line, CASE {' '.join(checks)} END AS problem FROM {file.raw}"
        "  WHERE line NOT IN (SELECT line FROM problems WHERE file_no = ?))"
        " WHERE problem IS NOT NULL",
        (file.number, ROW_CHECK_SEQ, file.name, file.number),
    )


def _stage_netflix(staging: Staging, file: StagedFile) -> None:
    assert file.netflix is not None
    kind = file.netflix.kind
    columns = ("file_no", "line", "show", "show_key", "published", *NETFLIX_COLUMNS[kind])
    problems: list[tuple[int, str]] = []
    staging.conn.executemany(
        f"INSERT INTO {staged_table(KIND_BY_NAME[kind])}({', '.join(columns)})"
        f" VALUES ({', '.join('?' * len(columns))})",
        _netflix_rows(staging, file, problems),
    )
    for line, message in problems:
        staging.add_problem(file.number, line, message)


def _netflix_rows(
    staging: Staging, file: StagedFile, problems: list[tuple[int, str]]
) -> Iterator[tuple[Any, ...]]:
    assert file.netflix is not None
    cells = ", ".join(f"c{at}" for at in range(len(file.header)))
    for line, *row in staging.conn.execute(f"SELECT line, {cells} FROM {file.raw} ORDER BY rowid"):
        where = f"{file.name} line {line}"
        try:
            show, values = netflix_figure(file.netflix, dict(zip(file.header, row, strict=True)))
        except ValueError as error:
            problems.append(
                (line, f"{where}: {str(error)!r} is not a number or date as Netflix writes them.")
            )
            continue
        if not show:
            problems.append((line, f"{where}, column show_title: empty."))
            continue
        stored = NETFLIX_COLUMNS[file.netflix.kind]
        yield (file.number, line, show, normalize_name(show), 1, *(values[c] for c in stored))


def raise_problems(staging: Staging) -> None:
    """Raise every problem recorded so far (the first few named), if there are any.

    Raises:
        FactsError: listing the problems in file and line order.
    """
    total = staging.conn.execute("SELECT COUNT(*) FROM problems").fetchone()[0] + staging.unlisted
    if not total:
        return
    shown = [
        row[0]
        for row in staging.conn.execute(
            "SELECT message FROM problems ORDER BY file_no, line, seq LIMIT ?", (MAX_REPORTED_PROBLEMS,)
        )
    ]
    raise refusal(total, shown)


def convert_files(staging: Staging) -> None:
    """Fill the typed tables from the raw cells of every (valid) file of the admin format."""
    for file in staging.files:
        if file.kind is not None:
            _convert_file(staging.conn, file, file.kind)


def _convert_file(conn: sqlite3.Connection, file: StagedFile, kind: Kind) -> None:
    values: dict[str, str] = {}
    for at, name in enumerate(file.header):
        column = kind.column(name)
        cell = f"c{at}"
        if column.type != "text":
            values[column.db_column] = f"sf_convert('{kind.name}', '{name}', {cell})"
        elif column.db_column in FOLDED:
            values[column.db_column] = f"sf_fold({unquoted(cell)})"
        else:
            values[column.db_column] = unquoted(cell)
    if "metric" in values:
        values["metric"] = f"COALESCE(NULLIF({values['metric']}, ''), '{DEFAULT_METRIC}')"
    values.update(_provenance(file.name, values))
    for key in KEYS[kind.name]:
        if key not in values and key in KEY_DEFAULTS:
            values[key] = KEY_DEFAULTS[key]
    values.update(_name_keys(kind, values))
    columns = ", ".join(values)
    conn.execute(
        f"INSERT INTO {staged_table(kind)}(file_no, line, {columns})"
        f" SELECT {file.number}, line, {', '.join(values.values())} FROM {file.raw} ORDER BY rowid"
    )


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
    return f"{file_name}, imported {format_date(now()[:10])}"


def _name_keys(kind: Kind, values: dict[str, str]) -> dict[str, str]:
    """SQL for the keys of the names a row gives, read from the raw keys (see staging.KEYED_COLUMNS)."""
    if kind.name == "shows":
        return {"title_key": "key_title"}
    if kind.name == "people":
        return {"name_key": "key_name"}
    keys = {"show_key": "key_show"}
    if kind.name == "credits":
        keys["person_key"] = "key_name"
        # A row that names no character means the person's credit in that role, whichever it is.
        if "character" in values:
            keys["character_key"] = "NULLIF(key_character, '')"
        if "company" in values:
            keys["company_key"] = f"CASE WHEN {values['company']} != '' THEN key_company END"
    return keys
