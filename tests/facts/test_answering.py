"""Answerer behaviour beyond single questions: slash intents, junk input, honesty rules, fresh data."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facts.answer import Context
from facts.answering import MAX_QUESTION_CHARS, Answerer, clean_question, spell_ranks
from facts.linking import Linker
from facts.plaintext import render_text
from facts.store import FactStore, Store
from tests.backends import Backend
from tests.facts.answering_fixtures import make_answerer, open_catalogue
from tests.facts.answering_support import load_csv_dir

LINKING_DATA = Path(__file__).resolve().parent.parent / "data" / "linking"

JUNK = [
    "",
    "   ",
    "\x00\x01\x02\x1b[31m",
    "\ud800\udfff lone surrogates",
    "?" * 20_000,
    "lupin " * 4_000,
    "🍿🎬📺",
    "<!channel> <@U123> &amp; <http://x|y>",
    "%s%n{0}{}",
    "DROP TABLE shows; --",
    "' OR 1=1 --",
    "\u202e\u200b\ufeff",
    "who who who who who",
    "and",
    "top 999999999999999999999 shows",
]


@pytest.fixture(scope="module")
def seed_answerer(tmp_path_factory: pytest.TempPathFactory, backend: Backend) -> Iterator[Answerer]:
    """An answerer over the bundled seed, on each backend."""
    store = backend.seeded(tmp_path_factory.mktemp("seed"))
    yield make_answerer(store)
    store.close()


@pytest.fixture
def fresh_answerer(tmp_path: Path) -> Iterator[Answerer]:
    store = open_catalogue(tmp_path / "facts.db", "seed")
    yield make_answerer(store)
    store.close()


@pytest.mark.parametrize("text", JUNK, ids=range(len(JUNK)))
def test_any_input_gets_a_polite_answer(seed_answerer: Answerer, text: str) -> None:
    answer = seed_answerer.answer(text)

    assert answer.kind in {"answer", "card", "not_found", "no_fact", "clarify", "help"}
    assert answer.headline
    assert "Traceback" not in render_text(answer)


@pytest.mark.parametrize(
    ("text", "intent", "expected"),
    [
        ("Bridgerton", "audience", "Bridgerton had 82M viewers in its first 28 days on Netflix."),
        (
            "Bridgerton, The Witcher",
            "audience",
            "Bridgerton was watched more: 82M viewers against 76M for The Witcher in their first 28 days.",
        ),
        ("Darren Star", "whois", "Darren Star: creator, writer and executive producer of Emily in Paris."),
        ("3", "top", "Top 3 shows by viewers in their first 28 days: Bridgerton, The Witcher and Lupin."),
        ("", "audience", "Which show? Give a name after the command."),
        ("", "whois", "Which person? Give a name after the command."),
    ],
)
def test_slash_command_intents(seed_answerer: Answerer, text: str, intent: str, expected: str) -> None:
    assert seed_answerer.answer(text, intent=intent).headline == expected


def test_cast_command_lists_every_cast_member(seed_answerer: Answerer) -> None:
    answer = seed_answerer.answer("Emily in Paris", intent="cast")

    assert answer.items[:2] == ("Lily Collins as Emily", "Ashley Park")
    assert len(answer.items) == 10


def test_top_shows_ranks_within_one_measure(seed_answerer: Answerer) -> None:
    answer = seed_answerer.top_shows(2)

    assert [(bar.label, bar.display) for bar in answer.bars] == [
        ("Bridgerton", "82M viewers"),
        ("The Witcher", "76M viewers"),
    ]
    assert answer.context.show_ids


SEED_TITLES = ["Emily in Paris", "Bridgerton", "The Witcher", "Lupin"]


@pytest.mark.parametrize("title", SEED_TITLES)
def test_audience_answers_only_use_that_shows_numbers(seed_answerer: Answerer, title: str) -> None:
    answer = seed_answerer.answer(f"How many people watched {title}?")
    text = "\n".join([answer.headline, *answer.notes, *(bar.label for bar in answer.bars)])

    assert answer.headline.startswith(f"{title} had ")
    assert [other for other in SEED_TITLES if other != title and other in text] == []
    assert answer.sources


def test_answers_name_their_source_and_date(seed_answerer: Answerer) -> None:
    answer = seed_answerer.answer("Who created Emily in Paris?")

    assert render_text(answer).splitlines()[-1] == (
        "Source: Trade press report on Emily in Paris season 2 (Netflix figures) (as of May 2021)"
    )


def test_entities_carry_matched_text_and_score(seed_answerer: Answerer) -> None:
    answer = seed_answerer.answer("Is Kate Walsh in Emily in Paris?")

    assert [(e.kind, e.name) for e in answer.entities] == [
        ("person", "Kate Walsh"),
        ("show", "Emily in Paris"),
    ]
    assert all(0 < e.score <= 100 and e.matched_text for e in answer.entities)


def test_context_carries_the_subject_to_the_next_turn(seed_answerer: Answerer) -> None:
    first = seed_answerer.answer("who created emily in paris")
    second = seed_answerer.answer("and what about the cast?", context=first.context)

    assert first.context.intent == "credits:creator"
    assert second.headline.startswith("Emily in Paris stars Lily Collins, Ashley Park")


def test_context_of_unknown_ids_is_ignored(seed_answerer: Answerer) -> None:
    answer = seed_answerer.answer("who created it?", context=Context(intent="credits", show_ids=(999_999,)))

    assert (answer.kind, answer.headline) == (
        "clarify",
        "Which show do you mean? For example: Bridgerton, The Witcher or Lupin.",
    )


def test_new_figures_are_answered_without_restarting(fresh_answerer: Answerer) -> None:
    before = fresh_answerer.answer("most watched show").headline
    with fresh_answerer.store.write() as db:
        show_id = db["shows"].insert({"title": "Night Shift", "title_key": "night shift"}).last_pk
        db["viewership"].insert(
            {"show_id": show_id, "value": 99_000_000, "metric": "viewers", "time_window": "first 28 days"}
        )

    after = fresh_answerer.answer("most watched show").headline

    assert before.startswith("Bridgerton is the most watched show")
    assert (
        after == "Night Shift is the most watched show I have figures for: 99M viewers in its first 28 days."
    )


class LinkThenImport:
    """A linker after whose linking another process changes Lupin's figure, as an import would."""

    def __init__(self, store: Store, other: Store) -> None:
        self.linker = Linker(store)
        self.other = other

    def link(self, question: str, *, kinds: frozenset[str] | None = None) -> Any:
        linking = self.linker.link(question, kinds=kinds)
        with self.other.write() as db:
            db.execute(
                "UPDATE viewership SET value = 1000000"
                " WHERE show_id IN (SELECT id FROM shows WHERE title = 'Lupin')"
            )
        return linking


def test_an_answer_reads_the_facts_as_they_were_when_it_began(
    backend: Backend, backend_seeded_store: Store
) -> None:
    other = backend.open_again(backend_seeded_store)
    answerer = Answerer(backend_seeded_store, linker=LinkThenImport(backend_seeded_store, other))

    during = answerer.answer("how many people watched Lupin?").headline
    after = answerer.answer("how many people watched Lupin?").headline
    other.close()

    assert during == "Lupin had 70M viewers in its first 28 days on Netflix."
    assert after == "Lupin had 1M viewers in its first 28 days on Netflix."


@pytest.mark.parametrize(
    ("question", "spelt"),
    [
        ("what's #1?", "what's number 1?"),
        ("who was # 2 last week", "who was number 2 last week"),
        ("#10 on Netflix", "number 10 on Netflix"),
        ("how many watched #blackAF", "how many watched #blackAF"),  # a title, not a place
        ("season#1", "season#1"),
    ],
)
def test_spell_ranks(question: str, spelt: str) -> None:
    assert spell_ranks(question) == spelt


def test_clean_question_strips_control_characters_and_caps_length() -> None:
    assert clean_question("who\x00 created\n\tLupin?\x7f") == "who created Lupin?"
    assert len(clean_question("x" * 50_000)) == MAX_QUESTION_CHARS


@pytest.fixture(scope="module")
def extra_answerer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Answerer]:
    store = open_catalogue(tmp_path_factory.mktemp("extra") / "facts.db", "extra")
    yield make_answerer(store)
    store.close()


def test_did_you_mean_reports_the_candidates_as_entities(extra_answerer: Answerer) -> None:
    answer = extra_answerer.answer("who created The Office?")

    assert answer.kind == "clarify"
    assert [(e.kind, e.name) for e in answer.entities] == [
        ("show", "The Office (UK)"),
        ("show", "The Office (US)"),
    ]
    assert [c.question for c in answer.choices] == [
        "who created The Office (UK)?",
        "who created The Office (US)?",
    ]


def test_same_name_show_and_person_are_offered_by_kind(extra_answerer: Answerer) -> None:
    answer = extra_answerer.answer("Selena")
    picked = [extra_answerer.answer(choice.question).headline for choice in answer.choices]

    assert [c.label for c in answer.choices] == ["Selena (show)", "Selena (person)"]
    assert picked == ["Selena is a show on Streamly.", "Selena: cast member (Mei Chen) of Night Market."]


@pytest.mark.parametrize(
    ("text", "intent", "note"),
    [
        ("Emily in Paris", "whois", "There is no person called Emily in Paris; here is what I have."),
        ("Darren Star", "audience", "There is no show called Darren Star; here is what I have."),
    ],
)
def test_slash_command_naming_the_wrong_kind_gets_the_card_and_says_so(
    seed_answerer: Answerer, text: str, intent: str, note: str
) -> None:
    answer = seed_answerer.answer(text, intent=intent)

    assert (answer.kind, answer.title) == ("card", text)
    assert answer.notes[-1] == note


GRAMMAR_AND_NAMES = (
    "how many people watched who created is in the cast of top 3 most least vs or and what about it "
    "Lupin Bridgerton Emily Paris Witcher season 2 on Netflix hours views weeks premiere genre filmed "
    "renewed company play plays Lily Collins Darren Star The Crown ? , ! 's"
).split()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.one_of(
        st.text(max_size=60), st.lists(st.sampled_from(GRAMMAR_AND_NAMES), max_size=10).map(" ".join)
    ),
    intent=st.sampled_from([None, "audience", "cast", "whois", "top"]),
    with_context=st.booleans(),
)
def test_no_question_makes_the_answerer_fail(
    seed_answerer: Answerer, text: str, intent: str | None, with_context: bool
) -> None:
    context = Context(intent="credits:writer", show_ids=(1,), person_ids=(2,)) if with_context else None

    answer = seed_answerer.answer(text, intent=intent, context=context)

    assert answer.kind != "error" and answer.headline


@pytest.fixture(scope="module")
def realname_answerer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Answerer]:
    store = FactStore.open(tmp_path_factory.mktemp("realnames") / "facts.db")
    load_csv_dir(store, LINKING_DATA / "realnames")
    yield make_answerer(store)
    store.close()


def test_two_close_readings_of_the_question_are_offered(realname_answerer: Answerer) -> None:
    answer = realname_answerer.answer("tell me about adam sandla")
    picked = realname_answerer.answer(answer.choices[1].question)

    assert answer.kind == "clarify"
    assert answer.headline == "Did you mean About Adam and Sandra, or Adam Sandler?"
    assert [(c.label, c.question) for c in answer.choices] == [
        ("About Adam and Sandra", "tell me About Adam Sandra"),
        ("Adam Sandler", "tell me about Adam Sandler"),
    ]
    assert [(e.kind, e.name) for e in answer.entities] == [
        ("show", "About Adam"),
        ("show", "Sandra"),
        ("person", "Adam Sandler"),
    ]
    assert (picked.kind, [e.name for e in picked.entities]) == ("card", ["Adam Sandler"])


def test_a_name_holding_a_comma_and_a_question_word_is_one_question(realname_answerer: Answerer) -> None:
    answer = realname_answerer.answer("who wrote Tomorrow, When the War Began?")

    assert answer.kind != "several"
    assert [e.name for e in answer.entities] == ["Tomorrow, When the War Began"]
