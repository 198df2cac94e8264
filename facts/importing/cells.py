"""The SQL functions that read the admin format's cells: folded text, typed values and their problems.

A file's rows are staged straight into their typed table (see :func:`.rows.insert_sql`), each
typed cell through ``sf_typed``. A cell that holds no value of its column's type is kept there as
its text in a BLOB, which no typed value is: validation finds those cells by ``typeof`` and names
each one with ``sf_cell_problem`` (see :mod:`.validation`), before anything reads the rows.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from facts.csvformat import DEFAULT_METRIC, KIND_BY_NAME, METRICS, convert_cell
from facts.errors import FactsError

# Distinct cells each SQL function remembers (bounded: memory stays flat however large the file).
CACHED_CELLS = 1 << 14
# How SQL tells a cell kept as its text (not a value of its column's type) from a typed value.
NOT_TYPED = "blob"


def register_cell_functions(conn: sqlite3.Connection) -> None:
    """Install the SQL functions staging and validation call on the staging connection.

    Names, dates and roles repeat down a file (a show's credits follow each other): a small cache
    before each function answers most calls without running it.
    """
    conn.create_function("sf_fold", 1, _cached(fold), deterministic=True)
    conn.create_function("sf_typed", 3, _cached(_typed), deterministic=True)
    conn.create_function("sf_metric", 1, _cached(_metric), deterministic=True)
    conn.create_function("sf_cell_problem", 3, _cached(_cell_problem), deterministic=True)
    conn.create_function("sf_metric_problem", 1, _metric_problem, deterministic=True)


def _cached(function: Callable[..., Any]) -> Callable[..., Any]:
    return lru_cache(maxsize=CACHED_CELLS)(function)


def fold(text: Any) -> str:
    """Return a role, attribute or metric as it is compared: case-folded, one space between words."""
    return " ".join(str(text if text is not None else "").casefold().split())


def _typed(kind: str, column: str, text: str) -> Any:
    try:
        return convert_cell(KIND_BY_NAME[kind].column(column), text)
    except FactsError:
        return text.encode()  # named by validation (sf_cell_problem): the import is refused


def _cell_problem(kind: str, column: str, text: str) -> str | None:
    try:
        convert_cell(KIND_BY_NAME[kind].column(column), text)
    except FactsError as error:
        return str(error)
    return None


def _metric(text: str) -> Any:
    folded = fold(text)
    if not folded:
        return DEFAULT_METRIC
    return folded if folded in METRICS else text.encode()  # named by sf_metric_problem


def _metric_problem(text: str) -> str | None:
    folded = fold(text)
    if not folded or folded in METRICS:
        return None
    return f"column metric: {text!r} is not a metric. Write one of: {', '.join(METRICS)}."


def unquoted(cell: str) -> str:
    """SQL for a cell without the ' that export puts before what a spreadsheet would run as a formula."""
    # Text from ' up to (but not) ( is the text that starts with ': two comparisons tell, where
    # substr(cell, 1, 1) cost a call and a string for every cell of every row.
    return (
        f"CASE WHEN {cell} >= '''' AND {cell} < '(' AND substr({cell}, 2, 1) IN ('=', '+', '-', '@')"
        f" THEN substr({cell}, 2) ELSE {cell} END"
    )
