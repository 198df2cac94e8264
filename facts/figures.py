"""Choosing and describing audience figures.

A show may have many figures (first 28 days, weekly Top 10 views, hours viewed, per season). One is
the headline — the metric "viewers" first, then the longest window, then the most recent — and
figures are only ranked against figures of the same measure (metric + window).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from facts.answer import Answer
from facts.citing import sources_of
from facts.lookup import Figure, Show
from facts.normalize import normalize_name
from facts.questions import Signals
from facts.wording import format_count, format_number, join_words, window_phrase

# Metrics in order of preference for a headline: people reached beats views beats hours.
METRIC_PREFERENCE = ("viewers", "views", "hours viewed")
_DURATION = re.compile(r"(\d+)\s*(day|week|month|year)s?")
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}
_WEEK_WINDOW_DAYS = 7

Measure = tuple[str, str]  # (metric, window)
# Words Netflix and others put before a season number.
SEASON_WORDS = ("season", "series", "part", "volume", "vol", "chapter")


def window_days(window: str) -> int:
    """Return roughly how many days a window covers ("first 28 days" -> 28, "week of ..." -> 7; else 0)."""
    lowered = window.casefold()
    match = _DURATION.search(lowered)
    if match:
        return int(match.group(1)) * _UNIT_DAYS[match.group(2)]
    return _WEEK_WINDOW_DAYS if lowered.startswith("week") else 0


def _metric_rank(metric: str) -> int:
    return METRIC_PREFERENCE.index(metric) if metric in METRIC_PREFERENCE else len(METRIC_PREFERENCE)


def headline_order(figure: Figure) -> tuple[int, int, str, str, int]:
    """Sort key putting the best headline figure first (use with ``sorted``)."""
    recency = figure.start_date or figure.window or figure.as_of
    return (
        _metric_rank(figure.metric),
        -window_days(figure.window),
        _invert(recency),
        figure.season,
        figure.id,
    )


def _invert(text: str) -> str:
    # Larger dates sort first: map every character to its complement.
    return "".join(chr(0x10FFFF - ord(ch)) for ch in text)


def sort_for_headline(figures: Sequence[Figure], metric: str = "") -> list[Figure]:
    """Return the figures with the headline one first (of ``metric`` first, when one was asked for)."""
    return sorted(
        figures, key=lambda figure: (bool(metric) and figure.metric != metric, headline_order(figure))
    )


def with_hours(figures: Sequence[Figure]) -> list[Figure]:
    """Add each figure's hours viewed as a figure of its own (for "how many hours of X were viewed")."""
    hours = [
        replace(figure, metric="hours viewed", value=figure.hours_viewed, hours_viewed=None)
        for figure in figures
        if figure.hours_viewed is not None and figure.metric != "hours viewed"
    ]
    return [*figures, *hours]


def in_season(figures: Sequence[Figure], season: str) -> list[Figure]:
    """Return the figures counting season ``season`` ("2" matches "2" and "Bridgerton: Season 2")."""

    def counts(figure: Figure) -> bool:
        label = f" {normalize_name(figure.season)} "
        # "2", "Bridgerton: Season 2", "Stranger Things 4", "Money Heist: Part 5"
        return (
            figure.season == season
            or any(f" {word} {season} " in label for word in SEASON_WORDS)
            or label.endswith(f" {season} ")
        )

    return [figure for figure in figures if counts(figure)]


def measure_of(figure: Figure) -> Measure:
    """Return the figure's measure: what was counted and over what window."""
    return (figure.metric, figure.window)


def season_label(figure: Figure) -> str:
    """Name what a figure counts: the show, or the show's season ("Bridgerton season 2")."""
    season = figure.season.strip()
    if not season:
        return figure.show_title
    if normalize_name(season).startswith(normalize_name(figure.show_title)):
        return season
    if season.isdigit():
        return f"{figure.show_title} season {season}"
    return f"{figure.show_title} ({season})"


def describe_figure(figure: Figure, *, possessive: str = "its") -> str:
    """Write a figure in full: "82M viewers in its first 28 days on Netflix"."""
    parts = [format_count(figure.value, figure.metric)]
    when = window_phrase(figure.window, possessive=possessive)
    if when:
        parts.append(when)
    if figure.platform:
        parts.append(f"on {figure.platform}")
    return " ".join(parts)


def chart_details(figure: Figure) -> list[str]:
    """Return the Top 10 details of a figure: rank, weeks in the Top 10, hours viewed."""
    details = []
    if figure.rank is not None:
        details.append(f"rank {figure.rank}")
    if figure.weeks_in_top10 is not None:
        weeks = figure.weeks_in_top10
        details.append(f"{weeks} week{'s' if weeks != 1 else ''} in the Top 10")
    if figure.hours_viewed is not None and figure.metric != "hours viewed":
        details.append(f"{format_number(figure.hours_viewed)} hours viewed")
    if figure.category:
        details.append(figure.category)
    return details


def measure_phrase(measure: Measure, *, possessive: str = "their") -> str:
    """Say what a ranking counts: ("viewers", "first 28 days") -> "viewers in their first 28 days"."""
    metric, window = measure
    when = window_phrase(window, possessive=possessive)
    return f"{metric} {when}".strip()


def common_measure(figures_by_show: Sequence[Sequence[Figure]]) -> Measure | None:
    """Return the measure shared by the most shows (ties: preferred metric, then longest window)."""
    counts: dict[Measure, int] = {}
    for figures in figures_by_show:
        for measure in {measure_of(figure) for figure in figures}:
            counts[measure] = counts.get(measure, 0) + 1
    if not counts:
        return None
    return min(counts, key=lambda m: (-counts[m], _metric_rank(m[0]), -window_days(m[1]), _invert(m[1])))


def preferred_measure(measures: Sequence[tuple[str, str, int]]) -> Measure | None:
    """Pick the measure to rank a whole catalogue by from (metric, window, count) rows."""
    if not measures:
        return None
    best = min(measures, key=lambda m: (_metric_rank(m[0]), -m[2], -window_days(m[1]), _invert(m[1])))
    return (best[0], best[1])


def latest_weekly(measures: Sequence[tuple[str, str, int]]) -> list[tuple[str, str, int]]:
    """Keep the measures of the newest weekly window ("last week"); all of them if none is weekly."""
    weekly = [
        m for m in measures if m[1].casefold().startswith("week") and window_days(m[1]) == _WEEK_WINDOW_DAYS
    ]
    if not weekly:
        return list(measures)
    newest = max(weekly, key=lambda m: m[1])[1]  # "week ending 2026-07-19": ISO dates sort as text
    return [m for m in weekly if m[1] == newest]


# Words a chart category uses for its kind, and the kind a question asks for ("films" / "tv").
CATEGORY_KIND_WORDS = {
    "films": frozenset({"film", "films", "movie", "movies"}),
    "tv": frozenset({"tv", "series", "show", "shows"}),
}


def pick_categories(available: Sequence[str], kind: str, language: str) -> tuple[str, ...]:
    """Return the chart categories a question asks for ("top films not in English"), of those stored."""
    picked = []
    for category in available:
        words = normalize_name(category).split()
        if kind and not CATEGORY_KIND_WORDS[kind] & set(words):
            continue
        if language and _category_language(words) != language:
            continue
        picked.append(category)
    return tuple(picked)


def _category_language(words: Sequence[str]) -> str:
    if "english" not in words:
        return ""
    return "non english" if "non" in words else "english"


# A show's other figures listed under the headline one.
MAX_OTHER_FIGURES = 5


def figure_in(figures: list[Figure], measure: Measure | None) -> Figure | None:
    """Return the first of ``figures`` of ``measure`` (they are in headline order), if any."""
    return next((figure for figure in figures if measure_of(figure) == measure), None)


def other_figures(figures: Sequence[Figure]) -> tuple[str, ...]:
    """Describe the figures after the headline one, a few at most, the rest counted."""
    lines = []
    for figure in figures[:MAX_OTHER_FIGURES]:
        details = chart_details(figure)
        extra = f" ({', '.join(details)})" if details else ""
        label = season_label(figure)
        lines.append(f"Also: {label} had {describe_figure(figure)}{extra}.")
    if len(figures) > MAX_OTHER_FIGURES:
        lines.append(f"And {len(figures) - MAX_OTHER_FIGURES} more figures.")
    return tuple(lines)


def incomparable(shows: list[Show], by_show: dict[int, list[Figure]], notes: list[str]) -> Answer:
    """Two or more shows whose figures count different things: show each, rank none."""
    names = join_words([show.title for show in shows])
    firsts = [by_show[show.id][0] for show in shows]
    kept = [note for note in notes if not note.startswith("Not compared")]
    return Answer(
        kind="answer",
        headline=f"I can't rank {names}: their figures count different things.",
        items=tuple(f"{season_label(f)}: {describe_figure(f)}" for f in firsts),
        notes=tuple(kept),
        sources=sources_of(firsts),
    )


def comparison_headline(chosen: list[Figure], measure: Measure, signals: Signals) -> str:
    """Say how ranked figures compare (``chosen`` in the order asked: most or fewest first)."""
    first, second = chosen[0], chosen[1]
    unit = "hours viewed" if first.metric == "hours viewed" else first.metric
    when = measure_phrase(("", measure[1])).strip()
    when = f" {when}" if when else ""
    a, b = season_label(first), season_label(second)
    if first.value == second.value:
        return f"{a} and {b} had the same audience: {format_count(first.value, first.metric)}{when}."
    if signals.difference:
        gap = format_number(abs(first.value - second.value))
        more = "fewer" if signals.fewer else "more"
        return (
            f"{a} had {gap} {more} {unit} than {b}{when} "
            f"({format_number(first.value)} against {format_number(second.value)})."
        )
    if len(chosen) == 2:
        if signals.fewer:
            figures = f"{format_number(first.value)} against {format_number(second.value)}"
            return f"{a} had fewer {unit}: {figures} for {b}{when}."
        return (
            f"{a} was watched more: {format_count(first.value, first.metric)} against "
            f"{format_number(second.value)} for {b}{when}."
        )
    if signals.fewer:
        return f"{a} had the fewest {unit}: {format_number(first.value)}{when}."
    return f"{a} was watched most: {format_count(first.value, first.metric)}{when}."
