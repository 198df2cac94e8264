"""Importing fact files: plan, apply, all-or-nothing, undo, replace, staging, the seed.

Every test runs on both backends: ``seeded_store`` and ``empty_store`` are SQLite files and new
databases on a real PostgreSQL server (tests/backends.py), the facts imported into each.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from facts import importing
from facts.errors import FactsError
from facts.importing import ImportFile, ImportTuning, apply_import, plan_import, undo_last_import
from facts.normalize import normalize_name
from facts.plaintext import render_text
from facts.store import Store
from tests.backends import Backend

EXPIRED = ImportTuning(staged_ttl=timedelta(seconds=-1))
FACT_TABLES = ("shows", "people", "credits", "viewership", "show_attributes")
NEW_FIGURES = (
    b"show,viewers,window,platform\nLupin,71M,first 28 days,Netflix\nDark,1.2B,first 28 days,Netflix\n"
)


@pytest.fixture
def seeded_store(backend_seeded_store: Store) -> Store:
    """The bundled seed, on each backend."""
    return backend_seeded_store


@pytest.fixture
def empty_store(backend_store: Store) -> Store:
    """No facts, on each backend."""
    return backend_store


def dump(store: Store) -> dict[str, list[Any]]:
    """Every row of every fact table, ids included, and the name index (its own ids are internal)."""
    with store.read() as db:
        tables = {
            table: [tuple(row) for row in db.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()]
            for table in FACT_TABLES
        }
        tables["names"] = db.execute("SELECT kind, ref_id, text, norm FROM names ORDER BY 1, 2, 3").fetchall()
        tables["vocabulary"] = sorted(db.execute(db.dialect.vocabulary).fetchall())
    return tables


def run_import(store: Store, *files: tuple[str, bytes], replace: bool = False, user: str = "ana") -> None:
    plan = plan_import(store, [ImportFile(name, data) for name, data in files], replace=replace)
    apply_import(store, plan, user=user)


def refusal(store: Store, *files: tuple[str, bytes]) -> FactsError:
    with pytest.raises(FactsError) as raised:
        plan_import(store, [ImportFile(name, data) for name, data in files])
    return raised.value


def figures(store: Store) -> dict[str, int]:
    with store.read() as db:
        rows = db.execute(
            "SELECT s.title, v.value FROM viewership v JOIN shows s ON s.id = v.show_id"
        ).fetchall()
    return dict(rows)


def test_the_seed_facts_load(seeded_store: Store) -> None:
    assert figures(seeded_store) == {
        "Emily in Paris": 58_000_000,
        "Bridgerton": 82_000_000,
        "The Witcher": 76_000_000,
        "Lupin": 70_000_000,
    }
    (record,) = importing.list_imports(seeded_store)
    assert record.user == "showfacts (bundled seed)"
    assert record.files == ("attributes.csv", "credits.csv", "people.csv", "shows.csv", "viewership.csv")


def test_a_dry_run_reports_the_diff_and_changes_nothing(seeded_store: Store) -> None:
    before, generation = dump(seeded_store), seeded_store.generation()
    plan = plan_import(seeded_store, [ImportFile("figures.csv", NEW_FIGURES)])
    assert render_text(plan.to_answer()) == (
        "Dry run: 2 added, 1 changed, 0 unchanged — nothing applied\n"
        "shows: 1 added, 0 changed, 0 unchanged\n"
        "viewership: 1 added, 1 changed, 0 unchanged\n"
        "- Lupin — viewers (first 28 days): 70M -> 71M\n"
        "- Added: Dark — viewers (first 28 days): 1.2B\n"
        "New show named in the files: Dark.\n"
        "Files: figures.csv."
    )
    assert dump(seeded_store) == before
    assert seeded_store.generation() == generation


def test_applying_upserts_by_natural_key(seeded_store: Store) -> None:
    run_import(seeded_store, ("figures.csv", NEW_FIGURES))
    assert figures(seeded_store)["Lupin"] == 71_000_000
    assert figures(seeded_store)["Dark"] == 1_200_000_000
    run_import(
        seeded_store, ("again.csv", b"show,viewers,window,platform\nLUPIN,72M,first 28 days,Netflix\n")
    )
    assert figures(seeded_store)["Lupin"] == 72_000_000
    assert len(figures(seeded_store)) == 5


def test_only_the_columns_in_the_file_are_updated(seeded_store: Store) -> None:
    run_import(seeded_store, ("shows.csv", b"title,status\nLupin,Ended\n"))
    with seeded_store.read() as db:
        row = db.execute("SELECT status, genre, country FROM shows WHERE title = 'Lupin'").fetchone()
    assert row == ("Ended", "Drama", "France")


def test_every_bad_row_of_every_file_is_named(seeded_store: Store) -> None:
    error = refusal(
        seeded_store,
        ("shows.csv", b"title,premiere_date\nDark,2017-12-01\nOzark,31/02/2020\n,2020\n"),
        ("figures.csv", b"show,viewers\nDark,lots\nOzark,5M\n"),
    )
    assert error.full_text() == (
        "Nothing was imported: 3 problems found. Fix them and import the files again.\n"
        "shows.csv line 3, column premiere_date: '31/02/2020' is not a date. Write it as YYYY-MM-DD "
        "(for example 2020-10-02), or YYYY-MM or YYYY if that is all you know.\n"
        "shows.csv line 4, column title: empty. Every row needs a value there.\n"
        "figures.csv line 2, column viewers: 'lots' is not a number. Write a whole number such as "
        "70000000, 70,000,000, 70M, 70 million, 1.2B or 1.5k."
    )


def test_problems_are_capped(empty_store: Store) -> None:
    data = b"show,viewers\n" + b"".join(b"S%d,lots\n" % n for n in range(60))
    error = refusal(empty_store, ("figures.csv", data))
    assert len(error.details) == importing.MAX_REPORTED_PROBLEMS + 1
    assert error.details[-1] == "… and 10 more."


def test_duplicate_keys_in_a_file_name_both_lines(empty_store: Store) -> None:
    error = refusal(empty_store, ("shows.csv", b"title\nDark\nOzark\ndark\n"))
    assert error.details == (
        "shows.csv line 4: the same show as shows.csv line 2 (dark). Keep one of the two rows.",
    )


def test_an_unknown_metric_is_refused(empty_store: Store) -> None:
    error = refusal(empty_store, ("figures.csv", b"show,viewers,metric\nDark,5M,likes\n"))
    assert error.details == (
        "figures.csv line 2, column metric: 'likes' is not a metric. "
        "Write one of: viewers, views, hours viewed.",
    )


def test_all_or_nothing_across_files(seeded_store: Store) -> None:
    before = dump(seeded_store)
    error = refusal(
        seeded_store,
        ("shows.csv", b"title,network\nDark,Netflix\n"),
        ("figures.csv", b"show,viewers\nDark,5M\nDark,6M\n"),
    )
    assert error.details == (
        "figures.csv line 3: the same figure as figures.csv line 2 (Dark — viewers (no window)). "
        "Keep one of the two rows.",
    )
    assert dump(seeded_store) == before


def test_credits_create_shows_people_and_companies(empty_store: Store) -> None:
    run_import(
        empty_store,
        (
            "credits.csv",
            b"show,name,role,character,company\nDark,Baran bo Odar,Creator,,Wiedemann & Berg\n"
            b"Dark,Louis Hofmann,cast,Jonas Kahnwald,\n",
        ),
    )
    with empty_store.read() as db:
        people = db.execute("SELECT name, kind FROM people ORDER BY id").fetchall()
        roles = db.execute("SELECT role, character FROM credits ORDER BY id").fetchall()
        characters = db.execute("SELECT text FROM names WHERE kind = 'character'").fetchall()
    assert people == [
        ("Baran bo Odar", "person"),
        ("Wiedemann & Berg", "organisation"),
        ("Louis Hofmann", "person"),
    ]
    assert roles == [("creator", ""), ("cast", "Jonas Kahnwald")]
    assert characters == [("Jonas Kahnwald",)]


def test_new_shows_are_numbered_and_titled_as_the_files_first_name_them(empty_store: Store) -> None:
    run_import(
        empty_store,
        ("shows.csv", b"title\nLupin\n"),
        (
            "credits.csv",
            b"show,name,role\nDARK,Louis Hofmann,cast\nlupin,Omar Sy,cast\nBaran,Ana Sousa,cast\n"
            b"Dark,Lisa Vicari,cast\n",
        ),
        (
            "figures.csv",
            b"show,viewers,window,platform\nSense8,2M,first 28 days,Netflix\nbaran,1M,first 28 days,Netflix\n"
            b"SENSE8,3M,first 91 days,Netflix\n",
        ),
    )
    with empty_store.read() as db:
        shows = db.execute("SELECT title FROM shows ORDER BY id").fetchall()
        credited = db.execute("SELECT s.title FROM credits c JOIN shows s ON s.id = c.show_id ORDER BY c.id")
        watched = db.execute(
            "SELECT s.title FROM viewership v JOIN shows s ON s.id = v.show_id ORDER BY v.id"
        )
        assert [row[0] for row in credited.fetchall()] == ["DARK", "Lupin", "Baran", "DARK"]
        assert [row[0] for row in watched.fetchall()] == ["Sense8", "Baran", "Sense8"]
    assert [row[0] for row in shows] == ["Lupin", "DARK", "Baran", "Sense8"]


def test_new_people_are_numbered_and_named_as_the_files_first_name_them(empty_store: Store) -> None:
    def names(sql: str) -> list[str]:
        with empty_store.read() as db:
            return [row[0] for row in db.execute(sql).fetchall()]

    credited = "SELECT p.name FROM credits c JOIN people p ON p.id = c.person_id ORDER BY c.id"
    run_import(
        empty_store,
        ("people.csv", b"name\nOmar Sy\n"),
        (
            "credits.csv",
            b"show,name,role\nLupin,LISA VICARI,cast\nLupin,omar sy,creator\nDark,Louis Hofmann,cast\n"
            b"Dark,Lisa Vicari,writer\n",
        ),
    )
    assert names("SELECT name FROM people ORDER BY id") == ["Omar Sy", "LISA VICARI", "Louis Hofmann"]
    assert names(credited) == ["LISA VICARI", "Omar Sy", "Louis Hofmann", "LISA VICARI"]
    # The store's people keep their ids; the new ones follow in the order of their first credits.
    run_import(
        empty_store,
        (
            "more.csv",
            b"show,name,role\nDark,Maja Schone,cast\nDark,louis hofmann,writer\nLupin,Ana Sousa,cast\n",
        ),
    )
    assert names("SELECT name FROM people ORDER BY id")[3:] == ["Maja Schone", "Ana Sousa"]
    assert names(credited)[4:] == ["Maja Schone", "Louis Hofmann", "Ana Sousa"]


def test_undo_restores_the_store_exactly(seeded_store: Store) -> None:
    before = dump(seeded_store)
    run_import(
        seeded_store,
        ("figures.csv", NEW_FIGURES),
        ("shows.csv", b"title,aliases,network\nLupin,Arsene,Netflix\nDark,,Netflix\n"),
    )
    assert dump(seeded_store) != before
    record = undo_last_import(seeded_store, user="bo")
    assert dump(seeded_store) == before
    assert record.to_answer().headline == (
        "Undid import #2 (figures.csv, shows.csv by ana): the facts are as they were before it."
    )


def test_undo_twice_walks_back_through_the_imports(seeded_store: Store) -> None:
    seeded = dump(seeded_store)
    run_import(seeded_store, ("figures.csv", NEW_FIGURES))
    middle = dump(seeded_store)
    run_import(seeded_store, ("more.csv", b"show,viewers,window,platform\nLupin,80M,first 28 days,Netflix\n"))
    undo_last_import(seeded_store, user="ana")
    assert dump(seeded_store) == middle
    undo_last_import(seeded_store, user="ana")
    assert dump(seeded_store) == seeded
    with pytest.raises(FactsError) as refused:
        undo_last_import(seeded_store, user="ana")  # the seed itself, only when asked for
    assert str(refused.value) == (
        "Nothing was undone: the last import left (#1) is the bundled seed, and undoing it would leave no"
        " facts at all. To empty the store anyway, run: showfacts undo --seed --yes"
    )
    assert dump(seeded_store) == seeded
    undo_last_import(seeded_store, user="ana", seed_too=True)
    assert all(not rows for rows in dump(seeded_store).values())
    with pytest.raises(FactsError) as raised:
        undo_last_import(seeded_store, user="ana")
    assert (
        str(raised.value) == "Nothing to undo: every import has been undone already. See showfacts history."
    )


def test_a_staged_plan_is_a_preview_waiting_for_apply(seeded_store: Store) -> None:
    files = [ImportFile("figures.csv", b"show,viewers,window,platform\nLupin,71M,first 28 days,Netflix\n")]
    _token, plan = importing.stage_import(seeded_store, files, user="ana")
    assert plan.to_answer(staged=True).headline == (
        "Preview: 0 added, 1 changed, 0 unchanged. Nothing changes until you apply it."
    )


def test_replace_removes_unlisted_facts_and_undo_brings_them_back(seeded_store: Store) -> None:
    before = dump(seeded_store)
    plan = plan_import(
        seeded_store,
        [ImportFile("figures.csv", b"show,viewers,window,platform\nLupin,70M,first 28 days,Netflix\n")],
        replace=True,
    )
    assert (
        plan.to_answer().headline == "Dry run: 0 added, 0 changed, 1 unchanged, 3 removed — nothing applied"
    )
    apply_import(seeded_store, plan, user="ana")
    assert figures(seeded_store) == {"Lupin": 70_000_000}
    undo_last_import(seeded_store, user="ana")
    assert dump(seeded_store) == before


def test_replacing_shows_keeps_shows_that_other_facts_name(seeded_store: Store) -> None:
    run_import(seeded_store, ("shows.csv", b"title\nDark\n"), replace=True)
    with seeded_store.read() as db:
        titles = {row[0] for row in db.execute("SELECT title FROM shows")}
    assert titles == {"Dark", "Emily in Paris", "Bridgerton", "The Witcher", "Lupin"}


def test_history_lists_who_when_what(seeded_store: Store) -> None:
    run_import(seeded_store, ("figures.csv", NEW_FIGURES), user="ana")
    undo_last_import(seeded_store, user="bo")
    latest, seed = importing.list_imports(seeded_store)
    assert latest.describe().startswith("#2 ")
    assert latest.describe().endswith(
        " by ana: figures.csv — 2 added, 1 changed, 0 unchanged (undone "
        f"{latest.undone_at[:10]} {latest.undone_at[11:16]} UTC by bo)"
    )
    answer = importing.history_answer([latest, seed])
    assert answer.headline == "The last 2 imports, newest first:"
    assert importing.history_answer([]).headline == "No imports yet."


def test_a_plan_made_before_another_import_is_replanned(seeded_store: Store) -> None:
    stale = plan_import(seeded_store, [ImportFile("figures.csv", NEW_FIGURES)])
    run_import(seeded_store, ("other.csv", b"show,viewers,window,platform\nDark,2M,first 28 days,Netflix\n"))
    record = apply_import(seeded_store, stale, user="ana")
    assert record.counts["viewership"] == {"added": 0, "changed": 2, "unchanged": 0, "removed": 0}
    assert figures(seeded_store)["Dark"] == 1_200_000_000


def test_a_plan_made_before_an_undo_is_replanned(seeded_store: Store) -> None:
    run_import(seeded_store, ("other.csv", b"show,viewers,window,platform\nDark,2M,first 28 days,Netflix\n"))
    stale = plan_import(seeded_store, [ImportFile("figures.csv", NEW_FIGURES)])
    assert stale.counts()["viewership"] == {"added": 0, "changed": 2, "unchanged": 0, "removed": 0}
    undo_last_import(seeded_store, user="ana")  # Dark and its figure are gone again
    record = apply_import(seeded_store, stale, user="ana")
    assert record.counts["viewership"] == {"added": 1, "changed": 1, "unchanged": 0, "removed": 0}
    assert record.counts["shows"] == {"added": 1, "changed": 0, "unchanged": 0, "removed": 0}
    assert figures(seeded_store)["Dark"] == 1_200_000_000


@pytest.mark.parametrize("limit", [1, 2])
def test_the_row_limit_is_an_injected_setting(seeded_store: Store, limit: int) -> None:
    with pytest.raises(FactsError) as raised:
        plan_import(
            seeded_store, [ImportFile("shows.csv", b"title\nA\nB\nC\n")], tuning=ImportTuning(max_rows=limit)
        )
    assert str(raised.value) == (
        f"Too many rows: more than {limit} in one import. Split the files and import them in several steps."
    )


def test_no_files(empty_store: Store) -> None:
    with pytest.raises(FactsError, match="No files to import"):
        plan_import(empty_store, [])


def test_the_name_index_is_written_by_its_triggers(empty_store: Store) -> None:
    shows = b"title,aliases\n" + b"".join(b"Show %d,Alias %d;Other %d\n" % (n, n, n) for n in range(30))
    credits = b"show,name,role,character\n" + b"".join(
        b"Show %d,Person %d,cast,Hero %d\n" % (n, n, n) for n in range(30)
    )
    run_import(empty_store, ("shows.csv", shows), ("credits.csv", credits))
    with empty_store.read() as db:
        search, params = db.dialect.name_search("n.kind, n.ref_id, n.text", [["alias"]], None)
        found = sorted(db.execute(search, params).fetchall(), key=lambda row: row[1])
        kinds = db.execute("SELECT kind, COUNT(*) FROM names GROUP BY kind ORDER BY kind").fetchall()
    # The full-text rows point at the name rows they were made from.
    assert found == [("show_alias", n + 1, f"Alias {n}") for n in range(30)]
    assert kinds == [("character", 30), ("person", 30), ("show", 30), ("show_alias", 60)]


def test_staged_imports_apply_once_for_their_user(seeded_store: Store) -> None:
    generation = seeded_store.generation()
    token, plan = importing.stage_import(seeded_store, [ImportFile("figures.csv", NEW_FIGURES)], user="U1")
    assert plan.totals()["changed"] == 1
    assert seeded_store.generation() == generation
    with pytest.raises(FactsError) as other:
        importing.apply_staged(seeded_store, token, user="U2")
    assert str(other.value) == "Only the admin who uploaded these files can apply or cancel them."
    record = importing.apply_staged(seeded_store, token, user="U1")
    assert record.user == "U1"
    assert figures(seeded_store)["Lupin"] == 71_000_000
    with pytest.raises(FactsError) as again:
        importing.apply_staged(seeded_store, token, user="U1")
    assert str(again.value) == "That import was already applied. Upload the files again to import them anew."


def test_discarded_and_unknown_staged_imports(seeded_store: Store) -> None:
    before = dump(seeded_store)
    token, _plan = importing.stage_import(seeded_store, [ImportFile("figures.csv", NEW_FIGURES)], user="U1")
    importing.discard_staged(seeded_store, token, user="U1")
    assert dump(seeded_store) == before
    with pytest.raises(FactsError, match="already discarded"):
        importing.apply_staged(seeded_store, token, user="U1")
    with pytest.raises(FactsError) as unknown:
        importing.apply_staged(seeded_store, "nope", user="U1")
    assert str(unknown.value) == "That import is no longer waiting to be applied. Upload the files again."


def test_invalid_files_are_not_staged(seeded_store: Store) -> None:
    with pytest.raises(FactsError):
        importing.stage_import(
            seeded_store, [ImportFile("bad.csv", b"show,viewers\nLupin,lots\n")], user="U1"
        )
    with seeded_store.read() as db:
        assert db.execute("SELECT COUNT(*) FROM staged_imports").fetchone() == (0,)


def test_expired_staged_imports_are_refused(seeded_store: Store) -> None:
    token, _plan = importing.stage_import(seeded_store, [ImportFile("figures.csv", NEW_FIGURES)], user="U1")
    with pytest.raises(FactsError) as raised:
        importing.apply_staged(seeded_store, token, user="U1", tuning=EXPIRED)
    assert (
        str(raised.value)
        == "That import waited too long (over 24 hours) and expired. Upload the files again."
    )


def test_staging_forgets_expired_uploads(seeded_store: Store) -> None:
    token, _plan = importing.stage_import(seeded_store, [ImportFile("figures.csv", NEW_FIGURES)], user="U1")
    importing.stage_import(seeded_store, [ImportFile("figures.csv", NEW_FIGURES)], user="U1", tuning=EXPIRED)
    with seeded_store.read() as db:
        assert db.execute("SELECT COUNT(*) FROM staged_import_files WHERE token = ?", [token]).fetchone() == (
            0,
        )
    with pytest.raises(FactsError, match="expired"):
        importing.apply_staged(seeded_store, token, user="U1")


def test_replacing_shows_and_figures_keeps_the_shows_the_figures_name(seeded_store: Store) -> None:
    run_import(
        seeded_store,
        ("shows.csv", b"title\nDark\n"),
        ("figures.csv", b"show,viewers,window,platform\nLupin,70M,first 28 days,Netflix\n"),
        replace=True,
    )
    with seeded_store.read() as db:
        titles = {row[0] for row in db.execute("SELECT title FROM shows")}
    assert titles == {"Dark", "Lupin", "Emily in Paris"}  # Emily in Paris keeps credits and attributes
    assert figures(seeded_store) == {"Lupin": 70_000_000}


BULK_SHOWS = b"title,aliases,network\n" + b"".join(b"Bulk Show %d,Alias %d,HBO\n" % (n, n) for n in range(40))
BULK_CREDITS = b"show,name,role,character,company\n" + b"".join(
    b"Bulk Show %d,Bulk Person %d,cast,Hero %d,Bulk Studio\n" % (n, n % 7, n) for n in range(40)
)
BULK_FIGURES = b"show,viewers,window,platform\n" + b"".join(
    b"Bulk Show %d,%dM,first 28 days,Netflix\n" % (n, n + 1) for n in range(40)
)
BULK_FILES = (("shows.csv", BULK_SHOWS), ("credits.csv", BULK_CREDITS), ("figures.csv", BULK_FIGURES))


def test_names_imported_are_found(empty_store: Store, backend: Backend) -> None:
    run_import(empty_store, *BULK_FILES)
    with empty_store.read() as db:
        search, params = db.dialect.name_search("n.kind, n.text", [["hero"], ["17"]], None)
        found = db.execute(search, params).fetchall()
    assert found == [("character", "Hero 17")]
    # The indexes an import of many rows builds anew are back.
    assert "names_norm" in {row[1] for row in backend.schema(empty_store)}


@pytest.mark.parametrize(
    "step", ["update shows", "insert shows", "insert people", "insert credits", "commit"]
)
def test_a_fault_in_any_write_step_changes_nothing(seeded_store: Store, backend: Backend, step: str) -> None:
    before, indexes = dump(seeded_store), backend.schema(seeded_store)

    def failing(name: str) -> None:
        if name == step:
            raise OSError("disk full (injected)")

    files = [
        ImportFile(name, data) for name, data in (*BULK_FILES, ("lupin.csv", b"title,status\nLupin,Ended\n"))
    ]
    plan = plan_import(seeded_store, files, tuning=ImportTuning(before_step=failing))
    with pytest.raises(OSError, match="injected"):
        apply_import(seeded_store, plan, user="ana")
    assert dump(seeded_store) == before
    assert backend.schema(seeded_store) == indexes
    assert backend.scratch_left(seeded_store) == []
    if backend.name == "sqlite":
        with seeded_store.read() as db:
            assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_an_import_leaves_no_staging_database_behind(
    seeded_store: Store, backend: Backend, tmp_path: Path
) -> None:
    plan = plan_import(seeded_store, [ImportFile(name, data) for name, data in BULK_FILES])
    assert plan.staging is not None and plan.staging.path.exists()
    staged = plan.staging.path
    apply_import(seeded_store, plan, user="ana")
    assert not staged.exists()
    assert backend.scratch_left(seeded_store) == []


def test_a_file_without_a_key_column_updates_the_one_figure_it_matches(seeded_store: Store) -> None:
    # Lupin's seed figure is on Netflix; the file leaves the platform (and the metric) out.
    plan = plan_import(seeded_store, [ImportFile("f.csv", b"show,viewers,window\nLupin,71M,first 28 days\n")])
    assert plan.changed_lines == ("Lupin — viewers (first 28 days): 70M -> 71M",)
    apply_import(seeded_store, plan, user="ana")
    assert figures(seeded_store)["Lupin"] == 71_000_000
    with seeded_store.read() as db:
        assert db.execute("SELECT COUNT(*) FROM viewership").fetchone() == (4,)


def test_a_file_without_a_key_column_is_refused_when_several_figures_match(seeded_store: Store) -> None:
    run_import(seeded_store, ("views.csv", b"show,viewers,window,metric\nLupin,5M,first 28 days,views\n"))
    error = refusal(
        seeded_store, ("f.csv", b"show,viewers,window\nDark,1M,first 28 days\nLupin,71M,first 28 days\n")
    )
    assert error.details == (
        "f.csv line 3: Lupin has 2 figures this row could mean (Lupin — viewers (first 28 days);"
        " Lupin — views (first 28 days)). Add the columns season, platform, metric to say which.",
    )


def test_replace_names_the_rows_it_keeps_and_why(seeded_store: Store) -> None:
    plan = plan_import(seeded_store, [ImportFile("shows.csv", b"title\nDark\n")], replace=True)
    assert plan.to_answer().notes == (
        "Kept 4 shows the files do not list, because other facts (credits, figures or attributes) name"
        " them: Emily in Paris, Bridgerton, The Witcher, Lupin.",
        "Files: shows.csv.",
    )
    assert plan.changed_lines == ("Added: Dark",)


def test_the_report_of_an_import_lists_its_changes_additions_and_notes(seeded_store: Store) -> None:
    files = [ImportFile("figures.csv", NEW_FIGURES)]
    preview = plan_import(seeded_store, files).to_answer()
    applied = apply_import(seeded_store, plan_import(seeded_store, files), user="ana").to_answer()
    assert (
        applied.items
        == preview.items
        == (
            "Lupin — viewers (first 28 days): 70M -> 71M",
            "Added: Dark — viewers (first 28 days): 1.2B",
        )
    )
    assert applied.notes[:-1] == preview.notes[:-1] == ("New show named in the files: Dark.",)
    undone = undo_last_import(seeded_store, user="bo").to_answer()
    assert [(field.label, field.value) for field in undone.fields] == [
        ("shows", "1 removed"),
        ("viewership", "1 removed, 1 changed back"),
    ]


def test_the_name_index_holds_every_imported_name_as_questions_are_normalised(
    seeded_store: Store,
) -> None:
    tricky = "'=Grey\u2019s & Émily, ＬＵＰＩＮ"
    run_import(
        seeded_store,
        ("shows.csv", f'title,aliases\n"{tricky}",Éa; B&b\nLUPIN,\n'.encode()),
        ("credits.csv", "show,name,role,company\nNew Show,'+Zoë O'Neil,cast,Jax & Co.\n".encode()),
    )
    with seeded_store.read() as db:
        names = db.execute("SELECT kind, text, norm FROM names").fetchall()
    assert {kind for kind, _, _ in names} >= {"show", "show_alias", "person", "organisation"}
    assert [(text, norm) for _, text, norm in names if norm != normalize_name(text)] == []
    assert ("show", "=Grey\u2019s & Émily, ＬＵＰＩＮ", "grey and emily lupin") in names


def test_the_staging_page_size_changes_nothing_an_import_does(tmp_path: Path) -> None:
    files = [
        ImportFile("shows.csv", b"title,aliases,network\nLupin,Arsene,Netflix\nDark,,Netflix\n"),
        ImportFile("figures.csv", NEW_FIGURES),
        ImportFile("credits.csv", b"show,name,role,character\nDark,Louis Hofmann,cast,Jonas\n"),
    ]
    dumps, reports = [], []
    for page_bytes in (512, 65536):
        with importing.open_seeded(tmp_path / f"{page_bytes}.db") as store:
            plan = plan_import(store, files, replace=True, tuning=ImportTuning(page_bytes=page_bytes))
            assert plan.staging is not None
            assert plan.staging.conn.execute("PRAGMA page_size").fetchone() == (page_bytes,)
            reports.append(render_text(plan.to_answer()))
            apply_import(store, plan, user="ana")
            dumps.append(dump(store))
    assert reports[0] == reports[1]
    assert dumps[0] == dumps[1]


def test_the_staging_cache_while_writing_is_an_injected_setting(tmp_path: Path) -> None:
    caches: list[tuple[int]] = []
    with importing.open_seeded(tmp_path / "facts.db") as store:

        def note_cache(step: str) -> None:
            if step == "commit":
                caches.append(store.conn.execute("PRAGMA stage.cache_size").fetchone())

        tuning = ImportTuning(cache_kib=512, write_cache_kib=2048, before_step=note_cache)
        plan = plan_import(store, [ImportFile("figures.csv", NEW_FIGURES)], tuning=tuning)
        apply_import(store, plan, user="ana")
    assert caches == [(-2048,)]
