"""Slack over HTTP, attacked: forged and stale signatures, pings smuggled in data, leaked secrets,
admin actions by non-admins, and malformed payloads. Runs the real app through helper C's fake
Slack and signing driver (tests/bot/fakeslack.py).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.blocks import fallback_text
from bot.buttons import ACTION_APPLY, ACTION_CANCEL, ACTION_SHARE, Ask
from bot.replies import GENERIC_ERROR
from bot.settings import Settings
from facts import importing
from facts.answering import Answerer
from facts.store import FactStore
from tests.bot.blockcheck import assert_no_pings
from tests.bot.conftest import ADMIN, FAULT, apply_token, file_share
from tests.bot.fakeslack import BOT_TOKEN, BOT_USER, SIGNING_SECRET, TEAM, FakeSlack, Posted, SlackDriver
from tests.reliability.pausing import kill, start_paused_cli

STALE_SECONDS = 301
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
# How long stalled connections get to reach the server before a real request follows them.
SETTLE_SECONDS = 0.1
# Three answers while an import holds the write lock: each must not wait for it (Slack gives 3 s).
LOCKED_ANSWER_SECONDS = 3.0
ADMINS_ONLY = (
    "Only showfacts admins can change the facts, so I left them as they are.\n"
    "Ask a workspace admin to add your user ID to SHOWFACTS_ADMINS if you should be one."
)
PING_SHOW = "Pingers <!channel> & <@U0VICTIM> <!subteam^S1|@team>"
PING_FILES = [
    (
        "shows.csv",
        f"title,summary,network\n{PING_SHOW},Loved by <!here> and <!everyone>,<@U0VICTIM>\n".encode(),
    ),
    ("figures.csv", f"show,viewers,window,platform\n{PING_SHOW},999M,first 28 days,Netflix\n".encode()),
    ("credits.csv", f"show,name,role,character\n{PING_SHOW},<!channel> Star,cast,<@U0VICTIM>\n".encode()),
]


@pytest.fixture
def ping_store(store: FactStore) -> FactStore:
    """The seed plus a show whose every name, summary and credit is a Slack ping."""
    files = [importing.ImportFile(name, data) for name, data in PING_FILES]
    importing.apply_import(store, importing.plan_import(store, files), user=ADMIN)
    return store


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Capture every log record, DEBUG included, from every library."""
    with caplog.at_level(logging.DEBUG):
        yield caplog


def sign(body: str, timestamp: str, secret: str = SIGNING_SECRET) -> str:
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return f"v0={digest}"


def command_form(fake: FakeSlack, text: str = "Lupin", **extra: str) -> str:
    form = {
        "command": "/viewers",
        "text": text,
        "user_id": "UASKER",
        "channel_id": "C0001",
        "team_id": TEAM,
        "response_url": fake.response_url(),
        "trigger_id": "1.2.3",
        **extra,
    }
    return urllib.parse.urlencode(form)


def everything_sent(fake: FakeSlack) -> str:
    """Every body the bot sent to Slack (API calls and response_url posts), as one text."""
    return "\n".join(call.raw.decode("utf-8", "replace") for call in fake.state.calls)


def replies_sent(fake: FakeSlack) -> list[dict[str, Any]]:
    return [call.body for call in fake.state.calls if call.path.startswith(("/response", "/api/chat."))]


# ------------------------------------------------------------------ signatures


def post_raw(slack: SlackDriver, body: str, headers: dict[str, str]) -> Posted:
    """POST a form with exactly these Slack headers (the driver always adds both)."""
    request = urllib.request.Request(
        slack.url,
        data=body.encode(),
        method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded", **headers},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return Posted(response.status, response.read().decode())
    except urllib.error.HTTPError as error:
        return Posted(error.code, error.read().decode())


def forged_requests(fake: FakeSlack) -> dict[str, tuple[str, dict[str, str]]]:
    now = str(int(time.time()))
    body = command_form(fake)
    return {
        "no signature": (body, {"X-Slack-Signature": ""}),
        "no timestamp": (body, {"X-Slack-Request-Timestamp": ""}),
        "tampered body": (body.replace("Lupin", "Dark"), {"X-Slack-Signature": sign(body, now)}),
        "another secret": (body, {"X-Slack-Signature": sign(body, now, "not-the-secret")}),
        "another version": (body, {"X-Slack-Signature": "v1=" + sign(body, now)[3:]}),
        "stale": (
            body,
            {
                "X-Slack-Request-Timestamp": str(int(now) - STALE_SECONDS),
                "X-Slack-Signature": sign(body, str(int(now) - STALE_SECONDS)),
            },
        ),
        "from the future": (
            body,
            {
                "X-Slack-Request-Timestamp": str(int(now) + STALE_SECONDS),
                "X-Slack-Signature": sign(body, str(int(now) + STALE_SECONDS)),
            },
        ),
        "timestamp not a number": (
            body,
            {"X-Slack-Request-Timestamp": "soon", "X-Slack-Signature": sign(body, "soon")},
        ),
    }


@pytest.mark.parametrize(
    "case",
    [
        "no signature",
        "no timestamp",
        "tampered body",
        "another secret",
        "another version",
        "stale",
        "from the future",
        "timestamp not a number",
    ],
)
def test_forged_requests_are_refused_and_do_nothing(
    slack: SlackDriver, fake: FakeSlack, logs: pytest.LogCaptureFixture, case: str
) -> None:
    body, headers = forged_requests(fake)[case]
    now = str(int(time.time()))
    headers = {"X-Slack-Request-Timestamp": now, "X-Slack-Signature": sign(body, now), **headers}
    posted = post_raw(slack, body, {k: v for k, v in headers.items() if v})
    slack.wait_for_answers()
    assert posted.status == 401
    assert [call.path for call in fake.state.calls if call.path != "/api/auth.test"] == []
    assert SIGNING_SECRET not in logs.text and SIGNING_SECRET not in posted.body


def test_a_replayed_request_with_a_valid_signature_is_refused_once_stale(
    slack: SlackDriver, fake: FakeSlack
) -> None:
    body = command_form(fake)
    old = str(int(time.time()) - STALE_SECONDS)
    posted = slack.post(
        body, "application/x-www-form-urlencoded", timestamp=int(old), signature=sign(body, old)
    )
    assert posted.status == 401


# ------------------------------------------------------------------ escaping


@pytest.mark.parametrize(
    ("command", "text"),
    [
        ("/viewers", "Pingers"),
        ("/cast", "Pingers"),
        ("/showfacts", "what is Pingers?"),
        ("/showfacts", "top 3"),
    ],
)
def test_pings_in_the_facts_never_ping(
    slack: SlackDriver, fake: FakeSlack, ping_store: FactStore, command: str, text: str
) -> None:
    (call,) = fake.wait_for(slack.command(command, text))
    assert "Pingers" in call.body["text"]
    assert_no_pings(call.body)


def test_pings_in_the_facts_never_ping_in_app_home(
    slack: SlackDriver, fake: FakeSlack, ping_store: FactStore
) -> None:
    slack.event({"type": "app_home_opened", "user": ADMIN, "channel": "D0001", "tab": "home"})
    (call,) = fake.wait_for("/api/views.publish")
    assert "Pingers" in json.dumps(call.body["view"])
    assert_no_pings(call.body)


def test_pings_shared_onward_never_ping(slack: SlackDriver, fake: FakeSlack, ping_store: FactStore) -> None:
    _, path = slack.click(ACTION_SHARE, Ask("who is in <!channel> Pingers <@U0VICTIM>?").to_value())
    (call,) = fake.wait_for(path)
    assert call.body["response_type"] == "in_channel"
    assert_no_pings(call.body)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("<!channel>.csv", b"show,viewers\nLupin,<!here>\n"),
        ("figures <@U0VICTIM>.csv", b"show,viewers,<!channel>\nLupin,5M,x\n"),
        ("<!everyone>.pdf", b"%PDF"),
        ("shows.csv", f"title\n{PING_SHOW}\n".encode()),
    ],
)
def test_pings_in_uploaded_files_never_ping(
    slack: SlackDriver, fake: FakeSlack, name: str, data: bytes
) -> None:
    slack.event(file_share(fake, name, data, file_id="FPING"))
    (call,) = fake.wait_for("/api/chat.postMessage")
    assert_no_pings(call.body)


# ------------------------------------------------------------------ secrets


def test_secrets_never_reach_logs_or_messages_when_things_fail(
    failing_slack: SlackDriver, fake: FakeSlack, logs: pytest.LogCaptureFixture
) -> None:
    slack = failing_slack  # every question fails unexpectedly
    fake.fail("users.info", "invalid_auth")
    slack.post(command_form(fake), "application/x-www-form-urlencoded", signature="v0=" + "0" * 64)
    fake.wait_for(slack.command("/showfacts", "history", user="UNOBODY"))
    (apology,) = fake.wait_for(slack.command("/showfacts", "top"))
    assert apology.body["text"] == GENERIC_ERROR
    slack.event(
        {
            "type": "app_mention",
            "user": "UASKER",
            "text": f"<@{BOT_USER}> Lupin",
            "ts": "1.9",
            "channel": "C1",
        }
    )
    fake.wait_for("/api/chat.postMessage")
    sent = everything_sent(fake)
    assert FAULT not in sent
    for secret in (BOT_TOKEN, SIGNING_SECRET):
        assert secret not in sent
        assert secret not in logs.text
        assert all(secret not in str(record.args) for record in logs.records)


def test_the_bot_token_goes_only_to_slack(slack: SlackDriver, fake: FakeSlack, store: FactStore) -> None:
    """A file object naming a download address off Slack's hosts must not get the bot token."""
    event = file_share(fake, "figures.csv", b"show,viewers\nLupin,5M\n", file_id="FEXT")
    offsite = {"url_private_download": "http://attacker.invalid:9/steal.csv", "url_private": ""}
    event["files"] = [{**event["files"][0], **offsite}]
    slack.event(event)
    (call,) = fake.wait_for("/api/chat.postMessage")
    assert call.body["text"] == (
        "I only download files from Slack, and figures.csv is stored somewhere else. "
        "Upload the file itself to Slack, then send it again."
    )


# ------------------------------------------------------------------ admin checks


def staged_token(store: FactStore) -> str:
    files = [importing.ImportFile("figures.csv", b"show,viewers,window\nLupin,71M,first 28 days\n")]
    token, _plan = importing.stage_import(store, files, user=ADMIN)
    return token


@pytest.mark.parametrize("action", [ACTION_APPLY, ACTION_CANCEL])
@pytest.mark.parametrize("user", ["UASKER", ""])
def test_import_buttons_check_the_clicking_user(
    slack: SlackDriver, fake: FakeSlack, store: FactStore, action: str, user: str
) -> None:
    token = staged_token(store)
    generation = store.generation()
    posted, path = slack.click(action, token, user=user, ephemeral=False)
    (call,) = fake.wait_for(path)
    assert posted.status == 200
    assert call.body["text"] == ADMINS_ONLY
    assert store.generation() == generation
    assert importing.apply_staged(store, token, user=ADMIN).files == ("figures.csv",)


@pytest.mark.parametrize("forgery", ["another secret", "tampered", "stale", "from the future"])
def test_forged_or_replayed_apply_clicks_are_refused_and_apply_nothing(
    slack: SlackDriver, fake: FakeSlack, store: FactStore, forgery: str
) -> None:
    token = staged_token(store)
    generation = store.generation()
    form, path = slack.click_form(ACTION_APPLY, token, user=ADMIN, ephemeral=False)
    now = int(time.time())
    timestamp = {"stale": now - STALE_SECONDS, "from the future": now + STALE_SECONDS}.get(forgery, now)
    # "tampered": a click someone else made (and Slack signed), its user changed to the admin.
    signed = {"tampered": form.replace(ADMIN, "UOTHER")}.get(forgery, form)
    secret = "not-the-secret" if forgery == "another secret" else SIGNING_SECRET
    posted = slack.post(form, FORM, timestamp=timestamp, signature=sign(signed, str(timestamp), secret))
    slack.wait_for_answers()
    assert posted.status == 401
    assert fake.calls(path) == []
    assert store.generation() == generation
    assert importing.apply_staged(store, token, user=ADMIN).files == ("figures.csv",)  # still staged


def test_a_failing_admin_lookup_refuses_rather_than_allows(
    slack: SlackDriver, fake: FakeSlack, store: FactStore
) -> None:
    fake.fail("users.info", "ratelimited")
    generation = store.generation()
    (call,) = fake.wait_for(slack.command("/showfacts", "undo", user="UOWNER"))
    assert call.body["text"] == ADMINS_ONLY
    assert store.generation() == generation


def test_app_home_shows_imports_to_admins_only(slack: SlackDriver, fake: FakeSlack, store: FactStore) -> None:
    history = importing.history_answer(importing.list_imports(store, 5)).headline
    for user in ("UASKER", ADMIN):
        slack.event({"type": "app_home_opened", "user": user, "channel": "D0001", "tab": "home"})
    views = {
        call.body["user_id"]: json.dumps(call.body["view"]) for call in fake.wait_for("/api/views.publish", 2)
    }
    assert history not in views["UASKER"]
    assert history in views[ADMIN]


# ------------------------------------------------------------------ malformed requests


def block_actions(**overrides: Any) -> str:
    payload = {
        "type": "block_actions",
        "user": {"id": "UASKER"},
        "team": {"id": TEAM},
        "actions": [{"action_id": ACTION_SHARE, "value": "x"}],
        **overrides,
    }
    return urllib.parse.urlencode({"payload": json.dumps(payload)})


POLITE_REPLIES = {
    GENERIC_ERROR,
    "That button's data is damaged. Please ask your question again.",
    "That button no longer works. Please ask your question again.",
}
MALFORMED = {
    "payload is a list": (urllib.parse.urlencode({"payload": "[1, 2]"}), "application/x-www-form-urlencoded"),
    "payload is null": (urllib.parse.urlencode({"payload": "null"}), "application/x-www-form-urlencoded"),
    "payload of unknown type": (block_actions(type="nonsense"), "application/x-www-form-urlencoded"),
    "no actions": (block_actions(actions=[]), "application/x-www-form-urlencoded"),
    "action without id": (block_actions(actions=[{"value": "x"}]), "application/x-www-form-urlencoded"),
    "action value not text": (
        block_actions(actions=[{"action_id": ACTION_SHARE, "value": {"q": 1}}]),
        "application/x-www-form-urlencoded",
    ),
    "no user": (block_actions(user=None), "application/x-www-form-urlencoded"),
    "empty form": ("", "application/x-www-form-urlencoded"),
    "command without text or user": (
        urllib.parse.urlencode({"command": "/viewers"}),
        "application/x-www-form-urlencoded",
    ),
    "event without event": (json.dumps({"type": "event_callback", "team_id": TEAM}), "application/json"),
    "mention without text or user": (
        json.dumps({"type": "event_callback", "team_id": TEAM, "event": {"type": "app_mention"}}),
        "application/json",
    ),
    "event is a string": (
        json.dumps({"type": "event_callback", "team_id": TEAM, "event": "app_mention"}),
        "application/json",
    ),
    "json is a number": ("42", "application/json"),
    "json is broken": ('{"type": "event_callback", ', "application/json"),
    "text/plain": ("hello", "text/plain"),
    "multipart": (
        "--x\r\nContent-Disposition: form-data; name=a\r\n\r\nb\r\n--x--",
        "multipart/form-data; boundary=x",
    ),
    "no content type": ("command=%2Fviewers&text=Lupin", ""),
    "large body": ("text=" + "a" * 900_000, "application/x-www-form-urlencoded"),
    "undecodable bytes": ("text=%FF%FE%00", "application/x-www-form-urlencoded"),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_malformed_requests_get_a_polite_answer_or_a_4xx(
    slack: SlackDriver, fake: FakeSlack, store: FactStore, case: str
) -> None:
    body, content_type = MALFORMED[case]
    posted = slack.post(body, content_type)
    slack.wait_for_answers()
    assert posted.status < 500, (posted.status, posted.body[:300])
    assert "Traceback" not in posted.body
    texts = [str(reply.get("text")) for reply in replies_sent(fake)]
    assert set(texts) <= POLITE_REPLIES, texts
    (call,) = fake.wait_for(slack.command("/whois", "Lily Collins"))  # still answering
    assert call.body["text"].startswith("Lily Collins")


# ------------------------------------------------------------------ availability


def test_slack_keeps_answering_while_another_process_holds_the_write_lock(
    slack: SlackDriver, fake: FakeSlack, store: FactStore, settings: Settings, tmp_path: Path
) -> None:
    """An import in the middle of its transaction must not stall questions, commands or buttons."""
    question = "how many people watched Lupin?"
    expected = fallback_text(Answerer(store).answer(question))
    upload = tmp_path / "shows.csv"
    upload.write_text("title\nPaused Show\n")
    importing = start_paused_cli(settings.db_path, tmp_path / "paused", "commit", 0, "import", str(upload))
    try:
        started = time.monotonic()
        slack.event(
            {
                "type": "message",
                "channel_type": "im",
                "channel": "D1",
                "user": "UASKER",
                "text": question,
                "ts": "5.1",
            }
        )
        (dm,) = fake.wait_for("/api/chat.postMessage")
        (command,) = fake.wait_for(slack.command("/viewers", "Lupin"))
        _, path = slack.click(ACTION_SHARE, Ask(question).to_value())
        (shared,) = fake.wait_for(path)
        elapsed = time.monotonic() - started
    finally:
        kill(importing)
    assert elapsed < LOCKED_ANSWER_SECONDS
    assert dm.body["text"] == shared.body["text"] == expected
    assert command.body["text"] == fallback_text(Answerer(store).answer("Lupin", intent="audience"))
    assert Answerer(store).answer("what is Paused Show?").kind == "not_found"  # the import never landed


@pytest.fixture
def elsewhere() -> Iterator[FakeSlack]:
    """Another host (another port on 127.0.0.1) that records what reaches it."""
    server = FakeSlack()
    yield server
    server.close()


def test_a_redirect_off_slack_is_not_followed_with_the_token(
    slack: SlackDriver, fake: FakeSlack, elsewhere: FakeSlack
) -> None:
    event = file_share(fake, "figures.csv", b"show,viewers\nLupin,5M\n", file_id="FREDIR")
    fake.state.redirects["FREDIR"] = f"{elsewhere.base}/files/FREDIR/download"
    slack.event(event)
    (call,) = fake.wait_for("/api/chat.postMessage")
    assert call.body["text"] == (
        "Slack sent me to another address for figures.csv (127.0.0.1), so I did not download it. "
        "Upload the file itself to Slack, then send it again."
    )
    assert elsewhere.state.calls == []
    assert BOT_TOKEN not in everything_sent(elsewhere)


def test_a_redirect_between_slack_addresses_keeps_the_token(
    slack: SlackDriver, fake: FakeSlack, store: FactStore
) -> None:
    data = b"show,viewers,window\nLupin,71M,first 28 days\n"
    fake.add_file("FREAL", "figures.csv", data)
    event = file_share(fake, "figures.csv", data, file_id="FMOVED")
    fake.state.redirects["FMOVED"] = f"{fake.base}/files/FREAL/download"
    slack.event(event)
    (call,) = fake.wait_for("/api/chat.postMessage")
    (download,) = fake.wait_for("/files/FREAL/download")
    assert download.headers["authorization"] == f"Bearer {BOT_TOKEN}"
    assert ACTION_APPLY in json.dumps(call.body["blocks"])


# ------------------------------------------------------------------ admins of this workspace only

OTHER_TEAM = "T0THER"


@pytest.fixture
def foreign_admin(fake: FakeSlack) -> str:
    """An admin of another workspace, in a channel shared with this one (users.info says is_admin)."""
    fake.add_user("UFOREIGN", is_admin=True, is_owner=True, team_id=OTHER_TEAM)
    return "UFOREIGN"


@pytest.mark.parametrize("word", ["history", "undo", "export"])
@pytest.mark.parametrize("team", [OTHER_TEAM, TEAM])
def test_admins_of_another_workspace_are_not_admins_here(
    slack: SlackDriver, fake: FakeSlack, store: FactStore, foreign_admin: str, word: str, team: str
) -> None:
    """Whatever team the request claims, users.info's home team decides."""
    importing.apply_import(
        store, importing.plan_import(store, [importing.ImportFile("f.csv", b"title\nA Show\n")]), user=ADMIN
    )
    generation = store.generation()
    (call,) = fake.wait_for(slack.command("/showfacts", word, user=foreign_admin, team=team))
    assert call.body["text"] == ADMINS_ONLY
    assert store.generation() == generation
    assert fake.calls("/api/files.completeUploadExternal") == []


@pytest.mark.parametrize("who", ["another workspace's admin", "a listed admin acting from another workspace"])
def test_an_upload_by_another_workspaces_admin_is_not_downloaded(
    slack: SlackDriver, fake: FakeSlack, foreign_admin: str, who: str
) -> None:
    user = foreign_admin if who == "another workspace's admin" else ADMIN
    event = file_share(fake, "figures.csv", b"show,viewers\nLupin,5M\n", user=user)
    slack.post(json.dumps(envelope(event, team=OTHER_TEAM)), "application/json")
    (call,) = fake.wait_for("/api/chat.postMessage")
    assert call.body["text"] == ADMINS_ONLY
    assert fake.calls("/files") == []


@pytest.mark.parametrize("action", [ACTION_APPLY, ACTION_CANCEL])
def test_listed_admins_acting_from_another_workspace_are_refused(
    slack: SlackDriver, fake: FakeSlack, store: FactStore, action: str
) -> None:
    token = staged_token(store)
    generation = store.generation()
    _, path = slack.click(action, token, user=ADMIN, ephemeral=False, team=OTHER_TEAM)
    (call,) = fake.wait_for(path)
    assert call.body["text"] == ADMINS_ONLY
    (history,) = fake.wait_for(slack.command("/showfacts", "history", user=ADMIN, team=OTHER_TEAM))
    assert history.body["text"] == ADMINS_ONLY
    assert store.generation() == generation


def test_the_home_tab_shows_no_imports_to_another_workspaces_admin(
    slack: SlackDriver, fake: FakeSlack, store: FactStore, foreign_admin: str
) -> None:
    history = importing.history_answer(importing.list_imports(store, 5)).headline
    slack.event({"type": "app_home_opened", "user": foreign_admin, "channel": "D0009", "tab": "home"})
    (call,) = fake.wait_for("/api/views.publish")
    assert history not in json.dumps(call.body["view"])


def test_a_staged_upload_is_applied_only_from_its_dm(
    slack: SlackDriver, fake: FakeSlack, store: FactStore
) -> None:
    data = b"show,viewers,window\nLupin,71M,first 28 days\n"
    slack.event(file_share(fake, "figures.csv", data))  # in D0001
    (preview,) = fake.wait_for("/api/chat.postMessage")
    token = apply_token(preview.body)
    generation = store.generation()
    for channel in ("C0001", "D0002"):
        _, path = slack.click(ACTION_APPLY, token, user=ADMIN, channel=channel, ephemeral=False)
        (refused,) = fake.wait_for(path)
        assert refused.body["text"] == (
            "That import can only be applied or cancelled in the direct message it was sent in.\n"
            "Open your direct message with me and use the buttons there."
        )
    assert store.generation() == generation
    _, path = slack.click(ACTION_APPLY, token, user=ADMIN, channel="D0001", ephemeral=False)
    (applied,) = fake.wait_for(path)
    assert applied.body["replace_original"] is True
    assert store.generation() > generation


def envelope(event: dict[str, Any], *, team: str = TEAM) -> dict[str, Any]:
    """An Events API callback from workspace ``team``."""
    return {
        "type": "event_callback",
        "team_id": team,
        "api_app_id": "A0001",
        "event": {**event, "user_team": team},
        "event_id": f"Ev{time.monotonic_ns()}",
        "event_time": int(time.time()),
    }


# ------------------------------------------------------------------ slow clients

STALLED_CONNECTIONS = 16
# Generous for a test on a busy machine; BENCHMARKS.md has the measured figures (tens of ms).
ACK_SECONDS = 5.0


def stall(url: str, count: int) -> list[socket.socket]:
    """Open ``count`` connections that send a request's headers and one byte of body, then stall."""
    parts = urllib.parse.urlsplit(url)
    head = (
        f"POST {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nc"
    ).encode()
    connections = []
    for _ in range(count):
        conn = socket.create_connection((parts.hostname, parts.port), timeout=ACK_SECONDS)
        conn.sendall(head)
        connections.append(conn)
    return connections


def test_stalled_clients_do_not_starve_real_requests(
    slack: SlackDriver, fake: FakeSlack, store: FactStore
) -> None:
    stalled = stall(slack.url, STALLED_CONNECTIONS)
    try:
        time.sleep(SETTLE_SECONDS)
        started = time.monotonic()
        posted = slack.post(command_form(fake), "application/x-www-form-urlencoded")
        elapsed = time.monotonic() - started
        (call,) = fake.wait_for(slack.command("/whois", "Lily Collins"))
    finally:
        for conn in stalled:
            conn.close()
    assert posted.status == 200
    assert elapsed < ACK_SECONDS
    assert call.body["text"].startswith("Lily Collins")


def read_response(conn: socket.socket) -> bytes:
    """Read one HTTP response whole: its head and then the body (which may come in a later packet)."""
    data = b""
    while b"\r\n\r\n" not in data or len(data.partition(b"\r\n\r\n")[2]) < _length(data):
        chunk = conn.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def _length(data: bytes) -> int:
    for line in data.partition(b"\r\n\r\n")[0].split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value)
    return 0


def test_a_body_that_stalls_is_cut_off_with_408(
    settings: Settings, store: FactStore, fake: FakeSlack
) -> None:
    from bot.app import create_app
    from bot.server import ShowfactsRequestHandler

    app = create_app(settings, store, Answerer(store))
    driver = SlackDriver(
        ShowfactsRequestHandler(app, SIGNING_SECRET, settings.db_path, body_seconds=0.2), fake
    )
    try:
        (conn,) = stall(driver.url, 1)
        reply = read_response(conn).decode()
        conn.close()
    finally:
        driver.close()
    assert reply.startswith("HTTP/1.1 408 ")
    assert reply.endswith('{"error": "request body too slow"}')


def test_a_huge_body_is_refused_with_413(slack: SlackDriver) -> None:
    posted = slack.post("text=" + "a" * 2_000_000, "application/x-www-form-urlencoded")
    assert posted.status == 413


# ------------------------------------------------------------------ payloads Slack would not send


def view_submission() -> str:
    payload = {
        "type": "view_submission",
        "team": {"id": TEAM},
        "user": {"id": "UASKER", "team_id": TEAM},
        "view": {"id": "V1", "type": "modal", "callback_id": "anything", "state": {"values": {}}},
    }
    return urllib.parse.urlencode({"payload": json.dumps(payload)})


def event_json(**event: Any) -> str:
    return json.dumps({"type": "event_callback", "team_id": TEAM, "event_id": "EvODD", "event": event})


ODD = {
    "event as a form body": (
        urllib.parse.urlencode(
            {"type": "event_callback", "team_id": TEAM, "event": json.dumps({"type": "app_mention"})}
        ),
        "application/x-www-form-urlencoded",
    ),
    "view_submission": (view_submission(), "application/x-www-form-urlencoded"),
    "view_closed": (
        view_submission().replace("view_submission", "view_closed"),
        "application/x-www-form-urlencoded",
    ),
    "click user is a string": (block_actions(user="UASKER"), "application/x-www-form-urlencoded"),
    "click channel is a list": (block_actions(channel=["C1"]), "application/x-www-form-urlencoded"),
    "click container is a string": (block_actions(container="x"), "application/x-www-form-urlencoded"),
    "click team is a number": (block_actions(team=7), "application/x-www-form-urlencoded"),
    "mention text is a number": (
        event_json(type="app_mention", user="U1", text=5, ts="1.1", channel="C1"),
        JSON,
    ),
    "mention user is an object": (
        event_json(type="app_mention", user={"id": "U1"}, text="hi", ts="1.1", channel="C1"),
        JSON,
    ),
    "dm channel is a number": (
        event_json(type="message", channel_type="im", user="U1", text="Lupin", ts="1.1", channel=9),
        JSON,
    ),
    "dm files is a string": (
        event_json(
            type="message",
            subtype="file_share",
            channel_type="im",
            user=ADMIN,
            ts="1.1",
            channel="D1",
            files="F1",
        ),
        JSON,
    ),
    "dm files hold a string": (
        event_json(
            type="message",
            subtype="file_share",
            channel_type="im",
            user=ADMIN,
            ts="1.1",
            channel="D1",
            files=["F1"],
        ),
        JSON,
    ),
    "home user is a list": (event_json(type="app_home_opened", user=["U1"], tab="home"), JSON),
    "file_shared channel is null": (
        event_json(type="file_shared", file_id="F1", user_id=ADMIN, channel_id=None),
        JSON,
    ),
    "event_id is a number": (
        json.dumps(
            {"type": "event_callback", "team_id": TEAM, "event_id": 5, "event": {"type": "app_mention"}}
        ),
        JSON,
    ),
}


@pytest.mark.parametrize("case", list(ODD))
def test_payloads_of_the_wrong_shape_get_a_4xx_or_are_ignored_without_errors(
    slack: SlackDriver, fake: FakeSlack, store: FactStore, logs: pytest.LogCaptureFixture, case: str
) -> None:
    body, content_type = ODD[case]
    posted = slack.post(body, content_type)
    slack.wait_for_answers()
    assert posted.status < 500, (posted.status, posted.body[:300])
    (call,) = fake.wait_for(slack.command("/whois", "Lily Collins"))  # still answering
    assert call.body["text"].startswith("Lily Collins")
    assert "Traceback" not in logs.text
    assert [record.getMessage() for record in logs.records if record.levelno >= logging.ERROR] == []
    texts = [str(reply.get("text")) for reply in replies_sent(fake)]
    assert set(texts) - {call.body["text"]} <= POLITE_REPLIES - {GENERIC_ERROR}, texts


# ------------------------------------------------------------------ files in and out

FORMULA_TITLES = ("|calc", "\u200b=HYPERLINK(1)", " =1+1", "\t@SUM(A1)")


def test_exported_cells_never_run_as_formulas(store: FactStore, tmp_path: Path) -> None:
    from facts.exporter import export_facts

    shows = "title\n" + "".join(f'"{title}"\n' for title in FORMULA_TITLES)
    importing.apply_import(
        store, importing.plan_import(store, [importing.ImportFile("shows.csv", shows.encode())]), user=ADMIN
    )
    exported = {path.name: path.read_text(encoding="utf-8") for path in export_facts(store, tmp_path)}
    for title in FORMULA_TITLES:
        assert f"\n'{title.strip()}," in exported["shows.csv"], title  # the import strips blanks


def test_an_upload_in_utf16_without_a_byte_order_mark_is_previewed(
    slack: SlackDriver, fake: FakeSlack
) -> None:
    data = "show\tviewers\twindow\nLupin\t71M\tfirst 28 days\n".encode("utf-16-le")
    slack.event(file_share(fake, "figures.tsv", data))
    (call,) = fake.wait_for("/api/chat.postMessage")
    assert "not a text file" not in call.body["text"]
    assert apply_token(call.body)
