"""Any question text gets an answer, never an exception: property tests and a junk corpus.

``Answerer.answer`` catches every exception at its boundary and turns it into an apology, so
"does not raise" alone proves nothing. These tests also require that no bug was swallowed on the
way (nothing logged at ERROR, never the generic apology), and that every answer renders to the
terminal and to Slack within Slack's limits and without pinging anyone.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.blocks import answer_message
from bot.buttons import Ask
from bot.mrkdwn import text_from_slack
from facts.answer import Answer, Context
from facts.answering import Answerer
from facts.importing import open_seeded
from facts.plaintext import render_text
from facts.store import FactStore
from tests.bot.blockcheck import assert_no_pings, assert_within_limits
from tests.conftest import REPO_ROOT

JUNK = REPO_ROOT / "tests" / "data" / "junk" / "questions.txt"
FUZZ_EXAMPLES = 150
SUBPROCESS_TIMEOUT_S = 120
GENERIC_APOLOGY = "Sorry, something went wrong"
INTENTS = (None, "audience", "cast", "whois", "top")
# Words the question parser reacts to; mixed with names and junk they reach deeper code paths.
QUESTION_WORDS = (
    "how many people watched",
    "who created",
    "who is in",
    "who plays",
    "compare",
    "vs",
    "and",
    "top",
    "season 2",
    "on Netflix",
    "in 2021",
    "it",
    "?",
)
HOSTILE_PIECES = (
    "'; DROP TABLE shows;--",
    "{0}",
    "%s%n",
    "<!channel>",
    "<@U123>",
    "&amp;",
    "\u202e",
    "\u200b",
)

# Lone surrogates arrive in Slack's JSON ("\\ud800"); Hypothesis's characters() never draws them.
ANY_CHARACTER = st.one_of(st.characters(codec=None), st.integers(0xD800, 0xDFFF).map(chr))

FUZZ = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FactStore]:
    opened = open_seeded(tmp_path_factory.mktemp("fuzz") / "facts.db")
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def answerer(store: FactStore) -> Answerer:
    return Answerer(store)


@pytest.fixture(scope="module")
def known_names(store: FactStore) -> list[str]:
    """Names from the store's own name index, so the fuzz reaches real entities (none hard-coded)."""
    with store.read() as db:
        return sorted(
            {row[0] for row in db.execute("SELECT text FROM names ORDER BY id LIMIT 400").fetchall()}
        )


def check_answer(answer: Answer, caplog: pytest.LogCaptureFixture) -> None:
    """The answer is a real answer (no swallowed bug) and renders everywhere within Slack's limits."""
    errors = [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR]
    assert errors == []
    assert not answer.headline.startswith(GENERIC_APOLOGY), answer
    assert answer.headline.strip()
    assert render_text(answer).strip()
    message = answer_message(answer, ask=Ask("q"), shareable=True)
    assert_within_limits(message["blocks"])
    assert_no_pings(message)
    json.dumps(answer.to_dict())


def ask(answerer: Answerer, text: str, caplog: pytest.LogCaptureFixture, **kwargs: object) -> Answer:
    caplog.clear()
    with caplog.at_level(logging.ERROR):
        answer = answerer.answer(text, **kwargs)  # type: ignore[arg-type]
    check_answer(answer, caplog)
    return answer


@FUZZ
@given(text=st.text(alphabet=ANY_CHARACTER, max_size=300))
def test_any_unicode_text_gets_an_answer(
    answerer: Answerer, caplog: pytest.LogCaptureFixture, text: str
) -> None:
    ask(answerer, text, caplog)


@FUZZ
@given(data=st.data(), intent=st.sampled_from(INTENTS))
def test_names_words_and_junk_mixed_get_an_answer(
    answerer: Answerer,
    known_names: list[str],
    caplog: pytest.LogCaptureFixture,
    data: st.DataObject,
    intent: str | None,
) -> None:
    piece = st.one_of(
        st.sampled_from(known_names),
        st.sampled_from(QUESTION_WORDS),
        st.sampled_from(HOSTILE_PIECES),
        st.text(max_size=8),
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
    )
    text = " ".join(data.draw(st.lists(piece, max_size=8)))
    ask(answerer, text, caplog, intent=intent)


@FUZZ
@given(data=st.data())
def test_follow_ups_after_any_answer_get_an_answer(
    answerer: Answerer, known_names: list[str], caplog: pytest.LogCaptureFixture, data: st.DataObject
) -> None:
    first = ask(answerer, data.draw(st.sampled_from(known_names)), caplog)
    follow_up = data.draw(st.one_of(st.sampled_from(QUESTION_WORDS), st.text(max_size=40)))
    ask(answerer, follow_up, caplog, context=first.context)


@FUZZ
@given(
    context=st.builds(
        Context.from_dict,
        st.dictionaries(
            st.text(max_size=10),
            st.one_of(st.none(), st.integers(), st.text(max_size=20), st.lists(st.integers(), max_size=3)),
            max_size=5,
        ),
    )
)
def test_a_damaged_context_from_a_button_gets_an_answer(
    answerer: Answerer, caplog: pytest.LogCaptureFixture, context: Context
) -> None:
    ask(answerer, "who created it?", caplog, context=context)


def junk_lines() -> list[bytes]:
    return JUNK.read_bytes().split(b"\n")[:-1]


def test_the_junk_corpus_has_what_it_promises() -> None:
    lines = junk_lines()
    assert sum(len(line.decode("utf-8", "replace")) == 20_000 for line in lines) == 5
    assert b"<!channel>" in lines and b"'; DROP TABLE shows;--" in lines
    assert any(b"\x00" in line for line in lines)


@pytest.mark.parametrize("line", junk_lines(), ids=lambda line: repr(line[:30]))
def test_every_junk_line_gets_an_answer_in_the_console_and_in_slack(
    answerer: Answerer, caplog: pytest.LogCaptureFixture, line: bytes
) -> None:
    text = line.decode("utf-8", errors="replace")
    ask(answerer, text, caplog)
    ask(answerer, text_from_slack(text, bot_user_id="UBOT"), caplog)


def feed_junk(tmp_path: Path, *command: str) -> subprocess.CompletedProcess[bytes]:
    """Run ``showfacts COMMAND`` on a new database with the junk corpus as its standard input."""
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "--db", str(tmp_path / "facts.db"), *command],
        input=JUNK.read_bytes(),
        capture_output=True,
        cwd=REPO_ROOT,
        timeout=SUBPROCESS_TIMEOUT_S,
        check=False,
    )


def test_showfacts_ask_json_answers_every_junk_line_with_one_object(tmp_path: Path) -> None:
    lines = junk_lines()
    done = feed_junk(tmp_path, "ask", "--json", "-")
    assert (done.returncode, done.stderr) == (0, b"")
    records = [json.loads(out) for out in done.stdout.decode("utf-8").split("\n")[:-1]]
    assert [record["question"] for record in records] == [
        line.decode("utf-8", errors="replace").rstrip("\r") for line in lines
    ]
    assert all(record["text"] and "blocks_error" not in record for record in records)
    assert not any(record["text"].startswith(GENERIC_APOLOGY) for record in records)


def test_the_console_chat_answers_the_junk_corpus_and_exits_cleanly(tmp_path: Path) -> None:
    done = feed_junk(tmp_path, "chat")
    assert (done.returncode, done.stderr) == (0, b"")
    assert GENERIC_APOLOGY.encode() not in done.stdout
