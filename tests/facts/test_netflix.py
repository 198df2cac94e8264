"""Netflix Top 10 files import as Netflix publishes them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from facts.errors import FactsError
from facts.importing import ImportFile, apply_import, plan_import, read_paths
from facts.store import FactStore
from tests.conftest import NETFLIX

EXCERPT = Path(__file__).parent.parent / "data" / "import" / "all-weeks-global-excerpt.tsv"


def figure(store: FactStore, title: str, window: str) -> dict[str, Any]:
    with store.read() as db:
        cursor = db.execute(
            "SELECT v.* FROM viewership v JOIN shows s ON s.id = v.show_id"
            " WHERE s.title = ? AND v.time_window = ?",
            [title, window],
        )
        names = [d[0] for d in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))


def test_weekly_rows_become_views_for_the_week_ending_that_date(empty_store: FactStore) -> None:
    apply_import(empty_store, plan_import(empty_store, read_paths([EXCERPT])), user="t")
    row = figure(empty_store, "Voicemails for Isabelle", "week ending 2026-07-19")
    assert {k: v for k, v in row.items() if k not in ("id", "show_id")} == {
        "season": "",
        "metric": "views",
        "value": 5_700_000,
        "time_window": "week ending 2026-07-19",
        "start_date": "2026-07-13",
        "platform": "Netflix",
        "category": "Films (English)",
        "hours_viewed": 11_200_000,
        "runtime_hours": 1.9667,
        "rank": 2,
        "weeks_in_top10": 5,
        "source": "Netflix Top 10 (all-weeks-global)",
        "as_of": "2026-07-19",
    }


def test_weeks_before_views_were_published_count_hours(empty_store: FactStore) -> None:
    apply_import(empty_store, plan_import(empty_store, read_paths([EXCERPT])), user="t")
    row = figure(empty_store, "Prisoners", "week ending 2023-06-11")
    assert (row["metric"], row["value"], row["runtime_hours"]) == ("hours viewed", 13_890_000, None)


def test_two_titles_sharing_a_name_in_one_week_keep_the_larger_figure(empty_store: FactStore) -> None:
    plan = plan_import(empty_store, read_paths([EXCERPT]))
    assert plan.parse_notes == (
        "all-weeks-global-excerpt.tsv line 22: Inheritance is listed twice for the same window "
        "(also all-weeks-global-excerpt.tsv line 23); kept the larger figure.",
    )
    apply_import(empty_store, plan, user="t")
    assert figure(empty_store, "Inheritance", "week ending 2024-06-23")["value"] == 10_500_000


def test_the_published_files_import_whole(empty_store: FactStore) -> None:
    # 536 rows naming 165 distinct titles (tests/data/netflix_top10/README.md), none twice per window.
    files = read_paths(sorted(NETFLIX.glob("*.tsv")))
    plan = plan_import(empty_store, files)
    assert plan.counts() == {
        "shows": {"added": 165, "changed": 0, "unchanged": 0, "removed": 0},
        "viewership": {"added": 536, "changed": 0, "unchanged": 0, "removed": 0},
    }
    apply_import(empty_store, plan, user="t")
    assert figure(empty_store, "Red Notice", "first 28 days")["value"] == 364_020_000
    assert figure(empty_store, "KPop Demon Hunters", "first 91 days")["value"] == 325_100_000
    again = plan_import(empty_store, files)
    assert again.totals() == {"added": 0, "changed": 0, "unchanged": 536, "removed": 0}


FIGURES_HEADER = b"show,viewers,metric,window,platform\n"


def test_a_netflix_list_imported_with_a_figures_file_comes_first(empty_store: FactStore) -> None:
    # The list's figures are staged before the figures file's, though named after it: the list's
    # row is the first of two with one key, and its new shows are numbered first.
    listing = read_paths([NETFLIX / "most-popular_28days.tsv"])
    twice = ImportFile("figures.csv", FIGURES_HEADER + b"Red Notice,1M,hours viewed,first 28 days,Netflix\n")
    with pytest.raises(FactsError) as refused:
        plan_import(empty_store, [twice, *listing])
    assert refused.value.details[0] == (
        "figures.csv line 2: the same figure as most-popular_28days.tsv line 2"
        " (Red Notice — hours viewed (first 28 days)). Keep one of the two rows."
    )
    figures = ImportFile("figures.csv", FIGURES_HEADER + b"Zeta New,5M,views,first 91 days,Netflix\n")
    apply_import(empty_store, plan_import(empty_store, [figures, *listing]), user="t")
    with empty_store.read() as db:
        titles = [row[0] for row in db.execute("SELECT title FROM shows ORDER BY id")]
    assert titles[0] == "Red Notice" and titles[-1] == "Zeta New"
