"""Importing fact files: plan (validate + diff), apply (journaled, all or nothing), undo, history.

Admins keep the facts current by importing CSV files (see :mod:`facts.csvformat`) or the Netflix
Top 10 lists as published (see :mod:`facts.netflix`). Every import goes through two steps:

1. :func:`plan_import` reads and validates every file and computes the difference against the
   store. Any bad row anywhere refuses the whole import, naming every problem. Nothing changes.
2. :func:`apply_import` writes the plan in one transaction and journals the previous state of
   every row it touches, so :func:`undo_last_import` can put the store back exactly.

Slack uploads are staged between the two steps (:func:`stage_import`, :func:`apply_staged`).
"""

from __future__ import annotations

import gc
import json
import marshal
import secrets
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from importlib import resources
from itertools import compress, count, groupby, repeat
from multiprocessing import get_context
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from operator import add, attrgetter, itemgetter, methodcaller, not_
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from facts.answer import Answer, Field
from facts.csvformat import (
    CREDITS,
    DEFAULT_METRIC,
    KIND_BY_NAME,
    KINDS,
    METRICS,
    PEOPLE,
    SHOWS,
    VIEWERSHIP,
    Kind,
    RawTable,
    convert_cell,
    decode_text,
    read_text_rows,
    recognise_kind,
    unquote_formula,
)
from facts.errors import FactsError
from facts.netflix import NetflixFile, netflix_figure, recognise_netflix
from facts.normalize import normalize_name
from facts.prepared_rows import Batch, PreparedRows, can_fork
from facts.schema import split_aliases
from facts.store import FactStore

MAX_IMPORT_ROWS = 6_000_000
# Imports of this many bytes share their parsing with a second process, which gets a little less
# than half of it: it also has to write its rows out for this one.
PARALLEL_PARSE_MIN_BYTES = 20_000_000
SECOND_PROCESS_SHARE = 0.44
# Version 2 writes shared strings again instead of tracking every object it has written: bigger,
# and both writing and reading are faster (10 s against 18 s for 3 million credits, once measured).
MARSHAL_VERSION = 2
# Below this many new rows the name-index triggers are fast enough; above, names are written in bulk.
BULK_NAMES_MIN_ROWS = 500
# A table (or the name index) that an import grows by this many rows, and by at least a quarter
# of the rows it has, gets its secondary indexes built after the insert instead of during it.
POSTPONE_INDEXES_MIN_ROWS = 50_000
POSTPONE_INDEXES_GROWTH = 4
LARGE_IMPORT_ROWS = 50_000
# Imports adding this many rows have them written into files by a second process (see
# facts.prepared_rows), in batches of at most BATCH_ROWS so that copying starts early.
PREPARED_ROWS_MIN_ROWS = 200_000
BATCH_ROWS = 1_000_000
FIRST_BATCH_ROWS = 200_000
# A column whose first cells repeat this often on average keeps one string per distinct cell.
CARDINALITY_SAMPLE = 1000
REPEATS_FOR_SHARING = 4
# Room for every page a million-title import writes, so none is spilled and written twice.
LARGE_IMPORT_CACHE_KIB = 2 * 1024 * 1024
MAX_REPORTED_PROBLEMS = 50
MAX_REPORTED_CHANGES = 50
MAX_SHOWN_VALUE_CHARS = 60
STAGED_IMPORT_TTL = timedelta(hours=24)
SEED_USER = "showfacts (bundled seed)"
SEED_PACKAGE = "facts"
SEED_FOLDER = "seed"

Key = tuple[Any, ...]
_KEY = attrgetter("key")
_CELLS = attrgetter("cells")
_FIRST = itemgetter(0)
Row = dict[str, Any]
# The columns new dependent rows refer to shows and people by, and what turns a run of rows into
# the values to insert: their cells followed by those ids.
References = tuple[tuple[str, ...], Callable[[Iterable["ParsedRow"]], Iterator[tuple[Any, ...]]]]
NO_REFERENCES: References = ((), lambda rows: map(_CELLS, rows))

# Dependent kinds refer to shows (and credits to people) by name; the order shows, people, then
# the rest lets a single import create a show and its figures.
APPLY_ORDER = ("shows", "people", "credits", "viewership", "attributes")
DEPENDENT_KINDS = ("credits", "viewership", "attributes")


@dataclass(frozen=True)
class ImportFile:
    """One file to import: its name (for messages) and its bytes."""

    name: str
    data: bytes


def read_paths(paths: Sequence[Path]) -> list[ImportFile]:
    """Read files from disk for :func:`plan_import`.

    Raises:
        FactsError: a file is missing or unreadable.
    """
    files = []
    for path in paths:
        try:
            files.append(ImportFile(Path(path).name, Path(path).read_bytes()))
        except OSError as error:
            raise FactsError(
                f"Cannot read {path}: {error.strerror or error}.", "Check the file name and its permissions."
            ) from error
    return files


# ---------------------------------------------------------------- parsing


@dataclass(slots=True)
class ParsedRow:
    """A validated row: where it came from, its natural key and its database values.

    The values are ``cells`` in the order of ``columns``, a tuple shared by every row of a file:
    millions of rows then cost a tuple each instead of a dict each.
    """

    file: str
    line: int
    key: Key
    columns: tuple[str, ...]
    cells: tuple[Any, ...]
    show: str = ""  # the show title as written, for kinds that refer to a show
    person: str = ""  # the person's name as written (credits)
    published: bool = False  # from a Netflix list: kept as published, never refused

    @property
    def values(self) -> Row:
        return dict(zip(self.columns, self.cells, strict=True))

    def value(self, column: str, default: Any = "") -> Any:
        """Return the value of ``column``, or ``default`` when the row's file has no such column."""
        return self.cells[self.columns.index(column)] if column in self.columns else default

    @property
    def where(self) -> str:
        # Formatted only for messages: millions of rows are read and almost none reported.
        return _where(self.file, self.line)


def _where(file: str, line: int) -> str:
    return f"{file} line {line}"


@dataclass
class ParsedFiles:
    """Every row of every file of one import, by kind."""

    rows: dict[str, list[ParsedRow]] = field(default_factory=lambda: defaultdict(list))
    notes: list[str] = field(default_factory=list)


class _Problems:
    """Collects the problems of an import; raises them all at once, capped."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, line: str) -> None:
        self.lines.append(line)

    def raise_if_any(self) -> None:
        if not self.lines:
            return
        shown = self.lines[:MAX_REPORTED_PROBLEMS]
        if len(self.lines) > MAX_REPORTED_PROBLEMS:
            shown.append(f"… and {len(self.lines) - MAX_REPORTED_PROBLEMS} more.")
        count = len(self.lines)
        raise FactsError(
            f"Nothing was imported: {count} problem{'s' if count != 1 else ''} found.",
            "Fix them and import the files again.",
            tuple(shown),
        )


class _Normalizer(dict[str, str]):
    """normalize_name with memory, looked up as ``norm[text]``: names repeat across millions of rows.

    A dict subclass so that the lookups that find a name (most of them) run no Python code.
    """

    def __missing__(self, text: str) -> str:
        key = self[text] = normalize_name(text)
        return key


def parse_files(files: Sequence[ImportFile], *, max_rows: int | None = None) -> ParsedFiles:
    """Read and validate every file; keys are computed, nothing is looked up in the store.

    Raises:
        FactsError: any problem in any file; ``details`` lists every one found.
    """
    if not files:
        raise FactsError("No files to import.", "Name at least one CSV file.")
    parsed, problems = ParsedFiles(), _Problems()
    max_rows = MAX_IMPORT_ROWS if max_rows is None else max_rows
    total = 0
    for file in _parse_each(files):
        total += file.count
        if total > max_rows:
            raise FactsError(
                f"Too many rows: more than {max_rows:,} in one import.",
                "Split the files and import them in several steps.",
            )
        problems.lines.extend(file.problems)
        for kind_name, rows in file.rows.items():
            parsed.rows[kind_name].extend(rows)
    problems.raise_if_any()
    _check_duplicates(parsed, problems)
    problems.raise_if_any()
    return parsed


@dataclass
class _ParsedFile:
    """The rows of one file (or of a part of it) by kind, how many it has, and its problems."""

    count: int = 0
    rows: dict[str, list[ParsedRow]] = field(default_factory=lambda: defaultdict(list))
    problems: list[str] = field(default_factory=list)

    def extend(self, later: _ParsedFile) -> None:
        """Add the rows and problems of the rest of the file."""
        self.count += later.count
        for kind_name, rows in later.rows.items():
            self.rows[kind_name].extend(rows)
        self.problems.extend(later.problems)


def _parse_each(files: Sequence[ImportFile]) -> Iterator[_ParsedFile]:
    """Yield each file parsed, in order.

    A large import shares the work with a second process: it parses the end of the largest file
    while this one parses the other files and the beginning of that one.
    """
    norm = _Normalizer()
    split = _split_for_two_processes(files)
    if split is None:
        yield from (_parse_file(file, norm) for file in files)
        return
    largest, head, tail = split
    worker, receiving = _start_parsing(files[largest].name, tail)
    parsed = [
        _parse_file(file, norm) if at != largest else _parse_text(file.name, head, norm)
        for at, file in enumerate(files)
    ]
    parsed[largest].extend(_receive_parsed(receiving, files[largest].name, tail, norm))
    worker.join()
    yield from parsed


@dataclass(frozen=True)
class _TextPart:
    """The header and a later part of a file's text, and how many lines come between them."""

    text: str
    skipped_lines: int


def _split_for_two_processes(files: Sequence[ImportFile]) -> tuple[int, str, _TextPart] | None:
    """Return the largest file, its beginning for this process and its end for a second one.

    None when the import is too small to be worth a second process, the machine has one core,
    this process runs threads (the second process is forked, which is only safe with one) or the
    largest file cannot be cut at a line break between rows.
    """
    total = sum(len(file.data) for file in files)
    if total < PARALLEL_PARSE_MIN_BYTES or not can_fork():
        return None
    largest = max(range(len(files)), key=lambda at: len(files[at].data))
    try:
        text = decode_text(files[largest].name, files[largest].data)
    except FactsError:
        return None  # parsed in this process, which reports the problem
    header_end = text.find("\n") + 1
    cut = _row_break_after(text, max(header_end, len(text) - int(total * SECOND_PROCESS_SHARE)))
    if header_end == 0 or text.count('"', 0, header_end) % 2 or cut < 0:
        return None
    if text[header_end:cut].isspace() or text[cut:].isspace():
        return None  # one of the two would have no rows
    # The lines before the cut, less the header, which the second process reads again.
    tail = _TextPart(text[:header_end] + text[cut:], text.count("\n", 0, cut) - 1)
    return largest, text[:cut], tail


def _row_break_after(text: str, start: int) -> int:
    """Return the position just after the first line break at or after ``start`` between two rows.

    A line break is between rows when an even number of double quotes comes before it: CSV writes
    a quote inside a quoted cell as two. Returns -1 if there is none.
    """
    end = text.find("\n", start)
    quotes = text.count('"', 0, end)
    while end >= 0 and quotes % 2:
        following = text.find("\n", end + 1)
        quotes += text.count('"', end, following)
        end = following
    return end + 1 if end >= 0 else -1


def _parse_file(file: ImportFile, norm: _Normalizer) -> _ParsedFile:
    try:
        text = decode_text(file.name, file.data)
    except FactsError as error:
        return _ParsedFile(problems=[str(error), *error.details])
    return _parse_text(file.name, text, norm)


def _parse_text(name: str, text: str, norm: _Normalizer, skipped_lines: int = 0) -> _ParsedFile:
    parsed = _ParsedFile()
    try:
        table = read_text_rows(name, text, skipped_lines=skipped_lines)
    except FactsError as error:
        parsed.problems.extend((str(error), *error.details))
        return parsed
    parsed.count = len(table.cells)
    _parse_table(table, parsed, norm)
    return parsed


def _start_parsing(name: str, part: _TextPart) -> tuple[BaseProcess, Connection]:
    """Fork a process that parses ``part`` of a file (which it shares, unsent) and sends back its rows."""
    context = get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    worker = context.Process(target=_parse_and_send, args=(name, part, sending), daemon=True)
    worker.start()
    sending.close()
    return worker, receiving


def _parse_and_send(name: str, part: _TextPart, sending: Connection) -> None:
    # marshal writes plain tuples, strings and numbers many times faster than pickle writes objects.
    parsed = _parse_text(name, part.text, _Normalizer(), part.skipped_lines)
    runs = {kind_name: _runs_by_field(rows) for kind_name, rows in parsed.rows.items()}
    sending.send_bytes(marshal.dumps((parsed.count, runs, parsed.problems), MARSHAL_VERSION))


# What a parsed row holds besides its file, columns and origin, sent field by field: one list each.
_SENT_FIELDS = ("line", "key", "cells", "show", "person")


def _runs_by_field(rows: list[ParsedRow]) -> list[tuple[Any, ...]]:
    """Return the runs of rows that share columns and origin, each with a list per sent field."""
    runs = []
    for (columns, published), run in groupby(rows, key=attrgetter("columns", "published")):
        in_run = list(run)
        runs.append((columns, published, *(list(map(attrgetter(name), in_run)) for name in _SENT_FIELDS)))
    return runs


def _receive_parsed(receiving: Connection, name: str, part: _TextPart, norm: _Normalizer) -> _ParsedFile:
    try:
        count, runs, problems = marshal.loads(receiving.recv_bytes())
    except (EOFError, OSError):
        return _parse_text(name, part.text, norm, part.skipped_lines)  # it died (out of memory?)
    finally:
        receiving.close()
    parsed = _ParsedFile(count, problems=problems)
    for kind_name, kind_runs in runs.items():
        for columns, published, lines, keys, cells, shows, persons in kind_runs:
            parsed.rows[kind_name].extend(
                map(
                    ParsedRow,
                    repeat(name),
                    lines,
                    keys,
                    repeat(columns),
                    cells,
                    shows,
                    persons,
                    repeat(published),
                )
            )
    return parsed


def _parse_table(table: RawTable, parsed: _ParsedFile, norm: _Normalizer) -> None:
    netflix = recognise_netflix(table.header)
    if netflix is not None:
        _parse_netflix(table, netflix, parsed, norm)
        return
    try:
        kind = recognise_kind(table.name, table.header)
    except FactsError as error:
        parsed.problems.append(str(error))
        return
    layout = _Layout.of(kind, table.header)
    typed: list[tuple[int, Callable[[str], Any]]] = [
        (at, partial(convert_cell, column))
        for at, column in enumerate(kind.column(name) for name in table.header)
        if column.type != "text"
    ]
    rows = parsed.rows[kind.name]
    clean = _parse_clean_table(layout, table, typed, norm)
    if clean is not None:
        rows.extend(clean)
        return
    for line, raw in zip(table.lines, table.cells, strict=True):
        quoted = "'" in "".join(raw)  # a leading ' may undo export's formula quoting
        cells: list[Any] = list(map(_text_cell if quoted else str.strip, raw))
        # Numbers, dates and kinds of person are converted from the cells as written.
        if typed and not _convert_cells(typed, raw, cells, table.name, line, parsed.problems):
            continue
        row = _keyed_row(layout, table.name, line, cells, norm)
        if isinstance(row, str):
            parsed.problems.append(row)
        else:
            rows.append(row)


@dataclass(frozen=True)
class _Layout:
    """Where the cells of one file go; worked out once per file and used for each of its rows.

    A row's cells are read in the file's column order, then the values of key columns the file
    lacks (``defaults``) are appended, so every position below is known before the first row.
    """

    kind: Kind
    columns: tuple[str, ...]  # the database columns a parsed row holds, in order
    stored_at: tuple[int, ...]  # where those cells are (without a derived key)
    key_at: tuple[int, ...]  # where the natural key's cells are, names as written
    stored: Callable[[list[Any]], tuple[Any, ...]]  # picks the stored cells
    key: Callable[[list[Any]], tuple[Any, ...]]  # picks the natural key's cells
    defaults: tuple[Any, ...]
    folded: tuple[int, ...]  # role, attribute, metric: compared without case or extra spaces
    required: tuple[tuple[int, str], ...]  # (position, column name) of cells that must not be empty
    show_at: int  # the show's title as written, for kinds that refer to a show (else -1)
    person_at: int  # the person's name as written, for credits (else -1)

    @classmethod
    def of(cls, kind: Kind, header: tuple[str, ...]) -> _Layout:
        in_file = [kind.column(name).db_column for name in header]
        key_columns = [kind.column(name).db_column for name in kind.key]
        missing = [column for column in key_columns if column not in in_file]
        every = [*in_file, *missing]
        unstored = _UNSTORED.get(kind.name, ())
        # A figure's metric is stored even when its file leaves it to the default.
        columns = [column for column in every if column not in unstored and column in (*in_file, "metric")]
        at = {column: position for position, column in enumerate(every)}
        derived = _DERIVED_KEY.get(kind.name)
        stored_at = tuple(at[column] for column in columns)
        key_at = tuple(at[column] for column in key_columns)
        return cls(
            kind=kind,
            columns=(*columns, derived) if derived else tuple(columns),
            stored_at=stored_at,
            key_at=key_at,
            stored=_getter(stored_at),
            key=_getter(key_at),
            defaults=tuple(DEFAULT_METRIC if column == "metric" else "" for column in missing),
            folded=tuple(at[column] for column in _FOLDED if column in at),
            required=tuple((at[kind.column(name).db_column], name) for name in kind.required),
            show_at=at.get("show", -1) if kind not in (SHOWS, PEOPLE) else -1,
            person_at=at["name"] if kind is CREDITS else -1,
        )


# Columns that name what a row refers to: stored as ids, not as text.
_UNSTORED = {"credits": ("show", "name"), "viewership": ("show",), "attributes": ("show",)}
# The normalised name that shows and people are keyed by, stored beside the name.
_DERIVED_KEY = {"shows": "title_key", "people": "name_key"}
_FOLDED = ("role", "attribute", "metric")


def _getter(positions: tuple[int, ...]) -> Callable[[list[Any]], tuple[Any, ...]]:
    if len(positions) == 1:
        only = positions[0]
        return lambda cells: (cells[only],)
    return itemgetter(*positions)


class _Unclean(Exception):
    """A cell that the row-by-row parse must read, to name its problem."""


class _Memo(dict[Any, Any]):
    """A function of one cell with memory: the same texts recur in millions of rows.

    Raises _Unclean instead of the function's FactsError.
    """

    def __init__(self, function: Callable[[Any], Any]) -> None:
        super().__init__()
        self.function = function

    def __missing__(self, text: Any) -> Any:
        try:
            value = self[text] = self.function(text)
        except FactsError as error:
            raise _Unclean from error
        return value


def _stripped(column: Sequence[str]) -> list[str]:
    """Return the cells of ``column`` stripped; equal cells share one string where many repeat.

    Sources, dates, networks and roles repeat in millions of rows: one string each instead of one
    per row is a good part of a large import's memory, and of the time spent allocating it.
    """
    sample = column[:CARDINALITY_SAMPLE]
    if len(set(sample)) * REPEATS_FOR_SHARING > len(sample):
        return list(map(str.strip, column))
    return list(map(_Memo(str.strip).__getitem__, column))


def _has_empty(column: Sequence[Any]) -> bool:
    # all() first: it finds no empty cell in most columns, faster than looking for "" and None.
    return not all(column) and ("" in column or None in column)


def _fold(text: Any) -> str:
    """Return a role, attribute or metric as it is compared: case-folded, one space between words."""
    return " ".join(str(text).casefold().split())


def _read_metric(folded: str) -> str:
    if not folded:
        return DEFAULT_METRIC  # an empty metric cell means the default
    if folded not in METRICS:
        raise _Unclean(folded)
    return folded


def _parse_clean_table(
    layout: _Layout, table: RawTable, typed: list[tuple[int, Callable[[str], Any]]], norm: _Normalizer
) -> list[ParsedRow] | None:
    """Parse a file column by column, as the row-by-row parse would, when it has no problem.

    Returns None at the first problem: the row-by-row parse then names every one, in order.
    Each step is one pass over a column in C (``map``, ``zip``), not a Python step per row.
    """
    raw = list(zip(*table.cells, strict=True))
    columns: list[Sequence[Any]] = list(map(_stripped, raw))
    for at, column in enumerate(columns):
        # A leading ' may undo export's formula quoting; most columns have no ' at all.
        if "'" in "".join(column) and any(map(methodcaller("startswith", "'"), column)):
            columns[at] = list(map(unquote_formula, column))
    try:
        for at, convert in typed:
            columns[at] = list(map(_Memo(convert).__getitem__, raw[at]))
        if any(map(_has_empty, (columns[at] for at, _name in layout.required))):
            return None
        columns.extend((default,) * len(table.cells) for default in layout.defaults)
        for at in layout.folded:
            columns[at] = list(map(_Memo(_fold).__getitem__, columns[at]))
        if layout.kind is VIEWERSHIP:
            metric_at = layout.folded[0]
            columns[metric_at] = list(map(_Memo(_read_metric).__getitem__, columns[metric_at]))
    except _Unclean:
        return None
    return _rows_of_columns(layout, table, columns, norm)


def _rows_of_columns(
    layout: _Layout, table: RawTable, columns: list[Sequence[Any]], norm: _Normalizer
) -> list[ParsedRow]:
    stored = [columns[at] for at in layout.stored_at]
    keys = [columns[at] for at in layout.key_at]
    shows: Iterable[str] = repeat("")
    persons: Iterable[str] = repeat("")
    if layout.kind is SHOWS or layout.kind is PEOPLE:
        name_keys = list(map(norm.__getitem__, keys[0]))
        keys[0] = name_keys
        stored.append(name_keys)
    else:
        shows = columns[layout.show_at]
        keys[0] = list(map(norm.__getitem__, shows))
    if layout.kind is CREDITS:
        persons = columns[layout.person_at]
        keys[1] = list(map(norm.__getitem__, persons))
    return list(
        map(
            ParsedRow,
            repeat(table.name),
            table.lines,
            zip(*keys, strict=True),
            repeat(layout.columns),
            zip(*stored, strict=True),
            shows,
            persons,
        )
    )


def _keyed_row(layout: _Layout, file: str, line: int, cells: list[Any], norm: _Normalizer) -> ParsedRow | str:
    for position, name in layout.required:
        if cells[position] in ("", None):
            return f"{_where(file, line)}, column {name}: empty. Every row needs a value there."
    cells.extend(layout.defaults)
    kind = layout.kind
    written_metric = cells[layout.folded[0]] if kind is VIEWERSHIP else None
    for position in layout.folded:
        cells[position] = _fold(cells[position])
    key = layout.key(cells)
    if kind is SHOWS or kind is PEOPLE:
        name_key = norm[key[0]]
        return ParsedRow(file, line, (name_key,), layout.columns, (*layout.stored(cells), name_key))
    show = cells[layout.show_at]
    if kind is CREDITS:
        person = cells[layout.person_at]
        key = (norm[show], norm[person], key[2])
        return ParsedRow(file, line, key, layout.columns, layout.stored(cells), show, person)
    if kind is VIEWERSHIP and key[4] not in METRICS:
        if key[4]:
            return (
                f"{_where(file, line)}, column metric: {written_metric!r} is not a metric. "
                f"Write one of: {', '.join(METRICS)}."
            )
        cells[layout.folded[0]] = DEFAULT_METRIC  # an empty metric cell means the default
        key = layout.key(cells)
    return ParsedRow(file, line, (norm[show], *key[1:]), layout.columns, layout.stored(cells), show)


def _convert_cells(
    typed: list[tuple[int, Callable[[str], Any]]],
    raw: list[str],
    cells: list[Any],
    file: str,
    line: int,
    problems: list[str],
) -> bool:
    found = len(problems)
    for at, convert in typed:
        try:
            cells[at] = convert(raw[at])
        except FactsError as error:
            problems.append(f"{_where(file, line)}, {error}")
    return len(problems) == found


def _text_cell(cell: str) -> str:
    cell = cell.strip()
    return unquote_formula(cell) if cell[:1] == "'" else cell


def _parse_netflix(table: RawTable, netflix: NetflixFile, parsed: _ParsedFile, norm: _Normalizer) -> None:
    for line, cells in zip(table.lines, table.cells, strict=True):
        where = f"{table.name} line {line}"
        try:
            show, values = netflix_figure(netflix, dict(zip(table.header, cells, strict=True)))
        except ValueError as error:
            parsed.problems.append(f"{where}: {str(error)!r} is not a number or date as Netflix writes them.")
            continue
        if not show:
            parsed.problems.append(f"{where}, column show_title: empty.")
            continue
        key = (norm[show], values["season"], values["platform"], values["time_window"], values["metric"])
        row = ParsedRow(table.name, line, key, tuple(values), tuple(values.values()), show, published=True)
        parsed.rows[VIEWERSHIP.name].append(row)


def _check_duplicates(parsed: ParsedFiles, problems: _Problems) -> None:
    for kind_name, rows in parsed.rows.items():
        if len(set(map(_KEY, rows))) == len(rows):
            continue  # the usual case, found without a Python step per row
        first_seen: dict[Key, ParsedRow] = {}
        for row in rows:
            earlier = first_seen.setdefault(row.key, row)
            if earlier is row:
                continue
            if row.published and earlier.published:
                first_seen[row.key] = _keep_larger_figure(earlier, row, parsed.notes)
                continue
            problems.add(
                f"{row.where}: the same {_singular(kind_name)} as {earlier.where} "
                f"({_describe_key(kind_name, row)}). Keep one of the two rows."
            )
        if len(first_seen) != len(rows):
            parsed.rows[kind_name] = list(first_seen.values())


def _keep_larger_figure(earlier: ParsedRow, row: ParsedRow, notes: list[str]) -> ParsedRow:
    # Netflix lists two different titles that share a name (a film in two language categories)
    # in the same week; one show per name can hold one figure, so the larger one is kept.
    kept, dropped = sorted((earlier, row), key=lambda r: r.value("value") or 0, reverse=True)
    notes.append(
        f"{dropped.where}: {dropped.show} is listed twice for the same window (also {kept.where}); "
        "kept the larger figure."
    )
    return kept


def _singular(kind_name: str) -> str:
    return {"shows": "show", "people": "person", "credits": "credit", "viewership": "figure"}.get(
        kind_name, "attribute"
    )


def _describe_key(kind_name: str, row: ParsedRow) -> str:
    return _label(KIND_BY_NAME[kind_name], row.values, row.show, row.person)


# ---------------------------------------------------------------- planning


@dataclass
class KindChanges:
    """What an import does to one kind of fact."""

    kind: str
    added: list[ParsedRow] = field(default_factory=list)
    changed: list[tuple[Row, ParsedRow]] = field(default_factory=list)  # (old row, new row)
    unchanged: int = 0
    removed: list[Row] = field(default_factory=list)
    created: list[ParsedRow] = field(default_factory=list)  # shows/people named elsewhere, created

    def counts(self) -> dict[str, int]:
        return {
            "added": len(self.added) + len(self.created),
            "changed": len(self.changed),
            "unchanged": self.unchanged,
            "removed": len(self.removed),
        }


@dataclass
class ImportPlan:
    """The validated files and their difference against the store at ``generation``."""

    files: tuple[ImportFile, ...]
    replace: bool
    generation: int
    changes: dict[str, KindChanges]
    kinds_in_files: tuple[str, ...]
    parse_notes: tuple[str, ...] = ()

    @property
    def file_names(self) -> tuple[str, ...]:
        return tuple(file.name for file in self.files)

    def counts(self) -> dict[str, dict[str, int]]:
        """Return added/changed/unchanged/removed per kind that the import touches."""
        ordered = [self.changes[name] for name in APPLY_ORDER if name in self.changes]
        return {changes.kind: changes.counts() for changes in ordered if any(changes.counts().values())}

    def row_count(self) -> int:
        """Return how many rows the plan writes (added, created, changed, removed)."""
        return sum(
            len(c.added) + len(c.created) + len(c.changed) + len(c.removed) for c in self.changes.values()
        )

    def totals(self) -> dict[str, int]:
        """Return added/changed/unchanged/removed summed over kinds."""
        return _sum_counts(self.counts())

    def to_answer(self, *, staged: bool = False) -> Answer:
        """Return the report of what the import would do: totals, counts per kind, the changed rows.

        Args:
            staged: the plan waits for an admin's Apply (a Slack or console preview), rather than
                being a dry run that will never be applied.
        """
        totals = _describe_totals(self.totals())
        headline = (
            f"Preview: {totals}. Nothing changes until you apply it."
            if staged
            else f"Dry run: {totals} — nothing applied"
        )
        return Answer(
            kind="report",
            headline=headline,
            fields=_count_fields(self.counts()),
            items=tuple(self.changed_items()),
            notes=(
                *self.created_notes(),
                *self.parse_notes[:MAX_REPORTED_CHANGES],
                f"Files: {', '.join(self.file_names)}.",
            ),
        )

    def changed_items(self) -> list[str]:
        """Return one line per changed or removed row, capped.

        For example "Lupin — viewers (first 28 days): 70M -> 71M".
        """
        lines: list[str] = []
        for name in APPLY_ORDER:
            changes = self.changes.get(name)
            if changes is not None:
                lines.extend(_change_line(KIND_BY_NAME[name], old, new) for old, new in changes.changed)
                lines.extend(f"Removed: {_old_label(KIND_BY_NAME[name], old)}" for old in changes.removed)
        if len(lines) > MAX_REPORTED_CHANGES:
            lines = [*lines[:MAX_REPORTED_CHANGES], f"… and {len(lines) - MAX_REPORTED_CHANGES} more."]
        return lines

    def created_notes(self) -> list[str]:
        """Return notes naming the shows and people created because other files name them."""
        notes = []
        for name, noun in (("shows", "show"), ("people", "person or company")):
            changes = self.changes.get(name)
            if changes and changes.created:
                label = "title" if name == "shows" else "name"
                listed = [row.value(label) for row in changes.created]
                more = f" and {len(listed) - 10} more" if len(listed) > 10 else ""
                plural = "s" if len(listed) != 1 and name == "shows" else ""
                notes.append(f"New {noun}{plural} named in the files: {', '.join(listed[:10])}{more}.")
        return notes


def plan_import(store: FactStore, files: Sequence[ImportFile], *, replace: bool = False) -> ImportPlan:
    """Validate ``files`` and compute what importing them would change; change nothing.

    Args:
        store: the fact store to compare with.
        files: the files of one import (all or nothing).
        replace: remove the facts of the kinds in the files that the files do not list.

    Raises:
        FactsError: any problem in any file, every one listed in ``details``.
    """
    with _collector_paused():
        parsed = parse_files(files)
        with store.read() as db:
            return _diff(store, db, tuple(files), parsed, replace)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while an import builds or writes millions of rows.

    The rows hold no reference cycles, yet the collector, woken by every few hundred new objects,
    would walk them again and again (a sixth of the parse time of 2M rows, once measured).
    Afterwards the objects made meanwhile are moved to the oldest generation without a walk
    (freeze, then unfreeze): left in the youngest, the first collection would walk all of them.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if enabled:
            gc.enable()


def _diff(
    store: FactStore, db: Database, files: tuple[ImportFile, ...], parsed: ParsedFiles, replace: bool
) -> ImportPlan:
    kinds = tuple(name for name in APPLY_ORDER if parsed.rows.get(name))
    state = _StoreState(db, kinds, replace)
    changes = {
        name: _diff_kind(KIND_BY_NAME[name], parsed.rows.get(name, []), state, replace) for name in kinds
    }
    _plan_created(parsed, state, changes)
    if replace:
        _plan_removals(db, kinds, changes, state, parsed)
    return ImportPlan(files, replace, store.generation(), changes, kinds, tuple(parsed.notes))


class _StoreState:
    """The store's rows that an import compares with, loaded once and keyed by natural key."""

    def __init__(self, db: Database, kinds: tuple[str, ...], replace: bool) -> None:
        self.db = db
        self.show_ids = dict(db.execute("SELECT title_key, id FROM shows").fetchall())
        self.person_ids = dict(db.execute("SELECT name_key, id FROM people").fetchall())
        self.rows: dict[str, dict[Key, Row]] = {name: self._load(name) for name in kinds}

    def _load(self, kind_name: str) -> dict[Key, Row]:
        kind = KIND_BY_NAME[kind_name]
        cursor = self.db.execute(f"SELECT * FROM {kind.table}")
        names = [description[0] for description in cursor.description]
        rows = (dict(zip(names, values, strict=True)) for values in cursor)
        return {self.key_of(kind, row): row for row in rows}

    def key_of(self, kind: Kind, row: Row) -> Key:
        if kind is SHOWS:
            return (row["title_key"],)
        if kind is PEOPLE:
            return (row["name_key"],)
        show = self.show_key(row["show_id"])
        if kind is CREDITS:
            return (show, self.person_key(row["person_id"]), row["role"])
        if kind is VIEWERSHIP:
            return (show, row["season"], row["platform"], row["time_window"], row["metric"])
        return (show, row["attribute"], row["value"])

    def show_key(self, show_id: int) -> str:
        if not hasattr(self, "_show_keys"):
            self._show_keys = {v: k for k, v in self.show_ids.items()}
        return self._show_keys[show_id]

    def person_key(self, person_id: int) -> str:
        if not hasattr(self, "_person_keys"):
            self._person_keys = {v: k for k, v in self.person_ids.items()}
        return self._person_keys[person_id]


def _diff_kind(kind: Kind, rows: list[ParsedRow], state: _StoreState, replace: bool) -> KindChanges:
    changes = KindChanges(kind.name)
    existing = state.rows[kind.name]
    # Which rows the store has is found in one pass in C; only those are compared in Python.
    known = list(map(existing.__contains__, map(_KEY, rows)))
    changes.added = list(compress(rows, map(not_, known))) if any(known) else list(rows)
    for row in compress(rows, known):
        old = existing[row.key]
        if any(old.get(column) != value for column, value in zip(row.columns, row.cells, strict=True)):
            changes.changed.append((old, row))
        else:
            changes.unchanged += 1
    return changes


def _plan_created(parsed: ParsedFiles, state: _StoreState, changes: dict[str, KindChanges]) -> None:
    known_shows = set(state.show_ids).union(map(_FIRST, map(_KEY, parsed.rows.get("shows", []))))
    known_people = set(state.person_ids).union(map(_FIRST, map(_KEY, parsed.rows.get("people", []))))
    new_shows: dict[str, ParsedRow] = {}
    new_people: dict[str, ParsedRow] = {}
    for name in DEPENDENT_KINDS:
        rows = parsed.rows.get(name, [])
        # One pass in C finds that every row names a known show, as in most large imports.
        if not known_shows.issuperset(map(_FIRST, map(_KEY, rows))):
            for row in rows:
                if row.key[0] not in known_shows:
                    _note_new(new_shows, known_shows, row.key[0], _CREATED_SHOW, (row.show,), row)
        if name == "credits":
            _plan_created_people(rows, known_people, new_people)
    if new_shows:
        changes.setdefault("shows", KindChanges("shows")).created = list(new_shows.values())
    if new_people:
        changes.setdefault("people", KindChanges("people")).created = list(new_people.values())


def _plan_created_people(rows: list[ParsedRow], known: set[str], new: dict[str, ParsedRow]) -> None:
    """Note the people and companies that credits name and neither the store nor the files have."""
    norm = _Normalizer()
    for columns, run in groupby(rows, key=attrgetter("columns")):
        company_at = columns.index("company") if "company" in columns else -1
        for row in run:
            if row.key[1] not in known:
                _note_new(new, known, row.key[1], _CREATED_PERSON, (row.person, "person"), row)
            company = row.cells[company_at] if company_at >= 0 else ""
            if company and norm[company] not in known:
                org = (company, "organisation")
                _note_new(new, known, norm[company], _CREATED_PERSON, org, row)


# The columns of the shows and people that other files name and an import creates.
_CREATED_SHOW = ("title", "source", "as_of", "title_key")
_CREATED_PERSON = ("name", "kind", "source", "as_of", "name_key")


def _note_new(
    new: dict[str, ParsedRow],
    known: set[str],
    key: str,
    columns: tuple[str, ...],
    named: tuple[str, ...],
    origin: ParsedRow,
) -> None:
    known.add(key)
    cells = (*named, origin.value("source"), origin.value("as_of"), key)
    new[key] = ParsedRow(origin.file, origin.line, (key,), columns, cells)


def _plan_removals(
    db: Database,
    kinds: tuple[str, ...],
    changes: dict[str, KindChanges],
    state: _StoreState,
    parsed: ParsedFiles,
) -> None:
    for name in kinds:
        listed = {row.key for row in parsed.rows[name]}
        removable = [row for key, row in state.rows[name].items() if key not in listed]
        if name == "shows":
            kept = _referenced_show_ids(db, kinds, state, parsed)
            removable = [row for row in removable if row["id"] not in kept]
        elif name == "people":
            kept = _referenced_person_ids(db, kinds, state, parsed)
            removable = [row for row in removable if row["id"] not in kept]
        changes[name].removed = removable


def _referenced_show_ids(
    db: Database, kinds: tuple[str, ...], state: _StoreState, parsed: ParsedFiles
) -> set[int]:
    # Shows that keep facts of kinds this import does not replace stay, and so do the shows
    # that the imported credits, figures and attributes name.
    tables = [KIND_BY_NAME[name].table for name in DEPENDENT_KINDS if name not in kinds]
    kept = {row[0] for table in tables for row in db.execute(f"SELECT DISTINCT show_id FROM {table}")}
    for name in DEPENDENT_KINDS:
        kept.update(state.show_ids.get(row.key[0], -1) for row in parsed.rows.get(name, []))
    return kept


def _referenced_person_ids(
    db: Database, kinds: tuple[str, ...], state: _StoreState, parsed: ParsedFiles
) -> set[int]:
    kept: set[int] = set()
    norm = _Normalizer()
    if "credits" in kinds:
        for row in parsed.rows["credits"]:
            kept.add(state.person_ids.get(row.key[1], -1))
            kept.add(state.person_ids.get(norm[row.value("company")], -1))
    else:
        kept.update(row[0] for row in db.execute("SELECT DISTINCT person_id FROM credits"))
        for (company,) in db.execute("SELECT DISTINCT company FROM credits WHERE company != ''"):
            kept.add(state.person_ids.get(norm[company], -1))
    return kept


# ---------------------------------------------------------------- reports


def _sum_counts(counts: dict[str, dict[str, int]]) -> dict[str, int]:
    totals = {"added": 0, "changed": 0, "unchanged": 0, "removed": 0}
    for kind_counts in counts.values():
        for name, value in kind_counts.items():
            totals[name] += value
    return totals


def _describe_totals(totals: dict[str, int]) -> str:
    parts = [
        f"{totals['added']:,} added",
        f"{totals['changed']:,} changed",
        f"{totals['unchanged']:,} unchanged",
    ]
    if totals.get("removed"):
        parts.append(f"{totals['removed']:,} removed")
    return ", ".join(parts)


def _count_fields(counts: dict[str, dict[str, int]], *, reverted: bool = False) -> tuple[Field, ...]:
    suffix = " (reverted)" if reverted else ""
    return tuple(Field(name, _describe_totals(kind_counts) + suffix) for name, kind_counts in counts.items())


def format_figure(value: Any) -> str:
    """Write a number the way people read it (70000000 -> "70M", 1500 -> "1.5k", 1234567 -> "1,234,567")."""
    if not isinstance(value, int) or isinstance(value, bool):
        return _shorten(str(value if value is not None else ""))
    for size, suffix in ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "k")):
        # One decimal at most, and "k"/"M" only below the next unit: 7,051,063,700 stays written out.
        fits = suffix == "B" or abs(value) < size * 1000
        if fits and abs(value) >= size and value % (size // 10) == 0:
            whole, tenths = divmod(value // (size // 10), 10)
            return f"{whole}.{tenths}{suffix}" if tenths else f"{whole}{suffix}"
    return f"{value:,}"


def _shorten(text: str) -> str:
    if len(text) <= MAX_SHOWN_VALUE_CHARS:
        return repr(text)
    return repr(text[: MAX_SHOWN_VALUE_CHARS - 1] + "…")


def _label(kind: Kind, values: Row, show: str, person: str) -> str:
    if kind is SHOWS:
        return str(values.get("title", ""))
    if kind is PEOPLE:
        return str(values.get("name", ""))
    if kind is CREDITS:
        return f"{show} — {person} ({values.get('role', '')})"
    if kind is VIEWERSHIP:
        season = f", {values['season']}" if values.get("season") else ""
        window = values.get("time_window") or "no window"
        return f"{show} — {values.get('metric', DEFAULT_METRIC)} ({window}{season})"
    return f"{show} — {values.get('attribute', '')}: {values.get('value', '')}"


def _change_line(kind: Kind, old: Row, new: ParsedRow) -> str:
    label = _label(kind, {**old, **new.values}, new.show, new.person)
    differences = [column for column, value in new.values.items() if old.get(column) != value]
    if kind is VIEWERSHIP and differences == ["value"]:
        return f"{label}: {format_figure(old['value'])} -> {format_figure(new.values['value'])}"
    described = [
        f"{column} {format_figure(old.get(column))} -> {format_figure(new.values[column])}"
        for column in differences
    ]
    return f"{label}: {'; '.join(described)}"


def _old_label(kind: Kind, old: Row) -> str:
    if kind in (SHOWS, PEOPLE):
        return _label(kind, old, "", "")
    return f"{kind.name} row {old['id']}"


# ---------------------------------------------------------------- applying


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

    def describe(self) -> str:
        """Return one history line: "#3 2026-11-25 06:00 UTC by ana: a.csv — 1 added, ..."."""
        undone = f" (undone {_short_time(self.undone_at)} by {self.undone_by})" if self.undone_at else ""
        mode = " (replace)" if self.mode == "replace" else ""
        return (
            f"#{self.id} {_short_time(self.at)} by {self.user}: {', '.join(self.files)}{mode} — "
            f"{_describe_totals(_sum_counts(self.counts))}{undone}"
        )

    def to_answer(self) -> Answer:
        """Return the report of this import (or of its undoing, once undone)."""
        totals = _describe_totals(_sum_counts(self.counts))
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
            fields=_count_fields(self.counts, reverted=bool(self.undone_at)),
            notes=(f"Import #{self.id} by {self.user} at {_short_time(self.at)}.",),
        )


_RECORD_COLUMNS = "id, user, at, files, mode, summary, undone_at, undone_by"


def _short_time(iso: str | None) -> str:
    return (iso or "")[:16].replace("T", " ") + " UTC" if iso else ""


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def apply_import(store: FactStore, plan: ImportPlan, *, user: str) -> ImportRecord:
    """Apply a plan in one transaction, journaling every touched row; re-plans if the store moved on.

    Args:
        store: the fact store.
        plan: from :func:`plan_import`.
        user: who imports (recorded in the history).

    Returns:
        The journal record of the import.
    """
    with (
        _collector_paused(),
        _large_import_settings(store, plan),
        store.lock,
        PreparedRows(store.conn) as prepared,
        store.write() as db,
    ):
        return _apply_in_transaction(store, db, plan, user, prepared)


@contextmanager
def _large_import_settings(store: FactStore, plan: ImportPlan) -> Iterator[None]:
    """Tune the connection for a large import; put its settings back afterwards.

    * A page cache big enough for the indexes the import inserts into: with the default 2 MB,
      millions of random keys reread index pages from disk for almost every row.
    * No foreign-key checks for an import that only adds and changes rows: every id it writes was
      read from the store in the same transaction, and the checks double the cost of each insert.
      A replacing import, which removes rows, keeps them.

    The postponed indexes are sorted in temporary files, SQLite's default: sorting in memory
    (temp_store = MEMORY) was slower here, 6.1 s against 4.5 s for the name index of a million titles.
    """
    if plan.row_count() < LARGE_IMPORT_ROWS:
        yield
        return
    settings = {"cache_size": -LARGE_IMPORT_CACHE_KIB}
    if not plan.replace:
        settings["foreign_keys"] = 0
    with store.lock:
        # PRAGMA foreign_keys is ignored inside a transaction: these are set before it begins.
        previous = {name: int(store.conn.execute(f"PRAGMA {name}").fetchone()[0]) for name in settings}
        for name, value in settings.items():
            store.conn.execute(f"PRAGMA {name} = {value}")
        try:
            yield
        finally:
            for name, value in previous.items():
                store.conn.execute(f"PRAGMA {name} = {value}")


def _apply_in_transaction(
    store: FactStore, db: Database, plan: ImportPlan, user: str, prepared: PreparedRows
) -> ImportRecord:
    if store.generation() != plan.generation:
        plan = _diff(store, db, plan.files, parse_files(plan.files), plan.replace)
    record = ImportRecord(
        id=0,
        user=user,
        at=_now(),
        files=plan.file_names,
        mode="replace" if plan.replace else "upsert",
        counts=plan.counts(),
    )
    cursor = db.execute(
        "INSERT INTO imports(user, at, files, mode, summary) VALUES (?, ?, ?, ?, ?)",
        [record.user, record.at, json.dumps(record.files), record.mode, json.dumps(record.counts)],
    )
    journal = _Journal(db.conn, int(cursor.lastrowid or 0))
    _write_plan(db, plan, journal, prepared)
    return ImportRecord(**{**record.__dict__, "id": journal.import_id})


class _Journal:
    """Writes the previous state of touched rows into import_changes."""

    def __init__(self, conn: sqlite3.Connection, import_id: int) -> None:
        self.conn = conn
        self.import_id = import_id

    def inserted(self, table: str, first: int, last: int) -> None:
        self.conn.execute(
            "INSERT INTO import_changes(import_id, table_name, row_id, row_id_end, before)"
            " VALUES (?, ?, ?, ?, NULL)",
            (self.import_id, table, first, last),
        )

    def before(self, table: str, rows: Iterable[Row]) -> None:
        self.conn.executemany(
            "INSERT INTO import_changes(import_id, table_name, row_id, before) VALUES (?, ?, ?, ?)",
            ((self.import_id, table, row["id"], json.dumps(row)) for row in rows),
        )


def _write_plan(db: Database, plan: ImportPlan, journal: _Journal, prepared: PreparedRows) -> None:
    conn = db.conn
    for name in reversed(DEPENDENT_KINDS):  # dependent rows go before the shows they refer to
        if name in plan.changes and plan.changes[name].removed:
            _delete_rows(conn, KIND_BY_NAME[name].table, plan.changes[name].removed, journal)
    # Every update goes before every insert: updates find the names they replace through the
    # name index's indexes, which a bulk insert drops and builds again only once it is done.
    for name in APPLY_ORDER:
        if name in plan.changes:
            _update_rows(conn, KIND_BY_NAME[name].table, plan.changes[name].changed, journal)
    names = int(conn.execute("SELECT COALESCE(MAX(id), 0) FROM names").fetchone()[0])
    with _indexes_postponed(conn, "names", enabled=_grows_in_bulk(_new_named_rows(plan), names)):
        _insert_new_rows(conn, plan, journal, prepared)
    for name in ("people", "shows"):
        if name in plan.changes and plan.changes[name].removed:
            _delete_rows(conn, KIND_BY_NAME[name].table, plan.changes[name].removed, journal)


def _insert_new_rows(
    conn: sqlite3.Connection, plan: ImportPlan, journal: _Journal, prepared: PreparedRows
) -> None:
    tables = _new_rows(conn, plan)
    if sum(len(table.rows) for table in tables) >= PREPARED_ROWS_MIN_ROWS:
        prepared.start([batch for table in tables for batch in table.batches])
    for table in tables:
        _insert_rows(conn, table, journal, prepared)


def _new_named_rows(plan: ImportPlan) -> int:
    """Return how many new rows of the tables with names (shows, people, credits) ``plan`` inserts."""
    return sum(
        len(plan.changes[name].added) + len(plan.changes[name].created)
        for name in _NAME_ROWS
        if name in plan.changes
    )


@dataclass(frozen=True)
class _NewRows:
    """The new rows of one table, numbered from ``first`` in order, and the batches that insert them."""

    table: str
    rows: list[ParsedRow]
    first: int
    batches: list[Batch]


def _new_rows(conn: sqlite3.Connection, plan: ImportPlan) -> list[_NewRows]:
    """Return the new rows of every table in the order they go in, each with its ids worked out.

    A new row takes the next id (the largest plus one) whether SQLite or the import picks it; the
    import picks them so that the rows referring to new shows and people can be made beforehand.
    """
    tables: list[_NewRows] = []
    ids: dict[str, dict[str, int]] = {}
    for name in ("shows", "people"):
        changes = plan.changes.get(name)
        rows = changes.added + changes.created if changes else []
        table = KIND_BY_NAME[name].table
        first = _next_id(conn, table)
        ids[name] = _ids_by_key(conn, name, rows, first)
        if rows:
            opening = BATCH_ROWS if tables else FIRST_BATCH_ROWS  # so that copying starts soon
            tables.append(_NewRows(table, rows, first, _batches(table, rows, first, NO_REFERENCES, opening)))
    # Credits go last: they take the second process longest to write, and meanwhile this one
    # copies the others in.
    for name in sorted(DEPENDENT_KINDS, key=lambda name: name == "credits"):
        rows = plan.changes[name].added if name in plan.changes else []
        if rows:
            table = KIND_BY_NAME[name].table
            first = _next_id(conn, table)
            references = _references(name, ids["shows"], ids["people"])
            tables.append(_NewRows(table, rows, first, _batches(table, rows, first, references)))
    return tables


def _next_id(conn: sqlite3.Connection, table: str) -> int:
    return int(conn.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}").fetchone()[0])


def _ids_by_key(
    conn: sqlite3.Connection, kind_name: str, rows: list[ParsedRow], first: int
) -> dict[str, int]:
    """Return the id of every show (or person) by key: the store's, and the new rows' to come."""
    key_column = _DERIVED_KEY[kind_name]
    ids = dict(conn.execute(f"SELECT {key_column}, id FROM {KIND_BY_NAME[kind_name].table}").fetchall())
    ids.update(zip(map(_FIRST, map(_KEY, rows)), count(first)))
    return ids


def _batches(
    table: str, rows: list[ParsedRow], first: int, references: References, opening: int = 0
) -> list[Batch]:
    """Cut the rows into batches of one file's columns and BATCH_ROWS rows (the first: ``opening``)."""
    reference_columns, with_ids = references
    batches = []
    opening = opening or BATCH_ROWS
    # Rows from one file share their columns; the table's defaults fill the columns a file lacks.
    for columns, run in groupby(rows, key=attrgetter("columns")):
        in_run = list(run)
        for start, end in _cuts(len(in_run), opening):
            values = partial(_numbered, with_ids, in_run[start:end], first + start)
            batches.append(Batch(table, (*columns, *reference_columns, "id"), values))
        first += len(in_run)
        opening = BATCH_ROWS
    return batches


def _cuts(rows: int, opening: int) -> Iterator[tuple[int, int]]:
    start, end = 0, min(rows, opening)
    while start < rows:
        yield start, end
        start, end = end, min(rows, end + BATCH_ROWS)


def _numbered(
    with_ids: Callable[[Iterable[ParsedRow]], Iterator[tuple[Any, ...]]], rows: list[ParsedRow], first: int
) -> Iterator[tuple[Any, ...]]:
    return map(add, with_ids(rows), zip(count(first)))


def _references(kind_name: str, show_ids: dict[str, int], person_ids: dict[str, int]) -> References:
    """Return the columns that refer to shows (and people) and what adds their ids to a run of rows."""

    # Generator expressions rather than a function per row: they run millions of times. (Passes in
    # C over the rows, one for the ids and one for the values, were slower: each reads every row.)
    if kind_name == "credits":
        return ("show_id", "person_id"), lambda rows: (
            row.cells + (show_ids[row.key[0]], person_ids[row.key[1]]) for row in rows
        )
    return ("show_id",), lambda rows: (row.cells + (show_ids[row.key[0]],) for row in rows)


def _insert_rows(conn: sqlite3.Connection, new: _NewRows, journal: _Journal, prepared: PreparedRows) -> None:
    bulk = _grows_in_bulk(len(new.rows), new.first - 1)
    with (
        _indexes_postponed(conn, new.table, enabled=bulk),
        _names_in_bulk(conn, new.table, new.rows, new.first),
    ):
        prepared.insert(new.batches)
    journal.inserted(new.table, new.first, new.first + len(new.rows) - 1)


def _grows_in_bulk(new_rows: int, existing_rows: int) -> bool:
    return new_rows >= POSTPONE_INDEXES_MIN_ROWS and new_rows * POSTPONE_INDEXES_GROWTH >= existing_rows


@contextmanager
def _indexes_postponed(conn: sqlite3.Connection, table: str, *, enabled: bool) -> Iterator[None]:
    """Drop the secondary indexes of ``table`` for a bulk insert and build them again afterwards.

    Building an index sorts its keys once; keeping it inserts every new key at a random place of a
    B-tree larger than the cache. The unique indexes stay (they are the table's own and keep
    duplicates out). It all happens in the import's transaction: a failure rolls the drop back.
    """
    if not enabled:
        yield
        return
    saved = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
        (table,),
    ).fetchall()
    for name, _sql in saved:
        conn.execute(f"DROP INDEX {name}")
    yield
    for _name, sql in saved:
        conn.execute(sql)


@contextmanager
def _names_in_bulk(conn: sqlite3.Connection, table: str, rows: list[ParsedRow], first: int) -> Iterator[None]:
    """Fill the name index for many new rows at once instead of row by row through its triggers.

    The insert triggers of ``table`` and of the full-text index are dropped for the duration and
    re-created from their own SQL, inside the import's transaction; the name rows written are the
    ones the triggers would have written.
    """
    triggers = (f"{table}_names_insert", "names_fts_insert")
    if len(rows) < BULK_NAMES_MIN_ROWS or table not in _NAME_ROWS:
        yield
        return
    saved = [
        row[0]
        for name in triggers
        for row in conn.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (name,))
    ]
    for name in triggers:
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")
    yield
    start = int(conn.execute("SELECT COALESCE(MAX(id), 0) FROM names").fetchone()[0])
    _NAME_ROWS[table](conn, rows, first)
    conn.execute("INSERT INTO names_fts(rowid, norm) SELECT id, norm FROM names WHERE id > ?", (start,))
    for sql in saved:
        conn.execute(sql)


def _write_show_names(conn: sqlite3.Connection, rows: list[ParsedRow], first: int) -> None:
    # A title's matching key is the show's own title_key: SQLite copies both without Python.
    conn.execute(
        "INSERT INTO names(kind, ref_id, text, norm)"
        " SELECT 'show', id, title, title_key FROM shows WHERE id >= ?",
        (first,),
    )
    _write_aliases(conn, rows, first, lambda row: "show_alias")


def _write_person_names(conn: sqlite3.Connection, rows: list[ParsedRow], first: int) -> None:
    conn.execute(
        "INSERT INTO names(kind, ref_id, text, norm)"
        " SELECT kind, id, name, name_key FROM people WHERE id >= ?",
        (first,),
    )
    _write_aliases(conn, rows, first, lambda row: f"{row.value('kind') or 'person'}_alias")


def _write_aliases(
    conn: sqlite3.Connection, rows: list[ParsedRow], first: int, kind_of: Callable[[ParsedRow], str]
) -> None:
    norm = _Normalizer()
    conn.executemany(
        "INSERT INTO names(kind, ref_id, text, norm) VALUES (?, ?, ?, ?)",
        (
            (kind_of(row), row_id, alias, norm[alias])
            for row_id, row in enumerate(rows, first)
            if "aliases" in row.columns
            for alias in split_aliases(row.value("aliases"))
        ),
    )


def _write_character_names(conn: sqlite3.Connection, rows: list[ParsedRow], first: int) -> None:
    # SQLite reads the characters and calls back only to normalise them, with memory: twice as fast
    # as building and binding a row per character in Python.
    conn.create_function("sf_norm_import", 1, _Normalizer().__getitem__, deterministic=True)
    try:
        conn.execute(
            "INSERT INTO names(kind, ref_id, text, norm) SELECT 'character', id, character,"
            " sf_norm_import(character) FROM credits WHERE id >= ? AND character != ''",
            (first,),
        )
    finally:
        conn.create_function("sf_norm_import", 1, None)


# How to write the names of an import's new rows of each table, as its triggers would
# (see facts.schema m003).
_NAME_ROWS: dict[str, Callable[[sqlite3.Connection, list[ParsedRow], int], None]] = {
    "shows": _write_show_names,
    "people": _write_person_names,
    "credits": _write_character_names,
}


def _update_rows(
    conn: sqlite3.Connection, table: str, changed: list[tuple[Row, ParsedRow]], journal: _Journal
) -> None:
    if not changed:
        return
    journal.before(table, (old for old, _new in changed))
    by_columns: dict[tuple[str, ...], list[tuple[Row, ParsedRow]]] = defaultdict(list)
    for old, new in changed:
        by_columns[new.columns].append((old, new))
    for columns, group in by_columns.items():
        assignments = ", ".join(f"{column} = ?" for column in columns)
        conn.executemany(
            f"UPDATE {table} SET {assignments} WHERE id = ?",
            ((*new.cells, old["id"]) for old, new in group),
        )


def _delete_rows(conn: sqlite3.Connection, table: str, rows: list[Row], journal: _Journal) -> None:
    journal.before(table, rows)
    conn.executemany(f"DELETE FROM {table} WHERE id = ?", ((row["id"],) for row in rows))


# ---------------------------------------------------------------- undo and history


def undo_last_import(store: FactStore, *, user: str) -> ImportRecord:
    """Put the store back exactly as it was before the last import that is not undone yet.

    Raises:
        FactsError: there is no import left to undo.
    """
    with store.write() as db:
        row = db.execute(
            f"SELECT {_RECORD_COLUMNS} FROM imports WHERE undone_at IS NULL ORDER BY id DESC LIMIT 1"
        ).fetchone()
        if row is None:
            raise FactsError(
                "Nothing to undo: every import has been undone already.", "See showfacts history."
            )
        _restore(db.conn, int(row[0]))
        undone_at = _now()
        db.execute("UPDATE imports SET undone_at = ?, undone_by = ? WHERE id = ?", [undone_at, user, row[0]])
        return _record_from_row((*row[:6], undone_at, user))


def last_undoable_import(store: FactStore) -> ImportRecord | None:
    """Return the import that :func:`undo_last_import` would undo, if any."""
    with store.read() as db:
        row = db.execute(
            f"SELECT {_RECORD_COLUMNS} FROM imports WHERE undone_at IS NULL ORDER BY id DESC LIMIT 1"
        ).fetchone()
    return _record_from_row(row) if row else None


def _restore(conn: sqlite3.Connection, import_id: int) -> None:
    entries = conn.execute(
        "SELECT table_name, row_id, row_id_end, before FROM import_changes"
        " WHERE import_id = ? ORDER BY id DESC",
        (import_id,),
    )
    for (table, is_range), group in _runs(entries):
        if is_range:
            conn.executemany(f"DELETE FROM {table} WHERE id BETWEEN ? AND ?", [(e[1], e[2]) for e in group])
        else:
            _restore_rows(conn, table, [json.loads(e[3]) for e in group])


def _runs(entries: Iterable[tuple[Any, ...]]) -> Iterator[tuple[tuple[str, bool], list[tuple[Any, ...]]]]:
    current: tuple[str, bool] | None = None
    group: list[tuple[Any, ...]] = []
    for entry in entries:
        label = (entry[0], entry[2] is not None)
        if label != current and group:
            yield current, group  # type: ignore[misc]
            group = []
        current = label
        group.append(entry)
    if group and current is not None:
        yield current, group


def _restore_rows(conn: sqlite3.Connection, table: str, rows: list[Row]) -> None:
    columns = list(rows[0])
    updates = ", ".join(f"{column} = excluded.{column}" for column in columns if column != "id")
    conn.executemany(
        f"INSERT INTO {table}({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
        f"ON CONFLICT(id) DO UPDATE SET {updates}",
        ([row[column] for column in columns] for row in rows),
    )


def list_imports(store: FactStore, limit: int = 20) -> list[ImportRecord]:
    """Return the latest ``limit`` imports, newest first."""
    with store.read() as db:
        rows = db.execute(
            f"SELECT {_RECORD_COLUMNS} FROM imports ORDER BY id DESC LIMIT ?",
            [limit],
        ).fetchall()
    return [_record_from_row(row) for row in rows]


def _record_from_row(row: Sequence[Any]) -> ImportRecord:
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


# ---------------------------------------------------------------- staging (Slack Apply / Cancel)


@contextmanager
def _staging(store: FactStore) -> Iterator[sqlite3.Connection]:
    # Staging writes bookkeeping, not facts: no generation bump, so caches stay valid.
    with store.lock:
        store.conn.execute("BEGIN IMMEDIATE")
        try:
            yield store.conn
        except BaseException:
            store.conn.execute("ROLLBACK")
            raise
        store.conn.execute("COMMIT")


def stage_import(
    store: FactStore, files: Sequence[ImportFile], *, user: str, replace: bool = False
) -> tuple[str, ImportPlan]:
    """Validate and plan ``files``, keep them under a new token until applied or discarded.

    Raises:
        FactsError: the files are invalid (nothing is staged).
    """
    plan = plan_import(store, files, replace=replace)
    token = secrets.token_urlsafe(16)
    with _staging(store) as conn:
        _forget_expired(conn)
        conn.execute(
            "INSERT INTO staged_imports(token, user, created_at, replace_mode, status)"
            " VALUES (?, ?, ?, ?, 'staged')",
            (token, user, _now(), int(replace)),
        )
        conn.executemany(
            "INSERT INTO staged_import_files(token, position, name, data) VALUES (?, ?, ?, ?)",
            [(token, position, file.name, file.data) for position, file in enumerate(files)],
        )
    return token, plan


def _forget_expired(conn: sqlite3.Connection) -> None:
    # Uploads nobody applied or cancelled would otherwise keep their files forever.
    cutoff = (datetime.now(UTC) - STAGED_IMPORT_TTL).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    conn.execute(
        "DELETE FROM staged_import_files WHERE token IN "
        "(SELECT token FROM staged_imports WHERE created_at < ? AND status = 'staged')",
        (cutoff,),
    )
    conn.execute(
        "UPDATE staged_imports SET status = 'expired' WHERE created_at < ? AND status = 'staged'", (cutoff,)
    )


def apply_staged(store: FactStore, token: str, *, user: str) -> ImportRecord:
    """Apply the staged import ``token`` once, for the user who staged it.

    Raises:
        FactsError: unknown, expired, already applied or discarded token, or another user.
    """
    with _collector_paused(), store.write() as db:
        replace = _claim_staged(db.conn, token, user, "applied")
        files = tuple(
            ImportFile(name, bytes(data))
            for name, data in db.execute(
                "SELECT name, data FROM staged_import_files WHERE token = ? ORDER BY position", [token]
            )
        )
        plan = _diff(store, db, files, parse_files(files), replace)
        db.execute("DELETE FROM staged_import_files WHERE token = ?", [token])
        # Slack uploads are applied from the bot's threads, where no second process is forked.
        return _apply_in_transaction(store, db, plan, user, PreparedRows(db.conn))


def discard_staged(store: FactStore, token: str, *, user: str) -> None:
    """Drop a staged import without applying it.

    Raises:
        FactsError: unknown, expired or already used token, or another user.
    """
    with _staging(store) as conn:
        _claim_staged(conn, token, user, "discarded")
        conn.execute("DELETE FROM staged_import_files WHERE token = ?", (token,))


def _claim_staged(conn: sqlite3.Connection, token: str, user: str, status: str) -> bool:
    row = conn.execute(
        "SELECT user, created_at, replace_mode, status FROM staged_imports WHERE token = ?", (token,)
    ).fetchone()
    if row is None:
        raise FactsError("That import is no longer waiting to be applied.", "Upload the files again.")
    staged_by, created_at, replace_mode, current = row
    created = datetime.fromisoformat(created_at.replace("Z", "+00:00"))
    if current == "expired" or (current == "staged" and datetime.now(UTC) - created > STAGED_IMPORT_TTL):
        raise FactsError(
            "That import waited too long (over 24 hours) and expired.", "Upload the files again."
        )
    if current != "staged":
        raise FactsError(f"That import was already {current}.", "Upload the files again to import them anew.")
    if staged_by != user:
        raise FactsError("Only the admin who uploaded these files can apply or cancel them.")
    conn.execute("UPDATE staged_imports SET status = ? WHERE token = ?", (status, token))
    return bool(replace_mode)


# ---------------------------------------------------------------- the bundled seed


def seed_files() -> list[ImportFile]:
    """Return the bundled seed fact files (``facts/seed/*.csv``), in name order."""
    folder = resources.files(SEED_PACKAGE) / SEED_FOLDER
    entries = sorted(
        (entry for entry in folder.iterdir() if entry.name.endswith(".csv")), key=lambda e: e.name
    )
    return [ImportFile(entry.name, entry.read_bytes()) for entry in entries]


def load_seed(store: FactStore) -> None:
    """Import the bundled seed facts as one import by "showfacts (bundled seed)"."""
    apply_import(store, plan_import(store, seed_files()), user=SEED_USER)


__all__ = [
    "FactsError",
    "ImportFile",
    "ImportPlan",
    "ImportRecord",
    "KINDS",
    "MAX_IMPORT_ROWS",
    "apply_import",
    "apply_staged",
    "discard_staged",
    "history_answer",
    "last_undoable_import",
    "list_imports",
    "load_seed",
    "plan_import",
    "read_paths",
    "stage_import",
    "undo_last_import",
]
