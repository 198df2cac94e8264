"""The bot's buttons: their action ids and what their values carry.

A button that re-asks something (a "did you mean" choice, a page of a long cast, "Share in channel")
carries the question itself, the forced intent, the conversation context it was asked in and the
page, as compact JSON within Slack's 2,000-character value limit. So any process can answer a click,
however long after the message was posted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any

from bot.mrkdwn import escape_text
from facts.answer import Context
from facts.errors import FactsError

ACTION_CHOOSE = "showfacts_choose"
ACTION_PAGE_PREV = "showfacts_page_prev"
ACTION_PAGE_NEXT = "showfacts_page_next"
ACTION_SHARE = "showfacts_share"
ACTION_APPLY = "showfacts_apply"
ACTION_CANCEL = "showfacts_cancel"
ASK_ACTIONS = (ACTION_CHOOSE, ACTION_PAGE_PREV, ACTION_PAGE_NEXT, ACTION_SHARE)
IMPORT_ACTIONS = (ACTION_APPLY, ACTION_CANCEL)

MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
ELLIPSIS = "…"


@dataclass(frozen=True)
class Ask:
    """Everything needed to ask a question again: the text, forced intent, context and page."""

    question: str
    intent: str = ""
    context: Context = field(default_factory=Context)
    page: int = 0

    def to_value(self) -> str:
        """Encode as a button value of at most 2,000 characters (the context goes first if too long)."""
        value = self._encode(self.context)
        if len(value) > MAX_BUTTON_VALUE:
            value = self._encode(Context())
        overflow = len(value) - MAX_BUTTON_VALUE
        if overflow > 0:
            clipped = replace(self, question=self.question[: len(self.question) - overflow - 8])
            value = clipped._encode(Context())
        return value

    def _encode(self, context: Context) -> str:
        data: dict[str, Any] = {"q": self.question}
        if self.intent:
            data["i"] = self.intent
        if context != Context():
            data["c"] = context.to_dict()
        if self.page:
            data["p"] = self.page
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_value(cls, value: str) -> Ask:
        """Decode a button value written by :meth:`to_value`.

        Raises:
            FactsError: the value was not written by this bot.
        """
        try:
            data = json.loads(value)
            return cls(
                question=str(data["q"]),
                intent=str(data.get("i", "")),
                context=Context.from_dict(data.get("c", {})),
                page=max(0, int(data.get("p", 0))),
            )
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            raise FactsError("That button's data is damaged.", "Please ask your question again.") from error


def button(text: str, action_id: str, value: str, *, style: str = "") -> dict[str, Any]:
    """Build a button element, its label escaped and clipped to Slack's 75 characters."""
    element: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": clip(escape_text(text), MAX_BUTTON_TEXT), "emoji": False},
        "action_id": action_id,
        "value": value[:MAX_BUTTON_VALUE],
    }
    if style:
        element["style"] = style
    return element


def clip(text: str, limit: int) -> str:
    """Shorten ``text`` to ``limit`` characters, ending with an ellipsis, never cutting an escape."""
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ELLIPSIS)]
    entity = cut.rfind("&")
    if entity != -1 and ";" not in cut[entity:]:
        cut = cut[:entity]
    return cut + ELLIPSIS
