"""Two processes on one PostgreSQL database: a write committed by one is answered by the other at its
next question, and no answer ever mixes the facts from before a write with those after it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from facts.postgres import PostgresStore
from tests.backends import PostgresServer

WAIT_SECONDS = 30
COMPARISON = "Which was watched more, Bridgerton or Lupin?"
# The two figures every write sets together, and what the other process may answer.
BEFORE = (82_000_000, 70_000_000)
AFTER = (83_000_000, 71_000_000)
ANSWERS = {
    BEFORE: "Bridgerton was watched more: 82M viewers against 70M for Lupin in their first 28 days.",
    AFTER: "Bridgerton was watched more: 83M viewers against 71M for Lupin in their first 28 days.",
}
SET_FIGURE = (
    "UPDATE viewership SET value = ? WHERE metric = 'viewers' AND time_window = 'first 28 days'"
    " AND show_id = (SELECT id FROM shows WHERE title = ?)"
)
# Enough answers, one after another, for many writes to commit between and during them.
ANSWERS_DURING_WRITES = 200


class AskingProcess:
    """``showfacts ask --json -`` in a process of its own, on the database at ``url``."""

    def __init__(self, url: str) -> None:
        env = {**os.environ, "SHOWFACTS_DB": url, "SLACK_BOT_TOKEN": ""}
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from bot.cli import main; main()", "ask", "--json", "-"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            text=True,
        )

    def ask(self, question: str) -> str:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(question + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line, "the asking process ended"
        headline: str = json.loads(line)["text"].splitlines()[0]
        return headline

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(WAIT_SECONDS)


@pytest.fixture
def url(postgres_server: PostgresServer, tmp_path: Path) -> str:
    """A database holding the bundled seed."""
    return postgres_server.seeded_database(tmp_path)


@pytest.fixture
def other(url: str) -> Iterator[AskingProcess]:
    process = AskingProcess(url)
    yield process
    process.close()


def set_figures(store: PostgresStore, figures: tuple[int, int]) -> None:
    with store.write() as db:
        for title, value in zip(("Bridgerton", "Lupin"), figures, strict=True):
            db.execute(SET_FIGURE, (value, title))


def test_a_write_in_one_process_is_answered_by_the_other_at_its_next_question(
    url: str, other: AskingProcess
) -> None:
    assert other.ask(COMPARISON) == ANSWERS[BEFORE]
    with PostgresStore.open(url) as store:
        set_figures(store, AFTER)
    assert other.ask(COMPARISON) == ANSWERS[AFTER]


def test_answers_during_writes_are_all_before_or_all_after_each_write(url: str, other: AskingProcess) -> None:
    assert other.ask(COMPARISON) == ANSWERS[BEFORE]  # started, and answering
    stop = threading.Event()

    def write_back_and_forth() -> None:
        with PostgresStore.open(url) as store:
            number = 0
            while not stop.is_set():
                set_figures(store, AFTER if number % 2 == 0 else BEFORE)
                number += 1
            set_figures(store, BEFORE)

    writer = threading.Thread(target=write_back_and_forth)
    writer.start()
    try:
        seen = [other.ask(COMPARISON) for _ in range(ANSWERS_DURING_WRITES)]
    finally:
        stop.set()
        writer.join(WAIT_SECONDS)
    assert set(seen) == set(ANSWERS.values()), {answer: seen.count(answer) for answer in set(seen)}
    assert other.ask(COMPARISON) == ANSWERS[BEFORE]  # the last write put the figures back
