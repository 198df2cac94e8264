"""Answers over the Netflix Top 10 files as Netflix publishes them (imported on top of the seed)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from facts.answering import Answerer
from tests.backends import Backend
from tests.conftest import NETFLIX
from tests.facts.answering_fixtures import make_answerer


@pytest.fixture(scope="module")
def answerer(tmp_path_factory: pytest.TempPathFactory, backend: Backend) -> Iterator[Answerer]:
    store = backend.imported(tmp_path_factory.mktemp("netflix"), sorted(NETFLIX.glob("*.tsv")))
    yield make_answerer(store)
    store.close()


@pytest.mark.parametrize(
    ("question", "headline"),
    [
        (
            "how many people watched Squid Game?",
            "Squid Game: Season 1 had 265.2M views in its first 91 days on Netflix.",
        ),
        (
            "Which was watched more, Wednesday or Squid Game?",
            "Squid Game: Season 1 was watched more: 265.2M views against 252.1M for Wednesday: Season 1 "
            "in their first 91 days.",
        ),
        (
            "how many weeks was Wednesday in the top 10?",
            "Wednesday: Season 1 was 28 weeks in the Top 10 (best rank 1) and Season 2 was 11 weeks "
            "(best rank 1).",
        ),
        (
            "Stranger Things season 4 audience",
            "Stranger Things 4 had 140.7M views in its first 91 days on Netflix.",
        ),
        (
            "how many hours of Red Notice were watched?",
            "Red Notice had 454.2M hours viewed in its first 91 days on Netflix.",
        ),
        # The seed's "viewers" figures rank first; the weekly views are named as other measures.
        ("top 3 shows", "Top 3 shows by viewers in their first 28 days: Bridgerton, The Witcher and Lupin."),
        (
            "top 3 shows in 2023",
            # Films and a show together: titles, not shows.
            "Top 3 titles in 2023 by views added up over their weeks in the Top 10: Squid Game: The "
            "Challenge: Season 1, Rebel Moon — Part One: A Child of Fire and Leave the World Behind.",
        ),
        # Chart categories and the newest week, as Netflix's files record them.
        (
            "top 3 films",
            "Top 3 films by views in their first 91 days: KPop Demon Hunters, Red Notice and Carry-On.",
        ),
        (
            "top 3 non-English TV shows last week",
            "Top 3 TV shows not in English by views in the week ending 19 July 2026: Agent Kim Reactivated: "
            "Limited Series, The East Palace: Limited Series and I'm Not Afraid: Limited Series.",
        ),
        (
            "what was number 1 last week?",
            "Desire is the most watched film I have figures for: 12.9M views in the week ending 19 July 2026 "
            "on Netflix.",
        ),
        ("top 3 movies in 1999", "I don't have audience figures for films in 1999."),
    ],
)
def test_netflix_figures(answerer: Answerer, question: str, headline: str) -> None:
    assert answerer.answer(question).headline == headline


def test_a_show_with_many_figures_lists_a_few_and_counts_the_rest(answerer: Answerer) -> None:
    answer = answerer.answer("how many people watched Bridgerton?")

    assert answer.headline == "Bridgerton had 82M viewers in its first 28 days on Netflix."
    assert len(answer.notes) == 6
    assert answer.notes[-1].startswith("And ") and answer.notes[-1].endswith(" more figures.")
