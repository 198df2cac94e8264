"""Plain-text rendering of an :class:`~facts.answer.Answer`.

Used by ``showfacts ask``, the console chat and Slack's notification fallback text, so it holds no
markup of any kind: one fact per line, the sources last.
"""

from __future__ import annotations

from facts.answer import Answer, Source
from facts.wording import as_of_phrase

ITEM_BULLET = "- "
# A cast of hundreds would drown the answer; the rest is summarised in one line.
MAX_ITEMS = 60


def render_text(answer: Answer) -> str:
    """Return the answer as plain text lines.

    Args:
        answer: any answer.

    Returns:
        The headline (after the title, for cards), then fields, bars, items, notes, choices and
        sources, one per line.
    """
    lines: list[str] = []
    if answer.kind == "card" and answer.title and answer.title != answer.headline:
        lines.append(answer.title)
    lines.append(answer.headline)
    lines += [f"{field.label}: {field.value}" for field in answer.fields]
    lines += [f"{rank}. {bar.label}: {bar.display}" for rank, bar in enumerate(answer.bars, start=1)]
    lines += _render_items(answer.items)
    lines += list(answer.notes)
    if answer.choices:
        lines.append("Options: " + " | ".join(choice.label for choice in answer.choices))
    if answer.sources:
        lines.append(render_sources(answer.sources))
    return "\n".join(line for line in lines if line)


def _render_items(items: tuple[str, ...]) -> list[str]:
    shown = [ITEM_BULLET + item for item in items[:MAX_ITEMS]]
    if len(items) > MAX_ITEMS:
        shown.append(f"... and {len(items) - MAX_ITEMS} more")
    return shown


def render_sources(sources: tuple[Source, ...]) -> str:
    """Write the sources line: "Source: Trade press report (as of May 2021)"."""
    parts = []
    for source in sources:
        when = as_of_phrase(source.as_of)
        parts.append(f"{source.name} ({when})" if when else source.name)
    label = "Source" if len(parts) == 1 else "Sources"
    return f"{label}: {'; '.join(parts)}"
