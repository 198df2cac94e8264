"""Netflix's per-country weekly Top 10 (all-weeks-countries.tsv) imports as published and is asked about."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from facts.answering import Answerer
from facts.errors import FactsError
from facts.exporter import export_facts
from facts.importing import apply_import, plan_import, read_paths, undo_last_import
from facts.importing.files import ImportFile
from facts.store import FactStore
from tests.backends import Backend

DATA = Path(__file__).parent.parent / "data"
COUNTRIES = DATA / "netflix_countries" / "all-weeks-countries.tsv"
WEEKLY = DATA / "netflix_top10" / "all-weeks-global.tsv"
SOURCE = "Source: Netflix Top 10 (all-weeks-countries) (as of 27 February 2022)"


def imported(store: FactStore, *paths: Path) -> FactStore:
    apply_import(store, plan_import(store, read_paths(list(paths))), user="t")
    return store


@pytest.fixture
def answerer(tmp_path: Path, backend: Backend) -> Iterator[Answerer]:
    """An answerer over the countries' places, on each backend."""
    store = backend.imported(tmp_path, [COUNTRIES, WEEKLY], seed=False)
    yield Answerer(store)
    store.close()


def places(store: FactStore) -> list[tuple[object, ...]]:
    with store.read() as db:
        return db.execute(
            "SELECT s.title, r.season, r.country, r.country_code, r.rank, r.time_window, r.start_date,"
            " r.category, r.weeks_in_top10, r.source, r.as_of"
            " FROM country_ranks r JOIN shows s ON s.id = r.show_id ORDER BY r.id"
        ).fetchall()


def test_every_row_imports_as_a_place(empty_store: FactStore) -> None:
    rows = COUNTRIES.read_text(encoding="utf-8").splitlines()[1:]
    plan = plan_import(empty_store, read_paths([COUNTRIES]))
    assert plan.counts()["country_ranks"]["added"] == len(rows) == 260
    imported(empty_store, COUNTRIES)
    stored = places(empty_store)
    # Brazil, BR, 2022-02-27, Films, 1, Restless, N/A, 1 (a film: no season)
    assert stored[0] == (
        "Restless",
        "",
        "Brazil",
        "BR",
        1,
        "week ending 2022-02-27",
        "2022-02-21",
        "Films",
        1,
        "Netflix Top 10 (all-weeks-countries)",
        "2022-02-27",
    )
    assert ("Inventing Anna", "Inventing Anna: Limited Series", "France", "FR", 1) in [p[:5] for p in stored]
    again = plan_import(empty_store, read_paths([COUNTRIES]))
    assert again.counts() == {"country_ranks": {"added": 0, "changed": 0, "unchanged": 260, "removed": 0}}


def test_undo_takes_the_places_and_their_new_titles_away(empty_store: FactStore) -> None:
    imported(empty_store, COUNTRIES)
    undo_last_import(empty_store, user="t")
    assert places(empty_store) == []
    with empty_store.read() as db:
        assert db.execute("SELECT count(*) FROM shows").fetchone()[0] == 0


def test_places_in_the_admin_format_import_and_export_back(empty_store: FactStore, tmp_path: Path) -> None:
    csv = b"show,country,rank,window,category,source\nLupin,France,1,week of 2021-01-11,TV,Trade press\n"
    imported_csv = ImportFile("places.csv", csv)
    apply_import(empty_store, plan_import(empty_store, [imported_csv]), user="t")
    assert [p[:8] for p in places(empty_store)] == [
        ("Lupin", "", "France", "", 1, "week of 2021-01-11", "", "TV")
    ]
    written = export_facts(empty_store, tmp_path)
    exported = (tmp_path / "country_ranks.csv").read_text(encoding="utf-8")
    assert tmp_path / "country_ranks.csv" in written
    again = plan_import(empty_store, read_paths(written))
    assert again.counts()["country_ranks"] == {"added": 0, "changed": 0, "unchanged": 1, "removed": 0}
    assert exported.splitlines()[0] == (
        "show,country,rank,country_code,season,window,start_date,platform,category,weeks_in_top_10,source,as_of"
    )


def test_a_place_without_a_rank_is_refused(empty_store: FactStore) -> None:
    csv = b"show,country,rank\nLupin,France,\n"
    with pytest.raises(FactsError) as refused:
        plan_import(empty_store, [ImportFile("places.csv", csv)])
    assert refused.value.details == ("places.csv line 2, column rank: empty. Every row needs a value there.",)


def test_number_one_in_a_country_is_its_newest_week(answerer: Answerer) -> None:
    answer = answerer.answer("what's #1 in France?")
    assert answer.intent == "country_top"
    assert answer.headline == (
        "Number 1 in France in the week ending 27 February 2022: Inventing Anna: Limited Series (TV)"
        " and Restless (films)."
    )
    assert answer.notes == (
        "Netflix's lists by country give places only, no view counts.",
        "I have France's Top 10 for the weeks ending 13 to 27 February 2022.",
    )
    assert [f"Source: {s.name} (as of 27 February 2022)" for s in answer.sources] == [SOURCE]


def test_a_country_top_10_lists_tv_then_films(answerer: Answerer) -> None:
    answer = answerer.answer("top 10 in Japan last week")
    assert answer.headline == (
        "Japan's Top 10 in the week ending 27 February 2022: number 1 Fishbowl Wives: Season 1 (TV)"
        " and Rurouni Kenshin: The Beginning (films)."
    )
    assert len(answer.items) == 20
    assert answer.items[:2] == (
        "TV #1 Fishbowl Wives: Season 1",
        "TV #2 Forecasting Love and Weather: Season 1",
    )
    assert answer.items[10] == "Films #1 Rurouni Kenshin: The Beginning"


def test_a_country_ranking_of_films_only(answerer: Answerer) -> None:
    answer = answerer.answer("top 3 films in frnace")  # a typo in the country too
    assert answer.items == ("Films #1 Restless", "Films #2 The Equalizer 2", "Films #3 Paradise Beach")


def test_a_show_in_a_country_top_10_names_its_weeks_and_best_place(answerer: Answerer) -> None:
    answer = answerer.answer("was Inventing Anna in the top 10 in France?")
    assert answer.intent == "country_rank"
    assert answer.headline == (
        "Yes: Inventing Anna: Limited Series was in France's Top 10 (TV) 3 weeks, best place 1"
        " (the weeks ending 13 to 27 February 2022)."
    )
    assert answer.items[0] == "the week ending 13 February 2022: TV #2 Inventing Anna: Limited Series"


def test_a_show_not_in_a_country_top_10_says_which_weeks_were_looked_at(answerer: Answerer) -> None:
    answer = answerer.answer("was Wednesday in the top 10 in Brazil?")
    assert answer.headline == (
        "No: Wednesday was not in Brazil's Top 10 in the weeks ending 13 to 27 February 2022,"
        " the weeks I have."
    )
    assert [s.name for s in answer.sources] == ["Netflix Top 10 (all-weeks-countries)"]


def test_a_country_inside_a_title_is_part_of_the_title(empty_store: FactStore) -> None:
    csv = (
        b"show,viewers,metric,window\nLove Is Blind: Brazil,2100000,views,week of 2024-06-17\n"
        b"Japan,900000,views,week of 2023-12-11\n"
    )
    imported(empty_store, COUNTRIES)
    apply_import(empty_store, plan_import(empty_store, [ImportFile("v.csv", csv)]), user="t")
    answerer = Answerer(empty_store)
    assert answerer.answer("how many people watched love is blind brazil").intent == "audience"
    assert answerer.answer("how many people watched Japan?").headline.startswith("Japan had 900K views")
    # The show Japan, then the country Japan, where the question puts a place.
    answer = answerer.answer("was Japan in the top 10 in Japan")
    assert answer.headline.startswith("No: Japan was not in Japan's Top 10")
