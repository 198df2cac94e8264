"""The real-name benchmark's catalogue and question generator, on a tiny catalogue in tests/data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rapidfuzz.distance import OSA

from bench.real_catalogue import Catalogue, looks_like_person, read_catalogue, write_catalogue
from bench.real_names import classify, wrong_pattern
from bench.typo_questions import (
    ARTICLES,
    NEIGHBOURS,
    PHONETIC_RULES,
    SAME_KEY_CLASSES,
    TYPO_CLASSES,
    Names,
    Question,
    make_questions,
)
from facts.answer import Answer, Choice, EntityMatch
from facts.importing import apply_import, plan_import, read_paths
from facts.normalize import normalize_name
from facts.store import FactStore

SHARED = Path(__file__).resolve().parent.parent / "data" / "real_names"
COMMON = frozenset("out of the past up her a good year kid".split())
PER_CLASS = 6


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return read_catalogue(SHARED)


@pytest.fixture(scope="module")
def questions(catalogue: Catalogue) -> list[Question]:
    return make_questions(
        catalogue.entities, catalogue.keys, PER_CLASS, seed=5, is_common=COMMON.__contains__
    )


def of_class(questions: list[Question], typo_class: str) -> list[Question]:
    found = [q for q in questions if q.typo_class == typo_class]
    assert found, f"no {typo_class} question"
    return found


def changed_words(question: Question) -> list[tuple[str, str]]:
    typed, gold = question.span.split(), question.gold_name.split()
    assert len(typed) == len(gold)
    return [(t, g) for t, g in zip(typed, gold, strict=True) if t != g]


def test_catalogue_kinds_and_credits(catalogue: Catalogue) -> None:
    kinds = {e.name: (e.kind, e.roles) for e in catalogue.entities}
    assert kinds["Amélie"] == ("show", ("director",))
    assert kinds["Jean-Pierre Jeunet"] == ("person", ("director",))
    assert kinds["The Karate Kid"] == ("show", ("cast",))
    assert kinds["Jurassic World: Fallen Kingdom"] == ("show", ())  # a Netflix title
    assert kinds["Her"] == ("show", ())  # a film of another question type
    # Tags, years and genres are not names; names of unknown kind are in the catalogue, not asked about.
    assert {"heist", "2013", "action"}.isdisjoint(catalogue.keys)
    assert "mary deare" in catalogue.people and "lost in translation" in catalogue.shows
    assert "Mary Deare" not in kinds


@pytest.mark.parametrize(
    ("name", "person"),
    [("Mary Deare", True), ("Jean-Pierre van Dormael", True), ("Lost in Translation", False), ("Up", False),
     ("The Kid", False), ("Apollo 13", False), ("Tarzan and Jane", False)],
)  # fmt: skip
def test_names_of_unknown_kind_are_people_by_their_shape(name: str, person: bool) -> None:
    assert looks_like_person(name) is person


def test_catalogue_imports_cleanly(catalogue: Catalogue, empty_store: FactStore, tmp_path: Path) -> None:
    paths = write_catalogue(catalogue, tmp_path)
    apply_import(empty_store, plan_import(empty_store, read_paths(paths)), user="test")
    shows = {row[0] for row in empty_store.conn.execute("SELECT title_key FROM shows")}
    people = {row[0] for row in empty_store.conn.execute("SELECT name_key FROM people")}
    assert shows == set(catalogue.shows) and people == set(catalogue.people)
    assert empty_store.db["credits"].count == len(catalogue.credits)
    assert empty_store.db["viewership"].count == 6


def test_same_seed_same_questions_and_other_seed_others(
    catalogue: Catalogue, questions: list[Question]
) -> None:
    again = make_questions(
        catalogue.entities, catalogue.keys, PER_CLASS, seed=5, is_common=COMMON.__contains__
    )
    other = make_questions(
        catalogue.entities, catalogue.keys, PER_CLASS, seed=6, is_common=COMMON.__contains__
    )
    assert again == questions
    assert other != questions


def test_every_class_asks_about_its_gold_name(catalogue: Catalogue, questions: list[Question]) -> None:
    assert {q.typo_class for q in questions} == set(TYPO_CLASSES)
    kinds = {(e.kind, e.name) for e in catalogue.entities}
    for question in questions:
        assert question.span in question.text
        assert (question.gold_kind, question.gold_name) in kinds
        assert (question.gold_kind == "show") == (question.family in ("audience", "credits"))
        typed, gold = normalize_name(question.span), normalize_name(question.gold_name)
        if question.typo_class in SAME_KEY_CLASSES:
            assert typed == gold
        else:  # a real typo: neither the gold name nor any other name of the catalogue
            assert typed not in catalogue.keys


def test_exact_and_case_classes(questions: list[Question]) -> None:
    assert all(q.span == q.gold_name for q in of_class(questions, "exact"))
    assert all(q.span != q.gold_name for q in of_class(questions, "case_accents"))
    for question in of_class(questions, "common_words"):
        assert set(normalize_name(question.span).split()) <= COMMON


@pytest.mark.parametrize("edit", ["drop", "swap", "replace", "double"])
def test_letter_classes_make_one_edit_of_their_kind(questions: list[Question], edit: str) -> None:
    for question in of_class(questions, edit):
        typed, gold = question.span, question.gold_name
        assert OSA.distance(typed, gold) == 1
        assert len(typed) - len(gold) == {"drop": -1, "double": 1}.get(edit, 0)
        if edit == "swap":
            assert sorted(typed) == sorted(gold)
        if edit == "replace":
            (was, now), *_ = [(g, t) for t, g in zip(typed, gold, strict=True) if t != g]
            assert now.lower() in NEIGHBOURS[was.lower()]


def test_first_letter_and_short_word_classes(questions: list[Question]) -> None:
    for question in of_class(questions, "first_letter"):
        assert OSA.distance(question.span, question.gold_name) == 1
        [(typed, gold)] = changed_words(question) or [("", "")]
        # The edit is at the first letter (a doubled first letter shows up in the second place).
        assert typed[0] != gold[0] or typed[:2] == gold[0] * 2
    for question in of_class(questions, "short_word"):
        gold_words = question.gold_name.split()
        typed_words = question.span.split()
        changed = [g for g in gold_words if g not in typed_words]
        assert changed and all(len(re.sub(r"\W", "", g)) <= 4 for g in changed)


def test_two_typos_change_two_words_of_a_long_title(questions: list[Question]) -> None:
    for question in of_class(questions, "two_typos"):
        assert len(question.gold_name.split()) >= 3
        changes = changed_words(question)
        assert len(changes) == 2 and all(OSA.distance(t, g) == 1 for t, g in changes)


def test_word_boundary_classes(questions: list[Question]) -> None:
    for typo_class, more_words in (("run_together", -1), ("split", 1)):
        for question in of_class(questions, typo_class):
            assert question.span.replace(" ", "") == question.gold_name.replace(" ", "")
            assert len(question.span.split()) == len(question.gold_name.split()) + more_words


def test_phonetic_class_applies_one_sound_rule(questions: list[Question]) -> None:
    for question in of_class(questions, "phonetic"):
        lowered = question.gold_name.lower()
        assert any(re.sub(pattern, sound, lowered) == question.span for pattern, sound in PHONETIC_RULES)


def test_punctuation_class_leaves_out_punctuation(questions: list[Question]) -> None:
    for question in of_class(questions, "punctuation"):
        assert not re.search(r"['.\-:,]", question.span)
        assert re.sub(r"\W", "", question.span) == re.sub(r"\W", "", question.gold_name)


def test_article_classes(questions: list[Question]) -> None:
    for question in of_class(questions, "article_dropped"):
        article, rest = question.gold_name.split(" ", 1)
        assert article.lower() in ARTICLES and question.span == rest
    for question in of_class(questions, "article_added"):
        assert question.span == f"the {question.gold_name}"


def test_prefix_class_is_a_prefix_only_the_gold_title_has(
    catalogue: Catalogue, questions: list[Question]
) -> None:
    for question in of_class(questions, "prefix"):
        typed = normalize_name(question.span)
        assert len(typed.split()) < len(normalize_name(question.gold_name).split())
        assert [k for k in catalogue.keys if k == typed or k.startswith(typed + " ")] == [
            normalize_name(question.gold_name)
        ]
        assert {typed, f"the {typed}", typed.removeprefix("the ")}.isdisjoint(catalogue.keys)


GOLD = ("show", 7)


def entity(kind: str, ref: int, name: str = "X") -> EntityMatch:
    return EntityMatch(kind=kind, id=ref, name=name, matched_text=name, score=90.0)


@pytest.mark.parametrize(
    ("answer", "outcome"),
    [
        (Answer(kind="answer", headline="X had 3M views", entities=(entity("show", 7),)), "right"),
        (Answer(kind="no_fact", headline="no figure for X", entities=(entity("show", 7),)), "right"),
        (Answer(kind="answer", headline="Y had 3M views", entities=(entity("show", 8),)), "wrong"),
        (Answer(kind="card", headline="Y", entities=(entity("person", 7),)), "wrong"),
        (Answer(kind="answer", headline="X vs Y", entities=(entity("show", 7), entity("show", 8))), "wrong"),
        (
            Answer(kind="clarify", headline="A or B?", choices=(Choice("X", "q"), Choice("Y", "q")),
                   entities=(entity("show", 7), entity("show", 8))),
            "did_you_mean_gold",
        ),
        (
            Answer(kind="clarify", headline="Y?", choices=(Choice("Y", "q"),), entities=(entity("show", 8),)),
            "did_you_mean_other",
        ),
        (Answer(kind="clarify", headline="Which show do you mean?"), "miss"),
        (Answer(kind="clarify", headline="Which show? For example: Y", choices=(Choice("Y", "q"),)), "miss"),
        (Answer(kind="not_found", headline="I don't have facts about Z."), "miss"),
    ],
)  # fmt: skip
def test_answers_are_classified_by_the_entities_they_name(answer: Answer, outcome: str) -> None:
    assert classify(answer, GOLD, "X")[0] == outcome


def asked(text: str, span: str, gold: str = "Lost Witness on Fire 9") -> Question:
    return Question("drop", "audience", text, span, "show", gold)


@pytest.mark.parametrize(
    ("question", "named", "pattern"),
    [
        (asked("Lost Witness On Fie 9 viewers", "Lost Witness On Fie 9"), ["Lost Witness"], "a shorter name"),
        (asked("what was the best rank of Lupin", "Lupin", "Lupin"), ["The Beast", "The Pact"], "several"),
        (asked("how many people watched Lupn", "Lupn", "Lupin"), ["People"], "a name spelt by"),
        (asked("how many people watched Lupn", "Lupn", "Lupin"), ["Lupa"], "another near name"),
    ],
)
def test_wrong_answers_are_sorted_into_patterns(question: Question, named: list[str], pattern: str) -> None:
    answer = Answer(kind="answer", headline="-", entities=tuple(entity("show", 9, n) for n in named))
    assert wrong_pattern(question, answer).startswith(pattern)


@pytest.mark.parametrize(
    ("key", "twin"),
    [
        ("tempest", True),
        ("the tempest", True),
        ("the haunted house", True),
        ("the kid", False),
        ("up", False),
    ],
)
def test_names_with_another_leading_article_are_twins(key: str, twin: bool) -> None:
    names = Names(["tempest", "the tempest", "a haunted house", "the haunted house", "the kid", "up"])
    assert names.has_article_twin(key) is twin
