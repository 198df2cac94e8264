from __future__ import annotations

import threading
import time

import pytest

from bot.conversations import CONVERSATION_TTL_SECONDS, SEEN_EVENT_TTL_SECONDS, Conversations
from facts.answer import Context
from facts.store import Store
from tests.backends import Backend

WAIT_SECONDS = 5.0


def test_an_event_is_claimed_once_across_processes(backend: Backend, backend_store: Store) -> None:
    second = backend.open_again(backend_store)
    one, other = Conversations(backend_store), Conversations(second)
    assert one.claim("event:Ev1")
    assert not other.claim("event:Ev1")
    assert not one.claim("event:Ev1")
    assert other.claim("event:Ev2")
    second.close()


def test_context_is_shared_across_processes_and_does_not_bump_the_generation(
    backend: Backend, backend_store: Store
) -> None:
    second = backend.open_again(backend_store)
    generation = backend_store.generation()
    Conversations(backend_store).remember("D1", Context(intent="audience", show_ids=(3,)))
    assert Conversations(second).context_for("D1") == Context(intent="audience", show_ids=(3,))
    assert Conversations(second).context_for("D2") == Context()
    Conversations(second).remember("D1", Context(intent="cast"))
    assert Conversations(backend_store).context_for("D1") == Context(intent="cast")
    assert backend_store.generation() == generation
    second.close()


def test_prune_forgets_old_events_and_conversations(backend_store: Store) -> None:
    conversations = Conversations(backend_store)
    conversations.claim("event:old")
    conversations.remember("D1", Context(intent="cast"))
    conversations.remember_upload("T1", "D1")
    conversations.prune(now=time.time() + max(SEEN_EVENT_TTL_SECONDS, CONVERSATION_TTL_SECONDS) + 1)
    assert conversations.claim("event:old")
    assert conversations.context_for("D1") == Context()
    assert conversations.upload_conversation("T1") == ""


def test_an_upload_belongs_to_the_conversation_it_was_last_sent_in(backend_store: Store) -> None:
    conversations = Conversations(backend_store)
    assert conversations.upload_conversation("T1") == ""
    conversations.remember_upload("T1", "D1")
    conversations.remember_upload("T1", "D2")
    assert conversations.upload_conversation("T1") == "D2"


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_long_import_elsewhere_does_not_hold_up_event_handling(
    backend: Backend, backend_store: Store
) -> None:
    # SQLite has one write lock for the whole file: past the short wait, context is not saved.
    importing = backend.open_again(backend_store)
    conversations = Conversations(backend_store, busy_ms=50)
    started = time.monotonic()
    with importing.write():  # another process holds the write lock
        assert conversations.claim("event:during-import")
        conversations.remember("D1", Context(intent="cast"))
    assert time.monotonic() - started < 1  # well within Slack's 3-second acknowledgement deadline
    assert conversations.context_for("D1") == Context()
    assert conversations.claim("event:after-import")
    importing.close()


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_an_import_elsewhere_does_not_hold_up_conversations_on_postgresql(
    backend: Backend, backend_store: Store
) -> None:
    # PostgreSQL's writers lock rows, and an import's advisory lock is not theirs: nothing waits.
    importing = backend.open_again(backend_store)
    conversations = Conversations(backend_store, busy_ms=50)
    started = time.monotonic()
    with importing.write():
        assert conversations.claim("event:during-import")
        assert not conversations.claim("event:during-import")
        conversations.remember("D1", Context(intent="cast"))
    assert time.monotonic() - started < 1
    assert conversations.context_for("D1") == Context(intent="cast")
    importing.close()


def test_an_import_of_this_process_does_not_hold_up_event_handling(backend_store: Store) -> None:
    store = backend_store
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


def test_the_bot_migrates_its_own_tables(backend: Backend, backend_store: Store) -> None:
    # the fact store alone knows nothing of the bot's tables
    assert not {name for name in backend.tables(backend_store) if name.startswith("bot_")}
    Conversations(backend_store)
    Conversations(backend_store)  # and migrating again changes nothing
    assert {"bot_conversations", "bot_seen_events", "bot_upload_conversations"} <= backend.tables(
        backend_store
    )
