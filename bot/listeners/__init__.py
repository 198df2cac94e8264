"""Every Slack entry point of the bot, registered in one place.

Each listener acknowledges at once and queues its answer (see :mod:`bot.answer_queue`), which parses
the payload, calls one :class:`bot.handlers.Handlers` method and renders the
reply with :mod:`bot.blocks`.
"""

from __future__ import annotations

from slack_bolt import App

from bot.answer_queue import AnswerQueue
from bot.handlers import Handlers
from bot.listeners import actions, commands, home, messages, uploads
from bot.settings import Settings


def register_listeners(app: App, handlers: Handlers, settings: Settings, answers: AnswerQueue) -> None:
    """Register the commands, events and buttons of showfacts on ``app``, answering on ``answers``."""
    commands.register(app, handlers, answers)
    uploads.register(app, handlers, settings, answers)
    messages.register(app, handlers, settings, answers)
    actions.register(app, handlers, answers)
    home.register(app, handlers, answers)
