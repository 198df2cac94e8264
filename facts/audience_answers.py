"""Answers about audiences: one show's figures, comparisons and rankings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from facts import lookup
from facts.answer import Answer, Bar, Context, Field
from facts.citing import sources_of
from facts.composing import Composer, Turn, season_name, with_notes
from facts.dialect import Reader
from facts.figures import (
    MAX_SERIES,
    category_kind,
    chart_details,
    common_measure,
    comparison_headline,
    describe_figure,
    figure_in,
    incomparable,
    is_weekly_window,
    latest_weekly,
    measure_phrase,
    other_figures,
    preferred_measure,
    run_of,
    run_series,
    season_label,
    trend_metric,
    week_line,
    weekly_runs,
)
from facts.genres import NO_GENRE, GenreMatch
from facts.lookup import Figure, Scope, WeeklyTotal
from facts.questions import Signals
from facts.questionwords import LIMITED_SERIES, LIMITED_SERIES_WORDS
from facts.wording import format_count, join_words, plural_noun, week_span

DEFAULT_TOP = 5

# What a ranking calls its entries (one, many), by the chart category kind asked for.
RANKED_NOUNS = {
    "": ("show", "shows"),
    "films": ("film", "films"),
    "tv": ("TV show", "TV shows"),
    "titles": ("title", "titles"),  # films and shows together
    "limited": ("limited series", "limited series"),
}
RANKED_LANGUAGES = {"": "", "english": " in English", "non english": " not in English"}

# Rankings name at most this many of the other measures they did not rank by.
OTHER_MEASURES = 3


def _default_limit(signals: Signals) -> int:
    return DEFAULT_TOP if "top" in signals.words or "shows" in signals.words else 1


def _scope_phrase(scope: Scope) -> str:
    parts = [f" on {scope.platform}" if scope.platform else "", f" in {scope.year}" if scope.year else ""]
    return "".join(parts)


@dataclass(frozen=True)
class Ranking:
    """What a ranking question asks for: how many, where, which end, which chart."""

    limit: int
    scope: Scope = lookup.EVERYWHERE
    lowest: bool = False
    latest: bool = False  # the newest weekly chart ("last week")
    kind: str = ""  # "films" | "tv" | "" (anything)
    language: str = ""  # "english" | "non english" | ""
    genres: GenreMatch = NO_GENRE

    @property
    def nouns(self) -> tuple[str, str]:
        """Return what the ranking calls one entry and many ("crime drama show", "crime drama shows")."""
        one, many = RANKED_NOUNS[self.kind]
        label = f"{self.genres.label} " if self.genres.words else ""
        return f"{label}{one}", f"{label}{many}"

    def where(self) -> str:
        language = RANKED_LANGUAGES[self.language]
        return f"{language}{_scope_phrase(self.scope)}"

    def no_figures(self) -> str:
        """Say that nothing can be ranked ("I don't have audience figures for films in 1999.")."""
        if self.kind or self.genres.words:
            return f"I don't have audience figures for {self.nouns[1]}{self.where()}."
        if self.where():
            return f"I don't have audience figures{self.where()}."
        return "I don't have any audience figures yet."

    def unmatched_note(self) -> list[str]:
        """Say which words of the question the ranking could not narrow by, if any."""
        if not self.genres.unmatched:
            return []
        words = " ".join(self.genres.unmatched)
        return [f"Ranked without \u201c{words}\u201d: no show I know has that genre or format."]


def _kind_of_entries(categories: Sequence[str]) -> str:
    """What a ranking of any titles calls them, by their chart categories: films, shows or titles."""
    kinds = {category_kind(category) for category in categories}
    if kinds == {"films"}:
        return "films"
    return "titles" if "films" in kinds else ""


def _ranking_answer(
    ranking: Ranking, ranked: Sequence[Figure | WeeklyTotal], *, what: str, best: str, notes: list[str]
) -> Answer:
    """Write a ranking: its entries as bars, named in the headline ("Top 3 shows by ...: A, B and C").

    Args:
        what: what the entries were ranked by; best: the first entry's figure, said in full when it
            is the only one.
    """
    bars = tuple(Bar(season_label(r), float(r.value), format_count(r.value, r.metric)) for r in ranked)
    if not ranking.kind:  # call films films: "shows" only when they all are
        ranking = replace(ranking, kind=_kind_of_entries([r.category for r in ranked]))
    one, many = ranking.nouns
    where = ranking.where()
    if len(bars) == 1:
        most = "least" if ranking.lowest else "most"
        headline = f"{bars[0].label} is the {most} watched {one}{where} I have figures for: {best}."
    else:
        end = "Bottom" if ranking.lowest else "Top"
        headline = f"{end} {len(bars)} {many}{where} by {what}: {join_words([bar.label for bar in bars])}."
    return Answer(
        kind="answer",
        headline=headline,
        bars=bars,
        notes=tuple(notes),
        sources=sources_of(ranked),
        intent="top",
        context=Context(intent="top", show_ids=tuple(dict.fromkeys(r.show_id for r in ranked))),
    )


class AudienceAnswers(Composer):
    """Composes answers about how many people watched shows."""

    def _audience(self, turn: Turn) -> Answer:
        if turn.signals.trend and turn.shows:
            return self._trend(turn)
        if len(turn.shows) > 1:
            return self._compare(turn)
        if not turn.shows:
            return self._which(turn, "audience")
        show = turn.shows[0]
        figures = self._figures(turn, show)
        if not figures:
            return self._no_fact(turn, show, f"I don't have audience figures for {season_name(turn, show)}.")
        best = figures[0]
        run = run_of(weekly_runs(figures), best)
        weeks = run is not None and len(run.figures) > 1
        details = chart_details(best, weeks=not weeks)
        fields = [Field("Chart", ", ".join(details))] if details else []
        which = ""
        if run is not None and weeks:
            which = (
                ", its latest week in the Top 10" if turn.signals.latest else ", its best week in the Top 10"
            )
            fields.append(Field("Weekly chart", run.summary()))
        return Answer(
            kind="answer",
            headline=f"{season_label(best)} had {describe_figure(best)}{which}.",
            title=show.title,
            fields=tuple(fields),
            notes=other_figures(figures[1:], skip=run),
            sources=sources_of(figures),
        )

    def _trend(self, turn: Turn) -> Answer:
        """Figures week by week: each season's weeks in a weekly chart as a series to draw."""
        runs_by_show = {show.id: weekly_runs(self._figures(turn, show)) for show in turn.shows}
        runs = [run for show_runs in runs_by_show.values() for run in show_runs]
        missing = [show.title for show in turn.shows if not runs_by_show[show.id]]
        notes = [f"I have no week-by-week figures for {title}." for title in missing]
        if not runs:
            answer = self._audience(replace(turn, signals=replace(turn.signals, trend=False)))
            return with_notes(answer, notes)
        metric = trend_metric(runs)
        drawn = [run for run in runs if run.best.metric == metric][:MAX_SERIES]
        left = len(runs) - len(drawn)
        if left:
            runs_left = f"{left} more run{'s' if left != 1 else ''}"
            notes.append(f"Not drawn: {runs_left} of weeks counted in another measure or past {MAX_SERIES}.")
        if len(drawn) == 1:
            run = drawn[0]
            best = describe_figure(run.best)
            headline = f"{season_label(run.best)} week by week: {run.summary()}; best week {best}."
            items = tuple(week_line(f) for f in sorted(run.figures, key=lambda f: f.window))
        else:
            headline = f"{join_words([season_label(r.best) for r in drawn])} week by week, in {metric}."
            items = tuple(f"{season_label(r.best)}: {r.summary()}" for r in drawn)
        return Answer(
            kind="answer",
            headline=headline,
            title=turn.shows[0].title if len(turn.shows) == 1 else "",
            series=tuple(run_series(run) for run in drawn),
            items=items,
            notes=tuple(notes),
            sources=sources_of([f for run in drawn for f in run.figures]),
        )

    def _compare(self, turn: Turn) -> Answer:
        if turn.signals.trend:
            return self._trend(turn)
        if len(turn.shows) < 2:
            return self._audience(turn) if turn.shows else self._which(turn, "compare")
        by_show = {show.id: self._figures(turn, show) for show in turn.shows}
        notes = [
            f"I have no audience figures for {show.title}." for show in turn.shows if not by_show[show.id]
        ]
        measure = common_measure([figures for figures in by_show.values() if figures])
        ranked = [figure_in(by_show[show.id], measure) for show in turn.shows]
        chosen = [figure for figure in ranked if figure is not None]
        for show, figure in zip(turn.shows, ranked, strict=True):
            if figure is None and by_show[show.id]:
                other = by_show[show.id][0]
                notes.append(
                    f"Not compared: {show.title} has only {describe_figure(other)}, a different measure."
                )
        with_figures = [show for show in turn.shows if by_show[show.id]]
        if len(chosen) < 2 and len(with_figures) > 1:
            return incomparable(with_figures, by_show, notes)
        if len(chosen) < 2 or measure is None:
            return with_notes(self._audience_of_first(turn, chosen), notes)
        chosen.sort(key=lambda figure: figure.value, reverse=not turn.signals.fewer)
        headline = comparison_headline(chosen, measure, turn.signals)
        return Answer(
            kind="answer",
            headline=headline,
            bars=tuple(Bar(season_label(f), float(f.value), format_count(f.value, f.metric)) for f in chosen),
            notes=tuple(notes),
            sources=sources_of(chosen),
        )

    def _audience_of_first(self, turn: Turn, chosen: list[Figure]) -> Answer:
        shows = [show for show in turn.shows if any(f.show_id == show.id for f in chosen)] or turn.shows[:1]
        return self._audience(Turn(db=turn.db, text=turn.text, signals=turn.signals, shows=shows[:1]))

    def _top(self, db: Reader, ranking: Ranking) -> Answer:
        limit, scope, lowest = ranking.limit, ranking.scope, ranking.lowest
        if ranking.genres.none_known:
            measures = []
        elif ranking.latest:
            measures = self._latest_measures_in(db, scope)
        else:
            measures = self._measures_in(db, scope)
        # A "top 5" ranks by a measure that has five figures, if any has.
        measure = preferred_measure([m for m in measures if m[2] >= limit] or measures)
        where = ranking.where()
        if measure is None:
            return Answer(
                kind="no_fact",
                headline=ranking.no_figures(),
                notes=tuple(ranking.unmatched_note()),
                intent="top",
            )
        if scope.year and not ranking.latest and is_weekly_window(measure[1]):
            return self._top_of_year(db, ranking, measure[0], measures)
        figures = lookup.top_figures(db, measure[0], measure[1], limit, scope, lowest=lowest)
        what = measure_phrase(measure)
        one, many = ranking.nouns
        notes = ranking.unmatched_note()
        if len(figures) < limit:
            notes.append(
                f"I only have {len(figures)} {one if len(figures) == 1 else many} with {what}{where}."
            )
        others = [(m[0], m[1]) for m in measures if (m[0], m[1]) != measure]
        if others:
            listed = [measure_phrase(m) for m in others[:OTHER_MEASURES]]
            if len(others) > OTHER_MEASURES:
                listed.append(f"{len(others) - OTHER_MEASURES} more measures")
            notes.append(f"Ranked by {what} only; I also have {join_words(listed)}.")
        best = describe_figure(figures[0]) if figures else ""
        return _ranking_answer(ranking, figures, what=what, best=best, notes=notes)

    def _top_of_year(
        self, db: Reader, ranking: Ranking, metric: str, measures: list[tuple[str, str, int]]
    ) -> Answer:
        """Rank a year of a weekly chart: each title's weekly figures of the year added up."""
        totals = lookup.top_weekly_totals(db, metric, ranking.scope, ranking.limit, lowest=ranking.lowest)
        notes = [*ranking.unmatched_note(), *self._year_coverage(db, ranking.scope, metric, measures)]
        one, many = ranking.nouns
        if len(totals) < ranking.limit:
            noun = one if len(totals) == 1 else many
            where = ranking.where()
            notes.append(f"I only have {len(totals)} {noun} with {metric} in a weekly Top 10{where}.")
        weeks = totals[0].weeks if totals else 0
        best = (
            f"{format_count(totals[0].value, metric)} added up over its {weeks} {plural_noun('week', weeks)}"
        )
        best += " in the Top 10" if totals else ""
        what = f"{metric} added up over their weeks in the Top 10"
        return _ranking_answer(ranking, totals, what=what, best=best, notes=notes)

    def _year_coverage(
        self, db: Reader, scope: Scope, metric: str, measures: list[tuple[str, str, int]]
    ) -> list[str]:
        """Say which weeks a year ranking added up, and which it left out (those counted otherwise)."""
        span = lookup.weekly_span(db, metric, scope)
        notes = [f"Added up: {week_span(*span)}; weeks out of the Top 10 count nothing."] if span else []
        for other in dict.fromkeys(m[0] for m in measures if m[0] != metric and is_weekly_window(m[1])):
            left = lookup.weekly_span(db, other, scope)
            if left:
                notes.append(f"Not ranked: {week_span(*left)}, which counted {other} instead.")
        return notes

    def _latest_measures_in(self, db: Reader, scope: Scope) -> list[tuple[str, str, int]]:
        """The measures of the newest weekly window with figures in ``scope`` (all if none has)."""
        # Newest window first, so that "last week" counts one week's figures, not every week's.
        known = self._known_measures(db)
        for window in sorted({m.window for m in known if is_weekly_window(m.window)}, reverse=True):
            found = lookup.figure_measures(db, scope, [m for m in known if m.window == window])
            if found:
                return found
        return latest_weekly(self._measures_in(db, scope))

    def _measures_in(self, db: Reader, scope: Scope) -> list[tuple[str, str, int]]:
        if scope.narrows:
            return lookup.figure_measures(db, scope, self._known_measures(db))
        self._main_measure(db)
        return self._measures[1] if self._measures else []

    def _ranking_of(self, turn: Turn) -> Ranking:
        signals, scope = turn.signals, self._scope_of(turn)
        genres = self._genres_asked(turn, scope)
        scope = replace(scope, genres=genres.genres)
        if signals.season == LIMITED_SERIES:  # "top 5 limited series": the seasons Netflix names so
            scope = replace(scope, season_words=tuple(LIMITED_SERIES_WORDS))
        charted = bool(scope.categories)  # figures without chart categories are ranked as "shows"
        return Ranking(
            limit=signals.limit or _default_limit(signals),
            scope=scope,
            lowest=signals.fewer,
            latest=signals.latest,
            kind="limited" if scope.season_words else signals.category if charted else "",
            language=signals.language if charted else "",
            genres=genres,
        )
