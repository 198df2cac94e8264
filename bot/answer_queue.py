"""Answer work that yields to acknowledgements.

Slack wants every request acknowledged within 3 seconds; the answer itself goes to the response_url
(or chat.postMessage) afterwards and may take longer. Listeners therefore acknowledge on the request
thread and hand the answer to an :class:`AnswerQueue`. Its threads share the interpreter lock with
the request threads, so an answer running during a burst of requests would delay every
acknowledgement behind it; instead an answer waits until no request has been acknowledged for
:data:`QUIET_SECONDS`, and never longer than :data:`MAX_DEFER_SECONDS` (so a steady stream of
requests delays answers a little but never starves them). :meth:`AnswerQueue.join` waits until
every queued answer has gone out, for a caller that must know (a test, a worker shutting down).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

log = logging.getLogger(__name__)

# Answers mostly wait on Slack's Web API, so a few threads per process keep up with a workspace.
ANSWER_THREADS = 8
# Requests of one burst arrive within milliseconds of each other; a gap this long ends the burst.
QUIET_SECONDS = 0.05
# The longest an answer is held back while requests keep arriving.
MAX_DEFER_SECONDS = 1.0

Work = Callable[[], None]
ErrorHandler = Callable[[Exception], None]


class AnswerQueue:
    """Runs answer work on its own threads, after the requests being acknowledged.

    Args:
        threads: how many answers run at once.
        quiet_seconds: how long no request must have been acknowledged before an answer runs.
        max_defer_seconds: how long an answer waits for that quiet at most.
    """

    def __init__(
        self,
        threads: int = ANSWER_THREADS,
        *,
        quiet_seconds: float = QUIET_SECONDS,
        max_defer_seconds: float = MAX_DEFER_SECONDS,
    ) -> None:
        self.quiet_seconds = quiet_seconds
        self.max_defer_seconds = max_defer_seconds
        # The executor's threads are joined at interpreter exit, so queued answers still go out
        # when the server stops a worker process.
        self._executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="showfacts-answer")
        self._lock = threading.Lock()
        self._acknowledging = 0
        self._last_acknowledged = 0.0
        # Answers queued or running; join() waits for it to reach zero.
        self._unfinished = 0
        self._finished = threading.Condition()

    @contextmanager
    def acknowledging(self) -> Iterator[None]:
        """Hold answers back while the block (one request's acknowledgement) runs."""
        with self._lock:
            self._acknowledging += 1
        try:
            yield
        finally:
            with self._lock:
                self._acknowledging -= 1
                self._last_acknowledged = time.monotonic()

    def submit(self, work: Work, *, on_error: ErrorHandler | None = None) -> None:
        """Run ``work`` once no request is being acknowledged; pass what it raises to ``on_error``."""
        with self._finished:
            self._unfinished += 1
        try:
            self._executor.submit(self._run, work, on_error, time.monotonic())
        except RuntimeError:  # the executor is shutting down: this answer will never run
            self._finish_one()
            raise

    def join(self, timeout: float) -> bool:
        """Wait until every answer submitted so far has run, for ``timeout`` seconds at most.

        Returns:
            True once the queue is drained; False if answers were still queued or running at the timeout.
        """
        with self._finished:
            return self._finished.wait_for(lambda: self._unfinished == 0, timeout)

    def _run(self, work: Work, on_error: ErrorHandler | None, queued_at: float) -> None:
        try:
            self.wait_for_quiet(queued_at)
            work()
        except Exception as error:  # the executor would keep it in a Future nobody reads
            if on_error is None:
                log.exception("unexpected error answering a Slack request")
            else:
                on_error(error)
        finally:
            self._finish_one()

    def _finish_one(self) -> None:
        with self._finished:
            self._unfinished -= 1
            self._finished.notify_all()

    def wait_for_quiet(self, queued_at: float) -> None:
        """Wait until no request has been acknowledged for a while, or the deferral is used up.

        Waiting answers poll rather than being notified: waking every one of them at the end of
        every request would cost the acknowledgements more than it saves.
        """
        deadline = queued_at + self.max_defer_seconds
        while True:
            now = time.monotonic()
            with self._lock:
                busy, quiet_at = self._acknowledging > 0, self._last_acknowledged + self.quiet_seconds
            if now >= deadline or (not busy and now >= quiet_at):
                return
            time.sleep(min(deadline, now + self.quiet_seconds if busy else quiet_at) - now)
