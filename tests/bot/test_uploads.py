"""Admin fact uploads in Slack: preview, Apply / Cancel, refusals; history, undo and export.

Every test runs on both backends: the app's store is the bundled seed in a SQLite file or in a
database on a real PostgreSQL server (tests/backends.py).
"""

from __future__ import annotations

import threading
from contextlib import closing
from dataclasses import replace

import pytest

from bot.blocks import fallback_text
from bot.buttons import ACTION_APPLY, ACTION_CANCEL
from bot.settings import Settings
from facts.answering import Answerer
from facts.errors import FactsError
from facts.importing import ImportTuning
from facts.store import Store
from tests.backends import Backend
from tests.bot.conftest import ADMIN, UPLOAD_LIMIT, file_share, mention, serve_app
from tests.bot.fakeslack import BOT_TOKEN, BOT_USER, WAIT_SECONDS, FakeSlack, SlackDriver

NEW_FIGURES = (
    b"show,viewers,window,platform,source,as_of\nLupin,99M,first 28 days,Netflix,Test upload,2026-11\n"
)
BAD_FIGURES = b"show,viewers,window\nLupin,lots of people,first 28 days\n"
ADMINS_ONLY = (
    "Only showfacts admins can change the facts, so I left them as they are.\n"
    "Ask a workspace admin to add your user ID to SHOWFACTS_ADMINS if you should be one."
)


@pytest.fixture
def store(backend_seeded_store: Store) -> Store:
    """The app's store (see tests/bot/conftest.py), on each backend."""
    return backend_seeded_store


def buttons(call_body: dict) -> dict[str, str]:
    return {
        e["action_id"]: e["value"]
        for b in call_body["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
    }


def test_a_non_admin_upload_is_refused_without_downloading(slack: SlackDriver, fake: FakeSlack) -> None:
    slack.event(file_share(fake, "facts.csv", NEW_FIGURES, user="UASKER"))
    (call,) = fake.wait_for("/api/chat.postMessage")
    assert call.body["text"] == ADMINS_ONLY
    assert fake.calls("/files") == []


def test_workspace_owners_count_as_admins(slack: SlackDriver, fake: FakeSlack) -> None:
    slack.event(file_share(fake, "facts.pdf", b"%PDF", user="UOWNER"))
    (call,) = fake.wait_for("/api/chat.postMessage")
    assert call.body["text"] == (
        "facts.pdf is not a CSV or TSV file, so I did not import it.\n"
        "Send fact files as .csv (or .tsv); README.md describes the columns."
    )
    assert fake.calls("/files") == []


def test_an_oversized_file_is_refused_before_downloading(slack: SlackDriver, fake: FakeSlack) -> None:
    slack.event(file_share(fake, "big.csv", NEW_FIGURES, size=3 * UPLOAD_LIMIT))
    (call,) = fake.wait_for("/api/chat.postMessage")
    assert call.body["text"] == (
        "big.csv is 585.9 KB; I accept files of up to 195.3 KB.\n"
        "Split it into smaller CSV files and send them one at a time."
    )
    assert fake.calls("/files") == []


def test_a_file_announced_twice_is_handled_once(slack: SlackDriver, fake: FakeSlack) -> None:
    slack.event(file_share(fake, "facts.csv", NEW_FIGURES, user="UASKER"))
    slack.event({"type": "file_shared", "file_id": "F1", "user_id": "UASKER", "channel_id": "D0001"})
    slack.wait_for_answers()
    assert len(fake.calls("/api/chat.postMessage")) == 1


def test_files_shared_in_channels_are_not_for_the_bot(slack: SlackDriver, fake: FakeSlack) -> None:
    fake.add_file("F9", "facts.csv", NEW_FIGURES)
    slack.event({"type": "file_shared", "file_id": "F9", "user_id": ADMIN, "channel_id": "C0001"})
    slack.event(
        {
            "type": "message",
            "channel_type": "im",
            "channel": "D0001",
            "user": "UASKER",
            "text": "who is Lily Collins?",
            "ts": "7.7",
        }
    )
    fake.wait_for("/api/chat.postMessage")
    assert fake.calls("/api/files.info") == []


def test_a_non_admin_clicking_apply_changes_nothing(
    slack: SlackDriver, fake: FakeSlack, store: Store
) -> None:
    generation = store.generation()
    _, path = slack.click(ACTION_APPLY, "some-admins-token", user="UASKER", ephemeral=False)
    (call,) = fake.wait_for(path)
    assert call.body["text"] == ADMINS_ONLY
    assert call.body["replace_original"] is False
    assert call.body["response_type"] == "ephemeral"
    assert store.generation() == generation


def test_an_admin_upload_previews_then_applies_once(
    slack: SlackDriver, fake: FakeSlack, store: Store
) -> None:
    from facts import importing

    preview = importing.plan_import(store, [importing.ImportFile("figures.csv", NEW_FIGURES)]).to_answer(
        staged=True
    )
    slack.event(file_share(fake, "figures.csv", NEW_FIGURES))
    (posted,) = fake.wait_for("/api/chat.postMessage")
    (download,) = fake.wait_for("/files/F1/download")
    assert download.headers["authorization"] == f"Bearer {BOT_TOKEN}"
    assert posted.body["text"] == fallback_text(preview)
    token = buttons(posted.body)[ACTION_APPLY]
    assert buttons(posted.body)[ACTION_CANCEL] == token
    before = Answerer(store).answer("Lupin", intent="audience")

    _, path = slack.click(ACTION_APPLY, token, user=ADMIN, ephemeral=False, channel="D0001")
    (applied,) = fake.wait_for(path)
    assert applied.body["replace_original"] is True
    assert ACTION_APPLY not in buttons(applied.body)
    assert Answerer(store).answer("Lupin", intent="audience") != before

    _, again = slack.click(ACTION_APPLY, token, user=ADMIN, ephemeral=False, channel="D0001")
    (second,) = fake.wait_for(again)
    assert second.body["replace_original"] is False
    # The report of the import lists what the preview listed (but the files, named in its headline).
    applied_record = replace(
        importing.list_imports(store, 1)[0], items=preview.items, notes=preview.notes[:-1]
    )
    assert applied.body["text"] == fallback_text(applied_record.to_answer())
    assert (
        second.body["text"] == "That import was already applied. Upload the files again to import them anew."
    )
    with pytest.raises(FactsError):
        importing.apply_staged(store, token, user=ADMIN)


def test_questions_are_answered_while_an_upload_is_applied(
    settings: Settings, store: Store, fake: FakeSlack, backend: Backend
) -> None:
    # The Apply is held just before its commit, every row written: the app's answers read the facts
    # as they were meanwhile, instead of waiting for the import to let go of the store.
    committing, release = threading.Event(), threading.Event()

    def hold_before_commit(step: str) -> None:
        if step == "commit":
            committing.set()
            assert release.wait(WAIT_SECONDS)

    question = "how many people watched Lupin?"
    before = fallback_text(Answerer(store).answer(question))
    served = backend.served(store, settings.pg_pool_size)
    tuning = ImportTuning(before_step=hold_before_commit)
    with closing(served), serve_app(settings, Answerer(served), fake, tuning) as slack:
        slack.event(file_share(fake, "figures.csv", NEW_FIGURES))
        (preview,) = fake.wait_for("/api/chat.postMessage")
        token = buttons(preview.body)[ACTION_APPLY]
        _, path = slack.click(ACTION_APPLY, token, user=ADMIN, ephemeral=False, channel="D0001")
        try:
            assert committing.wait(WAIT_SECONDS)
            slack.event(mention(f"<@{BOT_USER}> {question}"))
            answered = fake.wait_for("/api/chat.postMessage", count=2)[1]
            assert not fake.wait_for(path, count=0)  # the Apply is still held
        finally:
            release.set()
        (applied,) = fake.wait_for(path)
        slack.event(mention(f"<@{BOT_USER}> {question}", ts="1700000000.000300"))
        answered_after = fake.wait_for("/api/chat.postMessage", count=3)[2]
    assert answered.body["text"] == before
    assert applied.body["replace_original"] is True
    # Once applied, the app's own answers (on their connection) have the new figure.
    assert answered_after.body["text"] == fallback_text(Answerer(store).answer(question)) != before


def test_cancel_discards_the_staged_import(slack: SlackDriver, fake: FakeSlack, store: Store) -> None:
    generation = store.generation()
    slack.event(file_share(fake, "figures.csv", NEW_FIGURES))
    (posted,) = fake.wait_for("/api/chat.postMessage")
    _, path = slack.click(
        ACTION_CANCEL, buttons(posted.body)[ACTION_CANCEL], user=ADMIN, ephemeral=False, channel="D0001"
    )
    (cancelled,) = fake.wait_for(path)
    assert cancelled.body["text"] == "Import cancelled; the facts are unchanged."
    assert store.generation() == generation


def test_an_invalid_file_is_answered_with_its_bad_lines(
    slack: SlackDriver, fake: FakeSlack, store: Store
) -> None:
    from facts import importing

    with pytest.raises(FactsError) as raised:
        importing.plan_import(store, [importing.ImportFile("bad.csv", BAD_FIGURES)])
    slack.event(file_share(fake, "bad.csv", BAD_FIGURES))
    (posted,) = fake.wait_for("/api/chat.postMessage")
    assert posted.body["text"] == fallback_text_of_error(raised.value)
    assert ACTION_APPLY not in buttons(posted.body)


def fallback_text_of_error(error: Exception) -> str:
    from bot.handlers import error_answer

    return fallback_text(error_answer(error))  # type: ignore[arg-type]


def test_admins_get_history_and_undo(slack: SlackDriver, fake: FakeSlack, store: Store) -> None:
    from facts import importing

    (history,) = fake.wait_for(slack.command("/showfacts", "history", user=ADMIN))
    assert history.body["text"] == fallback_text(importing.history_answer(importing.list_imports(store, 10)))
    importing.apply_import(
        store, importing.plan_import(store, [importing.ImportFile("f.csv", NEW_FIGURES)]), user=ADMIN
    )
    changed = Answerer(store).answer("Lupin", intent="audience")
    (undo,) = fake.wait_for(slack.command("/showfacts", "undo", user=ADMIN))
    assert undo.body["response_type"] == "ephemeral"
    assert Answerer(store).answer("Lupin", intent="audience") != changed


def test_export_uploads_every_fact_file(slack: SlackDriver, fake: FakeSlack, store: Store) -> None:
    (reply,) = fake.wait_for(slack.command("/showfacts", "export", user=ADMIN, channel="D0001"))
    (complete,) = fake.wait_for("/api/files.completeUploadExternal")
    uploads = fake.calls("/upload")
    assert complete.body["channel_id"] == "D0001"
    assert len(uploads) >= 5
    assert reply.body["text"].startswith(f"Exported {len(uploads)} fact files.")


def test_app_home_shows_admins_the_latest_imports(slack: SlackDriver, fake: FakeSlack, store: Store) -> None:
    from facts import importing

    slack.event({"type": "app_home_opened", "user": ADMIN, "channel": "D0001", "tab": "home"})
    (call,) = fake.wait_for("/api/views.publish")
    view = (
        call.body["view"]
        if isinstance(call.body["view"], dict)
        else __import__("json").loads(call.body["view"])
    )
    texts = [b["text"]["text"] for b in view["blocks"] if b["type"] == "section" and "text" in b]
    assert importing.history_answer(importing.list_imports(store, 5)).headline in texts


def test_a_file_shared_event_alone_is_fetched_with_files_info(
    slack: SlackDriver, fake: FakeSlack, store: Store
) -> None:
    from facts import importing

    fake.add_file("F7", "figures.tsv", NEW_FIGURES.replace(b",", b"\t"))
    preview = importing.plan_import(
        store, [importing.ImportFile("figures.tsv", NEW_FIGURES.replace(b",", b"\t"))]
    )
    slack.event({"type": "file_shared", "file_id": "F7", "user_id": ADMIN, "channel_id": "D0001"})
    (posted,) = fake.wait_for("/api/chat.postMessage")
    assert fake.wait_for("/api/files.info")[0].body["file"] == "F7"
    assert posted.body["text"] == fallback_text(preview.to_answer(staged=True))
    assert ACTION_APPLY in buttons(posted.body)


def test_only_the_admin_who_uploaded_can_apply(slack: SlackDriver, fake: FakeSlack, store: Store) -> None:
    generation = store.generation()
    slack.event(file_share(fake, "figures.csv", NEW_FIGURES))
    (posted,) = fake.wait_for("/api/chat.postMessage")
    _, path = slack.click(
        ACTION_APPLY, buttons(posted.body)[ACTION_APPLY], user="UOWNER", ephemeral=False, channel="D0001"
    )
    (refused,) = fake.wait_for(path)
    assert refused.body["replace_original"] is False
    assert store.generation() == generation


def test_a_file_larger_than_slack_said_is_refused_while_downloading(
    slack: SlackDriver, fake: FakeSlack
) -> None:
    slack.event(file_share(fake, "figures.csv", b"x" * (UPLOAD_LIMIT + 10), size=100))
    (call,) = fake.wait_for("/api/chat.postMessage")
    assert call.body["text"] == (
        "figures.csv is larger than the 195.3 KB I accept. "
        "Split it into smaller CSV files and send them one at a time."
    )


def test_a_sign_in_page_instead_of_the_file_is_explained(slack: SlackDriver, fake: FakeSlack) -> None:
    slack.event(file_share(fake, "figures.csv", NEW_FIGURES, url_private_download=f"{fake.base}/signin/F1"))
    (call,) = fake.wait_for("/api/chat.postMessage")
    assert call.body["text"] == (
        "Slack would not let me read figures.csv. "
        "Make sure the app has the files:read scope, then send the file again."
    )


def test_figures_uploaded_without_a_source_cite_the_uploaded_file(
    slack: SlackDriver, fake: FakeSlack, store: Store
) -> None:
    from facts import importing
    from facts.wording import format_date

    figures = b"show,viewers,window\nLupin,99M,first 28 days\n"
    slack.event(file_share(fake, "lupin figures.csv", figures))
    (posted,) = fake.wait_for("/api/chat.postMessage")
    token = buttons(posted.body)[ACTION_APPLY]
    _, path = slack.click(ACTION_APPLY, token, user=ADMIN, ephemeral=False, channel="D0001")
    fake.wait_for(path)
    (answered,) = fake.wait_for(slack.command("/viewers", "Lupin"))

    day = format_date(importing.list_imports(store, 1)[0].at[:10])
    source_line = f"Source: lupin figures.csv, imported {day}"
    assert answered.body["text"].endswith(source_line)
    assert source_line in str(answered.body["blocks"])
