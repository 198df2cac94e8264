"""Apologising for unexpected failures, so a bug reaches the log and never the user as a traceback.

Answers run on the :class:`bot.answer_queue.AnswerQueue` after the acknowledgement, out of Bolt's
reach: commands and buttons catch their own failures with :func:`apologising` and apologise through
the response_url; events pass :func:`apologise` to the queue, which Bolt also calls (``@app.error``,
bot.app) for a failure before the acknowledgement.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

from slack_bolt import Respond
from slack_sdk import WebClient

from bot import replies
from bot.blocks import answer_message

log = logging.getLogger(__name__)


@contextmanager
def apologising(respond: Respond) -> Iterator[None]:
    """Run the block; on an unexpected error, log it and send the user the generic apology."""
    try:
        yield
    except Exception:  # the boundary: a bug must reach the log, not the user
        log.exception("unexpected error answering a Slack command or button")
        try:
            respond(
                response_type="ephemeral",
                replace_original=False,
                **answer_message(replies.generic_error_answer()),
            )
        except Exception:  # the apology is best effort; the error is logged above
            log.warning("could not deliver the apology", exc_info=True)


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
