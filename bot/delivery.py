"""Getting answers to Slack: retries for the Web API and for response_urls, and failures named.

Slack's Web API and response_urls answer 429 (with ``Retry-After``) or 5xx now and then; a single try
would lose the answer without a word. Both go through slack_sdk's retry handlers (connection errors,
rate limits, server errors) with exponential backoff; what still fails raises :class:`DeliveryError`,
which the listeners log with the request's ID (see :mod:`bot.listeners.outcomes`).
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk.http_retry import (
    BackoffRetryIntervalCalculator,
    ConnectionErrorRetryHandler,
    Jitter,
    RateLimitErrorRetryHandler,
    RetryHandler,
)
from slack_sdk.http_retry.builtin_handlers import ServerErrorRetryHandler
from slack_sdk.webhook import WebhookClient

# What listeners get as ``respond``: a :class:`ResponseUrl` where the request has a response_url.
Responder = Callable[..., object]
HTTP_OK = 200
# slack_sdk's webhook client logs every retry with the response_url (which lets anyone post to the
# conversation for 30 minutes) unless its logger's level is above DEBUG.
_WEBHOOK_LOG = logging.getLogger(__name__ + ".webhook")
_WEBHOOK_LOG.setLevel(logging.WARNING)
# Three more tries after the first, 0.5, 1 and 2 s apart (each ±50%): a blip of a few seconds is
# ridden out while the answer is still timely.
RETRIES = 3
BACKOFF_SECONDS = 0.5


@dataclass(frozen=True)
class RetryPolicy:
    """How often, and how patiently, a call to Slack is tried again.

    Args:
        retries: tries after the first one.
        backoff_seconds: the wait before the first retry; it doubles for each next one.
    """

    retries: int = RETRIES
    backoff_seconds: float = BACKOFF_SECONDS

    def handlers(self) -> list[RetryHandler]:
        """Return slack_sdk retry handlers for connection errors, 429 (Retry-After) and 500/503."""
        backoff = BackoffRetryIntervalCalculator(self.backoff_seconds, jitter=HalfJitter())
        return [
            ConnectionErrorRetryHandler(max_retry_count=self.retries, interval_calculator=backoff),
            RateLimitErrorRetryHandler(max_retry_count=self.retries),
            ServerErrorRetryHandler(max_retry_count=self.retries, interval_calculator=backoff),
        ]


class HalfJitter(Jitter):
    """Spreads a wait over 50-150% of itself, so processes that failed together retry apart.

    (slack_sdk's RandomJitter adds up to a whole second, however short the wait.)
    """

    def recalculate(self, duration: float) -> float:
        return duration * (0.5 + random.random())


class DeliveryError(Exception):
    """Slack did not take a message even after the retries (the message says how it answered)."""


class ResponseUrl:
    """Posts to a request's response_url like Bolt's ``respond``, with retries, raising on failure.

    Args:
        url: the response_url of the request.
        policy: how to retry.
    """

    def __init__(self, url: str, policy: RetryPolicy) -> None:
        self.url = url
        self.policy = policy

    def __call__(self, **message: Any) -> None:
        """Post ``message`` (text, blocks, response_type, replace_original, ...).

        Raises:
            DeliveryError: the response_url answered an error status after every retry.
        """
        client = WebhookClient(self.url, retry_handlers=self.policy.handlers(), logger=_WEBHOOK_LOG)
        response = client.send_dict({key: value for key, value in message.items() if value is not None})
        if response.status_code != HTTP_OK:
            raise DeliveryError(
                f"the response_url answered HTTP {response.status_code} ({response.body[:100]})"
            )


def request_id(body: Any) -> str:
    """Return the ID Slack gave a request (its event_id or trigger_id), for logs; "" if none."""
    if not isinstance(body, dict):
        return ""
    for key in ("event_id", "trigger_id"):
        if isinstance(body.get(key), str) and body[key]:
            return str(body[key])
    return ""
