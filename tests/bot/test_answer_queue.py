"""Answers wait while requests are being acknowledged, but never longer than the deferral allows."""

from __future__ import annotations

import threading
import time

from bot.answer_queue import AnswerQueue

QUIET = 0.05
WAIT = 5.0


def test_an_answer_waits_until_the_acknowledgements_are_over() -> None:
    answers = AnswerQueue(quiet_seconds=QUIET, max_defer_seconds=WAIT)
    done = threading.Event()
    with answers.acknowledging():
        answers.submit(done.set)
        assert not done.wait(3 * QUIET)
    finished = time.monotonic()
    assert done.wait(WAIT)
    assert time.monotonic() - finished >= QUIET * 0.9


def test_an_answer_runs_at_once_when_nothing_is_acknowledged() -> None:
    answers = AnswerQueue(quiet_seconds=QUIET, max_defer_seconds=WAIT)
    done = threading.Event()
    answers.submit(done.set)
    assert done.wait(WAIT)


def test_a_steady_stream_of_requests_delays_an_answer_by_the_deferral_at_most() -> None:
    answers = AnswerQueue(quiet_seconds=QUIET, max_defer_seconds=4 * QUIET)
    done = threading.Event()
    with answers.acknowledging():
        answers.submit(done.set)
        assert done.wait(WAIT)


def test_a_failure_goes_to_the_error_handler() -> None:
    answers = AnswerQueue(quiet_seconds=QUIET, max_defer_seconds=WAIT)
    failures: list[Exception] = []
    handled = threading.Event()

    def explode() -> None:
        raise RuntimeError("boom")

    def record(error: Exception) -> None:
        failures.append(error)
        handled.set()

    answers.submit(explode, on_error=record)
    assert handled.wait(WAIT)
    assert [str(error) for error in failures] == ["boom"]


def test_join_waits_until_every_answer_has_run() -> None:
    answers = AnswerQueue(quiet_seconds=QUIET, max_defer_seconds=WAIT)
    release = threading.Event()
    ran: list[int] = []
    answers.submit(lambda: release.wait(WAIT))
    answers.submit(lambda: ran.append(1))
    assert not answers.join(QUIET)
    release.set()
    assert answers.join(WAIT)
    assert ran == [1]


def test_join_counts_an_answer_that_failed_as_finished() -> None:
    answers = AnswerQueue(quiet_seconds=QUIET, max_defer_seconds=WAIT)

    def explode() -> None:
        raise RuntimeError("boom")

    answers.submit(explode, on_error=lambda error: None)
    assert answers.join(WAIT)
    assert answers.join(0)
