"""The Slack app: a Bolt :class:`App` wired to the fact store.

:func:`create_app` is used by the HTTP server (:mod:`bot.server`), Socket Mode
(:mod:`bot.socket_mode`) and the tests alike.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import App, BoltResponse
from slack_bolt.error import BoltError
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

from bot import replies
from bot.blocks import answer_message
from bot.conversations import Conversations
from bot.handlers import Handlers
from bot.listeners import register_listeners
from bot.settings import Settings
from facts.answering import Answerer
from facts.errors import FactsError
from facts.store import FactStore

log = logging.getLogger(__name__)

SLACK_API_URL = "https://slack.com/api/"
RATE_LIMIT_RETRIES = 3
# Listener threads per process; each answer takes milliseconds, so a few keep up with a workspace.
LISTENER_THREADS = 8
ADMIN_FLAGS = ("is_admin", "is_owner", "is_primary_owner")


class SlackAdmins:
    """Decides who may change the facts: SHOWFACTS_ADMINS, plus workspace admins and owners.

    Args:
        admins: user IDs from the settings.
        client: asks Slack (users.info) about anyone else.
    """

    def __init__(self, admins: frozenset[str], client: WebClient) -> None:
        self.admins = admins
        self.client = client

    def __call__(self, user: str) -> bool:
        if not user:
            return False
        if user in self.admins:
            return True
        try:
            info = self.client.users_info(user=user).get("user") or {}
        except SlackApiError as error:
            log.warning("users.info failed for %s: %s", user, error.response.get("error"))
            return False
        return any(bool(info.get(flag)) for flag in ADMIN_FLAGS)


def create_web_client(settings: Settings) -> WebClient:
    """Build the Web API client: the bot token, the configured base URL, retries on 429."""
    return WebClient(
        token=settings.bot_token or None,
        base_url=settings.api_base_url or SLACK_API_URL,
        retry_handlers=[
            ConnectionErrorRetryHandler(),
            RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
        ],
    )


def create_app(settings: Settings, store: FactStore, answerer: Answerer) -> App:
    """Build the Slack app over ``store``.

    Args:
        settings: tokens, signing secret, admins, API base URL, upload limit.
        store: the open fact store (shared with other processes through the database file).
        answerer: answers questions over ``store``.

    Returns:
        A Bolt app; serve it with :mod:`bot.server` (HTTP) or :mod:`bot.socket_mode`.

    Raises:
        FactsError: Slack refused the bot token, or could not be reached to check it.
    """
    client = create_web_client(settings)
    app = _bolt_app(settings, client)
    handlers = Handlers(store, answerer, SlackAdmins(settings.admins, client))
    app.use(_skip_repeated_events(handlers.conversations))
    register_listeners(app, handlers, settings)
    app.error(_apologise)
    return app


def _bolt_app(settings: Settings, client: WebClient) -> App:
    try:  # Bolt checks the token with auth.test right here
        return App(
            client=client,
            signing_secret=settings.signing_secret,
            listener_executor=ThreadPoolExecutor(max_workers=LISTENER_THREADS),
        )
    except BoltError as error:
        raise FactsError(
            "Slack refused SLACK_BOT_TOKEN.", "Copy the Bot User OAuth Token (xoxb-...) from your Slack app."
        ) from error
    except OSError as error:
        raise FactsError(
            f"Cannot reach Slack at {client.base_url} ({error}).",
            "Check the network, or SLACK_API_BASE_URL if you set it.",
        ) from error


def _skip_repeated_events(conversations: Conversations) -> Any:
    """Middleware: an event_id seen before (a retry, or a second delivery) is acknowledged, not run."""

    def skip_repeats(body: dict[str, Any], next: Any) -> BoltResponse | None:  # noqa: A002 (Bolt's name)
        event_id = body.get("event_id") if isinstance(body, dict) else None
        if event_id and not conversations.claim(f"event:{event_id}"):
            return BoltResponse(status=200, body="")
        next()
        return None

    return skip_repeats


def _apologise(error: Exception, body: dict[str, Any], respond: Any, client: WebClient) -> None:
    """Log an unexpected failure (never the payload: it holds tokens) and apologise to the user."""
    log.error("unexpected error handling a Slack request", exc_info=error)
    message = answer_message(replies.generic_error_answer())
    try:
        if isinstance(body, dict) and body.get("response_url"):
            respond(response_type="ephemeral", replace_original=False, **message)
        elif isinstance(body, dict) and isinstance(body.get("event"), dict) and body["event"].get("channel"):
            event = body["event"]
            thread = event.get("thread_ts") or event.get("ts")
            client.chat_postMessage(channel=event["channel"], thread_ts=thread, **message)
    except Exception:  # the apology is best effort; the original error is already logged
        log.warning("could not deliver the apology", exc_info=True)
