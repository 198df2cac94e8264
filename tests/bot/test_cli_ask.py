"""``showfacts ask``: text and JSON-lines output."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli_ask import answer_lines, format_answer
from facts.answering import Answerer
from tests.facts.answering_fixtures import make_answerer, open_catalogue

STDIN_LINES = (
    b"How many people watched Lupin?\n\nwho created emily in paris\n\xff\xfe bad bytes\nEOF-no-newline"
)


@pytest.fixture(scope="module")
def answerer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Answerer]:
    store = open_catalogue(tmp_path_factory.mktemp("ask") / "facts.db", "seed")
    yield make_answerer(store)
    store.close()


def test_text_output_is_the_rendered_answer(answerer: Answerer) -> None:
    assert format_answer(answerer, "How many people watched Lupin?", as_json=False) == (
        "Lupin had 70M viewers in its first 28 days on Netflix.\n"
        "Source: Trade press report on Emily in Paris season 2 (Netflix figures) (as of May 2021)"
    )


def test_json_output_has_the_documented_keys(answerer: Answerer) -> None:
    record = json.loads(format_answer(answerer, "Is Kate Walsh in Emily in Paris?", as_json=True))

    assert {"question", "text", "intent", "entities", "elapsed_ms", "kind", "sources", "choices"} <= set(
        record
    )
    assert record["text"].startswith("Yes: Kate Walsh is in the cast of Emily in Paris.")
    assert [e["name"] for e in record["entities"]] == ["Kate Walsh", "Emily in Paris"]
    assert record["elapsed_ms"] >= 0
    assert record["blocks"] and all("type" in block for block in record["blocks"])


def test_stdin_gives_one_json_object_per_line_in_order(
    answerer: Answerer, capsys: pytest.CaptureFixture[str]
) -> None:
    answer_lines(answerer, io.BytesIO(STDIN_LINES), as_json=True)

    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]

    assert [r["question"] for r in records] == [
        "How many people watched Lupin?",
        "",
        "who created emily in paris",
        "\ufffd\ufffd bad bytes",
        "EOF-no-newline",
    ]
    assert [r["intent"] for r in records[:3]] == ["audience", "unknown", "credits"]


def test_ask_command_end_to_end(tmp_path: Path) -> None:
    from bot.cli import _register_commands, cli

    _register_commands()
    db = str(tmp_path / "facts.db")
    runner = CliRunner()

    text = runner.invoke(cli, ["--db", db, "ask", "who", "created", "Emily", "in", "Paris?"])
    lines = runner.invoke(cli, ["--db", db, "ask", "--json", "-"], input="viewers for lupin\n\n")

    assert text.exit_code == 0, text.output
    assert text.output.splitlines()[0] == "Emily in Paris was created by Darren Star."
    assert [json.loads(line)["kind"] for line in lines.output.splitlines()] == ["answer", "help"]
