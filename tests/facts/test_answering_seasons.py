"""Seasons named as Netflix names them ("Limited Series", "Volume 3") and as people ask for them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from facts.answering import Answerer
from tests.backends import Backend
from tests.facts.answering_fixtures import make_answerer

SEASONS = Path(__file__).resolve().parent.parent / "data" / "netflix_seasons" / "all-weeks-global.tsv"
BABY_REINDEER = (
    "Baby Reindeer: Limited Series had 22M views in the week ending 28 April 2024 on Netflix,"
    " its best week in the Top 10."
)
VOLUME_3 = (
    "Love, Death & Robots: Volume 3 had 15.4M hours viewed in the week ending 29 May 2022 on Netflix,"
    " its best week in the Top 10."
)
UNSOLVED_4 = (
    "Unsolved Mysteries: Volume 4 had 3.1M views in the week ending 4 August 2024 on Netflix,"
    " its best week in the Top 10."
)

CASES = [
    ("how many people watched baby reindeer", BABY_REINDEER),
    ("how many ppl watched baby raindeer?", BABY_REINDEER),
    ("baby reindeer limited series viewers", BABY_REINDEER),
    ("Baby Reindeer: Limited Series", BABY_REINDEER),
    ("baby reindeer miniseries views", BABY_REINDEER),
    ("how many people watched the mini-series baby reindeer", BABY_REINDEER),
    ("how many people watched baby reindeer season 1", BABY_REINDEER),
    ("baby reindeer season 2 viewers", "I don't have audience figures for season 2 of Baby Reindeer."),
    ("how many people watched love death and robots volume 3", VOLUME_3),
    ("love death & robots vol 3 views", VOLUME_3),
    ("love death and robots season 3", VOLUME_3),
    ("unsolved mysteries volume four", UNSOLVED_4),
    (
        "unsolved mysteries limited series",
        "I don't have audience figures for the limited series of Unsolved Mysteries.",
    ),
    (
        "how many weeks was baby reindeer in the top 10",
        "Baby Reindeer: Limited Series was 8 weeks in the Top 10, best rank 1 (22M views in the week ending"
        " 28 April 2024 on Netflix).",
    ),
]


@pytest.fixture(scope="module")
def answerer(tmp_path_factory: pytest.TempPathFactory, backend: Backend) -> Iterator[Answerer]:
    store = backend.imported(tmp_path_factory.mktemp("seasons"), [SEASONS])
    yield make_answerer(store)
    store.close()


@pytest.mark.parametrize(("question", "headline"), CASES)
def test_seasons_as_netflix_names_them(answerer: Answerer, question: str, headline: str) -> None:
    assert answerer.answer(question).headline == headline
