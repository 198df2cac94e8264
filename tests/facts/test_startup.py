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


# What answers keep until the facts change, by the statements that read it.
KEPT_FACTS_READ = (
    "viewership_start",
    "DISTINCT platform",
    "DISTINCT category",
    "SELECT genre",
    "country_ranks",
)


@pytest.mark.parametrize(
    ("question", "headline"),
    [
        ("who directed?", "Which show do you mean? For example: Bridgerton, The Witcher or Lupin."),
        ("top 3 shows", "Top 3 shows by viewers in their first 28 days: Bridgerton, The Witcher and Lupin."),
        (
            "top 5 crime dramas",
            "Lupin is the most watched drama show I have figures for:"
            " 70M viewers in its first 28 days on Netflix.",
        ),
        ("what's #1 in France?", "Emily in Paris: elsewhere in France."),
    ],
)
def test_warm_up_reads_what_answers_keep_until_the_facts_change(
    seeded_store: FactStore, unfreeze: None, question: str, headline: str
) -> None:
    answerer = Answerer(seeded_store)
    warm_up(answerer)
    statements: list[str] = []
    seeded_store.conn.set_trace_callback(statements.append)

    answer = answerer.answer(question)

    seeded_store.conn.set_trace_callback(None)
    assert answer.headline == headline
    assert not [sql for sql in statements if any(read in sql for read in KEPT_FACTS_READ)]


def test_warm_up_without_a_linker_that_warms(seeded_store: FactStore, unfreeze: None) -> None:
    class PlainLinker:
        def __init__(self) -> None:
            self.linker = Linker(seeded_store)

        def link(self, question: str, *, kinds: frozenset[str] | None = None) -> object:
            return self.linker.link(question, kinds=kinds)

    answerer = Answerer(seeded_store, linker=PlainLinker())

    warm_up(answerer)

    assert answerer.answer("who is Lily Collins?").kind == "card"
