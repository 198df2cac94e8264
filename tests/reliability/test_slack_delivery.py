"""Slack over HTTP when the network misbehaves: downloads cut short or trickling, response_urls and
the Web API failing for a while. No answer is lost without a word, and nothing half-arrived is applied.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator
from typing import Any

import pytest

from bot.app import create_app
from bot.blocks import fallback_text
from bot.buttons import ACTION_APPLY
from bot.replies import GENERIC_ERROR
from bot.server import asgi_app
from bot.settings import Settings
from facts.answering import Answerer
from facts.store import FactStore
from tests.bot.conftest import FAST_RETRY, FAULT, file_share, serve_app
from tests.bot.fakeslack import BOT_TOKEN, SIGNING_SECRET, FakeSlack, SlackDriver

ROWS = 1000
FIGURES = ("show,viewers,window\n" + "".join(f"Show {n},{n}M,first 28 days\n" for n in range(ROWS))).encode()
# A download deadline, and a wait for data, short enough for a test; the trickle would take far longer.
SHORT_DEADLINE_SECONDS = 0.5
SHORT_IDLE_SECONDS = 0.3
TRICKLE_SECONDS_A_BYTE = 0.05
STALLED_SECONDS_A_BYTE = 1.5
# A server sending a byte just before each read's idle timeout, and how far past its deadline a
# download may end (the failure reply included): reads checked against the deadline only between
# them would end it nearly one idle timeout late.
PACED_DEADLINE_SECONDS = 1.0
PACED_IDLE_SECONDS = 1.0
PACED_SECONDS_A_BYTE = 0.9
DEADLINE_MARGIN_SECONDS = 0.4


def serve_impatient(settings: Settings, store: FactStore, fake: FakeSlack, **timeouts: float) -> SlackDriver:
    """The app with the download timeouts ``timeouts`` (Settings fields)."""
    quick = dataclasses.replace(settings, **timeouts)
    app = create_app(quick, store, Answerer(store), retry=FAST_RETRY)
    return SlackDriver(asgi_app(app, quick), fake, answers=app.answers)


@pytest.fixture
def impatient(settings: Settings, store: FactStore, fake: FakeSlack) -> Iterator[SlackDriver]:
    """The app with a short download deadline and wait for data."""
    driver = serve_impatient(
        settings,
        store,
        fake,
        download_seconds=SHORT_DEADLINE_SECONDS,
        download_idle_seconds=SHORT_IDLE_SECONDS,
    )
    yield driver
    driver.close()


def test_a_download_cut_short_is_refused_not_previewed(
    slack: SlackDriver, fake: FakeSlack, store: FactStore
) -> None:
    half = FIGURES.index(b"Show 500,")
    event = file_share(fake, "figures.csv", FIGURES, file_id="FCUT")
    fake.state.cut_at["FCUT"] = half
    generation = store.generation()
    slack.event(event)
    (call,) = fake.wait_for("/api/chat.postMessage")
    assert call.body["text"] == (
        f"Only {half / 1024:.1f} KB of figures.csv ({len(FIGURES) / 1024:.1f} KB) arrived, "
        "so I imported nothing. Please send it again."
    )
    assert ACTION_APPLY not in str(call.body.get("blocks"))
    assert store.generation() == generation


def test_a_download_shorter_than_slack_said_is_refused(slack: SlackDriver, fake: FakeSlack) -> None:
    """No Content-Length to go by (or a wrong one): files.info's size still tells."""
    half = FIGURES[: FIGURES.index(b"Show 500,")]
    slack.event(file_share(fake, "figures.csv", half, file_id="FSHORT", size=len(FIGURES)))
    (call,) = fake.wait_for("/api/chat.postMessage")
    assert call.body["text"].startswith(f"Only {len(half) / 1024:.1f} KB of figures.csv (")


def test_a_trickling_download_is_given_up_on_time(
    impatient: SlackDriver, fake: FakeSlack, store: FactStore
) -> None:
    event = file_share(fake, "figures.csv", FIGURES[:200], file_id="FSLOW")
    fake.state.trickle["FSLOW"] = TRICKLE_SECONDS_A_BYTE
    impatient.event(event)
    (call,) = fake.wait_for("/api/chat.postMessage")
    assert call.body["text"].startswith("figures.csv arrived too slowly: ")
    assert call.body["text"].endswith(
        f" in {SHORT_DEADLINE_SECONDS:g} s, so I stopped and imported nothing. "
        "Please send it again in a minute."
    )


def test_a_download_that_stops_arriving_is_given_up_without_waiting_for_more(
    impatient: SlackDriver, fake: FakeSlack
) -> None:
    event = file_share(fake, "figures.csv", FIGURES[:200], file_id="FSTOP")
    fake.state.trickle["FSTOP"] = STALLED_SECONDS_A_BYTE  # one byte, then a gap longer than the deadline
    impatient.event(event)
    (call,) = fake.wait_for("/api/chat.postMessage")
    assert call.body["text"] == (
        f"figures.csv stopped arriving after 1 byte (nothing came for {SHORT_IDLE_SECONDS:g} s), "
        "so I stopped and imported nothing. Please send it again in a minute."
    )


def test_a_download_paced_to_beat_each_read_timeout_still_ends_at_its_deadline(
    settings: Settings, store: FactStore, fake: FakeSlack
) -> None:
    event = file_share(fake, "figures.csv", FIGURES[:200], file_id="FPACED")
    fake.state.trickle["FPACED"] = PACED_SECONDS_A_BYTE
    paced = serve_impatient(
        settings,
        store,
        fake,
        download_seconds=PACED_DEADLINE_SECONDS,
        download_idle_seconds=PACED_IDLE_SECONDS,
    )
    try:
        paced.event(event)
        (call,) = fake.wait_for("/api/chat.postMessage")
    finally:
        paced.close()
    (download,) = fake.calls("/files/FPACED")
    assert call.at - download.at < PACED_DEADLINE_SECONDS + DEADLINE_MARGIN_SECONDS
    assert call.body["text"].startswith("figures.csv arrived too slowly: ")
    assert call.body["text"].endswith(
        f" in {PACED_DEADLINE_SECONDS:g} s, so I stopped and imported nothing. "
        "Please send it again in a minute."
    )


# ------------------------------------------------------------------ answers that Slack refused for a while

TRIGGER_ID = "123.456.abc"  # the driver's slash commands carry this trigger_id
REFUSED = "the response_url answered HTTP 500 (server_error)"
DM_QUESTION = "how many people watched my secret favourite Lupin?"


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    with caplog.at_level(logging.INFO):
        yield caplog


def lupin_answer(store: FactStore) -> str:
    return fallback_text(Answerer(store).answer("Lupin", intent="audience"))


@pytest.mark.parametrize("statuses", [(429,), (500,), (503, 500)])
def test_a_response_url_failing_for_a_while_still_gets_the_answer(
    slack: SlackDriver, fake: FakeSlack, store: FactStore, statuses: tuple[int, ...]
) -> None:
    fake.fail_responses(*statuses)
    path = slack.command("/viewers", "Lupin")
    calls = fake.wait_for(path, len(statuses) + 1)
    assert [call.body["text"] for call in calls] == [lupin_answer(store)] * (len(statuses) + 1)


def test_chat_post_message_failing_for_a_while_still_answers_the_dm(
    slack: SlackDriver, fake: FakeSlack, store: FactStore
) -> None:
    fake.fail_api("chat.postMessage", 500, 503)
    slack.event(dm("Lupin", ts="1.1"))
    calls = fake.wait_for("/api/chat.postMessage", 3)
    assert calls[-1].body["text"] == fallback_text(Answerer(store).answer("Lupin"))


def test_an_answer_slack_never_takes_is_logged_with_the_request_id(
    slack: SlackDriver, fake: FakeSlack, logs: pytest.LogCaptureFixture
) -> None:
    attempts = FAST_RETRY.retries + 1
    fake.fail_responses(*[500] * (2 * attempts))  # the answer and the apology alike
    path = slack.command("/viewers", "Lupin")
    fake.wait_for(path, 2 * attempts)
    slack.wait_for_answers()
    assert "outcome=undelivered" in logs.text
    errors = [record.getMessage() for record in logs.records if record.levelno >= logging.ERROR]
    assert errors == [
        f"answer to request {TRIGGER_ID} not delivered after retries: {REFUSED}",
        f"apology for request {TRIGGER_ID} not delivered either: {REFUSED}",
    ]
    assert path not in logs.text  # the response_url lets anyone post in the conversation
    assert len(fake.calls(path)) == 2 * attempts


def test_an_apology_gets_through_when_only_the_answer_failed(
    slack: SlackDriver, fake: FakeSlack, logs: pytest.LogCaptureFixture
) -> None:
    fake.fail_api("chat.postMessage", *[500] * (FAST_RETRY.retries + 1))
    slack.event(dm("Lupin", ts="1.2"), event_id="EvFAIL1")
    calls = fake.wait_for("/api/chat.postMessage", FAST_RETRY.retries + 2)
    assert calls[-1].body["text"] == GENERIC_ERROR
    assert (
        "answer to request EvFAIL1 not delivered after retries: Slack answered 500 fatal_error" in logs.text
    )
    slack.wait_for_answers()
    assert "outcome=apologised" in logs.text


def test_every_answer_is_one_log_line_without_the_question(
    slack: SlackDriver, fake: FakeSlack, logs: pytest.LogCaptureFixture
) -> None:
    fake.wait_for(slack.command("/viewers", "Lupin"))
    slack.event(dm(DM_QUESTION, ts="1.3"), event_id="EvDM1")
    slack.wait_for_answers()
    lines = [record for record in logs.records if record.getMessage().startswith("answer request=")]
    assert [line.getMessage().rsplit(" latency_ms=", 1)[0] for line in lines] == [
        f"answer request={TRIGGER_ID} surface=command intent=audience outcome=answer",
        "answer request=EvDM1 surface=dm intent=audience outcome=answer",
    ]
    assert all(float(line.latency_ms) >= 0 for line in lines)
    assert DM_QUESTION not in logs.text and "secret favourite" not in logs.text
    assert BOT_TOKEN not in logs.text and SIGNING_SECRET not in logs.text


class BrokenLinker:
    """A linker with a bug: linking any name raises."""

    def link(self, question: str, *, kinds: frozenset[str] | None = None) -> Any:
        raise RuntimeError(FAULT)


def test_a_question_that_fails_is_logged_without_its_text(
    settings: Settings, store: FactStore, fake: FakeSlack, logs: pytest.LogCaptureFixture
) -> None:
    with serve_app(settings, Answerer(store, linker=BrokenLinker()), fake) as slack:
        slack.event(dm(DM_QUESTION, ts="1.4"), event_id="EvBUG1")
        (call,) = fake.wait_for("/api/chat.postMessage")
        slack.wait_for_answers()
    assert call.body["text"] == "Sorry, something went wrong while answering that. Please try rephrasing it."
    (error,) = [record for record in logs.records if record.levelno >= logging.ERROR]
    assert error.exc_info is not None and FAULT in str(error.exc_info[1])  # the bug is there to fix
    assert DM_QUESTION not in logs.text and "secret favourite" not in logs.text
    assert all("secret favourite" not in str(record.args) for record in logs.records)


def dm(text: str, *, ts: str) -> dict[str, str]:
    """A direct message to the bot."""
    return {
        "type": "message",
        "channel_type": "im",
        "channel": "D1",
        "user": "UASKER",
        "text": text,
        "ts": ts,
    }
