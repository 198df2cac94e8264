"""Serving Slack over HTTP: every request (commands, events, buttons) at ``POST /slack/events``.

In production uvicorn runs the ASGI app (see Procfile)::

    uvicorn --host 0.0.0.0 --port $PORT --workers 2 --factory bot.server:create_asgi_app

An ASGI server reads request bodies without giving a thread to each connection, so clients that
send their headers and then stall cannot starve the requests behind them (gunicorn's threaded
worker gave each of its threads to one such client; see BENCHMARKS.md). A body must still arrive
within :data:`BODY_SECONDS` and be at most :data:`MAX_BODY_BYTES`. Bolt's dispatch (signature
check, listeners, acknowledgement) then runs on a worker thread, off the event loop.

``GET /health`` answers 200 while the fact database can be read, 503 otherwise, for the host's
health checks. ``showfacts serve --http`` runs the same app under uvicorn from Python.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.adapter.asgi import SlackRequestHandler
from slack_bolt.adapter.asgi.http_request import AsgiHttpRequest
from slack_sdk.signature import SignatureVerifier

from bot.app import create_app
from bot.payloads import JSON_TYPE, find_malformation
from bot.settings import Settings, check_slack_settings, load_settings, make_db_folder
from facts.answering import Answerer
from facts.errors import FactsError
from facts.opening import check_readable_at, open_seeded_store
from facts.startup import warm_up

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/health"
HTTP_OK = 200
HTTP_BAD_REQUEST = 400
HTTP_UNAUTHORIZED = 401
HTTP_NOT_FOUND = 404
HTTP_TIMEOUT = 408
HTTP_TOO_LARGE = 413
HTTP_UNAVAILABLE = 503
# Slack sends a request in one go, within milliseconds; a body still incomplete after this is a
# client stalling (Slack itself gives up after 3 s).
BODY_SECONDS = 5.0
# Slack's largest payloads (a view, a message with many blocks) are tens of KB.
MAX_BODY_BYTES = 1024 * 1024
# Two processes, one per core: requests are acknowledged on each process's thread pool.
SERVER_WORKERS = 2

Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


class ShowfactsRequestHandler(SlackRequestHandler):
    """Bolt's ASGI adapter behind a gate, with ``GET /health``.

    Unsigned requests get 401, malformed bodies 400, bodies that stall 408 and huge ones 413. Bolt
    verifies signatures too, but only after parsing the body, and a body of the wrong shape (or a
    timestamp that is not a number) makes it answer 500.

    Args:
        app: the Bolt app.
        signing_secret: Slack's signing secret for this app.
        database: the fact database, a SQLite file or a PostgreSQL URL (for ``/health``).
        body_seconds: how long a request body may take to arrive.
    """

    def __init__(
        self, app: App, signing_secret: str, database: Path | str, *, body_seconds: float = BODY_SECONDS
    ) -> None:
        super().__init__(app, path=EVENTS_PATH)
        self.verifier = SignatureVerifier(signing_secret)
        self.database = database
        self.body_seconds = body_seconds

    async def __call__(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == HEALTH_PATH and scope["method"] in ("GET", "HEAD"):
            await _send_response(send, await asyncio.to_thread(self.health))
            return
        await super().__call__(scope, receive, send)

    async def dispatch(self, request: AsgiHttpRequest) -> BoltResponse:
        try:
            async with asyncio.timeout(self.body_seconds):
                raw = await _read_body(request.receive)
        except TimeoutError:
            return _refuse(HTTP_TIMEOUT, "request body too slow")
        except _TooLarge:
            return _refuse(HTTP_TOO_LARGE, "request body too large")
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            return _refuse(HTTP_BAD_REQUEST, "malformed request")
        headers = request.get_headers()
        return await asyncio.to_thread(self.dispatch_checked, body, headers, request.query_string)

    def dispatch_checked(self, body: str, headers: Mapping[str, Any], query: str) -> BoltResponse:
        """Refuse unsigned or malformed requests; hand the rest to Bolt (on a worker thread)."""
        if not self._signed(body, headers):
            return _refuse(HTTP_UNAUTHORIZED, "invalid request")
        problem = find_malformation(body, str(headers.get("content-type", "")))
        if problem:
            log.info("refused a malformed Slack request: %s", problem)
            return _refuse(HTTP_BAD_REQUEST, "malformed request")
        return self.app.dispatch(BoltRequest(body=body, query=query, headers=dict(headers)))

    def health(self) -> BoltResponse:
        """200 while the fact database can be read, else 503 naming the problem."""
        try:
            check_readable_at(self.database)
        except FactsError as error:
            return _status(HTTP_UNAVAILABLE, {"status": "unavailable", "database": str(error)})
        return _status(HTTP_OK, {"status": "ok", "database": "reachable"})

    def _signed(self, body: str, headers: Mapping[str, Any]) -> bool:
        timestamp = str(headers.get("x-slack-request-timestamp", ""))
        signature = str(headers.get("x-slack-signature", ""))
        return timestamp.isdigit() and self.verifier.is_valid(body, timestamp, signature)


class _TooLarge(Exception):
    pass


async def _read_body(receive: Receive) -> bytes:
    chunks = bytearray()
    while True:
        message = await receive()
        if message["type"] != "http.request":  # the client went away
            raise TimeoutError
        chunks.extend(message.get("body", b""))
        if len(chunks) > MAX_BODY_BYTES:
            raise _TooLarge
        if not message.get("more_body", False):
            return bytes(chunks)


async def _send_response(send: Send, response: BoltResponse) -> None:
    headers = [
        (name.encode(), value.encode()) for name, values in response.headers.items() for value in values
    ]
    await send({"type": "http.response.start", "status": response.status, "headers": headers})
    await send({"type": "http.response.body", "body": response.body.encode()})


def _refuse(status: int, error: str) -> BoltResponse:
    return _status(status, {"error": error})


def _status(status: int, payload: dict[str, str]) -> BoltResponse:
    return BoltResponse(status=status, body=json.dumps(payload), headers={"content-type": JSON_TYPE})


def create_asgi_app(environ: Mapping[str, str] | None = None) -> ShowfactsRequestHandler:
    """Build the ASGI app from the environment (uvicorn's ``--factory bot.server:create_asgi_app``).

    Raises:
        FactsError: a required variable (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET) is missing, or the
            fact database cannot be opened.
    """
    settings = load_settings(environ)
    check_slack_settings(settings, socket_mode=False)
    return asgi_app(open_app(settings), settings)


def open_app(settings: Settings) -> App:
    """Open the fact store named by the settings and build the Slack app over it."""
    make_db_folder(settings)
    store = open_seeded_store(
        settings.database, busy_timeout=settings.busy_timeout_seconds, pool_size=settings.pg_pool_size
    )
    answerer = Answerer(store)
    warm_up(answerer)
    return create_app(settings, store, answerer)


def asgi_app(app: App, settings: Settings) -> ShowfactsRequestHandler:
    """Wrap ``app`` as an ASGI callable answering at ``/slack/events`` and ``/health``."""
    return ShowfactsRequestHandler(app, settings.signing_secret, settings.database)


def serve_http(app: App, settings: Settings, *, host: str, port: int) -> None:
    """Serve ``app`` with uvicorn (one process) until interrupted."""
    import uvicorn

    uvicorn.run(asgi_app(app, settings), host=host, port=port, log_level="info", lifespan="on")
