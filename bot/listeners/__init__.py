"""Every Slack entry point of the bot, registered in one place.

Each listener parses the payload, calls one :class:`bot.handlers.Handlers` method and renders the
reply with :mod:`bot.blocks`.
"""

from __future__ import annotations

from slack_bolt import App

from bot.handlers import Handlers
from bot.listeners import actions, commands, home, messages, uploads
from bot.settings import Settings


def register_listeners(app: App, handlers: Handlers, settings: Settings) -> None:
    """Register the commands, events and buttons of showfacts on ``app``."""
    commands.register(app, handlers)
    uploads.register(app, handlers, settings)
    messages.register(app, handlers, settings)
    actions.register(app, handlers)
    home.register(app, handlers)
