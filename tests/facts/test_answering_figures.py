"""Choosing the headline figure and the measure to compare by."""

from __future__ import annotations

from dataclasses import replace

import pytest

from facts.figures import (
    common_measure,
    describe_figure,
    in_season,
    latest_weekly,
    pick_categories,
    preferred_measure,
    season_label,
    sort_for_headline,
    title_noun,
    window_days,
    with_hours,
)
from facts.lookup import Figure

BASE = Figure(
    id=1, show_id=7, show_title="Harbour Lights", metric="viewers", value=12_500_000, season="",
    window="first 91 days", start_date="2023-03-10", platform="Streamly", category="", hours_viewed=None,
    rank=None, weeks_in_top10=None, source="press", as_of="2026-08",
)  # fmt: skip


def figure(**changes: object) -> Figure:
    return replace(BASE, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("window", "days"),
    [("first 28 days", 28), ("first 91 days", 91), ("week of 2026-07-19", 7), ("first 2 weeks", 14), ("", 0)],
)
def test_window_days(window: str, days: int) -> None:
    assert window_days(window) == days


def test_headline_prefers_viewers_then_longest_window_then_most_recent() -> None:
    weekly_old = figure(id=2, metric="views", window="week of 2026-07-19", start_date="2026-07-19")
    weekly_new = figure(id=3, metric="views", window="week of 2026-07-26", start_date="2026-07-26")
    short = figure(id=4, window="first 28 days")
    figures = [weekly_old, short, weekly_new, BASE]

    assert [f.id for f in sort_for_headline(figures)] == [1, 4, 3, 2]
    assert [f.id for f in sort_for_headline(figures, "views")] == [3, 2, 1, 4]


def test_common_measure_is_the_one_most_shows_share() -> None:
    a = [figure(), figure(id=2, metric="views", window="week of 2026-07-26")]
    b = [figure(id=3, show_id=8, metric="views", window="week of 2026-07-26")]

    assert common_measure([a, b]) == ("views", "week of 2026-07-26")
    assert common_measure([]) is None


def test_preferred_measure_ranks_people_reached_first() -> None:
    measures = [("views", "week of 2026-07-26", 40), ("viewers", "first 28 days", 4)]

    assert preferred_measure(measures) == ("viewers", "first 28 days")
    assert preferred_measure([]) is None


@pytest.mark.parametrize(
    ("season", "label"),
    [
        ("", "Harbour Lights"),
        ("2", "Harbour Lights season 2"),
        ("Harbour Lights: Season 2", "Harbour Lights: Season 2"),
        ("Limited Series", "Harbour Lights (Limited Series)"),
    ],
)
def test_season_label(season: str, label: str) -> None:
    assert season_label(figure(season=season)) == label


def test_seasons_and_hours_viewed() -> None:
    weekly = figure(id=2, metric="views", season="Harbour Lights: Season 2", hours_viewed=16_000_000)

    assert in_season([BASE, weekly], "2") == [weekly]
    assert [describe_figure(f) for f in with_hours([weekly])] == [
        "12.5M views in its first 91 days on Streamly",
        "16M hours viewed in its first 91 days on Streamly",
    ]


NETFLIX_CATEGORIES = ("Films (English)", "Films (Non-English)", "TV (English)", "TV (Non-English)")


@pytest.mark.parametrize(
    ("kind", "language", "picked"),
    [
        ("films", "", ("Films (English)", "Films (Non-English)")),
        ("tv", "non english", ("TV (Non-English)",)),
        ("", "english", ("Films (English)", "TV (English)")),
        ("films", "english", ("Films (English)",)),
    ],
)
def test_pick_categories(kind: str, language: str, picked: tuple[str, ...]) -> None:
    assert pick_categories(NETFLIX_CATEGORIES, kind, language) == picked


def test_pick_categories_names_none_the_store_lacks() -> None:
    assert pick_categories(("Drama", "Comedy series"), "films", "") == ()
    assert pick_categories(("Drama", "Comedy series"), "tv", "") == ("Comedy series",)


def test_latest_weekly_keeps_the_newest_week() -> None:
    measures = [
        ("views", "week ending 2026-07-12", 40),
        ("hours viewed", "week ending 2026-07-19", 40),
        ("views", "week ending 2026-07-19", 40),
        ("views", "first 91 days", 300),
    ]

    assert latest_weekly(measures) == [measures[1], measures[2]]
    assert latest_weekly(measures[3:]) == measures[3:]


@pytest.mark.parametrize(
    ("categories", "noun"),
    [
        (["Films (English)"], "English-language film"),
        (["TV (Non-English)", "TV (Non-English)"], "non-English TV show"),
        (["Films (English)", "Films (Non-English)"], "film"),
        (["Films (English)", "TV (English)"], ""),
        (["", "Prime picks"], ""),
    ],
)
def test_a_title_is_named_by_its_chart_categories(categories: list[str], noun: str) -> None:
    assert title_noun([figure(category=category) for category in categories]) == noun
