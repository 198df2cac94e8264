"""Fixtures for the Slack app: a fake Slack Web API, the real app served over HTTP, a signed driver."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from bot.app import create_app
from bot.delivery import RetryPolicy
from bot.server import asgi_app
from bot.settings import Settings
from facts.answer import Answer
from facts.answering import Answerer
from facts.importing import DEFAULT_TUNING, ImportTuning, open_seeded
from facts.store import FactStore
from tests.bot.fakeslack import BOT_TOKEN, SIGNING_SECRET, FakeSlack, SlackDriver

# Retries as in production, but milliseconds apart.
FAST_RETRY = RetryPolicy(backoff_seconds=0.01)
ADMIN = "UADMIN"
ASKER = "UASKER"
UPLOAD_LIMIT = 200_000
# What the fault-injected answerer raises; no reply or log may ever show it.
FAULT = "secret internals"


class FailingAnswerer(Answerer):
    """Fails on every question as a bug would: the fault the apology tests inject through create_app."""

    def answer(self, *args: Any, **kwargs: Any) -> Answer:
        raise RuntimeError(FAULT)


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    server = FakeSlack()
    server.add_user(ADMIN)
    server.add_user(ASKER)
    server.add_user("UOWNER", is_owner=True)
    yield server
    server.close()


@pytest.fixture
def settings(tmp_path: Path, fake: FakeSlack) -> Settings:
    return Settings(
        db_path=tmp_path / "facts.db",
        bot_token=BOT_TOKEN,
        signing_secret=SIGNING_SECRET,
        admins=frozenset({ADMIN}),
        api_base_url=fake.api_url,
        max_upload_bytes=UPLOAD_LIMIT,
    )


@pytest.fixture
def store(settings: Settings) -> Iterator[FactStore]:
    opened = open_seeded(settings.db_path)
    yield opened
    opened.close()


@contextmanager
def serve_app(
    settings: Settings, answerer: Answerer, fake: FakeSlack, tuning: ImportTuning = DEFAULT_TUNING
) -> Iterator[SlackDriver]:
    """Serve the real showfacts app answering with ``answerer`` on 127.0.0.1; drive it signed.

    ``tuning``: how the app imports uploads (a test's pause or fault hook).
    """
    app = create_app(settings, answerer.store, answerer, retry=FAST_RETRY, tuning=tuning)
    driver = SlackDriver(asgi_app(app, settings), fake, answers=app.answers)
    try:
        yield driver
    finally:
        driver.close()


@pytest.fixture
def slack(settings: Settings, store: FactStore, fake: FakeSlack) -> Iterator[SlackDriver]:
    """The real showfacts app over the seed facts, served on 127.0.0.1, with a signing driver."""
    with serve_app(settings, Answerer(store), fake) as driver:
        yield driver


@pytest.fixture
def failing_slack(settings: Settings, store: FactStore, fake: FakeSlack) -> Iterator[SlackDriver]:
    """The app of :func:`slack`, but every question fails unexpectedly (see :class:`FailingAnswerer`)."""
    with serve_app(settings, FailingAnswerer(store), fake) as driver:
        yield driver


def mention(text: str, *, ts: str = "1700000000.000100", channel: str = "C0001", **extra: object) -> dict:
    """A mention of the bot in a channel, as Slack sends the event."""
    return {"type": "app_mention", "user": ASKER, "text": text, "ts": ts, "channel": channel, **extra}


def direct_message(text: str, *, ts: str = "1700000000.000200", **extra: object) -> dict:
    """A DM to the bot, as Slack sends the event."""
    return {
        "type": "message",
        "channel_type": "im",
        "channel": "D0001",
        "user": ASKER,
        "text": text,
        "ts": ts,
        **extra,
    }


def file_share(
    fake: FakeSlack, name: str, data: bytes, *, user: str = ADMIN, file_id: str = "F1", **extra: object
) -> dict:
    """A DM with one uploaded file, as Slack sends it (the file is served by ``fake``)."""
    info = fake.add_file(file_id, name, data, **extra)
    return {
        "type": "message",
        "subtype": "file_share",
        "channel_type": "im",
        "channel": "D0001",
        "user": user,
        "text": "",
        "ts": f"{time.time():.6f}",
        "files": [info],
    }


def apply_token(message: dict) -> str:
    """The staging token an upload preview's Apply button carries."""
    return next(
        element["value"]
        for block in message["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == "showfacts_apply"
    )
