"""The question set: every intent, honesty cases and follow-ups, asserting the exact headline.

Rows live in tests/data/questions/questions.csv (catalogue, previous questions, question, expected kind,
intent and headline); ``previous`` holds earlier turns separated by " >> " whose context carries over.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from facts.answer import Answer, Context
from facts.answering import Answerer
from facts.plaintext import render_text
from tests.backends import Backend
from tests.facts.answering_fixtures import (
    CATALOGUES,
    QUESTIONS_DIR,
    catalogue_files,
    make_answerer,
)

TURN_SEPARATOR = " >> "
# Answers that state facts name their sources; clarifications and "not found" have none to name.
CITED_KINDS = {"answer", "card"}
UNCITED_KINDS = {"clarify", "not_found", "help"}


def load_rows(name: str) -> list[dict[str, str]]:
    with (QUESTIONS_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


QUESTION_ROWS = load_rows("questions.csv")
# Typos, accents, emoji, partial names.
TYPO_ROWS = load_rows("typos.csv")


@pytest.fixture(scope="module")
def answerers(tmp_path_factory: pytest.TempPathFactory, backend: Backend) -> Iterator[dict[str, Answerer]]:
    """Answerers over each catalogue, on each backend (the whole question set runs on both)."""
    folder: Path = tmp_path_factory.mktemp("catalogues")
    stores = {name: backend.imported(folder / name, *catalogue_files(name)) for name in CATALOGUES}
    yield {name: make_answerer(store) for name, store in stores.items()}
    for store in stores.values():
        store.close()


def ask_with_history(answerer: Answerer, previous: str, question: str) -> Answer:
    context = Context()
    for turn in filter(None, previous.split(TURN_SEPARATOR)):
        context = answerer.answer(turn, context=context).context
    return answerer.answer(question, context=context)


@pytest.mark.parametrize(
    "row", QUESTION_ROWS, ids=[f"{r['catalogue']}:{r['question']}" for r in QUESTION_ROWS]
)
def test_question_gets_expected_answer(answerers: dict[str, Answerer], row: dict[str, str]) -> None:
    answer = ask_with_history(answerers[row["catalogue"]], row["previous"], row["question"])

    assert (answer.kind, answer.intent, answer.headline) == (row["kind"], row["intent"], row["headline"])
    if answer.kind in CITED_KINDS:
        assert answer.sources
    if answer.kind in UNCITED_KINDS:
        assert not answer.sources


@pytest.mark.parametrize("row", TYPO_ROWS, ids=[r["question"] for r in TYPO_ROWS])
def test_misspelt_question_gets_expected_answer(answerers: dict[str, Answerer], row: dict[str, str]) -> None:
    answer = ask_with_history(answerers[row["catalogue"]], row["previous"], row["question"])

    assert (answer.kind, answer.intent, answer.headline) == (row["kind"], row["intent"], row["headline"])


def test_question_set_covers_every_answer_kind_and_intent() -> None:
    kinds = {row["kind"] for row in QUESTION_ROWS}
    intents = {row["intent"] for row in QUESTION_ROWS}

    assert {"answer", "card", "not_found", "no_fact", "clarify", "help"} <= kinds
    assert {
        "audience",
        "compare",
        "top",
        "credits",
        "cast",
        "who_plays",
        "plays_whom",
        "filmography",
        "person_card",
        "company",
        "membership",
        "show_card",
        "show_fact",
        "reverse",
    } <= intents
    assert len(QUESTION_ROWS) + len(TYPO_ROWS) >= 150


FULL_TEXT_CASES = json.loads((QUESTIONS_DIR / "full_text.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", FULL_TEXT_CASES, ids=[c["question"] for c in FULL_TEXT_CASES])
def test_full_answer_text(answerers: dict[str, Answerer], case: dict[str, str]) -> None:
    answer = answerers[case["catalogue"]].answer(case["question"])

    assert render_text(answer) == case["text"]
