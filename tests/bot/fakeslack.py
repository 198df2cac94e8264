"""A fake Slack for tests: the Web API the bot calls, response_urls, file downloads, and a driver
that signs requests exactly as Slack does and posts them over HTTP to the bot's WSGI app.
"""

from __future__ import annotations

import base64
import hashlib
import json
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import uvicorn
from slack_sdk.signature import SignatureVerifier

from bot.answer_queue import AnswerQueue

BOT_TOKEN = "xoxb-test-token"
APP_TOKEN = "xapp-test-token"
SIGNING_SECRET = "test-signing-secret"
BOT_USER = "UBOT"
TEAM = "T0001"
WAIT_SECONDS = 5.0
# How often the test servers notice shutdown; short keeps teardown fast.
POLL_SECONDS = 0.02
LOGIN_PAGE = b"<html><body>Sign in to Slack</body></html>"


@dataclass
class Call:
    """One request the fake received."""

    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    raw: bytes = b""
    at: float = field(default_factory=time.monotonic)  # when it arrived


@dataclass
class FakeSlackState:
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    contents: dict[str, bytes] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    rate_limited: set[str] = field(default_factory=set)
    calls: list[Call] = field(default_factory=list)
    # Downloads that misbehave, by file ID: a redirect, a body cut short, a trickle (seconds a byte).
    redirects: dict[str, str] = field(default_factory=dict)
    cut_at: dict[str, int] = field(default_factory=dict)
    trickle: dict[str, float] = field(default_factory=dict)
    # HTTP statuses the next response_url posts, or the next calls of a Web API method, answer with.
    response_failures: list[int] = field(default_factory=list)
    api_failures: dict[str, list[int]] = field(default_factory=dict)


class FakeSlack:
    """A Slack Web API on 127.0.0.1 that records every call it gets."""

    def __init__(self) -> None:
        self.state = FakeSlackState()
        self.changed = threading.Condition()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": POLL_SECONDS}, daemon=True
        )
        self.thread.start()
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        self.socket_url = ""  # what apps.connections.open answers (a FakeSocketMode's address)
        self._responses = 0

    @property
    def api_url(self) -> str:
        return f"{self.base}/api/"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def add_user(self, user: str, **flags: Any) -> None:
        self.state.users[user] = {"id": user, "name": user.lower(), "team_id": TEAM, **flags}

    def add_file(
        self, file_id: str, name: str, data: bytes, *, size: int | None = None, **extra: Any
    ) -> dict:
        info = {
            "id": file_id,
            "name": name,
            "filetype": name.rsplit(".", 1)[-1],
            "size": len(data) if size is None else size,
            "url_private": f"{self.base}/files/{file_id}",
            "url_private_download": f"{self.base}/files/{file_id}/download",
            **extra,
        }
        self.state.files[file_id] = info
        self.state.contents[file_id] = data
        return info

    def fail(self, method: str, error: str) -> None:
        """Make every later call of ``method`` answer ``ok: false`` with ``error``."""
        self.state.errors[method] = error

    def fail_responses(self, *statuses: int) -> None:
        """Answer the next response_url posts with these HTTP statuses (429 with ``Retry-After: 0``)."""
        self.state.response_failures.extend(statuses)

    def fail_api(self, method: str, *statuses: int) -> None:
        """Answer the next calls of ``method`` with these HTTP statuses, as a struggling Slack does."""
        self.state.api_failures.setdefault(method, []).extend(statuses)

    def rate_limit_once(self, method: str) -> None:
        """Answer the next call of ``method`` with 429 and ``Retry-After: 0``, as Slack does."""
        self.state.rate_limited.add(method)

    def response_url(self) -> str:
        self._responses += 1
        return f"{self.base}/response/{self._responses}"

    def record(self, call: Call) -> None:
        with self.changed:
            self.state.calls.append(call)
            self.changed.notify_all()

    def calls(self, path: str) -> list[Call]:
        with self.changed:
            return [
                call for call in self.state.calls if call.path == path or call.path.startswith(path + "/")
            ]

    def wait_for(self, path: str, count: int = 1, timeout: float = WAIT_SECONDS) -> list[Call]:
        """Wait until ``count`` calls to ``path`` (or below it) arrived; return them."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while len(found := self._matching(path)) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [call.path for call in self.state.calls]
                    raise AssertionError(f"expected {count} call(s) to {path}; got {seen}")
                self.changed.wait(left)
            return found

    def _matching(self, path: str) -> list[Call]:
        return [call for call in self.state.calls if call.path == path or call.path.startswith(path + "/")]

    def api(self, method: str, body: dict[str, Any], headers: dict[str, str]) -> tuple[int, dict[str, Any]]:
        if method == "apps.connections.open" and headers.get("authorization") == f"Bearer {APP_TOKEN}":
            return 200, {"ok": True, "url": self.socket_url}
        if headers.get("authorization") != f"Bearer {BOT_TOKEN}":
            return 200, {"ok": False, "error": "invalid_auth"}
        if method in self.state.rate_limited:
            self.state.rate_limited.discard(method)
            return 429, {"ok": False, "error": "ratelimited"}
        if self.state.api_failures.get(method):
            status = self.state.api_failures[method].pop(0)
            return status, {"ok": False, "error": "ratelimited" if status == 429 else "fatal_error"}
        if method in self.state.errors:
            return 200, {"ok": False, "error": self.state.errors[method]}
        return 200, self._answer(method, body)

    def _answer(self, method: str, body: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {"ok": True, "user_id": BOT_USER, "bot_id": "BBOT", "team_id": TEAM, "user": "showfacts"}
        if method == "users.info":
            user = self.state.users.get(str(body.get("user")))
            return {"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"}
        if method == "files.info":
            info = self.state.files.get(str(body.get("file")))
            return {"ok": True, "file": info} if info else {"ok": False, "error": "file_not_found"}
        if method == "files.getUploadURLExternal":
            name = body.get("filename", "file")
            return {"ok": True, "upload_url": f"{self.base}/upload/{name}", "file_id": f"F{name}"}
        if method == "files.completeUploadExternal":
            return {"ok": True, "files": json.loads(body.get("files", "[]"))}
        return {"ok": True, "ts": f"{time.time():.6f}", "channel": body.get("channel", "")}


def _parse(raw: bytes, content_type: str) -> dict[str, Any]:
    if not raw:
        return {}
    if "json" in content_type:
        return json.loads(raw)
    if "form-urlencoded" in content_type:
        try:
            return dict(urllib.parse.parse_qsl(raw.decode()))
        except UnicodeDecodeError:  # a file's bytes posted to an upload URL (urllib's default type)
            return {}
    return {}


def _handler_for(fake: FakeSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

        def do_GET(self) -> None:
            self._handle()

        def do_POST(self) -> None:
            self._handle()

        def _handle(self) -> None:
            url = urllib.parse.urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            body = _parse(raw, headers.get("content-type", ""))
            body.update(dict(urllib.parse.parse_qsl(url.query)))
            fake.record(Call(url.path, headers, body, raw))
            if url.path.startswith("/api/"):
                status, payload = fake.api(url.path[len("/api/") :], body, headers)
                extra = {"Retry-After": "0"} if status == 429 else {}
                self._send(status, json.dumps(payload).encode(), "application/json", extra)
            elif url.path.startswith("/signin/"):  # what Slack serves when the token cannot read a file
                self._send(200, LOGIN_PAGE, "text/html; charset=utf-8")
            elif url.path.startswith("/files/"):
                self._download(url.path.split("/")[2], headers)
            elif url.path.startswith("/response/") and fake.state.response_failures:
                status = fake.state.response_failures.pop(0)
                extra = {"Retry-After": "0"} if status == 429 else {}
                self._send(status, b"server_error" if status >= 500 else b"rate_limited", "text/plain", extra)
            else:  # response_url posts and file upload targets
                self._send(200, b"ok", "text/plain")

        def _download(self, file_id: str, headers: dict[str, str]) -> None:
            state, data = fake.state, fake.state.contents.get(file_id, b"")
            if headers.get("authorization") != f"Bearer {BOT_TOKEN}":
                self._send(200, LOGIN_PAGE, "text/html; charset=utf-8")
            elif file_id in state.redirects:
                self._send(302, b"", "text/plain", {"Location": state.redirects[file_id]})
            elif file_id in state.cut_at:
                self._send_head(200, "application/octet-stream", len(data))
                self.wfile.write(data[: state.cut_at[file_id]])
                self.close_connection = True
            elif file_id in state.trickle:
                self._trickle(data, state.trickle[file_id])
            else:
                self._send(200, data, "application/octet-stream")

        def _trickle(self, data: bytes, seconds_a_byte: float) -> None:
            self._send_head(200, "application/octet-stream", len(data))
            try:
                for at in range(len(data)):
                    self.wfile.write(data[at : at + 1])
                    self.wfile.flush()
                    time.sleep(seconds_a_byte)
            except OSError:  # the bot gave up and closed the connection
                self.close_connection = True

        def _send_head(self, status: int, content_type: str, length: int) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(length))
            self.end_headers()

        def _send(
            self, status: int, payload: bytes, content_type: str, extra: dict[str, str] | None = None
        ) -> None:
            self.send_response(status)
            for name, value in (extra or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    return Handler


@dataclass
class Posted:
    status: int
    body: str

    def json(self) -> Any:
        return json.loads(self.body)


class FakeSocketMode:
    """Slack's Socket Mode WebSocket endpoint on 127.0.0.1: it accepts the handshake and then
    keeps the connection open (reading and ignoring frames) until the client or :meth:`close` ends it.
    """

    GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"ws://127.0.0.1:{self.listener.getsockname()[1]}/link"
        self.connections: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.connections.append(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        request = b""
        while b"\r\n\r\n" not in request:
            chunk = conn.recv(4096)
            if not chunk:
                return
            request += chunk
        lines = request.decode("latin-1").split("\r\n")[1:]
        headers = {
            name.lower(): value for name, value in (line.split(": ", 1) for line in lines if ": " in line)
        }
        accept = base64.b64encode(hashlib.sha1((headers["sec-websocket-key"] + self.GUID).encode()).digest())
        conn.sendall(
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Accept: {accept.decode()}\r\n\r\n".encode()
        )
        while True:
            try:
                if not conn.recv(4096):
                    return
            except OSError:
                return

    def close(self) -> None:
        self.listener.close()
        for conn in self.connections:
            conn.close()


class SlackDriver:
    """Serves an ASGI app with uvicorn (as production does) on 127.0.0.1, posts signed requests to it.

    Given the app's answer queue, :meth:`wait_for_answers` waits until every answer has gone out.
    """

    def __init__(
        self,
        asgi_app: Any,
        fake: FakeSlack,
        secret: str = SIGNING_SECRET,
        *,
        answers: AnswerQueue | None = None,
    ) -> None:
        self.fake = fake
        self.answers = answers
        self.verifier = SignatureVerifier(secret)
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        self.port = listener.getsockname()[1]
        config = uvicorn.Config(asgi_app, log_level="warning", access_log=False, lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [listener]}, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + WAIT_SECONDS
        while not self.server.started:
            assert time.monotonic() < deadline and self.thread.is_alive(), "uvicorn did not start"
            time.sleep(POLL_SECONDS)
        self.base = f"http://127.0.0.1:{self.port}"
        self.url = f"{self.base}/slack/events"
        self._events = 0

    def close(self) -> None:
        self.server.should_exit = True
        self.thread.join(WAIT_SECONDS)

    def wait_for_answers(self) -> None:
        """Wait until the app has sent every answer to the requests posted so far.

        A listener queues its answer before the request is acknowledged, so once this returns,
        every call the bot was ever going to make for those requests has reached the fake.
        """
        assert self.answers is not None, "give SlackDriver the app's answer queue to wait for answers"
        assert self.answers.join(WAIT_SECONDS), f"answers still being sent after {WAIT_SECONDS} s"

    def post(
        self,
        body: str,
        content_type: str,
        *,
        timestamp: int | None = None,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Posted:
        """POST ``body`` signed as Slack signs it (or with the given timestamp/signature)."""
        ts = str(int(time.time()) if timestamp is None else timestamp)
        sig = signature or self.verifier.generate_signature(timestamp=ts, body=body)
        request = urllib.request.Request(
            self.url,
            data=body.encode(),
            method="POST",
            headers={
                "Content-Type": content_type,
                "X-Slack-Request-Timestamp": ts,
                "X-Slack-Signature": sig,
                **(headers or {}),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return Posted(response.status, response.read().decode())
        except urllib.error.HTTPError as error:
            return Posted(error.code, error.read().decode())

    def command(
        self, command: str, text: str, *, user: str = "UASKER", channel: str = "C0001", team: str = TEAM
    ) -> str:
        """Send a slash command; return its response_url (where the answer will arrive)."""
        response_url = self.fake.response_url()
        form = {
            "token": "legacy-verification-token",
            "team_id": team,
            "team_domain": "example",
            "channel_id": channel,
            "channel_name": "general",
            "user_id": user,
            "user_name": user.lower(),
            "command": command,
            "text": text,
            "api_app_id": "A0001",
            "response_url": response_url,
            "trigger_id": "123.456.abc",
        }
        posted = self.post(urllib.parse.urlencode(form), "application/x-www-form-urlencoded")
        assert posted.status == 200, posted
        return urllib.parse.urlsplit(response_url).path

    def event(self, event: dict[str, Any], *, event_id: str = "", retry: int = 0) -> Posted:
        """Send an Events API callback."""
        self._events += 1
        envelope = {
            "token": "legacy-verification-token",
            "team_id": TEAM,
            "api_app_id": "A0001",
            "event": event,
            "type": "event_callback",
            "event_id": event_id or f"Ev{self._events:06d}",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True}],
        }
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else {}
        return self.post(json.dumps(envelope), "application/json", headers=headers)

    def click(
        self,
        action_id: str,
        value: str,
        *,
        user: str = "UASKER",
        channel: str = "C0001",
        ephemeral: bool = True,
        response_url: bool = True,
        team: str = TEAM,
    ) -> tuple[Posted, str]:
        """Click a button; return the HTTP result and the path its response_url posts go to."""
        form, path = self.click_form(
            action_id,
            value,
            user=user,
            channel=channel,
            ephemeral=ephemeral,
            response_url=response_url,
            team=team,
        )
        return self.post(form, "application/x-www-form-urlencoded"), path

    def click_form(
        self,
        action_id: str,
        value: str,
        *,
        user: str = "UASKER",
        channel: str = "C0001",
        ephemeral: bool = True,
        response_url: bool = True,
        team: str = TEAM,
    ) -> tuple[str, str]:
        """The form body Slack posts for a button click, and the path its response_url posts go to."""
        url = self.fake.response_url() if response_url else ""
        payload: dict[str, Any] = {
            "type": "block_actions",
            "team": {"id": TEAM, "domain": "example"},
            "user": {"id": user, "username": user.lower(), "team_id": team},
            "api_app_id": "A0001",
            "token": "legacy-verification-token",
            "container": {
                "type": "message",
                "message_ts": "1.2",
                "channel_id": channel,
                "is_ephemeral": ephemeral,
            },
            "trigger_id": "123.456.abc",
            "channel": {"id": channel, "name": "general"},
            "actions": [
                {
                    "action_id": action_id,
                    "block_id": "b1",
                    "value": value,
                    "type": "button",
                    "action_ts": "1.3",
                }
            ],
        }
        if url:
            payload["response_url"] = url
        form = urllib.parse.urlencode({"payload": json.dumps(payload)})
        return form, urllib.parse.urlsplit(url).path if url else ""
