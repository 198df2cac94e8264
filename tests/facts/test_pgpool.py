"""A PostgreSQL store on a pool (the web process): each thread holding the store's lock has a
connection of its own, so one thread's open write holds up no other thread's answers or bookkeeping."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.conversations import Conversations
from facts.answering import Answerer
from facts.errors import FactsError
from facts.pgpool import PoolLock
from facts.postgres import PostgresConnection, PostgresStore
from tests.backends import PostgresServer

WAIT_SECONDS = 10
LUPIN_70M = "Lupin had 70M viewers in its first 28 days on Netflix."
LUPIN_71M = "Lupin had 71M viewers in its first 28 days on Netflix."
SET_LUPIN = (
    "UPDATE viewership SET value = 71000000"
    " WHERE show_id = (SELECT id FROM shows WHERE title = 'Lupin') AND metric = 'viewers'"
)


@pytest.fixture
def url(postgres_server: PostgresServer, tmp_path: Path) -> str:
    """A database holding the bundled seed."""
    return postgres_server.seeded_database(tmp_path)


@pytest.fixture
def pooled(url: str) -> Iterator[PostgresStore]:
    store = PostgresStore.open(url, pool_size=3)
    yield store
    store.close()


def in_thread(work: threading.Event, done: threading.Event, store: PostgresStore) -> threading.Thread:
    """A thread that opens a write changing Lupin's figure, says so, and commits once told to."""

    def write() -> None:
        with store.write() as db:
            db.execute(SET_LUPIN)
            work.set()
            assert done.wait(WAIT_SECONDS)

    thread = threading.Thread(target=write)
    thread.start()
    assert work.wait(WAIT_SECONDS)
    return thread


def test_a_write_in_progress_does_not_hold_up_answers_of_the_same_process(pooled: PostgresStore) -> None:
    answerer = Answerer(pooled)
    writing, commit = threading.Event(), threading.Event()
    writer = in_thread(writing, commit, pooled)
    try:
        # Answered on a connection of its own while the write is open, from the facts before it.
        assert answerer.answer("How many people watched Lupin?").headline == LUPIN_70M
    finally:
        commit.set()
        writer.join(WAIT_SECONDS)
    assert answerer.answer("How many people watched Lupin?").headline == LUPIN_71M


def test_events_are_claimed_and_context_saved_while_a_write_is_open(pooled: PostgresStore) -> None:
    conversations = Conversations(pooled)
    writing, commit = threading.Event(), threading.Event()
    writer = in_thread(writing, commit, pooled)
    try:
        assert conversations.claim("Ev1") is True
        assert conversations.claim("Ev1") is False
    finally:
        commit.set()
        writer.join(WAIT_SECONDS)


def test_the_pool_opens_connections_as_threads_need_them_up_to_its_size(url: str) -> None:
    store = PostgresStore.open(url, pool_size=2)
    holding, release = threading.Barrier(3), threading.Event()

    def hold() -> None:
        with store.lock:
            store.conn.execute("SELECT 1")
            holding.wait(WAIT_SECONDS)
            release.wait(WAIT_SECONDS)

    threads = [threading.Thread(target=hold) for _ in range(2)]
    for thread in threads:
        thread.start()
    try:
        holding.wait(WAIT_SECONDS)
        assert isinstance(store.lock, PoolLock)
        # Both connections are in use: a third thread is told so rather than waiting forever.
        assert store.lock.acquire(timeout=0.01) is False
    finally:
        release.set()
        for thread in threads:
            thread.join(WAIT_SECONDS)
    assert store.lock.acquire(timeout=WAIT_SECONDS) is True
    store.lock.release()
    store.close()


def test_a_pool_with_every_connection_taken_says_how_to_fix_it(url: str) -> None:
    store = PostgresStore.open(url, pool_size=1)
    assert isinstance(store.lock, PoolLock)
    impatient = PoolLock(store.lock.pool, PostgresConnection, wait_seconds=0.01)
    refused: list[FactsError] = []

    def take() -> None:
        with pytest.raises(FactsError) as raised, impatient:
            pass
        refused.append(raised.value)

    with store.lock:  # the one connection, held by this thread
        thread = threading.Thread(target=take)
        thread.start()
        thread.join(WAIT_SECONDS)
    assert [str(error) for error in refused] == [
        "Every connection to the PostgreSQL database stayed in use for 0.01 s. Raise SHOWFACTS_PG_POOL_SIZE"
        " (within the server's connection limit), or try again."
    ]
    store.close()


def test_a_thread_holding_the_lock_keeps_its_connection_and_transaction(pooled: PostgresStore) -> None:
    with pooled.read() as db:
        first = db.execute("SELECT pg_backend_pid()").fetchone()[0]
        with pooled.lock:
            assert pooled.conn.in_transaction
            assert pooled.conn.execute("SELECT pg_backend_pid()").fetchone()[0] == first
    with pooled.lock:
        assert not pooled.conn.in_transaction


def test_each_threads_read_sees_the_generation_of_its_own_snapshot(pooled: PostgresStore) -> None:
    reading, written = threading.Event(), threading.Event()
    seen: list[int] = []

    def read_before_the_write() -> None:
        with pooled.read():
            reading.set()
            assert written.wait(WAIT_SECONDS)
            seen.append(pooled.generation())

    reader = threading.Thread(target=read_before_the_write)
    reader.start()
    assert reading.wait(WAIT_SECONDS)
    before = pooled.generation()
    with pooled.write() as db:
        db.execute(SET_LUPIN)
    with pooled.read():  # begun after the write: its generation, while the other read keeps its own
        after = pooled.generation()
        written.set()
        reader.join(WAIT_SECONDS)
    assert (seen, after) == ([before], before + 1)


def test_connections_the_server_dropped_are_replaced_before_a_request_uses_them(
    pooled: PostgresStore, url: str
) -> None:
    """A database restart (a host's maintenance) drops every idle connection: no request fails for it."""
    answerer = Answerer(pooled)
    assert answerer.answer("How many people watched Lupin?").headline == LUPIN_70M
    with PostgresStore.open(url) as other, other.write() as db:
        dropped = db.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid != pg_backend_pid()"
        ).fetchone()[0]
    assert dropped >= 1
    assert Answerer(pooled).answer("How many people watched Lupin?").headline == LUPIN_70M
