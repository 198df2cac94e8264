"""Start-up of a long-running process: the answerer warmed up, start-up objects set aside from the GC."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from facts.answering import Answerer
from facts.linking import Linker
from facts.startup import warm_up
from facts.store import FactStore


@pytest.fixture
def unfreeze() -> Iterator[None]:
    yield
    gc.unfreeze()  # the rest of the test run collects as usual


def test_warm_up_sets_start_up_objects_aside_and_answers_the_same(
    seeded_store: FactStore, unfreeze: None
) -> None:
    cold = Answerer(seeded_store).answer("who plays Emily in Emilee in Pariss?")
    answerer = Answerer(seeded_store)

    seconds = warm_up(answerer)

    assert seconds >= 0 and gc.get_freeze_count() > 0
    answer = answerer.answer("who plays Emily in Emilee in Pariss?")
    assert answer == cold and answer.headline == "Lily Collins plays Emily in Emily in Paris."


WHICH_SHOW = "Which show do you mean? For example: Bridgerton, The Witcher or Lupin."


@pytest.mark.parametrize(
    ("question", "headline"), [("who directed?", WHICH_SHOW), ("how many people watched?", WHICH_SHOW)]
)
def test_warm_up_reads_the_measures_the_examples_of_which_show_are_chosen_by(
    seeded_store: FactStore, unfreeze: None, question: str, headline: str
) -> None:
    answerer = Answerer(seeded_store)
    warm_up(answerer)
    statements: list[str] = []
    seeded_store.conn.set_trace_callback(statements.append)

    answer = answerer.answer(question)

    seeded_store.conn.set_trace_callback(None)
    assert answer.headline == headline
    assert not [sql for sql in statements if "viewership_start" in sql]  # the measures' dates, read at start


def test_warm_up_without_a_linker_that_warms(seeded_store: FactStore, unfreeze: None) -> None:
    class PlainLinker:
        def __init__(self) -> None:
            self.linker = Linker(seeded_store)

        def link(self, question: str, *, kinds: frozenset[str] | None = None) -> object:
            return self.linker.link(question, kinds=kinds)

    answerer = Answerer(seeded_store, linker=PlainLinker())

    warm_up(answerer)

    assert answerer.answer("who is Lily Collins?").kind == "card"
