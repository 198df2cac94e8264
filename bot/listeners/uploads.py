"""Admin fact uploads: CSV/TSV files shared with the bot in a direct message.

An upload is announced twice (a ``file_share`` message and a ``file_shared`` event); whichever
arrives first claims the file, so it is previewed once. Nothing is downloaded for a non-admin or
for a file over the size limit. The preview carries Apply / Cancel buttons (see
:mod:`bot.listeners.actions`).
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from slack_bolt import App, BoltContext, Say
from slack_sdk import WebClient

from bot import replies
from bot.answer_queue import AnswerQueue
from bot.blocks import answer_message
from bot.handlers import Handlers, Reply, error_answer
from bot.listeners.outcomes import answer_later
from bot.payloads import acting_team
from bot.settings import Settings
from bot.slackfiles import SharedFile, download_file
from facts.answer import Answer
from facts.errors import FactsError
from facts.importing import ImportFile

DM_CHANNEL_PREFIX = "D"
DOWNLOAD_DIR_PREFIX = "showfacts-upload-"


def register(app: App, handlers: Handlers, settings: Settings, answers: AnswerQueue) -> None:
    """Register the file_shared listener (file_share messages come through bot.listeners.messages)."""

    @app.event("file_shared")
    def on_file_shared(
        body: dict[str, Any], event: dict[str, Any], client: WebClient, say: Say, context: BoltContext
    ) -> None:
        sender = Sender(str(event.get("user_id", "")), acting_team(body), str(event.get("channel_id", "")))
        if not sender.channel.startswith(DM_CHANNEL_PREFIX) or sender.user == context.bot_user_id:
            return  # files shared in channels are not meant for the bot, nor are its own
        files = [{"id": event.get("file_id", "")}]
        upload = partial(receive_files, handlers, settings, files, sender=sender, client=client, say=say)
        answer_later(answers, body, "upload", upload, None, client)


@dataclass(frozen=True)
class Sender:
    """Who shared files with the bot: the user, their workspace, and the DM they were shared in."""

    user: str
    team: str
    channel: str


def receive_files(
    handlers: Handlers,
    settings: Settings,
    files: Sequence[dict[str, Any]],
    *,
    sender: Sender,
    client: WebClient,
    say: Say,
) -> Reply | None:
    """Preview the fact files ``sender`` shared (or refuse them), once per file.

    Args:
        handlers: the bot's behaviour.
        settings: for the upload size limit.
        files: Slack file objects; ones without a download address are completed with files.info.
        sender: who shared them, and where.
        client: the Web API client (its token downloads the files).
        say: posts in the DM.
    """
    claimed = [data for data in files if handlers.conversations.claim(f"file:{data.get('id', '')}")]
    if not claimed:
        return None
    if not handlers.is_admin(sender.user, sender.team):
        refusal = Reply(replies.admins_only_answer())
        say(**answer_message(refusal.answer))
        return refusal
    shared = [SharedFile.from_slack(_complete(client, data)) for data in claimed]
    reply = _stage(handlers, settings, shared, sender=sender, token=client.token or "")
    say(**answer_message(reply.answer, staging_token=reply.staging_token))
    return reply


def _complete(client: WebClient, data: dict[str, Any]) -> dict[str, Any]:
    if data.get("url_private_download") and "size" in data:
        return data
    info: dict[str, Any] = client.files_info(file=str(data.get("id", "")))["file"]
    return info


def _stage(
    handlers: Handlers, settings: Settings, files: list[SharedFile], *, sender: Sender, token: str
) -> Reply:
    for shared in files:
        refusal = _refusal(shared, settings.max_upload_bytes)
        if refusal is not None:
            return Reply(refusal)
    # Downloaded to disk and staged from there: an upload of tens of MB is never held in memory.
    with tempfile.TemporaryDirectory(prefix=DOWNLOAD_DIR_PREFIX) as folder:
        try:
            staged = [_download(f, Path(folder) / str(at), settings, token) for at, f in enumerate(files)]
        except FactsError as error:
            return Reply(error_answer(error))
        return handlers.stage_upload(staged, user=sender.user, team=sender.team, conversation=sender.channel)


def _download(shared: SharedFile, path: Path, settings: Settings, token: str) -> ImportFile:
    with path.open("wb") as into:
        download_file(
            shared,
            into,
            token=token,
            limit=settings.max_upload_bytes,
            api_base_url=settings.api_base_url,
            deadline_seconds=settings.download_seconds,
            idle_seconds=settings.download_idle_seconds,
        )
    return ImportFile(shared.name, path=path)


def _refusal(shared: SharedFile, limit: int) -> Answer | None:
    if shared.size > limit:
        return replies.file_too_large_answer(shared.name, shared.size, limit)
    if not shared.is_table():
        return replies.not_a_table_answer(shared.name)
    return None
