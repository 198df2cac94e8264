"""Serving Slack over Socket Mode: no public URL, events arrive over a WebSocket (a worker dyno).

A worker has no HTTP port for Slack, so hosts cannot see whether it is still connected. With
``SHOWFACTS_HEALTH_PORT`` set it serves ``GET /health`` there: 200 while the WebSocket to Slack is
connected and the fact database can be read, 503 (saying which is not) otherwise.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler

from bot.settings import Settings
from facts.errors import FactsError
from facts.opening import check_readable_at

log = logging.getLogger(__name__)

HEALTH_PATH = "/health"


def serve_socket_mode(app: App, settings: Settings) -> None:
    """Connect to Slack with the app-level token and answer until interrupted."""
    handler = SocketModeHandler(app, app_token=settings.app_token, web_client=app.client)
    if settings.health_port:
        serve_health(handler.client.is_connected, settings.database, port=settings.health_port)
    handler.start()


def worker_health(is_connected: Callable[[], bool], database: Path | str) -> tuple[int, dict[str, str]]:
    """Return the status and body of ``/health``: connected to Slack, and the database readable."""
    report = {"socket_mode": "connected" if is_connected() else "disconnected", "database": "reachable"}
    try:
        check_readable_at(database)
    except FactsError as error:
        report["database"] = str(error)
    healthy = report["socket_mode"] == "connected" and report["database"] == "reachable"
    return (200 if healthy else 503), {"status": "ok" if healthy else "unavailable", **report}


def serve_health(
    is_connected: Callable[[], bool], database: Path | str, *, port: int, host: str = "0.0.0.0"
) -> ThreadingHTTPServer:
    """Serve ``GET /health`` on ``port`` from a daemon thread; return the server (to shut it down)."""

    class Health(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, body = worker_health(is_connected, database) if self.path == HEALTH_PATH else (404, {})
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base class's name)
            log.debug("health check: " + format, *args)

    server = ThreadingHTTPServer((host, port), Health)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="showfacts-health", daemon=True).start()
    return server
