"""Apologising for unexpected failures in listeners that ack before they work.

Bolt 1.30 has a race for those listeners: when one raises after ``ack()``, the error path resets the
acknowledgement, and the HTTP response may become 404 "unhandled request" instead of 200 (see
``slack_bolt/listener/thread_runner.py``). So commands and buttons catch their own failures here,
log them and apologise through the response_url; events rely on ``@app.error`` (bot.app).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from slack_bolt import Respond

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
