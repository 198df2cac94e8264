"""Entity linking on a small catalogue and on the seed facts, driven by tests/data/linking/*.csv.

Expected mentions are written ``span text=kind:Name|kind:Name; next span=...`` (alternatives
best first); unknown names are ``; ``-separated.
"""

from __future__ import annotations

import csv
import gc
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facts.importing import open_seeded
from facts.linking import FETCH_CAP, Linker, Linking
from facts.normalize import normalize_name
from facts.schema import joined_name
from facts.store import FactStore
from tests.backends import Backend
from tests.facts.answering_support import load_csv_dir

DATA = Path(__file__).resolve().parent.parent / "data" / "linking"


def read_cases(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


CATALOGUE_CASES = read_cases("catalogue_questions.csv")
REALNAME_CASES = read_cases("realname_questions.csv")
SEED_CASES = read_cases("seed_questions.csv")


def describe(linking: Linking) -> tuple[str, str]:
    """Render a linking in the notation of the case files."""
    mentions = "; ".join(
        f"{m.text}=" + "|".join(f"{c.kind}:{c.name}" for c in m.candidates) for m in linking.mentions
    )
    return mentions, "; ".join(linking.unknown)


@pytest.fixture(scope="module")
def catalogue_linker(tmp_path_factory: pytest.TempPathFactory, backend: Backend) -> Iterator[Linker]:
    store = FactStore.open(tmp_path_factory.mktemp("linking") / "facts.db")
    load_csv_dir(store, DATA / "catalogue")
    store = backend.holding(store)  # on each backend
    yield Linker(store)
    store.close()


@pytest.fixture(scope="module")
def realname_linker(tmp_path_factory: pytest.TempPathFactory, backend: Backend) -> Iterator[Linker]:
    """Real film and show names that share words, as catalogues' names do."""
    store = FactStore.open(tmp_path_factory.mktemp("realnames") / "facts.db")
    load_csv_dir(store, DATA / "realnames")
    store = backend.holding(store)  # on each backend
    yield Linker(store)
    store.close()


@pytest.fixture(scope="module")
def seed_linker(tmp_path_factory: pytest.TempPathFactory, backend: Backend) -> Iterator[Linker]:
    store = open_seeded(tmp_path_factory.mktemp("seed") / "facts.db")  # with the bundled seed
    store = backend.holding(store)  # on each backend
    yield Linker(store)
    store.close()


@pytest.mark.parametrize("case", CATALOGUE_CASES, ids=[c["covers"] for c in CATALOGUE_CASES])
def test_links_catalogue_question(catalogue_linker: Linker, case: dict[str, str]) -> None:
    linking = catalogue_linker.link(case["question"])

    assert describe(linking) == (case["mentions"], case["unknown"])


@pytest.mark.parametrize("case", REALNAME_CASES, ids=[c["covers"] for c in REALNAME_CASES])
def test_links_real_names_as_typed(realname_linker: Linker, case: dict[str, str]) -> None:
    linking = realname_linker.link(case["question"])

    assert describe(linking) == (case["mentions"], case["unknown"])


@pytest.mark.parametrize("case", SEED_CASES, ids=[c["question"] for c in SEED_CASES])
def test_links_seed_question(seed_linker: Linker, case: dict[str, str]) -> None:
    linking = seed_linker.link(case["question"])

    assert describe(linking) == (case["mentions"], case["unknown"])


def test_tokens_and_rest_split_the_question(catalogue_linker: Linker) -> None:
    linking = catalogue_linker.link("Who plays Emily in Emily in Paris?")

    assert linking.tokens == tuple(normalize_name("Who plays Emily in Emily in Paris?").split())
    assert [(m.start, m.end) for m in linking.mentions] == [(2, 3), (4, 7)]
    assert linking.rest() == ("who", "plays", "in")


@pytest.mark.parametrize(
    ("kinds", "expected"),
    [
        (frozenset({"show"}), "emily in paris=show:Emily in Paris"),
        (frozenset({"character"}), "emily=character:Emily"),
        (frozenset({"person"}), ""),
    ],
)
def test_kinds_restrict_what_matches(catalogue_linker: Linker, kinds: frozenset[str], expected: str) -> None:
    linking = catalogue_linker.link("emily in paris", kinds=kinds)

    assert describe(linking)[0] == expected


def test_alias_match_is_marked_and_shows_the_title(catalogue_linker: Linker) -> None:
    (mention,) = catalogue_linker.link("EIP audience").mentions

    assert [(c.kind, c.name, c.via_alias, c.score) for c in mention.candidates] == [
        ("show", "Emily in Paris", True, 100.0)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Lupn", "Lupn=show:Lupin"),
        ("You", "You=show:You"),
        ("the witcher", "the witcher=show:The Witcher"),
        ("the crown", None),
        ("", None),
    ],
)
def test_link_name_links_the_whole_text(catalogue_linker: Linker, text: str, expected: str | None) -> None:
    mention = catalogue_linker.link_name(text)

    found = (
        None
        if mention is None
        else f"{mention.text}=" + "|".join(f"{c.kind}:{c.name}" for c in mention.candidates)
    )
    assert found == expected


@pytest.mark.parametrize(
    ("text", "kinds", "expected"),
    [
        ("emily in parris france", None, ["Emily in Paris"]),
        ("bridgertown", frozenset({"show"}), ["Bridgerton"]),
        ("the crown", None, []),
        ("kate walsch", frozenset({"show"}), []),
    ],
)
def test_suggest_offers_looser_matches(
    catalogue_linker: Linker, text: str, kinds: frozenset[str] | None, expected: list[str]
) -> None:
    assert [c.name for c in catalogue_linker.suggest(text, kinds=kinds)] == expected


def test_sees_facts_written_after_it_started(tmp_path: Path) -> None:
    store = FactStore.open(tmp_path / "facts.db")
    linker = Linker(store)
    assert linker.link("how many people watched Severance").unknown == ("Severance",)

    with store.write() as db:
        db["shows"].insert({"title": "Severance", "title_key": "severance"})

    assert describe(linker.link("how many people watched severence")) == ("severence=show:Severance", "")
    store.close()


def test_sees_facts_another_connection_imported(tmp_path: Path) -> None:
    store = FactStore.open(tmp_path / "facts.db")
    linker = Linker(store)
    linker.link("warm up")
    other = FactStore.open(tmp_path / "facts.db")
    with other.write() as db:
        db["shows"].insert({"title": "Severance", "title_key": "severance"})
    other.close()

    assert describe(linker.link("severance")) == ("severance=show:Severance", "")
    store.close()


@pytest.fixture(scope="module")
def common_word_linker(tmp_path_factory: pytest.TempPathFactory, backend: Backend) -> Iterator[Linker]:
    """A catalogue where one word is in more titles than the linker fetches for a word alone."""
    store = FactStore.open(tmp_path_factory.mktemp("common") / "facts.db")
    others = [f"Harbour {place}" for place in ("Lights", "Stories", "Nights", "Master", "Watch")]
    others += [f"The {n}th Harbour" for n in range(FETCH_CAP)]
    with store.write() as db:
        for title in ["Harbour", "Harbour of Valparaiso", *others]:
            db["shows"].insert({"title": title, "title_key": normalize_name(title)})
    store = backend.holding(store)  # on each backend
    yield Linker(store)
    store.close()


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("how many people watched harbuor", ("harbuor=show:Harbour", "")),
        ("viewers for harbour of valparaisso", ("harbour of valparaisso=show:Harbour of Valparaiso", "")),
        ("who made valparaiso", ("valparaiso=show:Harbour of Valparaiso", "")),
        ("harbour lihgts viewers", ("harbour lihgts=show:Harbour Lights", "")),
    ],
)
def test_links_titles_sharing_a_common_word(
    common_word_linker: Linker, question: str, expected: tuple[str, str]
) -> None:
    assert common_word_linker.store.conn.execute("SELECT count(*) FROM shows").fetchone()[0] > FETCH_CAP

    assert describe(common_word_linker.link(question)) == expected


@pytest.fixture(scope="module")
def crowded_linker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Linker]:
    """Names whose every word is in more names than the linker fetches for one word alone."""
    store = FactStore.open(tmp_path_factory.mktemp("crowded") / "facts.db")
    fillers = [f"{a}{b}x" for a in "bcdfg" for b in "aeiou"] * 2  # 50 made-up words: "bax", "bex", ...
    people = ["Ann Miller", *(f"Ann {w} {n}" for n, w in enumerate(fillers))]
    people += [f"{w} Miller {n}" for n, w in enumerate(fillers)]
    shows = ["On the Town", "The Rose", *(f"The Rose of {w} {n}" for n, w in enumerate(fillers))]
    shows += [f"Town of {w} {n}" for n, w in enumerate(fillers)]
    shows += [f"{w} in {place} {n}" for n, w in enumerate(fillers) for place in ("Rome", "Oslo", "Lima")]
    with store.write() as db:
        for name in people:
            db["people"].insert({"name": name, "name_key": normalize_name(name), "kind": "person"})
        for title in shows:
            db["shows"].insert({"title": title, "title_key": normalize_name(title)})
    yield Linker(store)
    store.close()


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("what has AnnMiller been in?", ("AnnMiller=person:Ann Miller", "")),
        ("audience of On the To wn", ("On the To wn=show:On the Town", "")),
        ("who is in the cast of The Ro se", ("The Ro se=show:The Rose", "")),
    ],
)
def test_links_names_typed_without_their_spaces(
    crowded_linker: Linker, question: str, expected: tuple[str, str]
) -> None:
    with crowded_linker.store.read() as db:
        assert db.execute("SELECT count(*) FROM names_fts WHERE names_fts MATCH 'rose'").fetchone()[0] > 50

    assert describe(crowded_linker.link(question)) == expected


def test_links_inside_a_read_transaction(catalogue_linker: Linker) -> None:
    with catalogue_linker.store.read():
        linking = catalogue_linker.link("lupin viewers")
        suggestions = catalogue_linker.suggest("lupinn")

    assert describe(linking) == ("lupin=show:Lupin", "")
    assert [c.name for c in suggestions] == ["Lupin"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=80))
def test_never_raises_on_any_text(catalogue_linker: Linker, text: str) -> None:
    linking = catalogue_linker.link(text)

    assert linking.tokens == tuple(normalize_name(text).split())
    assert all(0 <= m.start < m.end <= len(linking.tokens) and m.candidates for m in linking.mentions)
    assert catalogue_linker.link_name(text) is None or text.strip()
    assert len(catalogue_linker.suggest(text)) <= 3


def test_names_are_looked_up_by_their_letters_through_an_index(catalogue_linker: Linker) -> None:
    query = f"SELECT n.id FROM names n WHERE {joined_name('n.norm')} IN ('emilyinparis')"
    with catalogue_linker.store.read() as db:
        if catalogue_linker.store.dialect.name == "sqlite":
            plan = db.execute(f"EXPLAIN QUERY PLAN {query}").fetchall()
            used = r"USING INDEX names_joined"
        else:  # a few rows are read faster without an index: ask whether the index can serve it
            db.execute("SET LOCAL enable_seqscan = off")
            plan = db.execute(f"EXPLAIN {query}").fetchall()
            used = r"Index Scan (using|on) names_joined"

    assert re.search(used, " ".join(str(row) for row in plan))


def test_a_close_reading_naming_other_things_is_kept_beside_the_chosen_one(realname_linker: Linker) -> None:
    linking = realname_linker.link("tell me about adam sandla")

    assert describe(linking) == ("about adam=show:About Adam; sandla=show:Sandra", "")
    assert [(m.text, m.candidates[0].name) for m in linking.alternative] == [("adam sandla", "Adam Sandler")]


@pytest.mark.parametrize(
    "question",
    [
        "who wrote The Wild Angels?",
        "tell me about Adam Sandler",
        "director of Pie in the Sky",
        "director of iPe in the Sky",
        "who starred in Dangerous Ground",
    ],
)
def test_a_reading_clearly_best_has_no_alternative(realname_linker: Linker, question: str) -> None:
    assert realname_linker.link(question).alternative == ()


def test_names_kept_between_questions_add_nothing_for_the_garbage_collector_to_walk(tmp_path: Path) -> None:
    # A full collection walks every object it tracks: a cache of names as objects made it pause for
    # 100-400 ms at a million titles. Names kept as plain tuples of strings and numbers are untracked.
    store = FactStore.open(tmp_path / "facts.db")
    load_csv_dir(store, DATA / "realnames")
    linker = Linker(store)
    titles = [
        row["title"] for row in csv.DictReader((DATA / "realnames" / "shows.csv").open(encoding="utf-8"))
    ]
    linker.link("who directed Lupin?")
    gc.collect()
    tracked = len(gc.get_objects())

    linked = [linker.link(f"who directed {title}?") for title in titles]
    del linked
    gc.collect()

    assert len(gc.get_objects()) - tracked < len(titles) // 2
    store.close()


@pytest.fixture
def many_characters(tmp_path: Path) -> Iterator[Linker]:
    """A show called Markaven and 30 credits with the character Markaven (as the credits of a large
    catalogue share character names); one person spelled one letter off."""
    titles = ["Markaven"] + [f"Dune Sea {n}" for n in range(1, 7)]
    names = ["Markavin"] + [f"Ann Lee {n}" for n in range(1, 6)]
    store = FactStore.open(tmp_path / "facts.db")
    with store.write() as db:
        db["shows"].insert_all({"title": t, "title_key": normalize_name(t)} for t in titles)
        db["people"].insert_all({"name": n, "name_key": normalize_name(n), "kind": "person"} for n in names)
        db["credits"].insert_all(
            {"show_id": show, "person_id": person, "role": "cast", "character": "Markaven"}
            for show in range(2, 8)
            for person in range(2, 7)
        )
    yield Linker(store)
    store.close()


def test_a_name_held_by_many_things_offers_the_best_few(many_characters: Linker) -> None:
    (mention,) = many_characters.link("who is Markaven?").mentions

    assert [(c.kind, c.name) for c in mention.candidates][:2] == [
        ("show", "Markaven"),
        ("character", "Markaven"),
    ]
    assert len(mention.candidates) == 5
    assert [c.ref_id for c in mention.candidates[1:]] == sorted(c.ref_id for c in mention.candidates[1:])


def test_a_kind_asked_for_is_found_beside_names_of_other_kinds_spelled_closer(
    many_characters: Linker,
) -> None:
    (mention,) = many_characters.link("who is Markaven?", kinds=frozenset({"person"})).mentions

    assert [(c.kind, c.name) for c in mention.candidates] == [("person", "Markavin")]


def test_a_small_name_cache_forgets_old_fetches_and_links_the_same(tmp_path: Path) -> None:
    store = FactStore.open(tmp_path / "facts.db")
    load_csv_dir(store, DATA / "realnames")
    roomy, small = Linker(store), Linker(store, cached_names=3)
    questions = [case["question"] for case in REALNAME_CASES] * 2

    assert [describe(small.link(q)) for q in questions] == [describe(roomy.link(q)) for q in questions]
    store.close()
