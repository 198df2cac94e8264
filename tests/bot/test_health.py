"""Health checks: ``GET /health`` of the web process (200 while the fact database can be read) and of
the Socket Mode worker (200 while also connected to Slack); 503 otherwise."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from slack_bolt.adapter.socket_mode import SocketModeHandler

from bot.app import create_app
from bot.server import ShowfactsRequestHandler
from bot.settings import Settings
from bot.socket_mode import serve_health
from facts.answering import Answerer
from facts.store import FactStore
from tests.bot.conftest import FAST_RETRY
from tests.bot.fakeslack import (
    APP_TOKEN,
    SIGNING_SECRET,
    WAIT_SECONDS,
    FakeSlack,
    FakeSocketMode,
    SlackDriver,
)


def get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_health_is_ok_while_the_database_can_be_read(slack: SlackDriver) -> None:
    assert get(f"{slack.base}/health") == (200, {"status": "ok", "database": "reachable"})


def test_health_is_503_when_the_database_cannot_be_read(
    settings: Settings, store: FactStore, fake: FakeSlack, tmp_path: Path
) -> None:
    gone = tmp_path / "gone.db"
    app = create_app(settings, store, Answerer(store))
    driver = SlackDriver(ShowfactsRequestHandler(app, SIGNING_SECRET, gone), fake)
    try:
        status, body = get(f"{driver.base}/health")
        gone.write_bytes(b"this is not SQLite at all" * 100)
        corrupt = get(f"{driver.base}/health")
    finally:
        driver.close()
    assert status == 503
    assert body["status"] == "unavailable"
    assert body["database"].startswith(f"The fact database {gone} cannot be read (")
    assert corrupt[0] == 503


def test_other_paths_are_not_found(slack: SlackDriver) -> None:
    status, _ = get_text(f"{slack.base}/slack/events")  # GET: Slack only POSTs
    assert status == 404


def get_text(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def handler(settings: Settings, store: FactStore, fake: FakeSlack) -> Iterator[SocketModeHandler]:
    app = create_app(settings, store, Answerer(store), retry=FAST_RETRY)
    socket_mode = SocketModeHandler(app, app_token=APP_TOKEN, web_client=app.client)
    yield socket_mode
    socket_mode.close()


def health_of(handler: SocketModeHandler, db_path: Path) -> tuple[int, dict]:
    server = serve_health(handler.client.is_connected, db_path, port=0, host="127.0.0.1")
    try:
        return get(f"http://127.0.0.1:{server.server_address[1]}/health")
    finally:
        server.shutdown()
        server.server_close()


def test_a_worker_not_connected_to_slack_is_unhealthy(handler: SocketModeHandler, settings: Settings) -> None:
    assert health_of(handler, settings.db_path) == (
        503,
        {"status": "unavailable", "socket_mode": "disconnected", "database": "reachable"},
    )


def test_a_connected_worker_is_healthy_until_its_database_goes(
    handler: SocketModeHandler, settings: Settings, fake: FakeSlack, tmp_path: Path
) -> None:
    slack_socket = FakeSocketMode()
    fake.socket_url = slack_socket.url
    try:
        handler.connect()
        deadline = time.monotonic() + WAIT_SECONDS
        while not handler.client.is_connected():
            assert time.monotonic() < deadline, "Socket Mode did not connect to the fake"
            time.sleep(0.02)
        healthy = health_of(handler, settings.db_path)
        no_database = health_of(handler, tmp_path / "missing.db")
    finally:
        slack_socket.close()
    assert healthy == (200, {"status": "ok", "socket_mode": "connected", "database": "reachable"})
    assert no_database[0] == 503
    assert no_database[1]["socket_mode"] == "connected"
    assert no_database[1]["database"].startswith("The fact database ")
