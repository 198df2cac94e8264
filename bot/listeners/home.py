"""The App Home tab: how to ask, the top shows and, for admins, the latest imports."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.answer_queue import AnswerQueue
from bot.blocks import home_view
from bot.handlers import Handlers
from bot.listeners.failures import apology_for
from bot.payloads import acting_team


def register(app: App, handlers: Handlers, answers: AnswerQueue) -> None:
    """Register the app_home_opened listener."""

    @app.event("app_home_opened")
    def on_home_opened(body: dict[str, Any], client: WebClient) -> None:
        answers.submit(lambda: publish_home(handlers, body, client), on_error=apology_for(body, None, client))


def publish_home(handlers: Handlers, body: dict[str, Any], client: WebClient) -> None:
    """Publish the Home tab for the user who opened it (the Messages tab needs nothing)."""
    event = body["event"]
    if event.get("tab", "home") != "home":
        return
    user = str(event.get("user", ""))
    client.views_publish(user_id=user, view=home_view(handlers.home(user, team=acting_team(body))))
