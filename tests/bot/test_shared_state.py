"""Two web processes on one database, as two hosts run them: a Slack retry delivered to the other one
is answered once, and a follow-up sent to the other one uses the conversation's context. On SQLite
(one file, one host) and on PostgreSQL (every host)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.blocks import fallback_text
from bot.server import ShowfactsRequestHandler, create_asgi_app
from facts.answering import Answerer
from facts.importing import open_seeded
from tests.backends import Backend
from tests.bot.conftest import ADMIN, direct_message
from tests.bot.fakeslack import BOT_TOKEN, SIGNING_SECRET, FakeSlack, SlackDriver

EMILY = "how many people watched Emily in Paris?"


@pytest.fixture
def webs(
    backend: Backend, tmp_path: Path, fake: FakeSlack, request: pytest.FixtureRequest
) -> Iterator[tuple[SlackDriver, SlackDriver]]:
    """Two web processes, each as uvicorn's factory builds it from the environment, on one database."""
    if backend.name == "sqlite":
        database = {"SHOWFACTS_DB": str(tmp_path / "facts.db")}
    else:
        database = {"DATABASE_URL": request.getfixturevalue("postgres_server").new_database()}
    environ = {
        **database,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_BASE_URL": fake.api_url,
        "SHOWFACTS_ADMINS": ADMIN,
    }
    handlers: list[ShowfactsRequestHandler] = [create_asgi_app(environ) for _ in range(2)]
    drivers = [SlackDriver(handler, fake, answers=handler.app.answers) for handler in handlers]
    yield drivers[0], drivers[1]
    for driver in drivers:
        driver.close()


def test_a_retry_delivered_to_the_other_process_is_answered_once(
    webs: tuple[SlackDriver, SlackDriver], fake: FakeSlack
) -> None:
    one, other = webs
    event = direct_message("who is Lily Collins?", ts="3.3")
    assert one.event(event, event_id="EvSAME").status == 200
    assert other.event(event, event_id="EvSAME", retry=1).status == 200
    one.wait_for_answers()
    other.wait_for_answers()
    assert len(fake.calls("/api/chat.postMessage")) == 1


def test_a_follow_up_sent_to_the_other_process_uses_the_conversation(
    webs: tuple[SlackDriver, SlackDriver], fake: FakeSlack, tmp_path: Path
) -> None:
    one, other = webs
    one.event(direct_message(EMILY, ts="1.1"), event_id="EvFIRST")
    fake.wait_for("/api/chat.postMessage")
    other.event(direct_message("who created it?", ts="1.2"), event_id="EvSECOND")
    second = fake.wait_for("/api/chat.postMessage", 2)[1]
    with open_seeded(tmp_path / "expected.db") as store:
        answerer = Answerer(store)
        expected = answerer.answer("who created it?", context=answerer.answer(EMILY).context)
    assert second.body["text"] == fallback_text(expected)
