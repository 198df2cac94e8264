from __future__ import annotations

import json

import pytest

from bot.payloads import find_malformation


@pytest.mark.parametrize(
    ("body", "content_type", "problem"),
    [
        ("", "application/json", ""),
        ("command=%2Fviewers&text=Lupin", "application/x-www-form-urlencoded", ""),
        ('{"type": "url_verification", "challenge": "x"}', "application/json", ""),
        ("42", "application/json", "the JSON body is not an object"),
        ("[1, 2]", "application/json", "the JSON body is not an object"),
        (
            '{"type": "event_callback", "event": "x"}',
            "application/json",
            "event_callback without an event object",
        ),
        ("payload=%5B%5D", "application/x-www-form-urlencoded", "the payload is not an object"),
        ("payload=null", "application/x-www-form-urlencoded", "the payload is not an object"),
        (
            "payload=" + json.dumps({"type": "block_actions", "actions": []}),
            "application/x-www-form-urlencoded",
            "block_actions without actions",
        ),
        (
            "payload=" + json.dumps({"type": "block_actions", "actions": [{"value": "x"}]}),
            "application/x-www-form-urlencoded",
            "an action without an action_id",
        ),
    ],
)
def test_malformed_bodies_are_named(body: str, content_type: str, problem: str) -> None:
    assert find_malformation(body, content_type) == problem


def test_broken_json_is_malformed() -> None:
    assert find_malformation('{"type": ', "application/json").startswith("not JSON: ")
