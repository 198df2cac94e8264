"""Checking Slack request bodies before Bolt sees them.

Bolt assumes well-shaped payloads: a JSON number, a ``payload`` that is a list, a button click
without actions or an event that is a string make it fail with a 500, and fields of the wrong type
(a user that is a string where Slack sends an object, a text that is a number) fail in the listeners.
Such a body (even correctly signed) is answered 400 here instead. The fields checked are those
showfacts reads; absent or null ones are fine.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

JSON_TYPE = "application/json"


def find_malformation(body: str, content_type: str) -> str:
    """Return why ``body`` is not a request showfacts can handle, or "" if it is.

    Parses as Bolt does (``slack_bolt.request.internals.parse_body``): JSON for a JSON content type
    or a body starting with ``{``, else a form whose ``payload`` field, if any, is JSON.
    """
    if not body:
        return ""
    try:
        if content_type.split(";")[0].strip() == JSON_TYPE or body.startswith("{"):
            return _check_json(json.loads(body))
        form = dict(parse_qsl(body, keep_blank_values=True))
        if "payload" in form:
            return _check_payload(json.loads(form["payload"]))
    except ValueError as error:
        return f"not JSON: {error}"
    if "event" in form or form.get("type") in JSON_ONLY_TYPES:
        return "an Events API request sent as a form (Slack sends them as JSON)"
    return ""


# Requests Slack only ever sends as JSON bodies.
JSON_ONLY_TYPES = ("event_callback", "url_verification", "app_rate_limited")
# Fields of an event that showfacts reads, all text when present.
EVENT_TEXT_FIELDS = (
    "type", "subtype", "user", "text", "ts", "thread_ts", "channel", "channel_type", "bot_id",
    "user_id", "channel_id", "file_id", "tab", "team", "user_team",
)  # fmt: skip
# Objects of an interactive payload that showfacts reads.
PAYLOAD_OBJECT_FIELDS = ("user", "team", "channel", "container", "view")


def _wrong_types(data: dict[str, Any], fields: tuple[str, ...], kind: type, where: str) -> str:
    for name in fields:
        if data.get(name) is not None and not isinstance(data[name], kind):
            return f"{where}.{name} is a {type(data[name]).__name__}"
    return ""


def acting_team(body: Any) -> str:
    """Return the workspace (team) the person behind a Slack request belongs to ("" if not said).

    A button click names the user's team; a message event from a shared channel names it as
    ``user_team`` (or ``team``); otherwise the request's team is the workspace it came from.
    """
    if not isinstance(body, dict):
        return ""
    candidates = []
    if isinstance(body.get("user"), dict):
        candidates.append(body["user"].get("team_id"))
    if isinstance(body.get("event"), dict):
        candidates += [body["event"].get("user_team"), body["event"].get("team")]
    if isinstance(body.get("team"), dict):
        candidates.append(body["team"].get("id"))
    candidates.append(body.get("team_id"))
    return next((value for value in candidates if isinstance(value, str) and value), "")


def _check_json(data: Any) -> str:
    if not isinstance(data, dict):
        return "the JSON body is not an object"
    if data.get("type") != "event_callback":
        return ""
    event = data.get("event")
    if not isinstance(event, dict) or not isinstance(event.get("type"), str):
        return "event_callback without an event object"
    files = event.get("files")
    if files is not None and not (isinstance(files, list) and all(isinstance(f, dict) for f in files)):
        return "event.files is not a list of objects"
    return _wrong_types(data, ("event_id", "team_id"), str, "body") or _wrong_types(
        event, EVENT_TEXT_FIELDS, str, "event"
    )


def _check_payload(payload: Any) -> str:
    if not isinstance(payload, dict):
        return "the payload is not an object"
    wrong = _wrong_types(payload, PAYLOAD_OBJECT_FIELDS, dict, "payload")
    if wrong:
        return wrong
    if payload.get("type") == "block_actions":
        actions = payload.get("actions")
        if not isinstance(actions, list) or not actions:
            return "block_actions without actions"
        if not all(
            isinstance(action, dict) and isinstance(action.get("action_id"), str) for action in actions
        ):
            return "an action without an action_id"
    return ""
