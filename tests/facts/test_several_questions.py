"""One message asking several questions gets each answered, in order, each in the context the
one before it leaves."""

from __future__ import annotations

import pytest

from facts.answering import Answerer
from facts.plaintext import render_text
from facts.questions import split_questions
from facts.questionwords import MAX_QUESTIONS
from facts.store import Store


@pytest.mark.parametrize(
    ("message", "questions"),
    [
        (
            "how many people watched bridgerton and who created emily in paris",
            ["how many people watched bridgerton", "who created emily in paris"],
        ),
        ("who plays emily and who created it", ["who plays emily", "who created it"]),
        ("who plays emily? who created it?", ["who plays emily", "who created it"]),
        ("who's in lupin, and what's bridgerton", ["who's in lupin", "what's bridgerton"]),
        ("viewers of lupin? cast of bridgerton", ["viewers of lupin", "cast of bridgerton"]),
        ("how many watched what?if", ["how many watched what?if"]),
        # "and" between names, or a question word inside one question, is one question.
        ("how many people watched lupin and bridgerton", ["how many people watched lupin and bridgerton"]),
        ("do you know who plays emily", ["do you know who plays emily"]),
        ("compare tom and jerry with lupin", ["compare tom and jerry with lupin"]),
        ("who plays emily?", ["who plays emily"]),
        # A part that asks nothing by itself belongs to the question before it.
        ("how many views did lupin? get", ["how many views did lupin? get"]),
        ("who plays emily? and who created it", ["who plays emily", "who created it"]),
        ("viewers of lupin? please", ["viewers of lupin? please"]),
        ("viewers of lupin? 2", ["viewers of lupin", "2"]),
    ],
)
def test_a_message_is_split_into_its_questions(message: str, questions: list[str]) -> None:
    assert split_questions(message) == questions


@pytest.fixture
def answerer(backend_seeded_store: Store) -> Answerer:
    return Answerer(backend_seeded_store)


def test_each_question_is_answered_in_turn(answerer: Answerer) -> None:
    answer = answerer.answer("how many people watched bridgerton and who created emily in paris")
    assert answer.kind == "several"
    assert [part.intent for part in answer.parts] == ["audience", "credits"]
    assert render_text(answer) == "\n\n".join(
        render_text(answerer.answer(question))
        for question in ("how many people watched bridgerton", "who created emily in paris")
    )


def test_a_word_after_a_question_mark_is_not_another_question(answerer: Answerer) -> None:
    answer = answerer.answer("how many views did Lupin? get")
    assert (answer.kind, answer.headline) == (
        "answer",
        "Lupin had 70M viewers in its first 28 days on Netflix.",
    )


def test_a_later_question_may_refer_to_an_earlier_one(answerer: Answerer) -> None:
    answer = answerer.answer("who plays emily in emily in paris and who created it?")
    first, second = answer.parts
    assert first.headline == "Lily Collins plays Emily in Emily in Paris."
    assert second.headline == "Emily in Paris was created by Darren Star."
    assert answer.context == second.context


def test_only_the_first_few_questions_are_answered(answerer: Answerer) -> None:
    message = "? ".join(["who created lupin"] * (MAX_QUESTIONS + 1))
    answer = answerer.answer(message)
    assert len(answer.parts) == MAX_QUESTIONS
    assert answer.parts[-1].notes[-1] == (
        f"I answered the first {MAX_QUESTIONS} questions; ask the others on their own."
    )


def test_a_slash_command_reads_its_text_as_names_not_questions(answerer: Answerer) -> None:
    assert answerer.answer("lupin, who", intent="audience").kind != "several"
