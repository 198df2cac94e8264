"""Admin fact uploads: CSV/TSV files shared with the bot in a direct message.

An upload is announced twice (a ``file_share`` message and a ``file_shared`` event); whichever
arrives first claims the file, so it is previewed once. Nothing is downloaded for a non-admin or
for a file over the size limit. The preview carries Apply / Cancel buttons (see
:mod:`bot.listeners.actions`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_bolt import App, BoltContext, Say
from slack_sdk import WebClient

from bot import replies
from bot.answer_queue import AnswerQueue
from bot.blocks import answer_message
from bot.handlers import Handlers, Reply, error_answer
from bot.listeners.failures import apology_for
from bot.settings import Settings
from bot.slackfiles import SharedFile, download_file
from facts.answer import Answer
from facts.errors import FactsError

DM_CHANNEL_PREFIX = "D"


def register(app: App, handlers: Handlers, settings: Settings, answers: AnswerQueue) -> None:
    """Register the file_shared listener (file_share messages come through bot.listeners.messages)."""

    @app.event("file_shared")
    def on_file_shared(
        body: dict[str, Any], event: dict[str, Any], client: WebClient, say: Say, context: BoltContext
    ) -> None:
        user = str(event.get("user_id", ""))
        if not str(event.get("channel_id", "")).startswith(DM_CHANNEL_PREFIX) or user == context.bot_user_id:
            return  # files shared in channels are not meant for the bot, nor are its own
        files = [{"id": event.get("file_id", "")}]
        answers.submit(
            lambda: receive_files(handlers, settings, files, user=user, client=client, say=say),
            on_error=apology_for(body, context.respond, client),
        )


def receive_files(
    handlers: Handlers,
    settings: Settings,
    files: Sequence[dict[str, Any]],
    *,
    user: str,
    client: WebClient,
    say: Say,
) -> None:
    """Preview the fact files ``user`` shared (or refuse them), once per file.

    Args:
        handlers: the bot's behaviour.
        settings: for the upload size limit.
        files: Slack file objects; ones without a download address are completed with files.info.
        user: who shared them.
        client: the Web API client (its token downloads the files).
        say: posts in the DM.
    """
    claimed = [data for data in files if handlers.conversations.claim(f"file:{data.get('id', '')}")]
    if not claimed:
        return
    if not handlers.is_admin(user):
        say(**answer_message(replies.admins_only_answer()))
        return
    shared = [SharedFile.from_slack(_complete(client, data)) for data in claimed]
    reply = _stage(handlers, settings, shared, user=user, token=client.token or "")
    say(**answer_message(reply.answer, staging_token=reply.staging_token))


def _complete(client: WebClient, data: dict[str, Any]) -> dict[str, Any]:
    if data.get("url_private_download") and "size" in data:
        return data
    info: dict[str, Any] = client.files_info(file=str(data.get("id", "")))["file"]
    return info


def _stage(
    handlers: Handlers, settings: Settings, files: list[SharedFile], *, user: str, token: str
) -> Reply:
    for shared in files:
        refusal = _refusal(shared, settings.max_upload_bytes)
        if refusal is not None:
            return Reply(refusal)
    limit, api = settings.max_upload_bytes, settings.api_base_url
    try:
        contents = [(f.name, download_file(f, token=token, limit=limit, api_base_url=api)) for f in files]
    except FactsError as error:
        return Reply(error_answer(error))
    return handlers.stage_upload(contents, user=user)


def _refusal(shared: SharedFile, limit: int) -> Answer | None:
    if shared.size > limit:
        return replies.file_too_large_answer(shared.name, shared.size, limit)
    if not shared.is_table():
        return replies.not_a_table_answer(shared.name)
    return None
