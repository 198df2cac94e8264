"""State the bot shares between its processes, kept in the fact database.

* Conversation context per thread or DM, so "who created it?" follows on from the last answer
  whichever process handles it.
* The direct message each staged upload was sent in, the only place its Apply / Cancel count.
* Events already handled, so Slack's retries and a second delivery of the same ``event_id`` (or of
  the same uploaded file) are answered once even when another process got the first delivery.

Writes here go straight through the store's connection without :meth:`FactStore.write`: they are
not facts, so they must not bump the generation that tells caches to reload.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlite_utils import Database, Migrations

from facts.answer import Context
from facts.dialect import Connection
from facts.pgschema import PostgresMigrations
from facts.store import Store

log = logging.getLogger(__name__)

# Slack retries for up to about 5 minutes after the first delivery; an hour is generous.
SEEN_EVENT_TTL_SECONDS = 3600
# A thread nobody has touched for a week starts afresh.
CONVERSATION_TTL_SECONDS = 7 * 24 * 3600
# Staged uploads expire after a day (facts.importing.tuning); their conversations are kept a little longer.
UPLOAD_TTL_SECONDS = 2 * 24 * 3600
# Prune old rows on roughly one write in this many, so no request pays for it every time.
PRUNE_EVERY = 100
# Event dedupe runs before Slack's 3-second acknowledgement; while another process holds the write
# lock for a long import, waiting longer than this would make Slack retry. Past it the event is
# answered anyway (a rare double answer beats a lost one) and context is simply not saved.
QUICK_BUSY_MS = 500


# The bot's own tables, migrated by the bot (not by the fact store, which knows nothing of them).
bot_migrations = Migrations("showfacts-bot")


@bot_migrations()
def m401_conversations(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE IF NOT EXISTS bot_conversations (
            key TEXT PRIMARY KEY,
            context TEXT NOT NULL,
            updated_at REAL NOT NULL
        );
        CREATE TABLE IF NOT EXISTS bot_seen_events (
            event_id TEXT PRIMARY KEY,
            seen_at REAL NOT NULL
        );
        CREATE INDEX IF NOT EXISTS bot_seen_events_at ON bot_seen_events(seen_at);
        """
    )


@bot_migrations()
def m402_upload_conversations(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE IF NOT EXISTS bot_upload_conversations (
            token TEXT PRIMARY KEY,
            conversation TEXT NOT NULL,
            created_at REAL NOT NULL
        );
        """
    )


# The same tables on PostgreSQL, where REAL is single precision: times are DOUBLE PRECISION.
bot_postgres_migrations = PostgresMigrations("showfacts-bot")


@bot_postgres_migrations()
def pg401_conversations(db: Any) -> None:
    db.executescript(
        """
        CREATE TABLE bot_conversations (
            key TEXT COLLATE "C" PRIMARY KEY,
            context TEXT NOT NULL,
            updated_at DOUBLE PRECISION NOT NULL
        );
        CREATE TABLE bot_seen_events (
            event_id TEXT COLLATE "C" PRIMARY KEY,
            seen_at DOUBLE PRECISION NOT NULL
        );
        CREATE INDEX bot_seen_events_at ON bot_seen_events(seen_at);
        CREATE TABLE bot_upload_conversations (
            token TEXT COLLATE "C" PRIMARY KEY,
            conversation TEXT NOT NULL,
            created_at DOUBLE PRECISION NOT NULL
        );
        """
    )


BOT_SCHEMAS: dict[str, Any] = {"sqlite": bot_migrations, "postgresql": bot_postgres_migrations}


class StoreBusy(Exception):
    """The store's lock stayed taken by another thread of this process (an import?)."""


class Conversations:
    """Per-conversation context and event dedupe, shared by every process using the database.

    Args:
        store: the open fact store (its schema is migrated to include the bot's tables).
        busy_ms: how long to wait for another process's write lock before giving up.
    """

    def __init__(self, store: Store, *, busy_ms: int = QUICK_BUSY_MS) -> None:
        self.store = store
        self.busy_ms = busy_ms
        store.migrate(BOT_SCHEMAS[store.dialect.name])
        # What a write given up after busy_ms raises.
        self._busy: tuple[type[Exception], ...] = (StoreBusy, *store.dialect.busy_errors)
        self._writes = 0

    def context_for(self, key: str) -> Context:
        """Return the context saved for conversation ``key`` (empty if none or expired)."""
        oldest = time.time() - CONVERSATION_TTL_SECONDS
        with self.store.lock:
            row = self.store.conn.execute(
                "SELECT context FROM bot_conversations WHERE key = ? AND updated_at >= ?", (key, oldest)
            ).fetchone()
        return Context.from_dict(json.loads(row[0])) if row else Context()

    def remember(self, key: str, context: Context) -> None:
        """Save ``context`` as the latest of conversation ``key``."""
        try:
            with self._quick() as conn:
                conn.execute(
                    "INSERT INTO bot_conversations(key, context, updated_at) VALUES (?, ?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET "
                    "context = excluded.context, updated_at = excluded.updated_at",
                    (key, json.dumps(context.to_dict()), time.time()),
                )
        except self._busy as error:
            log.warning("conversation context not saved: %s", error)
        self._prune_sometimes()

    def claim(self, event_id: str) -> bool:
        """Record ``event_id`` as handled; False if some process already claimed it."""
        try:
            with self._quick() as conn:
                cursor = conn.execute(
                    "INSERT INTO bot_seen_events(event_id, seen_at) VALUES (?, ?) ON CONFLICT DO NOTHING",
                    (event_id, time.time()),
                )
        except self._busy as error:
            log.warning("could not record event %s as handled: %s", event_id, error)
            return True
        self._prune_sometimes()
        return cursor.rowcount == 1

    def remember_upload(self, token: str, conversation: str) -> None:
        """Record that the staged upload ``token`` belongs to ``conversation``.

        Unlike context, this waits for the write lock as long as imports do: without the row an
        Apply from anywhere would be accepted.
        """
        with self.store.lock:
            self.store.conn.execute(
                "INSERT INTO bot_upload_conversations(token, conversation, created_at) VALUES (?, ?, ?) "
                "ON CONFLICT(token) DO UPDATE SET "
                "conversation = excluded.conversation, created_at = excluded.created_at",
                (token, conversation, time.time()),
            )

    def upload_conversation(self, token: str) -> str:
        """Return the conversation the staged upload ``token`` was sent in ("" if none was recorded)."""
        with self.store.lock:
            row = self.store.conn.execute(
                "SELECT conversation FROM bot_upload_conversations WHERE token = ?", (token,)
            ).fetchone()
        return str(row[0]) if row else ""

    @contextmanager
    def _quick(self) -> Iterator[Connection]:
        """Use the store's connection with a short busy timeout (restored afterwards).

        The store's lock is waited for as briefly: an import of this process holds it while it
        writes, which may take longer than Slack waits for an acknowledgement.

        Raises:
            StoreBusy: the lock stayed taken.
            sqlite3.OperationalError: the database's write lock stayed taken (SQLite).
            psycopg.OperationalError: a row lock stayed taken (PostgreSQL).
        """
        if not self.store.lock.acquire(timeout=self.busy_ms / 1000):
            raise StoreBusy("the fact store is busy in this process (an import?)")
        try:
            conn = self.store.conn
            conn.execute(self.store.dialect.busy_timeout(self.busy_ms))
            try:
                yield conn
            finally:
                conn.execute(self.store.dialect.busy_timeout(self.store.busy_timeout_ms))
        finally:
            self.store.lock.release()

    def prune(self, now: float | None = None) -> None:
        """Forget events and conversations older than their time-to-live."""
        now = time.time() if now is None else now
        try:
            with self._quick() as conn:
                conn.execute("DELETE FROM bot_seen_events WHERE seen_at < ?", (now - SEEN_EVENT_TTL_SECONDS,))
                conn.execute(
                    "DELETE FROM bot_conversations WHERE updated_at < ?", (now - CONVERSATION_TTL_SECONDS,)
                )
                conn.execute(
                    "DELETE FROM bot_upload_conversations WHERE created_at < ?",
                    (now - UPLOAD_TTL_SECONDS,),
                )
        except self._busy as error:
            log.warning("old conversations not pruned: %s", error)

    def _prune_sometimes(self) -> None:
        self._writes += 1
        if self._writes % PRUNE_EVERY == 0:
            self.prune()
