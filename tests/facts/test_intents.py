"""The intent registry is the one place intents are declared: names, phrases, rules, grammar words."""

from __future__ import annotations

from dataclasses import fields
from enum import StrEnum
from types import ModuleType

import pytest

import facts.intents
import facts.questions
import facts.questionwords
from facts.answer import Answer
from facts.answering import Answerer
from facts.composing import Turn
from facts.intents import REGISTRY, Cue, Intent, IntentEntry, Registry, Rule
from facts.questions import INTENTS, Named, Signals, choose_intent, read_signals
from facts.questionwords import is_question_word
from facts.store import FactStore


def test_every_intent_has_exactly_one_entry() -> None:
    declared = [entry.intent for entry in REGISTRY.entries]

    assert sorted(declared) == sorted(Intent)
    assert all(isinstance(intent, Intent) for intent in declared)
    assert INTENTS == tuple(intent.value for intent in Intent)


def test_a_registry_refuses_a_second_entry_or_a_shared_priority() -> None:
    audience = REGISTRY.entry(Intent.AUDIENCE)
    assert audience is not None

    with pytest.raises(ValueError, match="exactly one entry"):
        REGISTRY.with_entry(audience)
    with pytest.raises(ValueError, match="priority"):
        Registry((IntentEntry(Intent.UNKNOWN, "", frozenset(), rules=(Rule(1, _never), Rule(1, _never))),))


def _never(signals: Signals, named: Named) -> bool:
    return False


def _phrase_tables(module: ModuleType) -> list[tuple[str, tuple[str, ...]]]:
    """Every phrase list of a module, found by shape: a tuple or set of phrases, a table of
    (name, phrases) pairs, or a word -> number table, at module level."""
    tables: dict[str, tuple[str, ...]] = {}
    for name, value in vars(module).items():
        # Names of answers and kinds; small talk is recognised among the words left unlinked.
        if name.startswith("_") or name in ("INTENTS", "SHOW", "PEOPLE", "CHIT_CHAT", "GREETINGS"):
            continue
        if isinstance(value, dict) and value and all(isinstance(k, str) for k in value):
            tables[name] = tuple(value)
        elif isinstance(value, tuple | frozenset) and value and all(isinstance(v, str) for v in value):
            tables[name] = tuple(value)
        elif isinstance(value, tuple) and value and all(isinstance(v, tuple) and len(v) == 2 for v in value):
            tables.update({f"{name}[{key}]": tuple(phrases) for key, phrases in value})
    return [(f"{module.__name__}.{name}", phrases) for name, phrases in sorted(tables.items())]


PHRASE_TABLES = [
    *_phrase_tables(facts.intents),
    *_phrase_tables(facts.questions),
    *_phrase_tables(facts.questionwords),
    *((f"cue {cue.signal} {cue.value}".strip(), cue.phrases) for cue in REGISTRY.cues),
]


@pytest.mark.parametrize(("table", "phrases"), PHRASE_TABLES, ids=[t for t, _ in PHRASE_TABLES])
def test_every_phrase_word_is_grammar_to_the_linker(table: str, phrases: tuple[str, ...]) -> None:
    words = {word for phrase in phrases for word in phrase.split() if not word.isdigit()}

    assert sorted(word for word in words if not is_question_word(word)) == []


@pytest.mark.parametrize(
    "cue", REGISTRY.cues, ids=[f"{c.signal}:{c.value or c.phrases[0]}" for c in REGISTRY.cues]
)
def test_every_cue_phrase_sets_its_signal(cue: Cue) -> None:
    earlier = REGISTRY.cues[: REGISTRY.cues.index(cue)]
    for phrase in cue.phrases:
        signals = read_signals(phrase.split())
        if not cue.value:
            assert cue.signal in signals.cues, phrase
            continue
        # A named signal takes the first cue that matches: this one, or one tried before it.
        claimed = [
            c.value for c in earlier if c.signal == cue.signal and c.matches(f" {phrase} ", phrase.split())
        ]
        assert getattr(signals, cue.signal) == (claimed[0] if claimed else cue.value), phrase


def test_every_signal_a_cue_sets_is_set_by_a_registry_cue() -> None:
    read_elsewhere = {"words", "facts", "limit", "followup", "pronoun", "metric", "season", "latest"}
    read_elsewhere |= {"category", "language", "cues"}
    cue_signals = {field.name for field in fields(Signals)} - read_elsewhere

    assert cue_signals - {cue.signal for cue in REGISTRY.cues} == set()


class Extra(StrEnum):
    EPISODES = "episodes"


EPISODES = IntentEntry(
    Extra.EPISODES,
    handler="_episodes",
    kinds=frozenset({"show"}),
    cues=(Cue("episodes", ("how many episodes",)),),
    rules=(Rule(5, lambda s, n: "episodes" in s.cues and n.shows > 0),),
)


def test_an_entry_added_to_a_registry_is_read_and_chosen_by_its_priority() -> None:
    registry = REGISTRY.with_entry(EPISODES)
    words = "how many episodes does have".split()

    signals = read_signals(words, registry)

    assert "episodes" in signals.cues
    assert choose_intent(signals, Named(shows=1), registry) == "episodes"
    assert choose_intent(signals, Named(), registry) == "unknown"
    assert choose_intent(read_signals(words), Named(shows=1)) == "unknown"  # the bundled registry lacks it


# -- dispatch -------------------------------------------------------------------------------------------


class EpisodeAnswerer(Answerer):
    """An answerer with one more handler, for the EPISODES entry."""

    def _episodes(self, turn: Turn) -> Answer:
        return Answer(kind="answer", headline=f"I count no episodes of {turn.shows[0].title}.")


def test_every_handler_the_registry_names_is_a_method_of_the_answerer() -> None:
    missing = [
        e.handler for e in REGISTRY.entries if e.handler and not callable(getattr(Answerer, e.handler, None))
    ]

    assert missing == []
    assert [e.intent for e in REGISTRY.entries if not e.handler] == [Intent.UNKNOWN]


def test_an_answerer_refuses_a_registry_naming_a_handler_it_lacks(seeded_store: FactStore) -> None:
    with pytest.raises(ValueError, match="_episodes"):
        Answerer(seeded_store, registry=REGISTRY.with_entry(EPISODES))


def test_a_question_dispatches_to_the_handler_of_an_added_entry(seeded_store: FactStore) -> None:
    answerer = EpisodeAnswerer(seeded_store, registry=REGISTRY.with_entry(EPISODES))

    answer = answerer.answer("How many episodes does Lupin have?")
    followup = answerer.answer("and Bridgerton?", context=answer.context)

    assert (answer.intent, answer.headline) == ("episodes", "I count no episodes of Lupin.")
    assert answer.context.intent == "episodes"
    assert (followup.intent, followup.headline) == ("episodes", "I count no episodes of Bridgerton.")
    assert Answerer(seeded_store).answer("How many episodes does Lupin have?").intent != "episodes"
    assert answerer.answer("who created Lupin?").intent == "credits"  # the other entries still answer
