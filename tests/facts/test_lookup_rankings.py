"""Rankings narrowed by year and genre read the same figures whichever index finds them."""

from __future__ import annotations

import pytest

from facts import lookup
from facts.lookup import Scope
from facts.store import FactStore

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
def ranked(empty_store: FactStore) -> FactStore:
    with empty_store.write() as db:
        for number, (title, genre, start, viewers) in enumerate(SHOWS, 1):
            db["shows"].insert({"id": number, "title": title, "title_key": title.lower(), "genre": genre})
            db["viewership"].insert(
                {"show_id": number, "value": viewers, "time_window": "first 28 days", "start_date": start}
            )
            weekly = {"show_id": number, "value": viewers, "time_window": "week of 2020-03-01"}
            db["viewership"].insert(weekly)
    return empty_store


def titles(store: FactStore, window: str, scope: Scope, limit: int = 10) -> list[str]:
    with store.read() as db:
        return [figure.show_title for figure in lookup.top_figures(db, "viewers", window, limit, scope)]


@pytest.mark.parametrize("sorted_at_most", [1, 10_000], ids=["read-by-value", "sorted"])
def test_a_year_keeps_the_figures_that_start_in_it(
    ranked: FactStore, monkeypatch: pytest.MonkeyPatch, sorted_at_most: int
) -> None:
    monkeypatch.setattr(lookup, "MAX_SORTED_FIGURES", sorted_at_most)
    assert titles(ranked, "first 28 days", Scope(year="2020")) == ["Alpha", "Bravo", "Delta", "Foxtrot"]
    assert titles(ranked, "first 28 days", Scope(year="2020"), limit=2) == ["Alpha", "Bravo"]
    assert titles(ranked, "first 28 days", Scope(year="1999")) == []


def test_a_window_that_names_the_year_keeps_all_its_figures(ranked: FactStore) -> None:
    assert len(titles(ranked, "week of 2020-03-01", Scope(year="2020"))) == len(SHOWS)
    assert titles(ranked, "week of 2020-03-01", Scope(year="2021")) == []


def test_a_genre_keeps_the_shows_that_have_it(ranked: FactStore) -> None:
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
def test_measures_kept_with_their_dates_count_as_read_afresh(ranked: FactStore, scope: Scope) -> None:
    with ranked.read() as db:
        kept = lookup.measure_dates(db)
        assert lookup.figure_measures(db, scope, kept) == lookup.figure_measures(db, scope)


def test_a_measure_is_kept_with_its_first_and_last_start_dates(ranked: FactStore) -> None:
    with ranked.read() as db:
        assert lookup.measure_dates(db) == [
            lookup.MeasureDates("viewers", "first 28 days", "", "2021-01-01"),
            lookup.MeasureDates("viewers", "week of 2020-03-01", "", ""),
        ]


def weekly(store: FactStore, rows: list[tuple[str, str, str, int]]) -> None:
    """Insert weekly figures: (title, season, week's start date, views)."""
    with store.write() as db:
        for title, season, start, views in rows:
            show = db["shows"].lookup({"title_key": title.lower()}, {"title": title})
            window = f"week of {start}"
            figure = {"show_id": show, "season": season, "metric": "views", "value": views}
            figure |= {"time_window": window, "start_date": start, "source": f"chart {start}", "as_of": start}
            db["viewership"].insert(figure)


def test_a_year_adds_up_each_season_of_its_weeks_only(empty_store: FactStore) -> None:
    weekly(
        empty_store,
        [
            ("Alpha", "Alpha: Season 1", "2023-12-24", 50),  # the year before
            ("Alpha", "Alpha: Season 1", "2024-01-07", 10),
            ("Alpha", "Alpha: Season 1", "2024-01-14", 8),
            ("Alpha", "Alpha: Season 2", "2024-06-02", 12),
            ("Bravo", "", "2024-03-03", 15),
            ("Bravo", "", "2025-01-05", 99),  # the year after
        ],
    )
    with empty_store.read() as db:
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
