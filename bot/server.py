"""Serving Slack over HTTP: every request (commands, events, buttons) at ``POST /slack/events``.

In production gunicorn runs the WSGI app (see Procfile)::

    gunicorn --bind 0.0.0.0:$PORT --workers 1 --threads 8 --timeout 0 'bot.server:create_wsgi_app()'

``showfacts serve`` runs the same app under gunicorn from Python.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from slack_bolt import App, BoltResponse
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest

from bot.app import create_app
from bot.settings import Settings, check_slack_settings, load_settings
from facts.answering import Answerer
from facts.store import FactStore

EVENTS_PATH = "/slack/events"
# Bolt acks at once and answers on its own listener threads; gunicorn threads only carry requests.
SERVER_THREADS = 8


class ShowfactsRequestHandler(SlackRequestHandler):
    """Bolt's WSGI adapter, answering a body that is not JSON or a form with 400 instead of a 500."""

    def dispatch(self, request: WsgiHttpRequest) -> BoltResponse:
        try:
            return super().dispatch(request)
        except ValueError:  # Bolt parses the body before verifying the signature, and raises on junk
            return BoltResponse(status=400, body='{"error": "malformed request"}')


def create_wsgi_app(environ: Mapping[str, str] | None = None) -> SlackRequestHandler:
    """Build the WSGI app from the environment (gunicorn's ``'bot.server:create_wsgi_app()'``).

    Raises:
        FactsError: a required variable (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET) is missing.
    """
    settings = load_settings(environ)
    check_slack_settings(settings, socket_mode=False)
    return wsgi_app(open_app(settings))


def open_app(settings: Settings) -> App:
    """Open the fact store named by the settings and build the Slack app over it."""
    settings.db_path.parent.mkdir(parents=True, exist_ok=True)
    store = FactStore.open(settings.db_path)
    return create_app(settings, store, Answerer(store))


def wsgi_app(app: App) -> SlackRequestHandler:
    """Wrap ``app`` as a WSGI callable answering at ``/slack/events``."""
    return ShowfactsRequestHandler(app, path=EVENTS_PATH)


def serve_http(app: App, *, host: str, port: int) -> None:
    """Serve ``app`` with gunicorn (one worker process, several threads) until interrupted."""
    from gunicorn.app.base import BaseApplication

    handler = wsgi_app(app)

    class _Gunicorn(BaseApplication):
        def load_config(self) -> None:
            options = {"bind": f"{host}:{port}", "workers": 1, "threads": SERVER_THREADS, "timeout": 0}
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return handler

    _Gunicorn().run()
