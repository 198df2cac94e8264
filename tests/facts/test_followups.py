"""Follow-ups after every question of the question set: none may end in the generic error.

Each row of tests/data/questions (its earlier turns, then its question) is followed by each of
:data:`FOLLOW_UPS`, asked through the public :class:`facts.answering.Answerer` API with the context the
question left. A follow-up that repeats an intent with only some of what it is about named (a show after
"who does Ashley Park play?") must take the rest from the context, or ask; never fail.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from facts.answer import Answer, Context
from facts.answering import Answerer
from tests.facts.answering_fixtures import CATALOGUES, make_answerer, open_catalogue
from tests.facts.test_questions_set import QUESTION_ROWS, TYPO_ROWS, ask_with_history

# Shows, people and pronouns, as a follow-up names them.
FOLLOW_UPS = (
    "and Lupin?",
    "and in Lupin?",
    "what about the witcher?",
    "and Bridgerton?",
    "and in Emily in Paris?",
    "and her?",
    "and him?",
    "and them?",
    "what about it?",
    "what about Ashley Park?",
    "and Lily Collins?",
    "and Jax Media?",
    "and season 2?",
)
GENERIC_ERROR = "Sorry, something went wrong"
ROWS = QUESTION_ROWS + TYPO_ROWS


@pytest.fixture(scope="module")
def answerers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Answerer]]:
    folder: Path = tmp_path_factory.mktemp("followups")
    stores = {name: open_catalogue(folder / f"{name}.db", name) for name in CATALOGUES}
    yield {name: make_answerer(store) for name, store in stores.items()}
    for store in stores.values():
        store.close()


def context_after(answerer: Answerer, previous: str, question: str) -> Context:
    return ask_with_history(answerer, previous, question).context


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['catalogue']}:{r['question']}" for r in ROWS])
def test_no_follow_up_fails(
    answerers: dict[str, Answerer], row: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    answerer = answerers[row["catalogue"]]
    context = context_after(answerer, row["previous"], row["question"])

    with caplog.at_level(logging.ERROR, logger="facts"):
        failed = {
            follow_up: answer.headline
            for follow_up in FOLLOW_UPS
            if (answer := answerer.answer(follow_up, context=context)).headline.startswith(GENERIC_ERROR)
        }

    assert failed == {}, f"after {row['question']!r} (context {context.intent!r})"
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]


def ask(answerer: Answerer, *turns: str) -> Answer:
    return ask_with_history(answerer, " >> ".join(turns[:-1]), turns[-1])


@pytest.mark.parametrize(
    ("turns", "kind", "headline"),
    [
        (
            ("who does Ashley Park play?", "and in Lupin?"),
            "no_fact",
            "I don't know of any character played by Ashley Park in Lupin.",
        ),
        (
            ("who does Ashley Park play?", "and in Emily in Paris?"),
            "no_fact",
            "Ashley Park is in the cast of Emily in Paris, but I don't know which character.",
        ),
        (
            ("what character does Lily Collins play?", "what about the witcher?"),
            "no_fact",
            "I don't know of any character played by Lily Collins in The Witcher.",
        ),
        (
            ("what character does Lily Collins play?", "and Lupin?", "and Emily in Paris?"),
            "answer",
            "Lily Collins plays Emily in Emily in Paris.",
        ),
        (
            ("What company is Lilly Burns with?", "and Lupin?"),
            "no_fact",
            "I don't know which company Lilly Burns is with on Lupin.",
        ),
        (
            ("What company is Lilly Burns with?", "and Emily in Paris?"),
            "answer",
            "Lilly Burns is with Jax Media (executive producer of Emily in Paris).",
        ),
        (
            ("Is Kate Walsh in Emily in Paris?", "and Lupin?"),
            "no_fact",
            "I can't tell: I don't know who is in the cast of Lupin.",
        ),
        (
            ("Is Kate Walsh in Emily in Paris?", "what about Ashley Park?"),
            "answer",
            "Yes: Ashley Park is in the cast of Emily in Paris.",
        ),
    ],
)
def test_follow_up_takes_the_rest_from_the_context(
    answerers: dict[str, Answerer], turns: tuple[str, ...], kind: str, headline: str
) -> None:
    answer = ask(answerers["seed"], *turns)

    assert (answer.kind, answer.headline) == (kind, headline)


@pytest.mark.parametrize(
    ("intent", "what"),
    [("plays_whom", "person"), ("company", "person"), ("membership", "person")],
)
def test_follow_up_without_the_needed_person_asks_which(
    answerers: dict[str, Answerer], intent: str, what: str
) -> None:
    # A saved context may name no person (one since deleted): the follow-up asks rather than fails.
    answer = answerers["seed"].answer("and Lupin?", context=Context(intent=intent))

    assert answer.kind == "clarify"
    assert answer.headline.startswith(f"Which {what} do you mean? For example: ")
    assert answer.choices


def test_follow_up_without_the_needed_show_asks_which(answerers: dict[str, Answerer]) -> None:
    answer = answerers["seed"].answer("what about Ashley Park?", context=Context(intent="membership"))

    assert answer.kind == "clarify"
    assert answer.headline.startswith("Which show do you mean? For example: ")
