"""Serving Slack over Socket Mode: no public URL, events arrive over a WebSocket (a worker dyno)."""

from __future__ import annotations

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler

from bot.settings import Settings


def serve_socket_mode(app: App, settings: Settings) -> None:
    """Connect to Slack with the app-level token and answer until interrupted."""
    SocketModeHandler(app, app_token=settings.app_token, web_client=app.client).start()
