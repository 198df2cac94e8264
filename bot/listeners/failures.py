"""Apologising for unexpected failures, so a bug reaches the log and never the user as a traceback.

Answers run on the :class:`bot.answer_queue.AnswerQueue` after the acknowledgement, out of Bolt's
reach: every listener passes :func:`apology_for` its request to the queue, and Bolt calls
:func:`apologise` itself (``@app.error``, bot.app) for a failure before the acknowledgement. Commands
and buttons are apologised to through their response_url, events in their thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from slack_sdk import WebClient

from bot import replies
from bot.blocks import answer_message

log = logging.getLogger(__name__)


def apologise(error: Exception, body: dict[str, Any], respond: Any, client: WebClient) -> None:
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


def apology_for(body: dict[str, Any], respond: Any, client: WebClient) -> Callable[[Exception], None]:
    """Return what the answer queue calls if answering ``body`` fails: :func:`apologise` for it."""
    return partial(apologise, body=body, respond=respond, client=client)
