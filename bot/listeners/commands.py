"""Slash commands: /viewers, /cast, /whois and /showfacts."""

from __future__ import annotations

import logging
import shutil
from functools import partial
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import replies
from bot.answer_queue import AnswerQueue
from bot.blocks import answer_message
from bot.delivery import Responder
from bot.handlers import Handlers, Reply
from bot.listeners.outcomes import answer_later
from bot.mrkdwn import text_from_slack
from bot.payloads import acting_team

COMMANDS = ("/viewers", "/cast", "/whois", "/showfacts")
log = logging.getLogger(__name__)


def register(app: App, handlers: Handlers, answers: AnswerQueue) -> None:
    """Register every slash command."""

    def on_command(
        ack: Ack, body: dict[str, Any], command: dict[str, Any], respond: Responder, client: WebClient
    ) -> None:
        ack()
        work = partial(answer_command, handlers, command, respond, client)
        answer_later(answers, body, "command", work, respond, client)

    for name in COMMANDS:
        app.command(name)(on_command)


def answer_command(
    handlers: Handlers, command: dict[str, Any], respond: Responder, client: WebClient
) -> Reply:
    """Answer a slash command (already acked) privately, with a "Share in channel" button."""
    user, channel = str(command.get("user_id", "")), str(command.get("channel_id", ""))
    text = text_from_slack(str(command.get("text", "")))
    reply = handlers.command(
        str(command["command"]), text, user=user, conversation=f"{channel}:{user}", team=acting_team(command)
    )
    if reply.files:
        reply = upload_export(client, reply, channel=channel, user=user)
    message = answer_message(reply.answer, ask=reply.ask, shareable=reply.ask is not None)
    respond(response_type="ephemeral", **message)
    return reply


def upload_export(client: WebClient, reply: Reply, *, channel: str, user: str) -> Reply:
    """Upload exported CSV files to ``channel`` (or the user's DM with the bot), then delete them."""
    uploads = [{"file": str(path), "filename": path.name, "title": path.name} for path in reply.files]
    try:
        client.files_upload_v2(
            channel=channel or user, file_uploads=uploads, initial_comment="showfacts export"
        )
    except SlackApiError as error:
        return Reply(replies.upload_failed_answer(str(error.response.get("error", ""))))
    finally:
        shutil.rmtree(reply.files[0].parent, ignore_errors=True)
    return Reply(reply.answer)
