"""Slack over HTTP when the network misbehaves: downloads cut short or trickling, response_urls and
the Web API failing for a while. No answer is lost without a word, and nothing half-arrived is applied.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest

from bot.app import create_app
from bot.buttons import ACTION_APPLY
from bot.server import wsgi_app
from bot.settings import Settings
from facts.answering import Answerer
from facts.store import FactStore
from tests.bot.conftest import file_share
from tests.bot.fakeslack import FakeSlack, SlackDriver

ROWS = 1000
FIGURES = ("show,viewers,window\n" + "".join(f"Show {n},{n}M,first 28 days\n" for n in range(ROWS))).encode()
# A download deadline short enough for a test; the trickle would take far longer.
SHORT_DEADLINE_SECONDS = 0.5
TRICKLE_SECONDS_A_BYTE = 0.05


@pytest.fixture
def impatient(settings: Settings, store: FactStore, fake: FakeSlack) -> Iterator[SlackDriver]:
    """The app with a short download deadline."""
    quick = dataclasses.replace(settings, download_seconds=SHORT_DEADLINE_SECONDS)
    driver = SlackDriver(wsgi_app(create_app(quick, store, Answerer(store)), quick.signing_secret), fake)
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
