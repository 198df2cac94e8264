"""The console chat: same handlers as Slack, text rendering, piped input."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.console import BANNER, Console, render_answer
from bot.handlers import Handlers
from facts.answer import Answer, Bar, Choice, Field, Source
from facts.answering import Answerer
from facts.store import FactStore
from tests.bot.conftest import open_seeded

NEW_FIGURES = (
    b"show,viewers,window,platform,source,as_of\nLupin,99M,first 28 days,Netflix,Test upload,2026-11\n"
)


@pytest.fixture
def seeded(tmp_path: Path) -> Iterator[FactStore]:
    store = open_seeded(tmp_path / "facts.db")
    yield store
    store.close()


def chat(store: FactStore, text: str) -> str:
    output = io.StringIO()
    Console(Handlers(store, Answerer(store), lambda user, team="": True), io.StringIO(text), output).run()
    return output.getvalue()


def rendered(*answers: Answer) -> str:
    return "".join(render_answer(answer) + "\n\n" for answer in answers)


def test_render_answer_shows_every_part_readably() -> None:
    answer = Answer(
        kind="card",
        headline="Lupin had 70M viewers.",
        title="Lupin",
        fields=(Field("Network", "Netflix"),),
        bars=(Bar("Bridgerton", 82, "82M viewers"), Bar("Lupin", 70, "70M viewers")),
        items=("Omar Sy as Assane Diop",),
        notes=("Figures are Netflix's own.",),
        choices=(Choice("Lupin (2021)", "what is Lupin"),),
        sources=(Source("Netflix", "2021-05"),),
    )
    assert render_answer(answer) == (
        "Lupin\n=====\nLupin had 70M viewers.\n  Network: Netflix\n  ██████████ 82M viewers  Bridgerton\n"
        "  █████████░ 70M viewers  Lupin\n  - Omar Sy as Assane Diop\n  Figures are Netflix's own.\n"
        "Type a number to choose:\n  1. Lupin (2021)\nSource: Netflix (as of May 2021)"
    )


def test_questions_follow_ups_and_slash_commands(seeded: FactStore) -> None:
    answerer = Answerer(seeded)
    first = answerer.answer("how many people watched emily in paris?")
    follow_up = answerer.answer("who created it?", context=first.context)
    viewers = answerer.answer("Lupin, Bridgerton", intent="audience")
    cast = answerer.answer("emily in paris", intent="cast")
    output = chat(
        seeded,
        "how many people watched emily in paris?\nwho created it?\n"
        "/viewers Lupin, Bridgerton\n\n/cast emily in paris\n",
    )
    assert output == BANNER + "\n" + rendered(first, follow_up, viewers, cast)


def test_typing_a_number_asks_that_choice(seeded: FactStore) -> None:
    answerer = Answerer(seeded)
    first = answerer.answer("who created Lupin?")
    assert first.choices, "the seed should offer choices for an unknown fact"
    chosen = answerer.answer(first.choices[0].question, context=first.context)
    assert chat(seeded, "who created Lupin?\n1\n") == BANNER + "\n" + rendered(first, chosen)


@pytest.mark.parametrize(
    ("line", "reply"),
    [
        ("/nosuch thing", "There is no /nosuch command. Try /viewers, /cast, /whois, /showfacts or /help."),
        (
            "/viewers",
            "Usage: /viewers SHOW[, SHOW ...] (how many people watched a show, or which of several won).",
        ),
        ("thanks!", "You're welcome! Ask me about any show whenever you like."),
        ("/showfacts import", "Usage: /showfacts import FILE [FILE ...] (CSV or TSV fact files)."),
        (
            "/showfacts import /no/such/file.csv",
            "Cannot read /no/such/file.csv: No such file or directory. Check the file name.",
        ),
    ],
)
def test_console_replies_of_its_own(seeded: FactStore, line: str, reply: str) -> None:
    assert chat(seeded, line + "\n") == f"{BANNER}\n{reply}\n\n"


@pytest.mark.parametrize("line", ["/help", "help", "hey", "/showfacts help", "/showfacts"])
def test_every_way_of_asking_for_help(seeded: FactStore, line: str) -> None:
    help_text = rendered(Handlers(seeded, Answerer(seeded), lambda user, team="": True).help("console"))

    assert chat(seeded, line + "\n") == f"{BANNER}\n{help_text}"


def test_help_and_quit(seeded: FactStore) -> None:
    assert chat(seeded, "/help\nquit\nwho is Lily Collins?\n") == BANNER + "\n" + rendered(
        Handlers(seeded, Answerer(seeded), lambda user, team="": True).help("console")
    )


def test_import_previews_then_applies_on_yes(seeded: FactStore, tmp_path: Path) -> None:
    path = tmp_path / "figures.csv"
    path.write_bytes(NEW_FIGURES)
    before = Answerer(seeded).answer("Lupin", intent="audience")
    output = chat(seeded, f"/showfacts import {path}\ny\n")
    assert output.count("\n\n") == 2  # the preview, then the import report
    assert Answerer(seeded).answer("Lupin", intent="audience") != before


def test_import_cancels_unless_yes(seeded: FactStore, tmp_path: Path) -> None:
    path = tmp_path / "figures.csv"
    path.write_bytes(NEW_FIGURES)
    generation = seeded.generation()
    output = chat(seeded, f"/showfacts import {path}\n")
    assert output.endswith("Import cancelled; the facts are unchanged.\n\n")
    assert seeded.generation() == generation


def test_showfacts_chat_reads_piped_input(tmp_path: Path) -> None:
    from bot.cli import _register_commands, cli

    _register_commands()
    result = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "facts.db"), "chat"], input="who is Lily Collins?\n/showfacts top 2\n"
    )
    assert result.exit_code == 0, result.output
    store = open_seeded(tmp_path / "facts.db")
    answerer = Answerer(store)
    expected = rendered(answerer.answer("who is Lily Collins?"), answerer.top_shows(2))
    assert result.output == BANNER + "\n" + expected


def test_export_and_history_in_the_console(seeded: FactStore, tmp_path: Path) -> None:
    from facts import importing

    target = tmp_path / "out"
    output = chat(seeded, f"/showfacts export {target}\n/showfacts history\n")
    written = list(target.iterdir())
    names = [line[4:] for line in output.splitlines() if line.startswith("  - ") and line.endswith(".csv")]
    exported = f"Exported {len(written)} fact files.\n" + "".join(f"  - {name}\n" for name in names)
    exported += f"  Written to {target}\n"
    assert sorted(names) == sorted(path.name for path in written)
    history = rendered(importing.history_answer(importing.list_imports(seeded, 10)))
    assert len(written) >= 5
    assert output.startswith(BANNER + "\n" + exported)
    assert output.endswith(history)


def test_import_names_files_as_the_shell_does(
    seeded: FactStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "my figures").mkdir()
    (tmp_path / "my figures" / "a.csv").write_bytes(NEW_FIGURES)
    (tmp_path / "my figures" / "b.csv").write_bytes(b"show,viewers,window\nDark,5M,first 28 days\n")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("FIGURES", "my figures")
    monkeypatch.chdir(tmp_path)
    for argument in ('~/"my figures"/*.csv', '"$FIGURES"/a.csv "$FIGURES/b.csv"', "'my figures'/[ab].csv"):
        preview = chat(seeded, f"/showfacts import {argument}\n")
        assert "Files: a.csv, b.csv." in preview, argument
    missing = chat(seeded, "/showfacts import ~/nothing*.csv\n")
    assert f"Cannot read {tmp_path}/nothing*.csv" in missing


def test_a_console_run_does_not_remember_the_last_one(seeded: FactStore) -> None:
    chat(seeded, "how many people watched emily in paris?\n")
    fresh = Answerer(seeded).answer("who created it?")
    assert chat(seeded, "who created it?\n") == BANNER + "\n" + rendered(fresh)
