from __future__ import annotations

import threading
import time
from pathlib import Path

from bot.conversations import CONVERSATION_TTL_SECONDS, SEEN_EVENT_TTL_SECONDS, Conversations
from facts.answer import Context
from facts.store import FactStore

WAIT_SECONDS = 5.0


def test_an_event_is_claimed_once_across_processes(tmp_path: Path) -> None:
    first, second = (FactStore.open(tmp_path / "f.db") for _ in range(2))
    one, other = Conversations(first), Conversations(second)
    assert one.claim("event:Ev1")
    assert not other.claim("event:Ev1")
    assert not one.claim("event:Ev1")
    assert other.claim("event:Ev2")


def test_context_is_shared_across_processes_and_does_not_bump_the_generation(tmp_path: Path) -> None:
    first, second = (FactStore.open(tmp_path / "f.db") for _ in range(2))
    generation = first.generation()
    Conversations(first).remember("D1", Context(intent="audience", show_ids=(3,)))
    assert Conversations(second).context_for("D1") == Context(intent="audience", show_ids=(3,))
    assert Conversations(second).context_for("D2") == Context()
    assert first.generation() == generation


def test_prune_forgets_old_events_and_conversations(empty_store: FactStore) -> None:
    conversations = Conversations(empty_store)
    conversations.claim("event:old")
    conversations.remember("D1", Context(intent="cast"))
    conversations.prune(now=time.time() + max(SEEN_EVENT_TTL_SECONDS, CONVERSATION_TTL_SECONDS) + 1)
    assert conversations.claim("event:old")
    assert conversations.context_for("D1") == Context()


def test_a_long_import_elsewhere_does_not_hold_up_event_handling(tmp_path: Path) -> None:
    importing, answering = (FactStore.open(tmp_path / "f.db") for _ in range(2))
    conversations = Conversations(answering, busy_ms=50)
    started = time.monotonic()
    with importing.write():  # another process holds the write lock
        assert conversations.claim("event:during-import")
        conversations.remember("D1", Context(intent="cast"))
    assert time.monotonic() - started < 1  # well within Slack's 3-second acknowledgement deadline
    assert conversations.context_for("D1") == Context()
    assert conversations.claim("event:after-import")


def test_an_import_of_this_process_does_not_hold_up_event_handling(tmp_path: Path) -> None:
    store = FactStore.open(tmp_path / "f.db")
    conversations = Conversations(store, busy_ms=50)
    writing, finish = threading.Event(), threading.Event()

    def long_import() -> None:
        with store.write():  # holds the store's lock while it writes
            writing.set()
            finish.wait(WAIT_SECONDS)

    thread = threading.Thread(target=long_import)
    thread.start()
    assert writing.wait(WAIT_SECONDS)
    started = time.monotonic()
    try:
        assert conversations.claim("event:during-import")  # answered anyway, not held up
    finally:
        finish.set()
        thread.join()
    assert time.monotonic() - started < 1
    assert conversations.claim("event:after-import")
    store.close()


def test_the_bot_migrates_its_own_tables(tmp_path: Path) -> None:
    store = FactStore.open(tmp_path / "f.db")  # the fact store alone knows nothing of the bot's tables

    def tables() -> set[str]:
        return {row[0] for row in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}

    assert not {name for name in tables() if name.startswith("bot_")}
    Conversations(store)
    assert {"bot_conversations", "bot_seen_events", "bot_upload_conversations"} <= tables()
    store.close()
