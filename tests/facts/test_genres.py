"""Genres and formats that narrow a ranking ("top 5 crime dramas")."""

from __future__ import annotations

import pytest

from facts.answering import Answerer
from facts.genres import GenreMatch, match_genres, singular
from facts.plaintext import render_text
from facts.store import FactStore

GENRES = ["Crime drama", "Drama", "Romantic comedy", "Sci-fi", "Half-hour comedy series", "Docuseries"]


@pytest.mark.parametrize(
    ("word", "one"),
    [
        ("comedies", "comedy"),
        ("dramas", "drama"),
        ("thrillers", "thriller"),
        ("docuseries", "docusery"),  # folded alike on both sides, so it still matches itself
        ("sketches", "sketch"),
        ("news", "new"),
        ("drama", "drama"),
        ("bus", "bus"),
        ("miss", "miss"),
    ],
)
def test_singular(word: str, one: str) -> None:
    assert singular(word) == one


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["dramas"], GenreMatch(("Crime drama", "Drama"), ("drama",), ())),
        (["crime", "dramas"], GenreMatch(("Crime drama",), ("crime", "drama"), ())),
        (["comedies"], GenreMatch(("Romantic comedy", "Half-hour comedy series"), ("comedy",), ())),
        (["comdies"], GenreMatch(("Romantic comedy", "Half-hour comedy series"), ("comedy",), ())),
        (["sci", "fi"], GenreMatch(("Sci-fi",), ("sci", "fi"), ())),
        (["docuseries"], GenreMatch(("Docuseries",), ("docusery",), ())),
        # Every word must be in one genre: no show is both a crime drama and a comedy.
        (["crime", "comedies"], GenreMatch((), ("crime", "comedy"), ())),
        (["documentaries"], GenreMatch((), (), ("documentaries",))),
        (["dramas", "gardening"], GenreMatch(("Crime drama", "Drama"), ("drama",), ("gardening",))),
        # Short words must be spelt right: "dram" is no "drama".
        (["dram"], GenreMatch((), (), ("dram",))),
    ],
)
def test_match_genres(words: list[str], expected: GenreMatch) -> None:
    assert match_genres(words, GENRES) == expected


def test_a_store_without_genres_matches_none() -> None:
    assert match_genres(["comedies"], []) == GenreMatch((), (), ("comedies",))


@pytest.mark.parametrize(
    ("match", "label"),
    [
        (GenreMatch(("Sci-fi",), ("sci", "fi")), "sci-fi"),
        (GenreMatch(("Crime drama", "Drama"), ("drama",)), "drama"),
        (GenreMatch((), ("crime", "comedy")), "crime comedy"),
    ],
)
def test_label_spells_a_single_genre_as_stored(match: GenreMatch, label: str) -> None:
    assert match.label == label


def test_a_ranking_says_which_words_it_could_not_narrow_by(seeded_store: FactStore) -> None:
    text = render_text(Answerer(seeded_store).answer("top 3 documentaries"))
    assert text.split("\n")[:5] == [
        "Top 3 shows by viewers in their first 28 days: Bridgerton, The Witcher and Lupin.",
        "1. Bridgerton: 82M viewers",
        "2. The Witcher: 76M viewers",
        "3. Lupin: 70M viewers",
        "Ranked without \u201cdocumentaries\u201d: no show I know has that genre or format.",
    ]


def test_a_ranking_narrowed_to_a_genre_lists_only_its_shows(seeded_store: FactStore) -> None:
    answer = Answerer(seeded_store).answer("top 5 dramas")
    assert [bar.label for bar in answer.bars] == ["Lupin"]
    assert answer.notes == ("I only have 1 drama show with viewers in their first 28 days.",)
