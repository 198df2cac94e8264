"""Staging: each file parsed in one pass (csv module) into the tables of a temp database.

No Python row objects are kept: the rows of a file of the admin format stream from the file
straight into the typed table of its kind (``st_<kind>``, see :mod:`.rows`), where validation (SQL)
checks them; those of a Netflix list into a table of raw cells (``raw_<n>``: line number and
stripped cells), from which validation makes figures. Problems go into the ``problems`` table with
their file and line, so that a file with millions of bad rows costs no memory either.
"""

from __future__ import annotations

import csv
import sqlite3
import weakref
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import partial
from itertools import chain

from facts.csvformat import MAX_CELL_CHARS, Kind, header_key, recognise_kind, sniff_delimiter
from facts.errors import FactsError
from facts.importing.cells import register_cell_functions
from facts.importing.files import ImportFile, encoding_of, open_text
from facts.importing.rows import create_tables, insert_batches, insert_sql, staged_table, values_sql
from facts.importing.scratch import LockedPath, remove_orphans, staging_dir
from facts.importing.tuning import ImportTuning
from facts.netflix import NetflixFile, recognise_netflix
from facts.normalize import normalize_name

STAGING_SCHEMA = "stage"
# Lines of problems that concern a whole file (it cannot be decoded, read or recognised).
FILE_LEVEL = 0
# Ragged rows named per file; more are counted. (Only the first 50 problems are shown anyway.)
KEPT_RAGGED_ROWS = 100
# More columns than any kind of file has (and than a staging table can hold).
MAX_COLUMNS = 1000
# The columns of each kind that name a show, person or character, matched by their normalised
# key: computed as the rows are read (a call from SQL per cell costs about as much again).
KEYED_COLUMNS = {
    "shows": ("title",),
    "people": ("name",),
    "credits": ("show", "name", "character", "company"),
    "viewership": ("show",),
    "attributes": ("show",),
    "country_ranks": ("show",),
}


@dataclass(frozen=True)
class StagedFile:
    """One staged file: its position, name, canonical header and what it holds.

    ``rowids``: the first and last rowid of its rows in the typed table of its kind (admin format).
    """

    number: int
    name: str
    header: tuple[str, ...]
    kind: Kind | None = None
    netflix: NetflixFile | None = None
    rowids: tuple[int, int] = (1, 0)

    @property
    def raw(self) -> str:
        """The table of a Netflix list's raw cells."""
        return f"raw_{self.number}"

    @property
    def keyed(self) -> tuple[int, ...]:
        """The positions of the cells whose keys are computed as the rows are read."""
        if self.kind is None:
            return ()
        names = KEYED_COLUMNS[self.kind.name]
        return tuple(at for at, name in enumerate(self.header) if name in names)

    @property
    def holds_facts(self) -> bool:
        """Whether the file was recognised (as a kind of the admin format or a Netflix list)."""
        return self.kind is not None or self.netflix is not None


class Staging:
    """A temp database holding the files of one import while it is validated, diffed and applied.

    The file is deleted when the staging is closed or garbage-collected, and by the next import
    (see :mod:`.scratch`) if its process is killed first.
    """

    def __init__(self, tuning: ImportTuning) -> None:
        directory = staging_dir(tuning.staging_dir)
        remove_orphans(directory)
        locked = LockedPath(directory)
        self.path = locked.path
        self.tuning = tuning
        self.files: list[StagedFile] = []
        self.unlisted = 0  # problems counted but not kept in the problems table
        self.diffed = False  # whether the staged rows hold what a diff found (against an older store)
        try:
            self.conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        except BaseException:
            locked.release()
            raise
        # The staging database is rebuilt from the files whenever it is needed: no journal.
        pragmas = (f"page_size = {tuning.page_bytes}", "journal_mode = OFF", "synchronous = OFF")
        for pragma in (*pragmas, f"cache_size = -{tuning.cache_kib}"):
            self.conn.execute(f"PRAGMA {pragma}")
        self.conn.execute(
            "CREATE TABLE problems (file_no INTEGER NOT NULL, line INTEGER NOT NULL,"
            " seq INTEGER NOT NULL, message TEXT NOT NULL)"
        )
        self.conn.execute("CREATE INDEX problems_line ON problems(file_no, line)")
        register_cell_functions(self.conn)
        create_tables(self.conn)
        self._finalizer = weakref.finalize(self, _remove, self.conn, locked)

    def close(self) -> None:
        self._finalizer()

    @property
    def closed(self) -> bool:
        return not self._finalizer.alive

    def add_problem(self, file_no: int, line: int, message: str) -> None:
        self.conn.execute(
            "INSERT INTO problems(file_no, line, seq, message)"
            " VALUES (?, ?, (SELECT COUNT(*) FROM problems), ?)",
            (file_no, line, message),
        )

    def add_error(self, file_no: int, error: FactsError) -> None:
        for message in (str(error), *error.details):
            self.add_problem(file_no, FILE_LEVEL, message)


def _remove(conn: sqlite3.Connection, locked: LockedPath) -> None:
    conn.close()
    locked.release()


def stage_files(files: Sequence[ImportFile], tuning: ImportTuning) -> Staging:
    """Parse every file into a new staging database; problems are recorded, not raised.

    Raises:
        FactsError: no files, or more rows than ``tuning.max_rows`` in all of them.
    """
    if not files:
        raise FactsError("No files to import.", "Name at least one CSV file.")
    staging = Staging(tuning)
    try:
        staging.conn.execute("BEGIN")
        counter = _RowCounter(tuning.max_rows)
        for number, file in enumerate(files, 1):
            counter.ragged = 0
            _stage_file(staging, number, file, counter)
        staging.conn.execute("COMMIT")
    except BaseException:
        staging.close()
        raise
    return staging


class _RowCounter:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.rows = 0
        self.ragged = 0

    def count(self) -> None:
        self.rows += 1
        if self.rows > self.limit:
            raise FactsError(
                f"Too many rows: more than {self.limit:,} in one import.",
                "Split the files and import them in several steps.",
            )


def _stage_file(staging: Staging, number: int, file: ImportFile, counter: _RowCounter) -> None:
    try:
        encoding = encoding_of(file)
    except FactsError as error:
        staging.add_error(number, error)
        staging.files.append(StagedFile(number, file.name, ()))
        return
    with open_text(file, encoding) as text:
        first = text.readline()
        reader = csv.reader(chain([first], text), delimiter=sniff_delimiter(first.split("\n", 1)[0]))
        header: tuple[str, ...] = ()
        try:
            header = tuple(header_key(cell) for cell in next(reader, []))
            staged = _recognised(StagedFile(number, file.name, header), staging)
            staged = _copy_rows(staging, staged, reader, counter)
        except csv.Error as error:
            staging.add_error(number, _csv_error(file.name, reader.line_num, error))
            staged = StagedFile(number, file.name, header)
    staging.files.append(staged)


def _recognised(file: StagedFile, staging: Staging) -> StagedFile:
    netflix = recognise_netflix(file.header)
    if netflix is not None:
        return StagedFile(file.number, file.name, file.header, netflix=netflix)
    try:
        kind = recognise_kind(file.name, file.header)
    except FactsError:
        return file  # named once the rows are read: a ragged row is the first thing to fix
    return StagedFile(file.number, file.name, file.header, kind=kind)


def _csv_error(name: str, line: int, error: csv.Error) -> FactsError:
    return FactsError(
        f"{name} line {line}: cannot read the CSV ({error}).",
        f"Check the quotes on that line; cells may hold at most {MAX_CELL_CHARS:,} characters.",
    )


def _copy_rows(
    staging: Staging, file: StagedFile, reader: Iterator[list[str]], counter: _RowCounter
) -> StagedFile:
    width = len(file.header)
    if width > MAX_COLUMNS:  # no kind of file has so many: its header is the problem
        staging.add_error(file.number, _header_error(file))
        return file
    ragged: list[tuple[int, int]] = []
    before = counter.rows
    rows = _rows(reader, width, file.keyed, counter, ragged)
    staged = _insert_rows(staging.conn, file, rows, staging.tuning.batch_rows)
    if ragged:
        staging.add_problem(file.number, FILE_LEVEL, f"{file.name} has rows with the wrong number of cells.")
        staging.unlisted += counter.ragged - len(ragged)
        for line, cells in ragged:
            staging.add_problem(
                file.number, line, f"{file.name} line {line}: {cells} cells where the header has {width}."
            )
    elif counter.rows == before:
        staging.add_problem(
            file.number,
            FILE_LEVEL,
            f"{file.name} has a header row but no rows of facts. Add at least one row under the header.",
        )
    elif not file.holds_facts:
        staging.add_error(file.number, _header_error(file))
    return staged


def _insert_rows(
    conn: sqlite3.Connection, file: StagedFile, rows: Iterator[list[object]], batch_rows: int
) -> StagedFile:
    """Insert a file's rows where validation reads them; return the file with where they are."""
    width = len(file.header) + 1 + len(file.keyed)  # see _rows
    if file.kind is not None:  # straight into the typed table: one write a row
        table = staged_table(file.kind)
        first = _last_rowid(conn, table) + 1
        insert_batches(conn, partial(insert_sql, file), rows, width, batch_rows)
        return replace(file, rowids=(first, _last_rowid(conn, table)))
    if file.netflix is not None:  # its figures are made from its raw cells (see validation)
        columns = "".join(f", c{at}" for at in range(len(file.header)))
        conn.execute(f"CREATE TABLE {file.raw} (line INTEGER NOT NULL{columns})")
        raw = f"INSERT INTO {file.raw} "
        insert_batches(conn, lambda count: raw + values_sql(width, count), rows, width, batch_rows)
        return file
    deque(rows, maxlen=0)  # an unrecognised file: its rows are only counted, its header named
    return file


def _last_rowid(conn: sqlite3.Connection, table: str) -> int:
    return int(conn.execute(f"SELECT COALESCE(MAX(rowid), 0) FROM {table}").fetchone()[0])


def _header_error(file: StagedFile) -> FactsError:
    try:
        recognise_kind(file.name, file.header)
    except FactsError as error:
        return error
    raise AssertionError(f"{file.name}: a header that is recognised")


def _rows(
    reader: Iterator[list[str]],
    width: int,
    keyed: tuple[int, ...],
    counter: _RowCounter,
    ragged: list[tuple[int, int]],
) -> Iterator[list[object]]:
    """Yield each row's line number, stripped cells and the keys of its ``keyed`` cells.

    Blank rows are skipped, ragged ones noted.
    """
    # normalize_name drops apostrophes, so the ' that export puts before a formula changes no key.
    for cells in reader:
        if not "".join(cells).strip():
            continue
        line = reader.line_num  # type: ignore[attr-defined]
        if len(cells) != width:
            counter.ragged += 1
            if len(ragged) < KEPT_RAGGED_ROWS:  # the rest are counted, not kept
                ragged.append((line, len(cells)))
            continue
        counter.count()
        stripped = list(map(str.strip, cells))
        yield [line, *stripped, *[normalize_name(stripped[at]) for at in keyed]]
