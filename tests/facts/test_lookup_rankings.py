"""Rankings narrowed by year and genre read the same figures whichever index finds them."""

from __future__ import annotations

import pytest

from facts import lookup
from facts.lookup import Scope
from facts.store import Store

# (title, genre, start date, viewers in the first 28 days)
SHOWS = [
    ("Alpha", "Drama", "2020-01-10", 900),
    ("Bravo", "Comedy", "2020-06-01", 800),
    ("Charlie", "Drama", "2019-12-31", 700),
    ("Delta", "Crime drama", "2020-12-31", 600),
    ("Echo", "Drama", "2021-01-01", 500),
    ("Foxtrot", "Drama", "2020", 400),
    ("Golf", "", "", 300),
]


@pytest.fixture
def ranked(backend_store: Store) -> Store:
    """The shows and figures above, on each backend."""
    figure = "INSERT INTO viewership(show_id, value, time_window, start_date) VALUES (?, ?, ?, ?)"
    with backend_store.write() as db:
        for number, (title, genre, start, viewers) in enumerate(SHOWS, 1):
            db.execute(
                "INSERT INTO shows(id, title, title_key, genre) VALUES (?, ?, ?, ?)",
                (number, title, title.lower(), genre),
            )
            db.execute(figure, (number, viewers, "first 28 days", start))
            db.execute(figure, (number, viewers, "week of 2020-03-01", ""))
    return backend_store


def titles(store: Store, window: str, scope: Scope, limit: int = 10) -> list[str]:
    with store.read() as db:
        return [figure.show_title for figure in lookup.top_figures(db, "viewers", window, limit, scope)]


@pytest.mark.parametrize("sorted_at_most", [1, 10_000], ids=["read-by-value", "sorted"])
def test_a_year_keeps_the_figures_that_start_in_it(
    ranked: Store, monkeypatch: pytest.MonkeyPatch, sorted_at_most: int
) -> None:
    monkeypatch.setattr(lookup, "MAX_SORTED_FIGURES", sorted_at_most)
    assert titles(ranked, "first 28 days", Scope(year="2020")) == ["Alpha", "Bravo", "Delta", "Foxtrot"]
    assert titles(ranked, "first 28 days", Scope(year="2020"), limit=2) == ["Alpha", "Bravo"]
    assert titles(ranked, "first 28 days", Scope(year="1999")) == []


def test_a_window_that_names_the_year_keeps_all_its_figures(ranked: Store) -> None:
    assert len(titles(ranked, "week of 2020-03-01", Scope(year="2020"))) == len(SHOWS)
    assert titles(ranked, "week of 2020-03-01", Scope(year="2021")) == []


def test_a_genre_keeps_the_shows_that_have_it(ranked: Store) -> None:
    scope = Scope(genres=("Drama", "Crime drama"), year="2020")
    assert titles(ranked, "first 28 days", scope) == ["Alpha", "Delta", "Foxtrot"]
    with ranked.read() as db:
        # Every figure of the week's window is in 2020; three of the first 28 days start in it.
        assert lookup.figure_measures(db, scope) == [
            ("viewers", "week of 2020-03-01", 5),
            ("viewers", "first 28 days", 3),
        ]
        assert lookup.genres(db) == ["Comedy", "Crime drama", "Drama"]


SCOPES = [
    Scope(),
    Scope(year="2020"),
    Scope(year="2021"),
    Scope(year="1999"),
    Scope(year="2020", genres=("Drama",)),
]


@pytest.mark.parametrize("scope", SCOPES, ids=["everywhere", "2020", "2021", "1999", "2020-drama"])
def test_measures_kept_with_their_dates_count_as_read_afresh(ranked: Store, scope: Scope) -> None:
    with ranked.read() as db:
        kept = lookup.measure_dates(db)
        assert lookup.figure_measures(db, scope, kept) == lookup.figure_measures(db, scope)


def test_a_measure_is_kept_with_its_first_and_last_start_dates(ranked: Store) -> None:
    with ranked.read() as db:
        assert lookup.measure_dates(db) == [
            lookup.MeasureDates("viewers", "first 28 days", "", "2021-01-01"),
            lookup.MeasureDates("viewers", "week of 2020-03-01", "", ""),
        ]


def weekly(store: Store, rows: list[tuple[str, str, str, int]]) -> None:
    """Insert weekly figures: (title, season, week's start date, views)."""
    insert = (
        "INSERT INTO viewership(show_id, season, metric, value, time_window, start_date, source, as_of)"
        " VALUES (?, ?, 'views', ?, ?, ?, ?, ?)"
    )
    with store.write() as db:
        for title, season, start, views in rows:
            db.execute(
                "INSERT INTO shows(title, title_key) VALUES (?, ?) ON CONFLICT (title_key) DO NOTHING",
                (title, title.lower()),
            )
            show = db.execute("SELECT id FROM shows WHERE title_key = ?", (title.lower(),)).fetchone()[0]
            db.execute(insert, (show, season, views, f"week of {start}", start, f"chart {start}", start))


def test_a_year_adds_up_each_season_of_its_weeks_only(backend_store: Store) -> None:
    weekly(
        backend_store,
        [
            ("Alpha", "Alpha: Season 1", "2023-12-24", 50),  # the year before
            ("Alpha", "Alpha: Season 1", "2024-01-07", 10),
            ("Alpha", "Alpha: Season 1", "2024-01-14", 8),
            ("Alpha", "Alpha: Season 2", "2024-06-02", 12),
            ("Bravo", "", "2024-03-03", 15),
            ("Bravo", "", "2025-01-05", 99),  # the year after
        ],
    )
    with backend_store.read() as db:
        totals = lookup.top_weekly_totals(db, "views", Scope(year="2024"), 10)
        assert [(t.show_title, t.season, t.value, t.weeks) for t in totals] == [
            ("Alpha", "Alpha: Season 1", 18, 2),
            ("Bravo", "", 15, 1),
            ("Alpha", "Alpha: Season 2", 12, 1),
        ]
        first = totals[0]
        assert (first.first_week, first.last_week) == ("week of 2024-01-07", "week of 2024-01-14")
        assert (first.source, first.as_of) == ("chart 2024-01-14", "2024-01-14")
        lowest = lookup.top_weekly_totals(db, "views", Scope(year="2024"), 1, lowest=True)
        assert [t.value for t in lowest] == [12]
        span = ("week of 2024-01-07", "week of 2024-06-02")
        assert lookup.weekly_span(db, "views", Scope(year="2024")) == span
        assert lookup.weekly_span(db, "views", Scope(year="2022")) is None
