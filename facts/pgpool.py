"""A PostgreSQL store's connections shared by the threads of one process (psycopg_pool).

A store on one connection guards it with a lock, so one thread's long write (an admin's import)
holds up every other thread of the process: acknowledging Slack, saving context, answering. A
pooled store gives each thread that takes its lock a connection of its own instead, so they run
side by side and PostgreSQL keeps each one's snapshot. The store's code does not change:
:class:`PoolLock` stands for its lock and :class:`HeldConnection` for its connection (the one the
calling thread holds).

The web process, whose threads answer many requests at once, uses a pool; the CLI and other
processes that need one connection use one (:meth:`facts.postgres.PostgresStore.open`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from facts.errors import FactsError

# How long a thread waits for a connection of the pool when every one is in use.
DEFAULT_POOL_WAIT_SECONDS = 30.0
# What the web process keeps when SHOWFACTS_PG_POOL_SIZE is not set: acknowledgements, answers and
# one long write at once, within Heroku's smallest plan's 20 connections for 2 dynos of 2 workers.
DEFAULT_POOL_SIZE = 4


class PoolLock:
    """The lock of a pooled store: holding it is holding a connection of the pool.

    Re-entrant, as the single connection's ``RLock`` is: a thread that holds it keeps the same
    connection (and so its open transaction) until its outermost hold ends.

    Args:
        pool: a ``psycopg_pool.ConnectionPool`` of autocommit connections.
        wrap: makes the store's connection of a raw psycopg one.
        wait_seconds: how long :meth:`acquire` waits for a free connection by default.
    """

    def __init__(self, pool: Any, wrap: Callable[[Any], Any], *, wait_seconds: float) -> None:
        self.pool = pool
        self.wrap = wrap
        self.wait_seconds = wait_seconds
        self._local = threading.local()

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        """Hold a connection (this thread's own if it holds one already); False if none came free."""
        if getattr(self._local, "depth", 0):
            self._local.depth += 1
            return True
        from psycopg_pool import PoolTimeout

        wait = (self.wait_seconds if timeout < 0 else timeout) if blocking else 0.0
        try:
            raw = self.pool.getconn(timeout=wait)
        except PoolTimeout:
            return False
        self._local.connection, self._local.depth = self.wrap(raw), 1
        return True

    def release(self) -> None:
        """End one hold; the outermost gives the connection back (rolled back if left in a transaction)."""
        self._local.depth -= 1
        if self._local.depth == 0:
            connection, self._local.connection = self._local.connection, None
            self.pool.putconn(connection.raw)

    def held(self) -> Any:
        """The connection this thread holds."""
        connection = getattr(self._local, "connection", None)
        if connection is None:
            raise RuntimeError("the store's connection is used outside its lock")
        return connection

    def __enter__(self) -> PoolLock:
        if not self.acquire():
            raise FactsError(
                f"Every connection to the PostgreSQL database stayed in use for {self.wait_seconds:g} s.",
                "Raise SHOWFACTS_PG_POOL_SIZE (within the server's connection limit), or try again.",
            )
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()


class HeldConnection:
    """The store's connection in a pooled store: whichever one the calling thread holds."""

    def __init__(self, lock: PoolLock) -> None:
        self.lock = lock

    @property
    def raw(self) -> Any:
        return self.lock.held().raw

    @property
    def in_transaction(self) -> bool:
        return bool(self.lock.held().in_transaction)

    def execute(self, sql: str, parameters: Any = (), /) -> Any:
        return self.lock.held().execute(sql, parameters)

    def close(self) -> None:
        """Close the pool: every connection, held ones as they are given back."""
        self.lock.pool.close()


def open_pool(url: str, size: int, configure: Callable[[Any], None]) -> Any:
    """Open a pool of up to ``size`` autocommit connections to ``url``, one of them at once.

    Args:
        configure: run on each new connection (the store's lock timeout).
    """
    from psycopg_pool import ConnectionPool

    pool = ConnectionPool(
        url,
        min_size=1,
        max_size=size,
        kwargs={"autocommit": True},
        configure=configure,
        # A connection the server dropped while idle (a restart, a host's maintenance) is replaced
        # before a request gets it, for one short round trip per request.
        check=ConnectionPool.check_connection,
        open=True,
        name="showfacts",
    )
    return pool
