"""Serving Slack over HTTP: every request (commands, events, buttons) at ``POST /slack/events``.

In production gunicorn runs the WSGI app (see Procfile)::

    gunicorn --bind 0.0.0.0:$PORT --workers 2 --threads 4 --timeout 0 'bot.server:create_wsgi_app()'

``showfacts serve`` runs the same app under gunicorn from Python.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_sdk.signature import SignatureVerifier

from bot.app import create_app
from bot.payloads import JSON_TYPE, find_malformation
from bot.settings import Settings, check_slack_settings, load_settings
from facts.answering import Answerer
from facts.store import FactStore

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HTTP_BAD_REQUEST = 400
HTTP_UNAUTHORIZED = 401
# Listeners ack on the request thread and queue their answers (bot.answer_queue), so gunicorn threads
# only carry acknowledgements.
SERVER_THREADS = 8


class ShowfactsRequestHandler(SlackRequestHandler):
    """Bolt's WSGI adapter behind a gate: unsigned requests get 401 and malformed bodies 400.

    Bolt verifies signatures too, but only after parsing the body, and a body of the wrong shape
    (or a timestamp that is not a number) makes it answer 500.
    """

    def __init__(self, app: App, signing_secret: str, path: str = EVENTS_PATH) -> None:
        super().__init__(app, path=path)
        self.verifier = SignatureVerifier(signing_secret)

    def dispatch(self, request: WsgiHttpRequest) -> BoltResponse:
        try:
            body, headers = request.get_body(), request.get_headers()
        except ValueError:  # not UTF-8, or a broken Content-Length
            return _refuse(HTTP_BAD_REQUEST, "malformed request")
        if not self._signed(body, headers):
            return _refuse(HTTP_UNAUTHORIZED, "invalid request")
        problem = find_malformation(body, str(headers.get("content-type", "")))
        if problem:
            log.info("refused a malformed Slack request: %s", problem)
            return _refuse(HTTP_BAD_REQUEST, "malformed request")
        return self.app.dispatch(BoltRequest(body=body, query=request.query_string, headers=headers))

    def _signed(self, body: str, headers: dict[str, Any]) -> bool:
        timestamp = str(headers.get("x-slack-request-timestamp", ""))
        signature = str(headers.get("x-slack-signature", ""))
        return timestamp.isdigit() and self.verifier.is_valid(body, timestamp, signature)


def _refuse(status: int, error: str) -> BoltResponse:
    return BoltResponse(status=status, body=json.dumps({"error": error}), headers={"content-type": JSON_TYPE})


def create_wsgi_app(environ: Mapping[str, str] | None = None) -> SlackRequestHandler:
    """Build the WSGI app from the environment (gunicorn's ``'bot.server:create_wsgi_app()'``).

    Raises:
        FactsError: a required variable (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET) is missing.
    """
    settings = load_settings(environ)
    check_slack_settings(settings, socket_mode=False)
    return wsgi_app(open_app(settings), settings.signing_secret)


def open_app(settings: Settings) -> App:
    """Open the fact store named by the settings and build the Slack app over it."""
    settings.db_path.parent.mkdir(parents=True, exist_ok=True)
    store = FactStore.open(settings.db_path)
    return create_app(settings, store, Answerer(store))


def wsgi_app(app: App, signing_secret: str) -> SlackRequestHandler:
    """Wrap ``app`` as a WSGI callable answering at ``/slack/events``."""
    return ShowfactsRequestHandler(app, signing_secret, path=EVENTS_PATH)


def serve_http(app: App, *, signing_secret: str, host: str, port: int) -> None:
    """Serve ``app`` with gunicorn (one worker process, several threads) until interrupted."""
    from gunicorn.app.base import BaseApplication

    handler = wsgi_app(app, signing_secret)

    class _Gunicorn(BaseApplication):
        def load_config(self) -> None:
            options = {"bind": f"{host}:{port}", "workers": 1, "threads": SERVER_THREADS, "timeout": 0}
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return handler

    _Gunicorn().run()
