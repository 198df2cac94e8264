"""Choosing and describing audience figures.

A show may have many figures (first 28 days, weekly Top 10 views, hours viewed, per season). One is
the headline — the metric "viewers" first, then the longest window, then, of weekly chart figures,
the best week (the newest when the question asks for the latest) — and figures are only ranked
against figures of the same measure (metric + window).

A season's weeks in a weekly chart are one :class:`WeeklyRun`: answers describe the run (weeks,
best week, the weekly figures added up) instead of listing every week.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from facts.answer import Answer, Point, Series
from facts.citing import sources_of
from facts.countries import CountryRank
from facts.lookup import Figure, Show, WeeklyTotal
from facts.normalize import normalize_name
from facts.questions import Signals
from facts.questionwords import LIMITED_SERIES, LIMITED_SERIES_WORDS, SEASON_WORDS
from facts.wording import format_count, format_number, join_words, week_span, window_phrase

# Metrics in order of preference for a headline: people reached beats views beats hours.
METRIC_PREFERENCE = ("viewers", "views", "hours viewed")
_DURATION = re.compile(r"(\d+)\s*(day|week|month|year)s?")
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}
_WEEK_WINDOW_DAYS = 7
_WEEK_DATE = re.compile(r"^week \w+ (\d{4}-\d{2}-\d{2})$", re.IGNORECASE)

Measure = tuple[str, str]  # (metric, window)
# Figures or places of one season or another (in_season keeps those of one).
Seasoned = TypeVar("Seasoned", Figure, CountryRank)


def window_days(window: str) -> int:
    """Return roughly how many days a window covers ("first 28 days" -> 28, "week of ..." -> 7; else 0)."""
    lowered = window.casefold()
    match = _DURATION.search(lowered)
    if match:
        return int(match.group(1)) * _UNIT_DAYS[match.group(2)]
    return _WEEK_WINDOW_DAYS if lowered.startswith("week") else 0


def _metric_rank(metric: str) -> int:
    return METRIC_PREFERENCE.index(metric) if metric in METRIC_PREFERENCE else len(METRIC_PREFERENCE)


def is_weekly_window(window: str) -> bool:
    """Whether a window is one week of a weekly chart ("week ending 2026-07-19")."""
    return window_days(window) == _WEEK_WINDOW_DAYS and window.casefold().startswith("week")


def is_weekly(figure: Figure) -> bool:
    """Whether a figure counts one week of a weekly chart."""
    return is_weekly_window(figure.window)


def headline_order(figure: Figure, *, latest: bool = False) -> tuple[int, int, int, str, str, int]:
    """Sort key putting the best headline figure first (use with ``sorted``).

    Of weekly chart figures the best week leads, since a season's last week in the Top 10 is usually
    its smallest; when the question asks for the ``latest``, the newest weekly figure leads instead.
    """
    recency = figure.start_date or figure.window or figure.as_of
    weekly = is_weekly(figure)
    return (
        _metric_rank(figure.metric),
        -window_days(figure.window),
        -figure.value if weekly and not latest else 0,
        _invert(recency),
        figure.season,
        figure.id,
    )


def _invert(text: str) -> str:
    # Larger dates sort first: map every character to its complement.
    return "".join(chr(0x10FFFF - ord(ch)) for ch in text)


def sort_for_headline(figures: Sequence[Figure], metric: str = "", *, latest: bool = False) -> list[Figure]:
    """Return the figures with the headline one first (of ``metric`` first, when one was asked for;
    weekly figures first when the ``latest`` was asked for: "last week")."""

    main = _main_weekly_metrics(figures)

    def order(figure: Figure) -> tuple[bool, bool, bool, tuple[int, int, int, str, str, int]]:
        asked = bool(metric) and figure.metric != metric
        # A season's weeks re-entering the chart in another metric (a week of views after a run
        # counted in hours) are not its headline: its run is.
        main_metric = main.get(_season_key(figure), figure.metric)
        aside = is_weekly(figure) and figure.metric not in (main_metric, metric)
        return (latest and not is_weekly(figure), asked, aside, headline_order(figure, latest=latest))

    return sorted(figures, key=order)


def _season_key(figure: Figure) -> tuple[int, str, str]:
    return (figure.show_id, figure.season, figure.platform)


def _main_weekly_metrics(figures: Sequence[Figure]) -> dict[tuple[int, str, str], str]:
    """The metric each season's weekly chart figures count most of its weeks in (ties: the preferred one)."""
    weeks: dict[tuple[int, str, str], dict[str, int]] = {}
    for figure in figures:
        if is_weekly(figure):
            counted = weeks.setdefault(_season_key(figure), {})
            counted[figure.metric] = counted.get(figure.metric, 0) + 1
    return {
        season: min(counted, key=lambda m: (-counted[m], _metric_rank(m)))
        for season, counted in weeks.items()
    }


@dataclass(frozen=True)
class WeeklyRun:
    """One show's (or season's) weeks in a weekly chart, counted in one metric, newest week first."""

    figures: tuple[Figure, ...]

    @property
    def best(self) -> Figure:
        return max(self.figures, key=lambda figure: (figure.value, figure.window))

    @property
    def key(self) -> tuple[int, str, str, str]:
        """What the run counts: show, season, metric and platform."""
        return run_key(self.figures[0])

    @property
    def best_rank(self) -> int | None:
        return min((figure.rank for figure in self.figures if figure.rank is not None), default=None)

    @property
    def weeks_in_chart(self) -> int:
        """Weeks in the chart: the chart's own count where it has one, else the weeks on record."""
        counted = max((figure.weeks_in_top10 or 0 for figure in self.figures), default=0)
        return max(counted, len(self.figures))

    @property
    def best_ranked(self) -> Figure:
        """The week of the best rank (of those, the largest figure)."""
        ranked = [figure for figure in self.figures if figure.rank is not None] or list(self.figures)
        return min(ranked, key=lambda figure: (figure.rank or 0, -figure.value))

    def summary(self) -> str:
        """Describe the run: "8 weeks in the Top 10, best rank 1; 57.8M views added up over the weeks
        ending 2 July to 20 August 2023" (with the chart's own count of weeks when it has more)."""
        weeks = len(self.figures)
        counted = max((figure.weeks_in_top10 or 0 for figure in self.figures), default=0)
        in_all = f" ({counted} in all)" if counted > weeks else ""
        rank = f", best rank {self.best_rank}" if self.best_rank is not None else ""
        text = f"{weeks} week{'s' if weeks != 1 else ''} in the Top 10{in_all}{rank}"
        if weeks == 1:
            return text
        total = format_count(sum(figure.value for figure in self.figures), self.best.metric)
        span = week_span(self.figures[-1].window, self.figures[0].window) or f"{weeks} weeks"
        return f"{text}; {total} added up over {span}"


def run_key(figure: Figure) -> tuple[int, str, str, str]:
    """The weekly run a figure would belong to: show, season, metric and platform."""
    return (figure.show_id, figure.season, figure.metric, figure.platform)


def weekly_runs(figures: Sequence[Figure], *, by_metric: bool = True) -> list[WeeklyRun]:
    """Group the weekly chart figures by show, season, metric and platform (in the order given).

    Args:
        by_metric: false to keep a season's weeks together whatever they count (Netflix counted
            hours before mid-2023, views after): for its weeks and ranks, not to add figures up.
    """
    runs: dict[tuple[int, str, str, str], list[Figure]] = {}
    for figure in figures:
        if is_weekly(figure):
            key = run_key(figure) if by_metric else (figure.show_id, figure.season, "", figure.platform)
            runs.setdefault(key, []).append(figure)
    return [WeeklyRun(tuple(sorted(run, key=lambda f: f.window, reverse=True))) for run in runs.values()]


def run_of(runs: Sequence[WeeklyRun], figure: Figure) -> WeeklyRun | None:
    """Return the run ``figure`` is a week of, if any."""
    return next((run for run in runs if figure in run.figures), None)


def with_hours(figures: Sequence[Figure]) -> list[Figure]:
    """Add each figure's hours viewed as a figure of its own (for "how many hours of X were viewed")."""
    hours = [
        replace(figure, metric="hours viewed", value=figure.hours_viewed, hours_viewed=None)
        for figure in figures
        if figure.hours_viewed is not None and figure.metric != "hours viewed"
    ]
    return [*figures, *hours]


def in_season(figures: Sequence[Seasoned], season: str) -> list[Seasoned]:
    """Return the figures counting season ``season`` ("2" matches "2" and "Bridgerton: Season 2").

    A limited series is its show's one season: asked for as "limited series" or as season 1.
    """

    def counts(figure: Seasoned) -> bool:
        label = f" {normalize_name(figure.season)} "
        limited = any(f" {words} " in label for words in LIMITED_SERIES_WORDS)
        if season == LIMITED_SERIES or (limited and season == "1"):
            return limited
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


def season_label(figure: Figure | WeeklyTotal | CountryRank) -> str:
    """Name what a figure counts: the show, or the show's season ("Bridgerton season 2")."""
    season = figure.season.strip()
    if not season:
        return figure.show_title
    if normalize_name(season).startswith(normalize_name(figure.show_title)):
        return season
    if season.isdigit():
        return f"{figure.show_title} season {season}"
    return f"{figure.show_title} ({season})"


def season_only(figure: Figure) -> str:
    """Name a figure's season without its show ("Wednesday: Season 2" -> "Season 2"), else the show."""
    season = figure.season.strip()
    if not season:
        return figure.show_title
    if season.isdigit():
        return f"season {season}"
    title = figure.show_title
    if normalize_name(season).startswith(normalize_name(title)) and len(season) > len(title):
        return season[len(title) :].lstrip(" :-\u2013\u2014") or season
    return season


def describe_figure(figure: Figure, *, possessive: str = "its") -> str:
    """Write a figure in full: "82M viewers in its first 28 days on Netflix"."""
    parts = [format_count(figure.value, figure.metric)]
    when = window_phrase(figure.window, possessive=possessive)
    if when:
        parts.append(when)
    if figure.platform:
        parts.append(f"on {figure.platform}")
    return " ".join(parts)


def chart_details(figure: Figure, *, weeks: bool = True) -> list[str]:
    """Return the Top 10 details of a figure: rank, weeks in the Top 10 (unless ``weeks`` is false:
    a run of weeks says it), hours viewed."""
    details = []
    if figure.rank is not None:
        details.append(f"rank {figure.rank}")
    if figure.weeks_in_top10 is not None and weeks:
        count = figure.weeks_in_top10
        details.append(f"{count} week{'s' if count != 1 else ''} in the Top 10")
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
    weekly = [m for m in measures if is_weekly_window(m[1])]
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


# What a title is called by the kind and language of its chart categories.
KIND_NOUNS = {"films": "film", "tv": "TV show"}
LANGUAGE_ADJECTIVES = {"english": "English-language", "non english": "non-English"}


def category_kind(category: str) -> str:
    """Return the kind of titles a chart category holds: "films", "tv", or "" when it does not say."""
    words = set(normalize_name(category).split())
    return next((kind for kind, nouns in CATEGORY_KIND_WORDS.items() if nouns & words), "")


def title_noun(figures: Sequence[Figure]) -> str:
    """Say what a title is by its chart categories: "film", "non-English TV show"; "" when they
    say nothing or disagree."""
    kinds, languages = set(), set()
    for category in {figure.category for figure in figures if figure.category}:
        words = normalize_name(category).split()
        kinds |= {kind for kind, nouns in CATEGORY_KIND_WORDS.items() if nouns & set(words)}
        languages.add(_category_language(words))
    if len(kinds) != 1:
        return ""
    language = LANGUAGE_ADJECTIVES.get(languages.pop(), "") if len(languages) == 1 else ""
    return f"{language} {KIND_NOUNS[kinds.pop()]}".strip()


def _category_language(words: Sequence[str]) -> str:
    if "english" not in words:
        return ""
    return "non english" if "non" in words else "english"


# A show's other figures listed under the headline one.
MAX_OTHER_FIGURES = 5


def figure_in(figures: list[Figure], measure: Measure | None) -> Figure | None:
    """Return the first of ``figures`` of ``measure`` (they are in headline order), if any."""
    return next((figure for figure in figures if measure_of(figure) == measure), None)


def other_figures(figures: Sequence[Figure], *, skip: WeeklyRun | None = None) -> tuple[str, ...]:
    """Describe the figures after the headline one briefly: each season's weeks in a weekly chart
    as one line, other figures one by one; a few lines at most, the rest counted.

    Args:
        skip: the run the headline already describes (its other weeks are not listed again).
    """
    skipped = skip.key if skip is not None else None
    figures = [figure for figure in figures if not is_weekly(figure) or run_key(figure) != skipped]
    runs = weekly_runs(figures)
    lines: list[str] = []
    described = 0
    seen: set[tuple[int, str, str, str]] = set()
    for figure in figures:
        run = run_of(runs, figure)
        if run is not None and run.key in seen:
            continue  # a run is described once, where its first figure comes
        if len(lines) == MAX_OTHER_FIGURES:
            break
        lines.append(_run_line(run) if run is not None and len(run.figures) > 1 else _figure_line(figure))
        described += len(run.figures) if run is not None else 1
        seen.update([run.key] if run is not None else [])
    left = len(figures) - described
    if left > 0:
        lines.append(f"And {left} more figure{'s' if left != 1 else ''}.")
    return tuple(lines)


def _figure_line(figure: Figure) -> str:
    details = chart_details(figure)
    extra = f" ({', '.join(details)})" if details else ""
    return f"Also: {season_label(figure)} had {describe_figure(figure)}{extra}."


def _run_line(run: WeeklyRun) -> str:
    best = run.best
    return f"Also: {season_label(best)}: {run.summary()}; best week {describe_figure(best)}."


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


# A chart answer names at most this many seasons' weeks in the weekly Top 10 (and counts the rest).
MAX_CHART_SEASONS = 12


def natural_order(label: str) -> tuple[tuple[int, str], ...]:
    """Sort key putting "Part 2" before "Part 10": numbers by their value, words as text."""
    return tuple((int(part), "") if part.isdigit() else (0, part) for part in re.split(r"(\d+)", label))


def _weeks_phrase(run: WeeklyRun, *, chart: str = "", best_week: bool = False) -> str:
    weeks = run.weeks_in_chart
    best = run.best_ranked
    text = f"{weeks} week{'s' if weeks != 1 else ''}{chart}"
    if best_week:
        rank = f", best rank {best.rank}" if best.rank is not None else ", best week"
        return f"{text}{rank} ({describe_figure(best)})"
    return f"{text} (best rank {best.rank})" if best.rank is not None else text


def chart_headline(runs: Sequence[WeeklyRun]) -> str:
    """Say how long each season was in the weekly chart, each season apart:
    "Wednesday: Season 1 was 28 weeks in the Top 10 (best rank 1) and Season 2 was 11 weeks (best
    rank 1)"; of one season, with its best week.
    """
    first, *rest = runs
    weeks = _weeks_phrase(first, chart=" in the Top 10", best_week=not rest)
    lead = f"{season_label(first.best_ranked)} was {weeks}"
    others = [f"{season_only(run.best_ranked)} was {_weeks_phrase(run)}" for run in rest]
    return f"{join_words([lead, *others])}."


def best_week_notes(runs: Sequence[WeeklyRun]) -> tuple[str, ...]:
    """Describe each run's best-ranked week: "Best week of Season 2: 50M views in the week ending ..."."""
    return tuple(
        f"Best week of {season_only(run.best_ranked)}: {describe_figure(run.best_ranked)}." for run in runs
    )


# A week-by-week answer draws at most this many series (seasons, shows).
MAX_SERIES = 6


def trend_metric(runs: Sequence[WeeklyRun]) -> str:
    """The metric to draw runs in: the preferred one any run counts (one chart, one unit)."""
    return min((run.best.metric for run in runs), key=_metric_rank)


def week_date(window: str) -> str:
    """The date a weekly window names ("week ending 2025-08-10" -> "2025-08-10"), else ""."""
    match = _WEEK_DATE.match(window.strip())
    return match.group(1) if match else ""


def run_series(run: WeeklyRun) -> Series:
    """A run as a series for a chart, oldest week first."""
    weeks = sorted(run.figures, key=lambda figure: figure.window)
    points = tuple(
        Point(week_date(f.window) or f.window, float(f.value), format_count(f.value, f.metric)) for f in weeks
    )
    return Series(label=season_label(run.best), unit=run.best.metric, points=points)


def week_line(figure: Figure) -> str:
    """One week of a run: "week ending 10 August 2025: 50M views (rank 1)"."""
    rank = f" (rank {figure.rank})" if figure.rank is not None else ""
    week = window_phrase(figure.window).removeprefix("in the ")
    return f"{week}: {format_count(figure.value, figure.metric)}{rank}"
