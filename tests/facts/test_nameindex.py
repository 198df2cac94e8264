"""The name vocabulary: typo budgets, typo counting and word corrections."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from facts.nameindex import NameIndex, count_typos, typo_budget
from facts.normalize import normalize_name
from facts.store import FactStore

TITLES = ("Bridgerton", "The Witcher", "Lupin", "Dark", "Emily in Paris", "Squid Game", "Wednesday")


@pytest.fixture
def index(tmp_path: Path) -> Iterator[NameIndex]:
    store = FactStore.open(tmp_path / "facts.db")
    with store.write() as db:
        db["shows"].insert_all({"title": t, "title_key": normalize_name(t)} for t in TITLES)
    yield NameIndex(store)
    store.close()


@pytest.mark.parametrize(
    ("word", "budget"),
    [
        ("a", 0),
        ("fie", 1),
        ("lupin", 1),
        ("wednesd", 1),
        ("wednesda", 2),
        ("bridgerton", 2),
        ("2024", 0),  # numbers are never typos
        ("dark", 0),  # nor are common English words
        ("best", 0),
    ],
)
def test_typo_budget_grows_with_word_length(word: str, budget: int) -> None:
    assert typo_budget(word) == budget


@pytest.mark.parametrize(
    ("word", "term", "typos"),
    [
        ("lupin", "lupin", 0),
        ("lupn", "lupin", 1),
        ("drak", "dark", 1),  # transposition is one typo
        ("bridgertn", "bridgerton", 1),
        ("fridgerton", "bridgerton", 1),  # a wrong first letter is one typo like any other
        ("ridgerton", "bridgerton", 1),
        ("hanks", "thanks", 1),
        ("hte", "the", 1),
    ],
)
def test_count_typos(word: str, term: str, typos: int) -> None:
    assert count_typos(word, term) == typos


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("lupin", [("lupin", 0)]),
        ("lupn", [("lupin", 1)]),
        ("witchr", [("witcher", 1)]),
        ("fridgerton", [("bridgerton", 1)]),
        ("wendesdy", [("wednesday", 2)]),
        ("wensday", []),  # two typos in a 7-letter word
        ("drak", [("dark", 1)]),
        ("dakr", [("dark", 1)]),
        ("tark", [("dark", 1)]),
        ("crown", []),
        ("best", []),  # a common word is not corrected
        ("wednsday", [("wednesday", 1)]),
        ("lupinwednesday", [("lupin", 1)]),  # two words run together: the rarer of them
        ("witchur", [("witcher", 1)]),
        ("paris", [("paris", 0)]),
        ("pari", [("paris", 1)]),
        ("in", [("in", 0)]),
        ("xyz", []),
    ],
)
def test_variants_correct_question_words(
    index: NameIndex, word: str, expected: list[tuple[str, int]]
) -> None:
    assert [(v.term, v.typos) for v in index.variants(word)] == expected


def test_variants_allow_extra_typos_for_suggestions(index: NameIndex) -> None:
    assert [v.term for v in index.variants("lupixnx", extra_typos=1)] == ["lupin"]
    assert index.variants("lupixnx") == []


def test_reloads_after_a_write(index: NameIndex) -> None:
    assert index.variants("severance") == []

    with index.store.write() as db:
        db["shows"].insert({"title": "Severance", "title_key": "severance"})

    assert index.refresh() is True
    assert [v.term for v in index.variants("severence")] == ["severance"]
    assert index.refresh() is False


def test_variants_are_a_new_list_each_time(index: NameIndex) -> None:
    # The linker adds to a word's variants for the question at hand ("cross ing" -> "crossing"): that
    # must not change what the next question is given.
    first = index.variants("lupn")
    first.append(first[0]._replace(term="lupinx"))

    assert [v.term for v in index.variants("lupn")] == ["lupin"]


def test_sound_alikes_after_warm_up_and_after_a_reload(index: NameIndex) -> None:
    index.warm_up()
    assert index.sound_alikes("witchar") == ("witcher",)

    with index.store.write() as db:
        db["shows"].insert({"title": "Stephen Fry Live", "title_key": "stephen fry live"})
    assert index.refresh() is True

    assert index.sound_alikes("stefen") == ("stephen",)
    assert index.sound_alikes("witchar") == ("witcher",)
