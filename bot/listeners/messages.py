"""Questions asked by mentioning the bot in a channel, or in a direct message."""

from __future__ import annotations

import logging
import shutil
import tempfile
from functools import partial
from pathlib import Path
from typing import Any

from slack_bolt import App, BoltContext, Say
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.answer_queue import AnswerQueue
from bot.blocks import answer_message
from bot.charts import chart_path, draw_chart
from bot.handlers import Handlers, Reply
from bot.listeners.outcomes import answer_later
from bot.listeners.uploads import Sender, receive_files
from bot.mrkdwn import text_from_slack
from bot.payloads import acting_team
from bot.settings import Settings
from facts.answer import Answer

log = logging.getLogger(__name__)

# Message subtypes that are a person saying something new (others: edits, deletions, joins...).
QUESTION_SUBTYPES = (None, "thread_broadcast")


def register(app: App, handlers: Handlers, settings: Settings, answers: AnswerQueue) -> None:
    """Register the app_mention and message listeners."""

    @app.event("app_mention")
    def on_mention(
        body: dict[str, Any], event: dict[str, Any], say: Say, context: BoltContext, client: WebClient
    ) -> None:
        team = acting_team(body)
        work = partial(answer_message_event, handlers, event, say, context, team=team, client=client)
        answer_later(answers, body, "mention", work, None, client)

    @app.event("message")
    def on_message(
        body: dict[str, Any], event: dict[str, Any], say: Say, context: BoltContext, client: WebClient
    ) -> None:
        if event.get("channel_type") != "im" or event.get("bot_id"):
            return  # channel messages arrive as app_mention; bots never get answers (no loops)
        team = acting_team(body)
        if event.get("subtype") == "file_share":
            files = list(event.get("files", []))
            sender = Sender(str(event.get("user", "")), team, str(event.get("channel", "")))
            upload = partial(receive_files, handlers, settings, files, sender=sender, client=client, say=say)
            answer_later(answers, body, "upload", upload, None, client)
        elif event.get("subtype") in QUESTION_SUBTYPES:
            work = partial(answer_message_event, handlers, event, say, context, team=team, client=client)
            answer_later(answers, body, "dm", work, None, client)


def answer_message_event(
    handlers: Handlers,
    event: dict[str, Any],
    say: Say,
    context: BoltContext,
    *,
    team: str = "",
    client: WebClient | None = None,
) -> Reply | None:
    """Answer the question in a mention or DM, in the thread it was asked in."""
    channel, ts = str(event.get("channel", "")), str(event.get("ts", ""))
    # A mention in a DM can arrive both as app_mention and as message: answer it once.
    if not handlers.conversations.claim(f"message:{channel}:{ts}"):
        return None
    thread = event.get("thread_ts") or (ts if event.get("channel_type") != "im" else "")
    question = text_from_slack(str(event.get("text", "")), bot_user_id=context.bot_user_id or "")
    conversation = f"{channel}:{thread}" if thread else channel
    reply = handlers.ask(question, conversation=conversation, user=str(event.get("user", "")), team=team)
    say(**answer_message(reply.answer, ask=reply.ask), thread_ts=thread or None)
    if reply.answer.series and client is not None:
        upload_chart(client, reply.answer, channel=channel, thread=thread)
    return reply


def upload_chart(client: WebClient, answer: Answer, *, channel: str, thread: str) -> None:
    """Upload a chart of the answer's figures over time under the answer (the text already has them)."""
    folder = Path(tempfile.mkdtemp(prefix="showfacts-chart-"))
    try:
        path = draw_chart(answer, chart_path(answer, folder))
        client.files_upload_v2(
            channel=channel, thread_ts=thread or None, file=str(path), filename=path.name, title=path.stem
        )
    except SlackApiError as error:
        log.warning("Could not upload a chart to %s: %s", channel, error.response.get("error", ""))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
