"""The Slack app: a Bolt :class:`App` wired to the fact store.

:func:`create_app` is used by the HTTP server (:mod:`bot.server`), Socket Mode
(:mod:`bot.socket_mode`) and the tests alike.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse
from slack_bolt.error import BoltError
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.answer_queue import AnswerQueue
from bot.conversations import Conversations
from bot.delivery import ResponseUrl, RetryPolicy
from bot.handlers import Handlers
from bot.listeners import register_listeners
from bot.listeners.failures import apologise
from bot.settings import Settings
from facts.answering import Answerer
from facts.errors import FactsError
from facts.importing import DEFAULT_TUNING, ImportTuning
from facts.store import Store

log = logging.getLogger(__name__)

SLACK_API_URL = "https://slack.com/api/"
DEFAULT_RETRY = RetryPolicy()
ADMIN_FLAGS = ("is_admin", "is_owner", "is_primary_owner")


class SlackAdmins:
    """Decides who may change the facts: SHOWFACTS_ADMINS, plus admins and owners of this workspace.

    Rights come from the bot's own workspace (team) only: in a shared channel (Slack Connect) a user
    of another workspace may be an admin there, and ``users.info`` says so. Every check therefore
    compares the team the request came from, and the user's home team, with the bot's.

    Args:
        admins: user IDs from the settings.
        client: asks Slack who the bot is (auth.test, once) and about anyone else (users.info).
    """

    def __init__(self, admins: frozenset[str], client: WebClient) -> None:
        self.admins = admins
        self.client = client
        self._home_team = ""

    def __call__(self, user: str, team: str = "") -> bool:
        home = self.home_team()
        if not user or not home or (team and team != home):
            return False
        if user in self.admins:
            return True
        try:
            info = self.client.users_info(user=user).get("user") or {}
        except SlackApiError as error:
            log.warning("users.info failed for %s: %s", user, error.response.get("error"))
            return False
        return info.get("team_id") == home and any(bool(info.get(flag)) for flag in ADMIN_FLAGS)

    def home_team(self) -> str:
        """Return the bot's workspace ID ("" while Slack cannot say)."""
        if not self._home_team:
            try:
                self._home_team = str(self.client.auth_test().get("team_id") or "")
            except SlackApiError as error:
                log.warning("auth.test failed: %s", error.response.get("error"))
        return self._home_team


class ShowfactsApp(App):
    """A Bolt app that acknowledges on the request thread and answers on :attr:`answers`.

    Listeners run before the response (``process_before_response``): they acknowledge and queue the
    answer, so the acknowledgement never waits for a free listener thread, and queued answers wait
    while :meth:`dispatch` is acknowledging requests (see :mod:`bot.answer_queue`).
    """

    def __init__(self, *, answers: AnswerQueue, **kwargs: Any) -> None:
        super().__init__(process_before_response=True, **kwargs)
        self.answers = answers

    def dispatch(self, req: BoltRequest) -> BoltResponse:
        with self.answers.acknowledging():
            return super().dispatch(req)


def create_web_client(settings: Settings, retry: RetryPolicy = DEFAULT_RETRY) -> WebClient:
    """Build the Web API client: the bot token, the configured base URL, retries (429, 5xx, network)."""
    return WebClient(
        token=settings.bot_token or None,
        base_url=settings.api_base_url or SLACK_API_URL,
        retry_handlers=retry.handlers(),
    )


def create_app(
    settings: Settings,
    store: Store,
    answerer: Answerer,
    *,
    retry: RetryPolicy = DEFAULT_RETRY,
    tuning: ImportTuning = DEFAULT_TUNING,
) -> ShowfactsApp:
    """Build the Slack app over ``store``.

    Args:
        settings: tokens, signing secret, admins, API base URL, upload limit.
        store: the open fact store (shared with other processes through the database file).
        answerer: answers questions over ``store``.
        retry: how calls to Slack (Web API, response_urls) are retried.
        tuning: how uploaded fact files are imported.

    Returns:
        A Bolt app; serve it with :mod:`bot.server` (HTTP) or :mod:`bot.socket_mode`. Its
        :attr:`~ShowfactsApp.answers` queue can be joined to wait for every answer to go out.

    Raises:
        FactsError: Slack refused the bot token, or could not be reached to check it.
    """
    client = create_web_client(settings, retry)
    app = _bolt_app(settings, client)
    handlers = Handlers(store, answerer, SlackAdmins(settings.admins, client), tuning)
    app.use(_skip_repeated_events(handlers.conversations))
    app.use(_respond_with_retries(retry))
    register_listeners(app, handlers, settings, app.answers)
    app.error(_apologise_before_ack)
    return app


def _bolt_app(settings: Settings, client: WebClient) -> ShowfactsApp:
    try:  # Bolt checks the token with auth.test right here
        return ShowfactsApp(client=client, signing_secret=settings.signing_secret, answers=AnswerQueue())
    except BoltError as error:
        raise FactsError(
            "Slack refused SLACK_BOT_TOKEN.", "Copy the Bot User OAuth Token (xoxb-...) from your Slack app."
        ) from error
    except OSError as error:
        raise FactsError(
            f"Cannot reach Slack at {client.base_url} ({error}).",
            "Check the network, or SLACK_API_BASE_URL if you set it.",
        ) from error


def _apologise_before_ack(error: Exception, body: dict[str, Any], respond: Any, client: WebClient) -> None:
    """Bolt's error handler (a listener failed before acknowledging): log and apologise."""
    apologise(error, body, respond, client)


def _respond_with_retries(retry: RetryPolicy) -> Any:
    """Middleware: listeners' ``respond`` retries the response_url and raises if it never takes."""

    def respond_with_retries(context: BoltContext, next: Any) -> None:  # noqa: A002 (Bolt's name)
        if context.response_url:
            context["respond"] = ResponseUrl(context.response_url, retry)
        next()

    return respond_with_retries


def _skip_repeated_events(conversations: Conversations) -> Any:
    """Middleware: an event_id seen before (a retry, or a second delivery) is acknowledged, not run."""

    def skip_repeats(body: dict[str, Any], next: Any) -> BoltResponse | None:  # noqa: A002 (Bolt's name)
        event_id = body.get("event_id") if isinstance(body, dict) else None
        if event_id and not conversations.claim(f"event:{event_id}"):
            return BoltResponse(status=200, body="")
        next()
        return None

    return skip_repeats
