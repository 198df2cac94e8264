"""``showfacts ask``: answer questions from the command line, as text or as JSON lines.

``showfacts ask --json -`` reads one question per stdin line and writes exactly one JSON object per
line (blank and undecodable lines included), flushing each, so benchmarks and scripts can drive it.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from importlib import import_module
from typing import Any

import click

from bot.cli import CliState
from facts.answer import Answer
from facts.answering import Answerer
from facts.plaintext import render_text
from facts.startup import warm_up

STDIN = "-"


@click.command()
@click.argument("question", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per question.")
@click.pass_obj
def ask(state: CliState, question: tuple[str, ...], as_json: bool) -> None:
    """Answer QUESTION (use - to read one question per line from stdin)."""
    answerer = Answerer(state.store())
    text = " ".join(question)
    if text == STDIN:
        warm_up(answerer)  # many questions follow: the first should not wait for what they share
        try:
            answer_lines(answerer, sys.stdin.buffer, as_json=as_json)
        except BrokenPipeError:
            # The reader went away (`| head`): stop quietly, and keep Python's exit flush from failing too.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return
    if not text.strip():
        raise click.UsageError('Give a question, e.g. showfacts ask "How many people watched Lupin?"')
    click.echo(format_answer(answerer, text, as_json=as_json))


def answer_lines(answerer: Answerer, stream: Any, *, as_json: bool) -> None:
    """Answer every line of a binary stream, writing one result per line and flushing each."""
    for raw in stream:
        text = raw.decode("utf-8", errors="replace").rstrip("\r\n")
        sys.stdout.write(format_answer(answerer, text, as_json=as_json) + "\n")
        sys.stdout.flush()


def format_answer(answerer: Answerer, text: str, *, as_json: bool) -> str:
    """Answer ``text`` and return the plain text, or one line of JSON with timing and entities."""
    started = time.perf_counter()
    answer = answerer.answer(text)
    elapsed_ms = (time.perf_counter() - started) * 1000
    if not as_json:
        return render_text(answer)
    return json.dumps(answer_record(text, answer, elapsed_ms), ensure_ascii=False)


def answer_record(question: str, answer: Answer, elapsed_ms: float) -> dict[str, Any]:
    """Return the JSON-ready record of one answered question."""
    record: dict[str, Any] = {
        "question": question,
        "text": render_text(answer),
        "kind": answer.kind,
        "intent": answer.intent,
        "entities": [
            {"kind": e.kind, "id": e.id, "name": e.name, "matched_text": e.matched_text, "score": e.score}
            for e in answer.entities
        ],
        "sources": [{"name": s.name, "as_of": s.as_of} for s in answer.sources],
        "choices": [{"label": c.label, "question": c.question} for c in answer.choices],
        "elapsed_ms": round(elapsed_ms, 3),
    }
    renderer = _block_renderer()
    if renderer is not None:
        try:
            record["blocks"] = renderer(answer)
        except Exception as error:  # the renderer is another module's; report rather than die
            record["blocks_error"] = f"{type(error).__name__}: {error}"
    return record


def _block_renderer() -> Callable[[Answer], Any] | None:
    try:  # the Slack renderer is optional for the CLI: skip blocks when it cannot be imported
        blocks = import_module("bot.blocks")
    except ImportError:
        return None
    renderer: Callable[[Answer], Any] = blocks.answer_blocks
    return renderer


COMMANDS = [ask]
