"""Exporting facts: the import format, round trips, formula-looking cells."""

from __future__ import annotations

from pathlib import Path

from facts.exporter import export_facts
from facts.importing import ImportFile, apply_import, open_seeded, plan_import, read_paths
from facts.importing.rows import imported_from
from facts.store import FactStore, Store
from tests.backends import Backend

KIND_FILES = ["shows.csv", "people.csv", "credits.csv", "viewership.csv", "attributes.csv"]


def exported(store: Store, folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in export_facts(store, folder)}


def test_export_writes_one_file_per_kind_in_the_import_format(
    seeded_store: FactStore, tmp_path: Path
) -> None:
    files = exported(seeded_store, tmp_path / "out")
    assert list(files) == KIND_FILES
    assert files["viewership.csv"].decode().splitlines()[:2] == [
        "show,viewers,metric,season,window,start_date,platform,category,hours_viewed,runtime,rank,"
        "weeks_in_top_10,source,as_of",
        "Bridgerton,82000000,viewers,,first 28 days,,Netflix,,,,,,"
        "Trade press report on Emily in Paris season 2 (Netflix figures),2021-05",
    ]


def test_export_then_import_changes_nothing(seeded_store: FactStore, tmp_path: Path) -> None:
    export_facts(seeded_store, tmp_path)
    plan = plan_import(seeded_store, read_paths(sorted(tmp_path.glob("*.csv"))))
    assert plan.to_answer().headline == "Dry run: 0 added, 0 changed, 50 unchanged — nothing applied"


def test_export_import_export_is_byte_identical(
    seeded_store: FactStore, empty_store: FactStore, tmp_path: Path
) -> None:
    first = exported(seeded_store, tmp_path / "first")
    apply_import(
        empty_store,
        plan_import(empty_store, read_paths(sorted((tmp_path / "first").glob("*.csv")))),
        user="t",
    )
    assert exported(empty_store, tmp_path / "second") == first


def test_formula_cells_are_safe_and_read_back(empty_store: FactStore, tmp_path: Path) -> None:
    shows = b"title,summary\n=HYPERLINK(x),-a dash first\n@Home,+1 more\n'Quoted,plain\n"
    apply_import(empty_store, plan_import(empty_store, [ImportFile("shows.csv", shows)]), user="t")
    files = exported(empty_store, tmp_path / "out")
    cited = f'"{imported_from("shows.csv")}",'  # the file has no source column
    assert files["shows.csv"].decode().splitlines()[1:] == [
        f"'@Home,,,,,,,,,'+1 more,{cited}",
        f"'=HYPERLINK(x),,,,,,,,,'-a dash first,{cited}",
        f"'Quoted,,,,,,,,,plain,{cited}",
    ]
    plan = plan_import(empty_store, read_paths([tmp_path / "out" / "shows.csv"]))
    assert plan.totals() == {"added": 0, "changed": 0, "unchanged": 3, "removed": 0}


def test_netflix_figures_round_trip(empty_store: FactStore, tmp_path: Path) -> None:
    excerpt = Path(__file__).parent.parent / "data" / "import" / "all-weeks-global-excerpt.tsv"
    apply_import(empty_store, plan_import(empty_store, read_paths([excerpt])), user="t")
    first = exported(empty_store, tmp_path / "a")
    assert list(first) == ["shows.csv", "viewership.csv"]
    plan = plan_import(empty_store, read_paths(sorted((tmp_path / "a").glob("*.csv"))))
    assert plan.totals()["changed"] == 0
    assert exported(empty_store, tmp_path / "b") == first


def test_export_writes_the_same_files_from_either_backend(backend: Backend, tmp_path: Path) -> None:
    excerpt = Path(__file__).parent.parent / "data" / "import" / "all-weeks-global-excerpt.tsv"
    sqlite = open_seeded(tmp_path / "facts.db")
    apply_import(sqlite, plan_import(sqlite, read_paths([excerpt])), user="t")
    expected = exported(sqlite, tmp_path / "sqlite")
    sqlite.close()
    with backend.imported(tmp_path / f"{backend.name}-store", [excerpt]) as store:
        assert exported(store, tmp_path / f"{backend.name}-export") == expected
