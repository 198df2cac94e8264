"""The synthetic catalogue generator: deterministic, importable, questions with one real typo."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from rapidfuzz.distance import OSA

from bench.generate import Vocabulary, add_typo, generate, make_titles
from facts.importing import apply_import, plan_import, read_paths
from facts.normalize import normalize_name
from facts.store import FactStore

TITLES = 300
QUESTIONS = 40


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("catalogue")
    generate(out, TITLES, QUESTIONS, seed=7)
    return out


def read_questions(directory: Path) -> list[dict[str, object]]:
    return [
        json.loads(line) for line in (directory / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    ]


def test_same_seed_gives_identical_files(catalogue: Path, tmp_path: Path) -> None:
    generate(tmp_path, TITLES, QUESTIONS, seed=7)
    for name in ("shows.csv", "credits.csv", "viewership.csv", "questions.jsonl"):
        assert (tmp_path / name).read_bytes() == (catalogue / name).read_bytes()


def test_manifest_counts_rows(catalogue: Path) -> None:
    manifest = json.loads((catalogue / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["rows"] == {"shows": TITLES, "credits": 3 * TITLES, "viewership": TITLES}
    assert manifest["questions"] == QUESTIONS


def test_titles_are_distinct_after_normalisation() -> None:
    titles = make_titles(2000, Vocabulary(random.Random(3)))
    assert len({normalize_name(t) for t in titles}) == 2000
    assert any(t[-1].isdigit() for t in titles)  # sequels
    assert any(":" in t for t in titles)  # subtitled spin-offs


def test_catalogue_imports_cleanly(catalogue: Path, empty_store: FactStore) -> None:
    files = read_paths([catalogue / n for n in ("shows.csv", "credits.csv", "viewership.csv")])
    apply_import(empty_store, plan_import(empty_store, files), user="test")
    counts = [empty_store.db[t].count for t in ("shows", "credits", "viewership")]
    assert counts == [TITLES, 3 * TITLES, TITLES]


def test_every_question_names_its_entity_with_one_typo(catalogue: Path) -> None:
    for question in read_questions(catalogue):
        expected = normalize_name(str(question["expected"]))
        assert expected not in normalize_name(str(question["question"]))
        edit, change = str(question["typo"]).split(" ", 1)
        right, wrong = change.split("->")
        assert edit in {"drop", "swap", "double", "replace"}
        assert OSA.distance(right, wrong) == 1
        assert right[0] == wrong[0]


@pytest.mark.parametrize(
    ("word", "seed"), [("Academy", 1), ("Wandering", 2), ("Müller", 3), ("O'Brien", 4), ("Paris", 5)]
)
def test_add_typo_changes_one_letter_after_the_first(word: str, seed: int) -> None:
    typoed, description = add_typo(random.Random(seed), f"The {word}")
    assert typoed != f"The {word}"
    assert typoed.startswith(f"The {word[0]}")
    assert OSA.distance(typoed, f"The {word}") == 1
    assert description.endswith(f"{word}->{typoed[4:]}")


def test_short_words_get_no_typo() -> None:
    assert add_typo(random.Random(1), "The Bay") == ("The Bay", "")
