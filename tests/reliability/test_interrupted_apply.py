"""An Apply click while another process applies the same upload, is killed doing so, or locks the database.

Another process (a second web worker, a command line) applies a staged upload with the import's step
hook pausing it inside its one write transaction, just before the commit, and is SIGKILLed there
(see :mod:`tests.reliability.pausing`). The facts stay as they were, and the admin's click on Apply,
sent signed over HTTP to the real app, applies the upload exactly once and says so: clicked after
the kill, or while the other process still held the write lock (the app acknowledging and answering
everyone else meanwhile). A click that waits longer than the store's busy timeout is told the
database is locked, with nothing changed.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.buttons import ACTION_APPLY
from bot.settings import Settings
from facts.answering import Answerer
from facts.importing import list_imports, open_seeded
from facts.plaintext import render_text
from facts.store import FactStore
from tests.bot.conftest import ADMIN, apply_token, file_share, serve_app
from tests.bot.fakeslack import FakeSlack, SlackDriver
from tests.reliability.pausing import kill, start_paused

FIGURES = b"show,viewers,window,platform,source,as_of\nLupin,99M,first 28 days,Netflix,Test upload,2026-11\n"
QUESTION = "how many people watched Lupin?"
NEW_ANSWER = (
    "Lupin had 99M viewers in its first 28 days on Netflix.\nSource: Test upload (as of November 2026)"
)
# Another process applying a staged upload as the app does (apply_staged), paused before its commit.
PAUSING_APPLY = """
from facts.importing import apply_staged
from facts.store import FactStore
db, token, user = args
with FactStore.open(db) as store:
    apply_staged(store, token, user=user, tuning=tuning)
"""
# Long enough to be sure a click's answer is waiting for the lock, not yet to be run.
STILL_WAITING_S = 1.0
SHORT_BUSY_TIMEOUT_S = 0.3
# Slack's deadline for an acknowledgement.
ACK_SECONDS = 3.0
DM_QUESTION = {
    "type": "message",
    "channel_type": "im",
    "channel": "D0002",
    "user": "UASKER",
    "text": "who is Lily Collins?",
    "ts": "5.1",
}


def stage(slack: SlackDriver, fake: FakeSlack) -> str:
    """Upload the figures as the admin in a DM; return the Apply token of the preview."""
    slack.event(file_share(fake, "figures.csv", FIGURES))
    (preview,) = fake.wait_for("/api/chat.postMessage")
    return apply_token(preview.body)


def click_apply(slack: SlackDriver, token: str) -> str:
    """Click Apply as the admin in the DM of the upload; return where the reply will be posted."""
    posted, path = slack.click(ACTION_APPLY, token, user=ADMIN, ephemeral=False, channel="D0001")
    assert posted.status == 200
    return path


def facts_of(store: FactStore) -> tuple[str, int, str]:
    """The answer about Lupin, how many imports were applied, and the staged upload's state."""
    with store.read() as db:
        (status,) = db.execute("SELECT group_concat(status) FROM staged_imports").fetchone()
    return render_text(Answerer(store).answer(QUESTION)), len(list_imports(store)), str(status)


def apply_killed_before_commit(settings: Settings, token: str, marker: Path) -> None:
    """Run another process applying ``token`` until it is about to commit, then SIGKILL it."""
    kill(start_paused(PAUSING_APPLY, marker, "commit", 0, str(settings.db_path), token, ADMIN))


def assert_applied_once(reply: dict[str, Any], store: FactStore, imports_before: int) -> None:
    assert reply["replace_original"] is True
    lines = reply["text"].splitlines()
    assert lines[0] == "Imported figures.csv: 0 added, 1 changed, 0 unchanged."
    assert lines[-1].startswith(f"Import #{list_imports(store, 1)[0].id} by {ADMIN} at ")
    assert facts_of(store) == (NEW_ANSWER, imports_before + 1, "applied")


def test_an_apply_killed_before_its_commit_leaves_the_facts_and_the_click_applies_once(
    slack: SlackDriver, fake: FakeSlack, store: FactStore, settings: Settings, tmp_path: Path
) -> None:
    token = stage(slack, fake)
    before = facts_of(store)
    assert before[2] == "staged" and before[0] != NEW_ANSWER

    apply_killed_before_commit(settings, token, tmp_path / "paused")

    assert facts_of(store) == before  # one transaction: the import, the journal and the claim all gone
    with store.read() as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    (reply,) = fake.wait_for(click_apply(slack, token))
    assert_applied_once(reply.body, store, before[1])
    (again,) = fake.wait_for(click_apply(slack, token))
    assert (
        again.body["text"] == "That import was already applied. Upload the files again to import them anew."
    )
    assert facts_of(store)[1] == before[1] + 1


def test_a_click_while_another_process_holds_the_apply_applies_once_that_process_is_killed(
    slack: SlackDriver, fake: FakeSlack, store: FactStore, settings: Settings, tmp_path: Path
) -> None:
    token = stage(slack, fake)
    before = facts_of(store)
    other = start_paused(PAUSING_APPLY, tmp_path / "paused", "commit", 0, str(settings.db_path), token, ADMIN)
    try:
        path = click_apply(slack, token)  # acknowledged at once; the answer waits for the write lock
        assert not slack.answers.join(STILL_WAITING_S)  # type: ignore[union-attr]
        assert fake.calls(path) == []
        # Meanwhile this process acknowledges and answers as ever: the wait holds none of its locks.
        started = time.monotonic()
        posted = slack.event(DM_QUESTION)
        acknowledged = time.monotonic() - started
        (_preview, answer) = fake.wait_for("/api/chat.postMessage", 2)
        (whois,) = fake.wait_for(slack.command("/whois", "Lily Collins"))
        assert fake.calls(path) == []
    finally:
        kill(other)
    assert posted.status == 200 and acknowledged < ACK_SECONDS
    assert answer.body["text"] == whois.body["text"]
    assert answer.body["text"].startswith("Lily Collins")

    (reply,) = fake.wait_for(path)
    assert_applied_once(reply.body, store, before[1])


@pytest.fixture
def impatient_store(settings: Settings) -> Iterator[FactStore]:
    """The store of the app, its writes waiting at most :data:`SHORT_BUSY_TIMEOUT_S` for a lock."""
    opened = open_seeded(settings.db_path, busy_timeout=SHORT_BUSY_TIMEOUT_S)
    yield opened
    opened.close()


def test_a_click_while_the_database_stays_locked_is_told_so_with_nothing_changed(
    settings: Settings, impatient_store: FactStore, fake: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    with serve_app(settings, Answerer(impatient_store), fake) as slack:
        token = stage(slack, fake)
        before = facts_of(impatient_store)
        other = sqlite3.connect(settings.db_path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another process writing, for longer than the timeout
        try:
            with caplog.at_level(logging.INFO):
                (reply,) = fake.wait_for(click_apply(slack, token))
                slack.wait_for_answers()
        finally:
            other.execute("ROLLBACK")
            other.close()

        assert reply.body["text"] == (
            f"The fact database {settings.db_path} stayed locked by another process for 0.3 s, so nothing"
            " was changed. Wait for the other showfacts process (an import?) to finish, or stop it, and"
            " try again."
        )
        assert reply.body["replace_original"] is False
        assert reply.body["response_type"] == "ephemeral"
        assert facts_of(impatient_store) == before
        assert [r for r in caplog.records if r.levelno >= logging.WARNING or r.exc_info] == []
        assert "outcome=error" in caplog.text

        (applied,) = fake.wait_for(click_apply(slack, token))  # the lock is free: Apply still works
        assert_applied_once(applied.body, impatient_store, before[1])
