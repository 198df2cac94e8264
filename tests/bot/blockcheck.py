"""Checks that a Block Kit payload holds every Slack limit (including ones slack_sdk does not check)."""

from __future__ import annotations

import json
from typing import Any

from slack_sdk.models.blocks import Block

LIMITS = {"section": 3000, "field": 2000, "fields": 10, "header": 150, "button": 75, "value": 2000}
PINGS = ("<!channel>", "<!here>", "<!everyone>", "<@")


def assert_within_limits(blocks: list[dict[str, Any]], max_blocks: int = 50) -> None:
    assert 0 < len(blocks) <= max_blocks, len(blocks)
    for block in blocks:
        Block.parse(block).to_dict()  # type: ignore[union-attr]  # slack_sdk's own validation
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= LIMITS["header"]
        if block["type"] == "section":
            if "text" in block:
                assert len(block["text"]["text"]) <= LIMITS["section"]
            assert len(block.get("fields", [])) <= LIMITS["fields"]
            assert all(len(field["text"]) <= LIMITS["field"] for field in block.get("fields", []))
        if block["type"] == "actions":
            assert len(block["elements"]) <= 25
            for element in block["elements"]:
                assert len(element["text"]["text"]) <= LIMITS["button"]
                assert len(element["value"]) <= LIMITS["value"]


def assert_no_pings(message: Any) -> None:
    """Nothing the bot writes may contain a raw mention or special mention."""
    text = json.dumps(message, ensure_ascii=False)
    for ping in PINGS:
        assert ping not in text, ping
