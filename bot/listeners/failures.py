"""Apologising for failures, so a bug reaches the log and never the user as a traceback.

Answers run on the :class:`bot.answer_queue.AnswerQueue` after the acknowledgement, out of Bolt's
reach: :func:`bot.listeners.outcomes.answer_later` calls :func:`apologise` when one fails, and Bolt
calls it itself (``@app.error``, bot.app) for a failure before the acknowledgement. Commands and
buttons are apologised to through their response_url, events in their thread. Every failure is
logged with the request's ID; one that Slack would not take even after retries says so.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import replies
from bot.blocks import answer_message
from bot.delivery import DeliveryError, request_id

log = logging.getLogger(__name__)


def apologise(error: Exception, body: dict[str, Any], respond: Any, client: WebClient) -> bool:
    """Log a failure (never the payload: it holds tokens) and apologise to the user.

    Returns:
        Whether the apology reached Slack.
    """
    request = request_id(body) or "-"
    if isinstance(error, DeliveryError | SlackApiError):
        log.error("answer to request %s not delivered after retries: %s", request, _reason(error))
    else:
        log.error("unexpected error answering request %s", request, exc_info=error)
    message = answer_message(replies.generic_error_answer())
    try:
        if isinstance(body, dict) and body.get("response_url"):
            respond(response_type="ephemeral", replace_original=False, **message)
        elif isinstance(body, dict) and isinstance(body.get("event"), dict) and body["event"].get("channel"):
            event = body["event"]
            thread = event.get("thread_ts") or event.get("ts")
            client.chat_postMessage(channel=event["channel"], thread_ts=thread, **message)
        else:
            return False
    except Exception as failure:  # the original error is already logged
        log.error("apology for request %s not delivered either: %s", request, _reason(failure))
        return False
    return True


def _reason(error: Exception) -> str:
    """Say how Slack answered, without the request (its URL or token)."""
    if isinstance(error, SlackApiError):
        return f"Slack answered {error.response.status_code} {error.response.get('error', '')}".strip()
    return str(error) if isinstance(error, DeliveryError) else type(error).__name__
