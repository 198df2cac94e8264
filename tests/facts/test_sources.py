"""Every answer names where its facts came from: a file without sources is cited by name and import date."""

from __future__ import annotations

import pytest

from facts.answering import Answerer
from facts.importing import ImportFile, apply_import, list_imports, plan_import
from facts.plaintext import render_sources
from facts.store import FactStore
from facts.wording import format_date

# (files imported over the seed, question, the answer's source line; <file> is "<file>, imported <day>")
CASES = [
    (
        {"lupin.csv": "show,viewers,window\nLupin,76M,first 28 days\n"},
        "how many people watched lupin",
        "Source: <lupin.csv>",
    ),
    (
        {"cast.csv": "show,name,role,character\nLupin,Omar Sy,cast,Assane Diop\n"},
        "who plays assane in lupin",
        "Source: <cast.csv>",
    ),
    (
        {"cast.csv": "show,name,role,character,source,as_of\nLupin,Omar Sy,cast,Assane Diop,,\n"},
        "who plays assane in lupin",
        "Source: <cast.csv>",
    ),
    (
        {"cast.csv": "show,name,role,character,as_of\nLupin,Omar Sy,cast,Assane Diop,2021-01\n"},
        "who plays assane in lupin",
        "Source: <cast.csv> (as of January 2021)",
    ),
    (
        {
            "cast.csv": "show,name,role,source\n"
            "Lupin,Omar Sy,cast,Gaumont press kit\nLupin,Ludivine Sagnier,cast,\n"
        },
        "who is in lupin",
        "Sources: Gaumont press kit; <cast.csv>",
    ),
    (
        {"dark.csv": "show,viewers,window\nDark,1.2M,first 28 days\n"},
        "how many people watched dark",
        "Source: <dark.csv>",
    ),
]


def import_texts(store: FactStore, texts: dict[str, str]) -> None:
    files = [ImportFile(name, text.encode()) for name, text in texts.items()]
    apply_import(store, plan_import(store, files), user="ana")


def cited(name: str, store: FactStore) -> str:
    return f"{name}, imported {format_date(list_imports(store, 1)[0].at[:10])}"


@pytest.mark.parametrize(("texts", "question", "expected"), CASES)
def test_a_fact_without_a_source_cites_its_file_and_import_date(
    seeded_store: FactStore, texts: dict[str, str], question: str, expected: str
) -> None:
    import_texts(seeded_store, texts)

    answer = Answerer(seeded_store).answer(question)

    line = expected
    for name in texts:
        line = line.replace(f"<{name}>", cited(name, seeded_store))
    assert render_sources(answer.sources) == line


def test_a_figure_replaced_by_a_file_without_sources_no_longer_cites_the_old_source(
    seeded_store: FactStore,
) -> None:
    before = Answerer(seeded_store).answer("how many people watched lupin")
    assert "(as of" in render_sources(before.sources)

    import_texts(
        seeded_store, {"lupin.csv": "show,viewers,window,platform\nLupin,76M,first 28 days,Netflix\n"}
    )

    answer = Answerer(seeded_store).answer("how many people watched lupin")
    assert answer.headline == "Lupin had 76M viewers in its first 28 days on Netflix."
    assert render_sources(answer.sources) == f"Source: {cited('lupin.csv', seeded_store)}"


def test_importing_the_same_file_again_changes_nothing_and_lists_no_source(seeded_store: FactStore) -> None:
    texts = {"lupin.csv": "show,viewers,window,source\nLupin,76M,first 28 days,\nDark,1.2M,first 28 days,\n"}
    files = [ImportFile(name, text.encode()) for name, text in texts.items()]

    first = plan_import(seeded_store, files)
    assert first.changed_lines[0] == "Lupin — viewers (first 28 days): 70M -> 76M"
    apply_import(seeded_store, first, user="ana")

    again = plan_import(seeded_store, files)
    assert again.totals() == {"added": 0, "changed": 0, "unchanged": 2, "removed": 0}
    again.close()
