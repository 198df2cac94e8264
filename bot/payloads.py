"""Checking Slack request bodies before Bolt sees them.

Bolt assumes well-shaped payloads: a JSON number, a ``payload`` that is a list, a button click
without actions or an event that is a string make it fail with a 500. Such a body (even correctly
signed) is answered 400 here instead.
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
    if data.get("type") == "event_callback":
        event = data.get("event")
        if not isinstance(event, dict) or not isinstance(event.get("type"), str):
            return "event_callback without an event object"
    return ""


def _check_payload(payload: Any) -> str:
    if not isinstance(payload, dict):
        return "the payload is not an object"
    if payload.get("type") == "block_actions":
        actions = payload.get("actions")
        if not isinstance(actions, list) or not actions:
            return "block_actions without actions"
        if not all(
            isinstance(action, dict) and isinstance(action.get("action_id"), str) for action in actions
        ):
            return "an action without an action_id"
    return ""
