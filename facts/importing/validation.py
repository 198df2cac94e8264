"""Validation in SQL: every cell of every staged file checked, typed and keyed.

Typed cells (numbers, dates, kinds of person) were converted as they were staged, by SQL functions
that call :func:`facts.csvformat.convert_cell` (see :mod:`.cells`); those that hold no value of their
type are named here, as are empty required cells and unknown metrics, by queries, and duplicate
keys (see :mod:`.duplicates`). Every problem names its file, line, column and value, in the
messages the admin CSV format defines.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import count
from typing import Any

from facts.csvformat import KIND_BY_NAME, VIEWERSHIP, Kind
from facts.importing.cells import NOT_TYPED
from facts.importing.report import MAX_REPORTED_PROBLEMS, refusal
from facts.importing.rows import NETFLIX_COLUMNS, staged_table
from facts.importing.staging import StagedFile, Staging
from facts.netflix import netflix_figure
from facts.normalize import normalize_name

# The seq of row-level problems (empty cells, metrics) after the typed-cell problems of the row.
ROW_CHECK_SEQ = 1_000_000
# The rowid of the first figure of a Netflix list in its typed table: below those of the admin
# format's rows, staged before it, so that its figures come first (their order decides which of
# two rows with one key is named first, and the order in which new rows are numbered).
NETFLIX_FIRST_ROWID = -(1 << 62)


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
    rows = f"FROM {staged_table(kind)} WHERE rowid BETWEEN {file.rowids[0]} AND {file.rowids[1]}"
    for at, name in enumerate(file.header):
        column = kind.column(name)
        if column.type == "text":
            continue
        value = column.db_column
        staging.conn.execute(
            f"INSERT INTO problems(file_no, line, seq, message) SELECT ?, line, ?, {where} problem"
            f" FROM (SELECT line, sf_cell_problem(?, ?, CAST({value} AS TEXT)) AS problem {rows}"
            f"  AND typeof({value}) = '{NOT_TYPED}')"
            " WHERE problem IS NOT NULL",
            (file.number, at, file.name, kind.name, name),
        )
    # An empty cell is empty once unquoted and folded too.
    checks = [
        f"WHEN {kind.column(name).db_column} = '' THEN 'column {name}: empty. Every row needs a value there.'"
        for name in kind.required
        if kind.column(name).type == "text"
    ]
    if kind is VIEWERSHIP and "metric" in file.header:
        checks.append(f"WHEN typeof(metric) = '{NOT_TYPED}' THEN sf_metric_problem(CAST(metric AS TEXT))")
    if not checks:
        return
    staging.conn.execute(
        f"INSERT INTO problems(file_no, line, seq, message) SELECT ?, line, ?, {where} problem FROM"
        f" (SELECT line, CASE {' '.join(checks)} END AS problem {rows}"
        "  AND line NOT IN (SELECT line FROM problems WHERE file_no = ?))"
        " WHERE problem IS NOT NULL",
        (file.number, ROW_CHECK_SEQ, file.name, file.number),
    )


def _stage_netflix(staging: Staging, file: StagedFile) -> None:
    assert file.netflix is not None
    kind = file.netflix.kind
    table = staged_table(KIND_BY_NAME[kind])
    columns = ("rowid", "file_no", "line", "show", "show_key", "published", *NETFLIX_COLUMNS[kind])
    first = staging.conn.execute(
        f"SELECT COALESCE(MAX(rowid) + 1, ?) FROM {table} WHERE rowid < 0", (NETFLIX_FIRST_ROWID,)
    ).fetchone()[0]
    problems: list[tuple[int, str]] = []
    staging.conn.executemany(
        f"INSERT INTO {table}({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        _netflix_rows(staging, file, count(first), problems),
    )
    for line, message in problems:
        staging.add_problem(file.number, line, message)


def _netflix_rows(
    staging: Staging, file: StagedFile, rowids: Iterator[int], problems: list[tuple[int, str]]
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
        yield (next(rowids), file.number, line, show, normalize_name(show), 1, *(values[c] for c in stored))


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
