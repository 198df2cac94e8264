"""Any file given to the importer ends in a clean import or a clear refusal, never a partial change.

Every example runs on a fresh copy of a seeded database. A refusal must be a
:class:`~facts.errors.FactsError` and leave the SQL dump of the database exactly as it was; an
accepted file must leave a database that passes ``PRAGMA integrity_check`` and that undo puts back
exactly. A fault injected half-way through writing an import (or an undo) must roll everything back.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facts import importing
from facts.csvformat import KINDS, MAX_CELL_CHARS
from facts.errors import FactsError
from facts.importing import ImportFile, ImportTuning, apply_import, open_seeded, plan_import, undo_last_import
from facts.netflix import recognise_netflix
from facts.store import FactStore

FUZZ_EXAMPLES = 120
FACT_TABLES = ("shows", "people", "credits", "viewership", "show_attributes", "names")
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1", "utf-32")
# Cells a spreadsheet or a hostile user could put in a fact file.
CELL_PIECES = (
    "Lupin",
    "lupin",
    "Emily in Paris",
    "Omar Sy",
    "cast",
    "creator",
    "70M",
    "1.2B",
    "70,000,000",
    "-5",
    "0",
    "1e9",
    "NaN",
    "2021-01-08",
    "31/12/2021",
    "01/02/2021",
    "2021-02-30",
    "0001-01-01",
    "9999-12-31",
    "first 28 days",
    "Netflix",
    "viewers",
    "hours viewed",
    "likes",
    "person",
    "organisation",
    "robot",
    '=HYPERLINK("x")',
    "'=1+1",
    "@SUM(A1)",
    "a;b;;c",
    '"',
    '""',
    ",",
    ";",
    "\t",
    "\n",
    "\r\n",
    "\x00",
    "\u202e",
    "'; DROP TABLE shows;--",
    "{0}%s",
    "",
    " ",
)
NETFLIX_HEADER = (
    "week\tcategory\tweekly_rank\tshow_title\tseason_title\tweekly_hours_viewed\truntime\tweekly_views\t"
    "cumulative_weeks_in_top_10"
)

FUZZ = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A seeded database file, closed, to copy for each example."""
    path = tmp_path_factory.mktemp("template") / "facts.db"
    open_seeded(path).close()
    return path


@pytest.fixture
def fresh(template: Path, tmp_path: Path) -> Iterator[Callable[[], FactStore]]:
    """Open a new copy of the seeded database (one per Hypothesis example)."""
    opened: list[FactStore] = []

    def open_copy() -> FactStore:
        target = tmp_path / f"copy{len(opened)}.db"
        shutil.copy(template, target)
        opened.append(open_seeded(target))
        return opened[-1]

    yield open_copy
    for store in opened:
        store.close()


def sql_dump(store: FactStore) -> str:
    """The whole database as SQL text (schema, facts, journal, name index, meta)."""
    with store.lock:
        return "\n".join(store.conn.iterdump())


def fact_rows(store: FactStore) -> dict[str, list[Any]]:
    with store.read() as db:
        return {table: db.execute(f"SELECT * FROM {table} ORDER BY id").fetchall() for table in FACT_TABLES}


def integrity(store: FactStore) -> str:
    with store.lock:
        return str(store.conn.execute("PRAGMA integrity_check").fetchone()[0])


def import_or_refuse(store: FactStore, files: list[ImportFile], *, replace: bool = False) -> None:
    """Import ``files``; check the outcome is a clean import (undone exactly) or a clean refusal."""
    before_dump, before_facts = sql_dump(store), fact_rows(store)
    try:
        plan = plan_import(store, files, replace=replace)
        apply_import(store, plan, user="fuzz")
    except FactsError as error:
        assert str(error).strip() and "Traceback" not in error.full_text()
        assert sql_dump(store) == before_dump
        return
    assert integrity(store) == "ok"
    undo_last_import(store, user="fuzz")
    assert fact_rows(store) == before_facts


@st.composite
def header_cells(draw: st.DrawFn) -> list[str]:
    """A header: some columns of one kind (spelt with any case and separators), maybe a stray one."""
    kind = draw(st.sampled_from(KINDS))
    names = [column.name for column in kind.columns]
    chosen = draw(st.lists(st.sampled_from(names), min_size=1, max_size=len(names), unique=True))
    chosen = list(dict.fromkeys([*kind.required, *chosen])) if draw(st.booleans()) else chosen
    if draw(st.integers(0, 9)) == 0:
        chosen.append(draw(st.sampled_from(("colour", "", "title", "Show Title"))))
    spell = st.sampled_from((str, str.upper, lambda n: n.replace("_", " "), lambda n: n.replace("_", "-")))
    return [draw(spell)(name) for name in chosen]


# Cells that a well-kept file holds, each valid in some column and none breaking a row.
FAIR_PIECES = (
    "Lupin",
    "Émily in Paris",
    "Grey's Anatomy",
    "Law & Order",
    "  padded  ",
    "Omar Sy",
    "CAST",
    "Creator",
    "70M",
    "1.5k",
    "2021-01-08",
    "2021",
    "first 28 days",
    "Hours  Viewed",
    "views",
    "organisation",
    "'=1+1",
    "'plain",
    "a;b;;c",
    "",
)


@st.composite
def fact_files(draw: st.DrawFn, pieces: tuple[str, ...] = CELL_PIECES) -> ImportFile:
    """A CSV-ish fact file: a plausible header, rows of hostile cells, some ragged, any encoding."""
    header = draw(header_cells())
    cell = st.one_of(st.sampled_from(pieces), st.text(max_size=12))
    width = st.integers(len(header) - 1, len(header) + 1) if draw(st.booleans()) else st.just(len(header))
    rows = draw(
        st.lists(width.flatmap(lambda n: st.lists(cell, min_size=max(n, 0), max_size=max(n, 0))), max_size=6)
    )
    delimiter = draw(st.sampled_from((",", ";", "\t")))
    if draw(st.booleans()):
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=delimiter).writerows([header, *rows])
        text = buffer.getvalue()
    else:  # no quoting at all: delimiters and newlines inside cells break the rows
        text = "\n".join(delimiter.join(row) for row in [header, *rows]) + "\n"
    encoding = draw(st.sampled_from(ENCODINGS))
    name = draw(st.sampled_from(("facts.csv", "shows.csv", "credits.tsv", "figures.txt", "x")))
    return ImportFile(name, text.encode(encoding, errors="replace"))


@st.composite
def netflix_files(draw: st.DrawFn) -> ImportFile:
    """A Netflix Top 10 file with its published header and hostile cells."""
    cell = st.one_of(st.sampled_from(CELL_PIECES), st.text(max_size=10), st.integers(-10, 10**12).map(str))
    rows = draw(st.lists(st.lists(cell, min_size=9, max_size=9), min_size=1, max_size=5))
    text = "\n".join("\t".join(row) for row in [NETFLIX_HEADER.split("\t"), *rows]) + "\n"
    return ImportFile("all-weeks-global.tsv", text.encode("utf-8", errors="replace"))


def test_the_netflix_header_used_here_is_recognised() -> None:
    assert recognise_netflix(tuple(NETFLIX_HEADER.split("\t"))) is not None


@FUZZ
@given(data=st.binary(max_size=3000))
def test_arbitrary_bytes(fresh: Callable[[], FactStore], data: bytes) -> None:
    import_or_refuse(fresh(), [ImportFile("upload.csv", data)])


@FUZZ
@given(files=st.lists(fact_files(), min_size=1, max_size=3), replace=st.booleans())
def test_hostile_fact_files(fresh: Callable[[], FactStore], files: list[ImportFile], replace: bool) -> None:
    import_or_refuse(fresh(), files, replace=replace)


@FUZZ
@given(files=st.lists(fact_files(), min_size=1, max_size=2))
def test_hostile_slack_uploads(fresh: Callable[[], FactStore], files: list[ImportFile]) -> None:
    """The Slack path: staged first (refused files are not staged), applied by a later click."""
    store = fresh()
    before = sql_dump(store)
    try:
        token, plan = importing.stage_import(store, files, user="fuzz")
    except FactsError:
        assert sql_dump(store) == before
        return
    assert importing.apply_staged(store, token, user="fuzz").counts == plan.counts()
    assert integrity(store) == "ok"


@FUZZ
@given(file=netflix_files())
def test_hostile_netflix_files(fresh: Callable[[], FactStore], file: ImportFile) -> None:
    import_or_refuse(fresh(), [file])


def test_the_fuzz_reaches_clean_imports(fresh: Callable[[], FactStore]) -> None:
    """Guard against a fuzz that only ever produces refusals: a well-formed file goes in."""
    store = fresh()
    import_or_refuse(
        store, [ImportFile("shows.csv", "title,network\n Fuzz Shöw ,Netflix\n".encode("cp1252"))]
    )
    assert importing.list_imports(store)[0].undone_at is not None


@pytest.mark.parametrize(
    "data",
    [
        b'title,summary\nHuge,"' + b"x" * (MAX_CELL_CHARS + 1) + b'"\n',
        b'title,summary\nHuge,"' + b"unterminated quote " * 60_000 + b"\n",
        b"title\n" + b"\xff" * 200_000 + b"\n",
        b"title" + b",title" * 5000 + b"\n" + b"x," * 5000 + b"x\n",
        b"\n" * 100_000,
        b"title\n" + b"\n" * 50_000 + b"Lone Show\n",
    ],
    ids=["cell-over-limit", "unterminated-quote", "undecodable", "wide-header", "blank-lines", "sparse"],
)
def test_huge_and_broken_files(fresh: Callable[[], FactStore], data: bytes) -> None:
    import_or_refuse(fresh(), [ImportFile("big.csv", data)])


@pytest.mark.parametrize(
    ("name", "data", "detail"),
    [
        (
            "people.csv",
            b"name\nOmar Sy\nOMAR SY\n",
            "people.csv line 3: the same person as people.csv line 2 (OMAR SY). Keep one of the two rows.",
        ),
        (
            "credits.csv",
            b"show,name,role\nLupin,Omar Sy,cast\nLupin,Omar Sy,Cast\n",
            "credits.csv line 3: the same credit as credits.csv line 2 (Lupin — Omar Sy (cast)). "
            "Keep one of the two rows.",
        ),
        (
            "figures.csv",
            b"show,viewers,window\nLupin,1M,first 28 days\nLupin,2M,first 28 days\n",
            "figures.csv line 3: the same figure as figures.csv line 2 (Lupin — viewers (first 28 days)). "
            "Keep one of the two rows.",
        ),
        (
            "attributes.csv",
            b"show,attribute,value\nLupin,renewal,yes\nLupin,Renewal,yes\n",
            "attributes.csv line 3: the same attribute as attributes.csv line 2 (Lupin — renewal: yes). "
            "Keep one of the two rows.",
        ),
    ],
)
def test_duplicate_keys_name_the_conflicting_rows(
    fresh: Callable[[], FactStore], name: str, data: bytes, detail: str
) -> None:
    store = fresh()
    before = sql_dump(store)
    with pytest.raises(FactsError) as raised:
        plan_import(store, [ImportFile(name, data)])
    assert raised.value.details == (detail,)
    assert sql_dump(store) == before


def test_duplicates_across_two_files_name_both_files(fresh: Callable[[], FactStore]) -> None:
    files = [ImportFile("a.csv", b"title\nDark\n"), ImportFile("b.csv", b"title,network\nDARK,Netflix\n")]
    with pytest.raises(FactsError) as raised:
        plan_import(fresh(), files)
    assert raised.value.details == (
        "b.csv line 2: the same show as a.csv line 2 (DARK). Keep one of the two rows.",
    )


def test_a_file_over_the_row_limit_is_refused_by_the_cli(template: Path, tmp_path: Path) -> None:
    from bot.cli import _register_commands, cli

    _register_commands()  # imports every bot module, so their migrations apply to the copy below too
    db = tmp_path / "facts.db"
    shutil.copy(template, db)
    with open_seeded(db) as store:
        before = sql_dump(store)
    (tmp_path / "shows.csv").write_text("title\nA\nB\nC\nD\n")

    arguments = ["--db", str(db), "import", str(tmp_path / "shows.csv")]
    result = CliRunner().invoke(cli, arguments, obj=ImportTuning(max_rows=3))

    assert (result.exit_code, result.output) == (
        1,
        "Error: Too many rows: more than 3 in one import. "
        "Split the files and import them in several steps.\n",
    )
    with open_seeded(db) as store:
        assert sql_dump(store) == before


FIGURES = b"show,viewers,window\nLupin,71M,first 28 days\nFuzz New Show,5M,first 28 days\n"
SHOWS = b"title,network,aliases\nLupin,Netflix France,Arsene\nAnother New Show,HBO,ANS\n"
CREDITS = b"show,name,role,character\nLupin,Omar Sy,cast,Assane Diop\nFuzz New Show,Fuzz Person,cast,X\n"
# The kinds of statement-level step an import (or an undo) takes; one of them fails at a time.
WRITE_STEPS = ("remove", "update", "insert", "index", "commit")
# Tunings whose imports keep every index through their inserts, and rebuild every one they fill.
KEPT_INDEXES = ImportTuning(rebuild_indexes_at=float("inf"))
REBUILT_INDEXES = ImportTuning(rebuild_indexes_at=0)


def failing_after(step: str, calls: int, tuning: ImportTuning = REBUILT_INDEXES) -> ImportTuning:
    """Return ``tuning`` with a write-step hook that raises at call number ``calls`` (0-based) of ``step``."""
    seen = [0]

    def fail(name: str) -> None:
        if name.startswith(step):
            seen[0] += 1
            if seen[0] > calls:
                raise OSError("disk full (injected)")

    return dataclasses.replace(tuning, before_step=fail)


@pytest.mark.parametrize(
    ("step", "replace", "tuning"),
    # Only --replace removes rows, but the removal steps run (and can fail) either way.
    [
        (step, replace, tuning)
        for step in WRITE_STEPS
        for replace in (False, True)
        for tuning in (KEPT_INDEXES, REBUILT_INDEXES)
        if step != "index" or tuning is REBUILT_INDEXES
    ],
)
@pytest.mark.parametrize("calls", [0, 1, 2])
def test_a_fault_half_way_through_an_import_changes_nothing(
    fresh: Callable[[], FactStore], step: str, calls: int, replace: bool, tuning: ImportTuning
) -> None:
    store = fresh()
    files = [ImportFile("shows.csv", SHOWS), ImportFile("figures.csv", FIGURES), ImportFile("c.csv", CREDITS)]
    before = sql_dump(store)
    plan = plan_import(store, files, replace=replace, tuning=failing_after(step, calls, tuning))
    try:
        apply_import(store, plan, user="fuzz")
    except OSError as error:
        assert str(error) == "disk full (injected)"
        assert sql_dump(store) == before
    else:
        assert step == "commit" and calls > 0, f"{step} was called at most {calls} times: no fault injected"
        return
    retried = apply_import(store, plan_import(store, files, replace=replace), user="fuzz")
    assert retried.counts == plan.counts()
    assert integrity(store) == "ok"


@pytest.mark.parametrize("replace", [False, True])
def test_an_import_that_rebuilds_its_indexes_writes_what_one_keeping_them_does(
    fresh: Callable[[], FactStore], replace: bool
) -> None:
    files = [ImportFile("shows.csv", SHOWS), ImportFile("figures.csv", FIGURES), ImportFile("c.csv", CREDITS)]
    kept, rebuilt = fresh(), fresh()
    for store, tuning in ((kept, KEPT_INDEXES), (rebuilt, REBUILT_INDEXES)):
        apply_import(store, plan_import(store, files, replace=replace, tuning=tuning), user="fuzz")
        assert integrity(store) == "ok"
    assert fact_rows(rebuilt) == fact_rows(kept)
    assert index_rows(rebuilt) == index_rows(kept)
    assert schema(rebuilt) == schema(kept) == schema(fresh())
    undo_last_import(rebuilt, user="fuzz")
    undo_last_import(kept, user="fuzz")
    assert fact_rows(rebuilt) == fact_rows(kept)


def index_rows(store: FactStore) -> list[Any]:
    """The name index, its full-text terms, and the store's indexes' entries (as the queries read them)."""
    with store.read() as db:
        return [
            db.execute("SELECT * FROM names ORDER BY id").fetchall(),
            db.execute("SELECT term, doc, cnt FROM names_vocab ORDER BY term").fetchall(),
            db.execute(
                "SELECT person_id, id FROM credits INDEXED BY credits_person ORDER BY 1, 2"
            ).fetchall(),
            db.execute(
                "SELECT metric, start_date, time_window, show_id, season, value FROM viewership"
                " INDEXED BY viewership_year ORDER BY 1, 2, 3, 4, 5, 6"
            ).fetchall(),
        ]


def schema(store: FactStore) -> list[Any]:
    with store.read() as db:
        rows = db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")
        return rows.fetchall()


@pytest.mark.parametrize("calls", [0, 1, 2, 3])
def test_a_fault_half_way_through_an_undo_changes_nothing(fresh: Callable[[], FactStore], calls: int) -> None:
    store = fresh()
    files = [ImportFile("shows.csv", SHOWS), ImportFile("figures.csv", FIGURES), ImportFile("c.csv", CREDITS)]
    apply_import(store, plan_import(store, files, replace=True), user="fuzz")
    before = sql_dump(store)
    with pytest.raises(OSError, match="injected"):
        undo_last_import(store, user="fuzz", tuning=failing_after("restore", calls))
    assert sql_dump(store) == before
    assert undo_last_import(store, user="fuzz").undone_at is not None
