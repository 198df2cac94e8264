"""The App Home tab: how to ask, the top shows and, for admins, the latest imports."""

from __future__ import annotations

from functools import partial
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.answer_queue import AnswerQueue
from bot.blocks import home_view
from bot.handlers import Handlers, Reply
from bot.listeners.outcomes import answer_later
from bot.payloads import acting_team


def register(app: App, handlers: Handlers, answers: AnswerQueue) -> None:
    """Register the app_home_opened listener."""

    @app.event("app_home_opened")
    def on_home_opened(body: dict[str, Any], client: WebClient) -> None:
        answer_later(answers, body, "home", partial(publish_home, handlers, body, client), None, client)


def publish_home(handlers: Handlers, body: dict[str, Any], client: WebClient) -> Reply | None:
    """Publish the Home tab for the user who opened it (the Messages tab needs nothing)."""
    event = body["event"]
    if event.get("tab", "home") != "home":
        return None
    user = str(event.get("user", ""))
    sections = handlers.home(user, team=acting_team(body))
    client.views_publish(user_id=user, view=home_view(sections))
    return Reply(sections[0])
