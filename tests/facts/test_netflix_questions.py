"""Questions a Netflix watcher asks, on Netflix's real Top 10 files, each answered right.

The questions and what their answers must say are in tests/data/netflix_questions/questions.jsonl,
worked out from the files by make_expected.py (never from showfacts); see that script for how.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest

from facts.answer import Answer
from facts.answering import Answerer
from facts.importing import apply_import, plan_import, read_paths
from facts.plaintext import render_text
from facts.store import FactStore

DATA = Path(__file__).parent.parent / "data"
FOLDER = DATA / "netflix_questions"
DEFAULT_FILES = (
    "netflix_questions/all-weeks-global.tsv",
    "netflix_questions/most-popular_91days.tsv",
    "netflix_questions/most-popular_28days.tsv",
    "netflix_countries/all-weeks-countries.tsv",
)
CASES = [json.loads(line) for line in (FOLDER / "questions.jsonl").read_text(encoding="utf-8").splitlines()]


def case_id(case: dict[str, Any]) -> str:
    return f"{case['class']}: {case['question'] or ' + '.join(case['files'])}"


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, ...], FactStore]:
    """One store per set of files, shared by the questions asked of it (importing is the slow part)."""
    opened: dict[tuple[str, ...], FactStore] = {}
    yield opened  # type: ignore[misc]
    for store in opened.values():
        store.close()


def store_of(stores: dict[tuple[str, ...], FactStore], files: tuple[str, ...], folder: Path) -> FactStore:
    if files not in stores:
        store = FactStore.open(folder / f"facts-{len(stores)}.db")
        apply_import(store, plan_import(store, read_paths([DATA / name for name in files])), user="t")
        stores[files] = store
    return stores[files]


def assert_bars(answer: Answer, expected: list[list[Any]]) -> None:
    got = [(bar.label, bar.value) for bar in answer.bars]
    assert [value for _, value in got] == [float(value) for _, value in expected], answer.headline
    # Equal values may come in either order.
    for value, group in itertools.groupby(expected, key=lambda row: row[1]):
        assert {label for label, v in got if v == value} == {label for label, _ in group}


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_the_answer_is_right(
    case: dict[str, Any], stores: dict[tuple[str, ...], FactStore], tmp_path_factory: pytest.TempPathFactory
) -> None:
    files = tuple(case.get("files", DEFAULT_FILES))
    folder = tmp_path_factory.getbasetemp()
    if not case["question"]:  # an import: the file as Netflix published it goes in whole
        store = FactStore.open(folder / f"import-{len(files)}-{abs(hash(files))}.db")
        plan = plan_import(store, read_paths([DATA / name for name in files]))
        assert {kind: counts["added"] for kind, counts in plan.counts().items() if kind != "shows"} == case[
            "added"
        ]
        store.close()
        return
    answer = Answerer(store_of(stores, files, folder)).answer(case["question"])
    text = render_text(answer)
    assert answer.kind == case.get("kind", "answer"), text
    if "intent" in case:
        assert answer.intent == case["intent"], text
    for expected in case.get("contains", []):
        options = expected if isinstance(expected, list) else [expected]
        assert any(option in text for option in options), f"{options} not in:\n{text}"
    if "bars" in case:
        assert_bars(answer, case["bars"])
    if "items" in case:
        assert list(answer.items) == case["items"], text
    if "sources" in case:
        assert [source.name for source in answer.sources][:1] == case["sources"], text
    if "parts" in case:
        assert len(answer.parts) == case["parts"], text


def test_the_set_covers_every_kind_of_question() -> None:
    counts: dict[str, int] = {}
    for case in CASES:
        counts[case["class"]] = counts.get(case["class"], 0) + 1
    assert len(CASES) >= 120
    assert set(counts) == {
        "season", "headline", "weeks", "year", "last_week", "what_is", "country", "browse", "several",
        "chit_chat", "no_cast", "membership", "variant",
    }  # fmt: skip
