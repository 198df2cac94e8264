"""A season's weeks in a weekly chart: the best week leads, each season is described apart and briefly."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from facts.answering import Answerer
from facts.importing import open_seeded
from facts.plaintext import render_text
from tests.backends import Backend

# Season 1 of a show in the chart for three weeks (its last week the smallest), season 2 for two,
# and a first-91-days figure for season 1; another show counted in hours viewed, then in views.
WEEKLY_CSV = """\
show,season,viewers,metric,window,start_date,platform,rank,weeks_in_top_10,source,as_of
Tidewater,Tidewater: Season 1,9M,views,week ending 2025-03-09,2025-03-03,Netflix,1,1,Netflix Top 10,2025-03-09
Tidewater,Tidewater: Season 1,6M,views,week ending 2025-03-16,2025-03-10,Netflix,2,2,Netflix Top 10,2025-03-16
Tidewater,Tidewater: Season 1,2M,views,week ending 2025-03-23,2025-03-17,Netflix,8,3,Netflix Top 10,2025-03-23
Tidewater,Tidewater: Season 2,4M,views,week ending 2026-01-11,2026-01-05,Netflix,3,1,Netflix Top 10,2026-01-11
Tidewater,Tidewater: Season 2,3M,views,week ending 2026-01-18,2026-01-12,Netflix,5,2,Netflix Top 10,2026-01-18
Tidewater,Tidewater: Season 1,40M,views,first 91 days,,Netflix,4,,Netflix Top 10 (91 days),
Saltmarsh,,5M,hours viewed,week ending 2025-01-12,2025-01-06,Netflix,4,1,Netflix Top 10,2025-01-12
Saltmarsh,,3M,views,week ending 2025-03-09,2025-03-03,Netflix,3,2,Netflix Top 10,2025-03-09
"""


@pytest.fixture(scope="module")
def answerer(tmp_path_factory: pytest.TempPathFactory, backend: Backend) -> Iterator[Answerer]:
    folder: Path = tmp_path_factory.mktemp("weekly")
    (folder / "viewership.csv").write_text(WEEKLY_CSV, encoding="utf-8")
    store = backend.imported(folder, [folder / "viewership.csv"], seed=False)
    yield Answerer(store)
    store.close()


def test_a_season_s_headline_is_its_best_week_with_the_run_summed_up(answerer: Answerer) -> None:
    answer = answerer.answer("tidewater season 2 audience")

    assert render_text(answer) == (
        "Tidewater: Season 2 had 4M views in the week ending 11 January 2026 on Netflix, its best week in "
        "the Top 10.\n"
        "Chart: rank 3\n"
        "Weekly chart: 2 weeks in the Top 10, best rank 3; 7M views added up over the weeks ending 11 to "
        "18 January 2026\n"
        "Source: Netflix Top 10 (as of 18 January 2026)"
    )


def test_the_latest_week_leads_when_the_question_asks_for_it(answerer: Answerer) -> None:
    answer = answerer.answer("how many people watched tidewater season 1 last week")

    assert answer.headline == (
        "Tidewater: Season 1 had 2M views in the week ending 23 March 2025 on Netflix, its latest week in "
        "the Top 10."
    )


def test_other_seasons_weeks_are_one_line_each(answerer: Answerer) -> None:
    answer = answerer.answer("how many people watched tidewater?")

    assert answer.headline == "Tidewater: Season 1 had 40M views in its first 91 days on Netflix."
    assert answer.notes == (
        "Also: Tidewater: Season 1: 3 weeks in the Top 10, best rank 1; 17M views added up over the weeks "
        "ending 9 to 23 March 2025; best week 9M views in the week ending 9 March 2025 on Netflix.",
        "Also: Tidewater: Season 2: 2 weeks in the Top 10, best rank 3; 7M views added up over the weeks "
        "ending 11 to 18 January 2026; best week 4M views in the week ending 11 January 2026 on Netflix.",
    )


def test_weeks_in_the_chart_are_counted_season_by_season(answerer: Answerer) -> None:
    answer = answerer.answer("how many weeks was tidewater in the top 10?")

    assert answer.headline == (
        "Tidewater: Season 1 was 3 weeks in the Top 10 (best rank 1) and Season 2 was 2 weeks (best rank 3)."
    )
    assert answer.notes[:2] == (
        "Best week of Season 1: 9M views in the week ending 9 March 2025 on Netflix.",
        "Best week of Season 2: 4M views in the week ending 11 January 2026 on Netflix.",
    )


def test_a_year_ranking_adds_up_every_week_of_the_year(answerer: Answerer) -> None:
    answer = answerer.answer("top 5 shows in 2025")

    assert answer.headline == (
        "Top 2 shows in 2025 by views added up over their weeks in the Top 10: Tidewater: Season 1 and "
        "Saltmarsh."
    )
    assert [bar.display for bar in answer.bars] == ["17M views", "3M views"]
    assert answer.notes == (
        "Added up: the weeks ending 9 to 23 March 2025; weeks out of the Top 10 count nothing.",
        "Not ranked: the week ending 12 January 2025, which counted hours viewed instead.",
        "I only have 2 shows with views in a weekly Top 10 in 2025.",
    )


def test_week_by_week_is_a_series_to_draw_with_every_week_listed(answerer: Answerer) -> None:
    answer = answerer.answer("how did tidewater season 1 do week by week?")

    assert answer.headline == (
        "Tidewater: Season 1 week by week: 3 weeks in the Top 10, best rank 1; 17M views added up over the "
        "weeks ending 9 to 23 March 2025; best week 9M views in the week ending 9 March 2025 on Netflix."
    )
    assert answer.items == (
        "week ending 9 March 2025: 9M views (rank 1)",
        "week ending 16 March 2025: 6M views (rank 2)",
        "week ending 23 March 2025: 2M views (rank 8)",
    )
    (series,) = answer.series
    assert (series.label, series.unit) == ("Tidewater: Season 1", "views")
    assert [(p.when, p.value, p.display) for p in series.points] == [
        ("2025-03-09", 9_000_000.0, "9M views"),
        ("2025-03-16", 6_000_000.0, "6M views"),
        ("2025-03-23", 2_000_000.0, "2M views"),
    ]
    assert "Tidewater: Season 1  \u2588\u2586\u2583  9M views -> 2M views" in render_text(answer)


def test_several_shows_week_by_week_share_one_measure(answerer: Answerer) -> None:
    answer = answerer.answer("weekly views of tidewater and saltmarsh")

    assert [series.label for series in answer.series] == [
        "Tidewater: Season 1",
        "Tidewater: Season 2",
        "Saltmarsh",
    ]
    assert answer.headline == (
        "Tidewater: Season 1, Tidewater: Season 2 and Saltmarsh week by week, in views."
    )
    assert answer.notes == ("Not drawn: 1 more run of weeks counted in another measure or past 6.",)


def test_a_show_without_weekly_figures_says_so_and_gives_what_it_has(tmp_path: Path) -> None:
    store = open_seeded(tmp_path / "facts.db")
    try:
        answer = Answerer(store).answer("how did lupin do week by week?")
    finally:
        store.close()

    assert answer.headline == "Lupin had 70M viewers in its first 28 days on Netflix."
    assert answer.notes[-1] == "I have no week-by-week figures for Lupin."
    assert answer.series == ()
