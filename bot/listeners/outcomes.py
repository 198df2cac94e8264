"""Running an answer after the acknowledgement, and one log line for each.

Every listener acknowledges, then hands :func:`answer_later` the work that builds and sends the
answer. The work runs on the answer queue; its outcome is logged as one structured line (request ID,
surface, intent, outcome, latency) and never the question's text, which may come from a private DM.
A failure gets an apology (:func:`bot.listeners.failures.apologise`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient

from bot.answer_queue import AnswerQueue
from bot.delivery import request_id
from bot.handlers import Reply
from bot.listeners.failures import apologise

log = logging.getLogger(__name__)

# What the work returns: the reply it sent, or None when there was nothing to answer (a repeat).
Work = Callable[[], Reply | None]


def answer_later(
    answers: AnswerQueue, body: dict[str, Any], surface: str, work: Work, respond: Any, client: WebClient
) -> None:
    """Queue ``work`` (answering ``body``, which came in through ``surface``); log how it went.

    Args:
        answers: the queue to run on.
        body: the request.
        surface: where it came from: command, button, mention, dm, upload, home.
        work: builds and sends the answer.
        respond: the request's response_url poster (for the apology), or None.
        client: the Web API client (for the apology in an event's thread).
    """
    started = time.monotonic()

    def run() -> None:
        try:
            reply = work()
        except Exception as error:
            delivered = apologise(error, body, respond, client)
            log_outcome(body, surface, "", "apologised" if delivered else "undelivered", started)
            return
        outcome = reply.answer.kind if reply else "skipped"
        log_outcome(body, surface, reply.answer.intent if reply else "", outcome, started)

    answers.submit(run)


def log_outcome(body: dict[str, Any], surface: str, intent: str, outcome: str, started: float) -> None:
    """Log one answer as ``key=value`` fields (also given to log handlers as ``extra``)."""
    fields = {
        "request": request_id(body) or "-",
        "surface": surface,
        "intent": intent or "-",
        "outcome": outcome,
        "latency_ms": round((time.monotonic() - started) * 1000, 1),
    }
    log.info("answer %s", " ".join(f"{key}={value}" for key, value in fields.items()), extra=fields)
