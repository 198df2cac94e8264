"""Every version of the weekly list Netflix has published imports (7, 9, 11 and 12 columns)."""

from __future__ import annotations

from pathlib import Path

import pytest

from facts.importing import apply_import, plan_import, read_paths
from facts.netflix import recognise_netflix
from facts.store import FactStore

VARIANTS = Path(__file__).parent.parent / "data" / "import" / "netflix_variants"


def weekly_figure(store: FactStore, title: str, week: str) -> tuple[object, ...]:
    with store.read() as db:
        return db.execute(
            "SELECT v.metric, v.value, v.hours_viewed, v.runtime_hours, v.rank, v.weeks_in_top10, v.category"
            " FROM viewership v JOIN shows s ON s.id = v.show_id"
            " WHERE s.title = ? AND v.time_window = ?",
            [title, f"week ending {week}"],
        ).fetchone()


@pytest.mark.parametrize(
    ("file", "title", "week", "expected"),
    [
        (
            "all-weeks-global_11col.tsv",
            "Dragon Ball DAIMA",
            "2024-11-10",
            ("views", 1_300_000, 2_300_000, 0.0, 10, 3, "TV (Non-English)"),
        ),
        (
            "all-weeks-global_12col.tsv",
            "KPop Demon Hunters",
            "2025-06-22",
            ("views", 9_200_000, 15_400_000, 1.6667, 2, 1, "Films (English)"),
        ),
        (
            "all-weeks-global_7col.tsv",
            "Fatherhood",
            "2021-07-11",
            ("hours viewed", 12_830_000, 12_830_000, None, 3, 2, "Films (English)"),
        ),
    ],
)
def test_each_published_version_imports_whole(
    empty_store: FactStore, file: str, title: str, week: str, expected: tuple[object, ...]
) -> None:
    path = VARIANTS / file
    rows = len(path.read_text(encoding="utf-8").splitlines()) - 1
    plan = plan_import(empty_store, read_paths([path]))
    assert plan.counts()["viewership"]["added"] == rows
    apply_import(empty_store, plan, user="t")
    assert weekly_figure(empty_store, title, week) == expected


def test_the_launch_columns_are_read_as_the_weekly_list() -> None:
    base = ("week", "category", "weekly_rank", "show_title", "season_title", "weekly_hours_viewed")
    assert recognise_netflix((*base, "cumulative_weeks_in_top_10")) is not None
    launch = ("is_staggered_launch", "runtime_override_flag", "episode_launch_dtls")
    found = recognise_netflix((*base, "runtime", "weekly_views", "cumulative_weeks_in_top_10", *launch))
    assert found is not None and found.name == "all-weeks-global"


def test_a_weekly_list_missing_a_required_column_is_not_netflix_s() -> None:
    no_rank = ("week", "category", "show_title", "season_title", "weekly_hours_viewed")
    assert recognise_netflix(no_rank) is None
