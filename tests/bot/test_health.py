"""``GET /health`` of the web process: 200 while the fact database can be read, 503 otherwise."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

from bot.app import create_app
from bot.server import ShowfactsRequestHandler
from bot.settings import Settings
from facts.answering import Answerer
from facts.store import FactStore
from tests.bot.fakeslack import SIGNING_SECRET, FakeSlack, SlackDriver


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
