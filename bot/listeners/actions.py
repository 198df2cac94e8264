"""Button clicks: did-you-mean choices, Prev/Next pages, Share in channel, Apply/Cancel an import.

Every click is checked against the clicking user (never the one who posted the message), so a
non-admin clicking an admin's Apply button changes nothing.
"""

from __future__ import annotations

import re
from functools import partial
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot import replies
from bot.answer_queue import AnswerQueue
from bot.blocks import answer_message
from bot.buttons import (
    ACTION_APPLY,
    ACTION_CHOOSE,
    ACTION_PAGE_NEXT,
    ACTION_PAGE_PREV,
    ACTION_SHARE,
    Ask,
)
from bot.delivery import Responder
from bot.handlers import Handlers, Reply, error_answer
from bot.listeners.outcomes import answer_later
from bot.payloads import acting_team
from facts.errors import FactsError

SURFACE = "button"


def register(app: App, handlers: Handlers, answers: AnswerQueue) -> None:
    """Register the button listeners; any other action gets a polite "no longer works"."""

    @app.action(re.compile(f"^({ACTION_CHOOSE}_\\d+|{ACTION_PAGE_PREV}|{ACTION_PAGE_NEXT}|{ACTION_SHARE})$"))
    def on_ask(ack: Ack, body: dict[str, Any], respond: Responder, client: WebClient) -> None:
        ack()
        work = partial(answer_click, handlers, body, respond, client)
        answer_later(answers, body, SURFACE, work, respond, client)

    @app.action(re.compile(r"^showfacts_(apply|cancel)$"))
    def on_import(ack: Ack, body: dict[str, Any], respond: Responder, client: WebClient) -> None:
        ack()
        work = partial(decide_import, handlers, body, respond, client)
        answer_later(answers, body, SURFACE, work, respond, client)

    @app.action(re.compile(".*"))
    def on_unknown(ack: Ack, body: dict[str, Any], respond: Responder, client: WebClient) -> None:
        ack()
        work = partial(say_stale, handlers, body, respond, client)
        answer_later(answers, body, SURFACE, work, respond, client)


def say_stale(handlers: Handlers, body: dict[str, Any], respond: Responder, client: WebClient) -> Reply:
    """Answer a button this version of the bot does not have."""
    return send(body, respond, client, Reply(replies.stale_button_answer()), replace=False)


def answer_click(handlers: Handlers, body: dict[str, Any], respond: Responder, client: WebClient) -> Reply:
    """Answer what the clicked button carries: a choice or page replaces the message; Share posts it."""
    action = body["actions"][0]
    try:
        ask = Ask.from_value(str(action.get("value", "")))
    except FactsError as error:
        return send(body, respond, client, Reply(error_answer(error)), replace=False)
    if action["action_id"] == ACTION_SHARE:
        reply = handlers.ask_again(ask)
        respond(response_type="in_channel", replace_original=False, **answer_message(reply.answer, ask=ask))
        return reply
    reply = handlers.ask_again(ask, conversation=_conversation(body))
    return send(body, respond, client, reply, replace=True)


def decide_import(handlers: Handlers, body: dict[str, Any], respond: Responder, client: WebClient) -> Reply:
    """Apply or cancel a staged import for the clicking user."""
    action, user = body["actions"][0], str(body.get("user", {}).get("id", ""))
    token = str(action.get("value", ""))
    decide = handlers.apply_upload if action["action_id"] == ACTION_APPLY else handlers.cancel_upload
    reply = decide(token, user=user, team=acting_team(body), conversation=_channel(body))
    # Success replaces the preview (its buttons go, so it cannot be applied twice); a refusal is
    # shown to the clicker alone, leaving the preview for the admin who staged it.
    return send(body, respond, client, reply, replace=reply.answer.kind != "error")


def send(
    body: dict[str, Any], respond: Responder, client: WebClient, reply: Reply, *, replace: bool
) -> Reply:
    """Reply to a click: through its response_url, or (App Home has none) in the user's DM."""
    ephemeral = bool(body.get("container", {}).get("is_ephemeral"))
    message = answer_message(reply.answer, ask=reply.ask, shareable=ephemeral and reply.ask is not None)
    if body.get("response_url"):
        if replace:
            respond(replace_original=True, **message)
        else:
            respond(response_type="ephemeral", replace_original=False, **message)
    else:
        client.chat_postMessage(channel=str(body.get("user", {}).get("id", "")), **message)
    return reply


def _channel(body: dict[str, Any]) -> str:
    """Return the channel (or DM) the clicked message is in."""
    return str(body.get("channel", {}).get("id", "") or body.get("container", {}).get("channel_id", ""))


def _conversation(body: dict[str, Any]) -> str:
    """Name the conversation a click belongs to, as the command and message listeners do."""
    channel = _channel(body)
    container = body.get("container", {})
    if container.get("is_ephemeral"):
        return f"{channel}:{body.get('user', {}).get('id', '')}"
    thread = container.get("thread_ts") or ""
    return f"{channel}:{thread}" if thread else channel
