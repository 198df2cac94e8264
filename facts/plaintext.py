"""Plain-text rendering of an :class:`~facts.answer.Answer`.

Used by ``showfacts ask``, the console chat and Slack's notification fallback text, so it holds no
markup of any kind: one fact per line, the sources last.
"""

from __future__ import annotations

from facts.answer import Answer, Series, Source
from facts.wording import as_of_phrase

ITEM_BULLET = "- "
# A cast of hundreds would drown the answer; the rest is summarised in one line.
MAX_ITEMS = 60
# Eight heights of a text chart, lowest first.
SPARK_LEVELS = "\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588"


def render_text(answer: Answer) -> str:
    """Return the answer as plain text lines.

    Args:
        answer: any answer.

    Returns:
        The headline (after the title, for cards), then fields, bars, items, notes, choices and
        sources, one per line; each part of an answer to several questions in turn.
    """
    if answer.parts:
        return "\n\n".join(render_text(part) for part in answer.parts)
    lines: list[str] = []
    if answer.kind == "card" and answer.title and answer.title != answer.headline:
        lines.append(answer.title)
    lines.append(answer.headline)
    lines += [f"{field.label}: {field.value}" for field in answer.fields]
    lines += [f"{rank}. {bar.label}: {bar.display}" for rank, bar in enumerate(answer.bars, start=1)]
    lines += [render_sparkline(series, answer.series) for series in answer.series]
    lines += _render_items(answer.items)
    lines += list(answer.notes)
    if answer.choices:
        lines.append("Options: " + " | ".join(choice.label for choice in answer.choices))
    if answer.sources:
        lines.append(render_sources(answer.sources))
    return "\n".join(line for line in lines if line)


def render_sparkline(series: Series, scale: tuple[Series, ...] = ()) -> str:
    """Draw a series as one line of text: "Wednesday: Season 2  ▇█▅▃▂▁  50M views -> 1.9M views".

    Args:
        scale: the series drawn together, so that their heights compare (default: this one alone).
    """
    top = max((point.value for other in (scale or (series,)) for point in other.points), default=0.0)
    bars = "".join(SPARK_LEVELS[_level(point.value, top)] for point in series.points)
    first, last = series.points[0].display, series.points[-1].display
    span = first if len(series.points) == 1 else f"{first} -> {last}"
    return f"{series.label}  {bars}  {span}"


def _level(value: float, top: float) -> int:
    if top <= 0:
        return 0
    return min(len(SPARK_LEVELS) - 1, round(value / top * (len(SPARK_LEVELS) - 1)))


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
