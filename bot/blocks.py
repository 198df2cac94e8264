"""Answers as Block Kit messages and App Home views, within every Slack limit.

Every string is escaped (:func:`bot.mrkdwn.escape_text`) and clipped to its limit; however large
the answer, a message has at most 50 blocks and a Home view at most 100. Long lists are shown a page
at a time with Prev/Next buttons; the full answer is always in the plain-text fallback too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from bot.buttons import (
    ACTION_APPLY,
    ACTION_CANCEL,
    ACTION_CHOOSE,
    ACTION_PAGE_NEXT,
    ACTION_PAGE_PREV,
    ACTION_SHARE,
    Ask,
    button,
    clip,
)
from bot.mrkdwn import escape_text
from facts.answer import Answer, Bar
from facts.plaintext import render_sources, render_sparkline, render_text

Block = dict[str, Any]

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_SECTION_TEXT = 3000
MAX_FIELD_TEXT = 2000
MAX_FIELDS = 10
MAX_HEADER_TEXT = 150
MAX_CONTEXT_TEXT = 2000
MAX_ACTIONS = 25
MAX_CHOICES = 10
# A fallback longer than this is useless as a notification; the blocks carry the answer.
MAX_FALLBACK_TEXT = 3000
ITEMS_PER_PAGE = 20
# Answers worth showing a channel; help, errors and "which show?" stay private.
SHAREABLE_KINDS = frozenset({"answer", "card", "no_fact", "several"})
MAX_ITEM_TEXT = 300
BAR_WIDTH = 10
BAR_FULL = "█"
BAR_EMPTY = "░"
TRUNCATED = "… more than fits in one Slack message; ask a narrower question to see the rest."


def answer_message(
    answer: Answer, *, ask: Ask | None = None, shareable: bool = False, staging_token: str = ""
) -> dict[str, Any]:
    """Return ``{"text": fallback, "blocks": [...]}`` for ``chat.postMessage`` or ``respond``.

    Args:
        answer: what to show.
        ask: how to ask this again (enables page buttons and "Share in channel").
        shareable: add a "Share in channel" button (for ephemeral replies).
        staging_token: add Apply / Cancel buttons for this staged import.
    """
    return {
        "text": fallback_text(answer),
        "blocks": answer_blocks(answer, ask=ask, shareable=shareable, staging_token=staging_token),
    }


def fallback_text(answer: Answer) -> str:
    """Return the escaped plain-text version of ``answer`` (Slack's notification text)."""
    return clip(escape_text(render_text(answer)), MAX_FALLBACK_TEXT)


def answer_blocks(
    answer: Answer,
    *,
    ask: Ask | None = None,
    shareable: bool = False,
    staging_token: str = "",
    max_blocks: int = MAX_MESSAGE_BLOCKS,
) -> list[Block]:
    """Return the Block Kit blocks of ``answer`` (see :func:`answer_message`)."""
    if answer.parts:
        return _several_blocks(answer, ask, shareable, max_blocks)
    body = [*_title_blocks(answer), *_field_blocks(answer), *_bar_blocks(answer.bars)]
    body += _text_sections(f"`{render_sparkline(series, answer.series)}`" for series in answer.series)
    body += _item_blocks(answer.items, ask)
    body += _text_sections(answer.notes)
    tail = _action_blocks(answer, ask, shareable, staging_token) + _source_blocks(answer)
    room = max_blocks - len(tail)
    if len(body) > room:
        body = [*body[: room - 1], _section(TRUNCATED)]
    return body + tail


def _several_blocks(answer: Answer, ask: Ask | None, shareable: bool, max_blocks: int) -> list[Block]:
    # One share button for the whole message: sharing asks every question again, in the channel.
    tail = _action_blocks(answer, ask, shareable, "")
    body: list[Block] = []
    for part in answer.parts:
        body += [*answer_blocks(part, max_blocks=max_blocks), {"type": "divider"}]
    body = body[:-1]
    room = max_blocks - len(tail)
    if len(body) > room:
        body = [*body[: room - 1], _section(TRUNCATED)]
    return body + tail


def home_view(sections: Sequence[Answer]) -> dict[str, Any]:
    """Build the App Home view: each answer in turn, divided, within 100 blocks."""
    blocks: list[Block] = []
    for answer in sections:
        blocks += [*answer_blocks(answer, max_blocks=MAX_VIEW_BLOCKS), {"type": "divider"}]
    if len(blocks) > MAX_VIEW_BLOCKS:
        blocks = [*blocks[: MAX_VIEW_BLOCKS - 1], _section(TRUNCATED)]
    return {"type": "home", "blocks": blocks[:-1] if blocks[-1:] == [{"type": "divider"}] else blocks}


def _title_blocks(answer: Answer) -> list[Block]:
    blocks: list[Block] = []
    if answer.title:
        text = clip(escape_text(answer.title), MAX_HEADER_TEXT)
        blocks.append({"type": "header", "text": {"type": "plain_text", "text": text, "emoji": False}})
    return blocks + _text_sections([answer.headline])


def _field_blocks(answer: Answer) -> list[Block]:
    texts = [
        clip(f"*{escape_text(field.label)}*\n{escape_text(field.value)}", MAX_FIELD_TEXT)
        for field in answer.fields
    ]
    return [
        {"type": "section", "fields": [{"type": "mrkdwn", "text": text} for text in chunk]}
        for chunk in _chunks(texts, MAX_FIELDS)
    ]


def _bar_blocks(bars: Sequence[Bar]) -> list[Block]:
    top = max((bar.value for bar in bars), default=0)
    return _text_sections(f"`{draw_bar(bar.value, top)}` {bar.display}  {bar.label}" for bar in bars)


def draw_bar(value: float, top: float) -> str:
    """Draw ``value`` as a 10-cell text bar scaled to ``top`` (``█████████░``)."""
    if top <= 0 or value <= 0:
        return BAR_EMPTY * BAR_WIDTH
    # Any positive value shows at least one cell, so a small figure never looks like none.
    filled = min(BAR_WIDTH, max(1, round(BAR_WIDTH * value / top)))
    return BAR_FULL * filled + BAR_EMPTY * (BAR_WIDTH - filled)


def _item_blocks(items: Sequence[str], ask: Ask | None) -> list[Block]:
    if not items:
        return []
    pages = (len(items) + ITEMS_PER_PAGE - 1) // ITEMS_PER_PAGE
    page = min(ask.page, pages - 1) if ask else 0
    start = page * ITEMS_PER_PAGE
    shown = items[start : start + ITEMS_PER_PAGE]
    blocks = _text_sections(f"• {clip(item, MAX_ITEM_TEXT)}" for item in shown)
    if pages > 1:
        blocks.append(_context(f"Showing {start + 1}–{start + len(shown)} of {len(items):,}"))
        if ask is not None:
            blocks.append(_page_buttons(ask, page, pages))
    return blocks


def _page_buttons(ask: Ask, page: int, pages: int) -> Block:
    elements = []
    if page > 0:
        elements.append(button("◀ Prev", ACTION_PAGE_PREV, _at_page(ask, page - 1).to_value()))
    if page < pages - 1:
        elements.append(button("Next ▶", ACTION_PAGE_NEXT, _at_page(ask, page + 1).to_value()))
    return {"type": "actions", "elements": elements}


def _at_page(ask: Ask, page: int) -> Ask:
    return Ask(question=ask.question, intent=ask.intent, context=ask.context, page=page)


def _action_blocks(answer: Answer, ask: Ask | None, shareable: bool, staging_token: str) -> list[Block]:
    context = ask.context if ask else answer.context
    elements = [
        button(choice.label, f"{ACTION_CHOOSE}_{n}", Ask(choice.question, context=context).to_value())
        for n, choice in enumerate(answer.choices[:MAX_CHOICES])
    ]
    if staging_token:
        elements.append(button("Apply", ACTION_APPLY, staging_token, style="primary"))
        elements.append(button("Cancel", ACTION_CANCEL, staging_token, style="danger"))
    if shareable and ask is not None and answer.kind in SHAREABLE_KINDS:
        elements.append(button("Share in channel", ACTION_SHARE, ask.to_value()))
    return [{"type": "actions", "elements": chunk} for chunk in _chunks(elements, MAX_ACTIONS)]


def _source_blocks(answer: Answer) -> list[Block]:
    return [_context(render_sources(answer.sources))] if answer.sources else []


def _context(text: str) -> Block:
    return {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": clip(escape_text(text), MAX_CONTEXT_TEXT)}],
    }


def _text_sections(lines: Iterable[str]) -> list[Block]:
    """Pack escaped lines into as few sections as the 3,000-character limit allows."""
    sections: list[str] = []
    for line in lines:
        text = clip(escape_text(line), MAX_SECTION_TEXT)
        if sections and len(sections[-1]) + 1 + len(text) <= MAX_SECTION_TEXT:
            sections[-1] += "\n" + text
        elif text:
            sections.append(text)
    return [_section(text, escaped=True) for text in sections]


def _section(text: str, *, escaped: bool = False) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text if escaped else escape_text(text)}}


def _chunks(values: Sequence[Any], size: int) -> list[list[Any]]:
    return [list(values[i : i + size]) for i in range(0, len(values), size)]
