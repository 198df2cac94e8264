"""Answers about shows themselves: their cards, recorded facts and standings, and what is missing."""

from __future__ import annotations

from facts import lookup
from facts.answer import Answer, Context, Field
from facts.citing import sources_of
from facts.composing import Composer, Turn, merge_answers, season_name
from facts.figures import (
    MAX_CHART_SEASONS,
    MAX_OTHER_FIGURES,
    best_week_notes,
    chart_headline,
    describe_figure,
    is_weekly,
    natural_order,
    other_figures,
    season_label,
    sort_for_headline,
    title_noun,
    weekly_runs,
)
from facts.lookup import Attribute, Show
from facts.normalize import normalize_name
from facts.questions import Signals, topic_words
from facts.show_facts import (
    COLUMN_FACTS,
    IMPLIED_FACTS,
    attribute_about,
    attribute_answer,
    attributes_named,
    missing_fact,
    on_platform,
    show_fields,
    synthetic_summary,
)
from facts.wording import join_words

REVERSE_MATCHES = 3
# A catalogue listing shows at most this many titles (Slack pages through them).
BROWSE_LIMIT = 200

# Credits a show's card lists, with their labels.
CARD_CREDITS = (("creator", "Created by"), ("director", "Directed by"), ("writer", "Written by"))
CONTENT_STOPWORDS = frozenset(
    "what which who whose is was are were the a an of in on for to did does do has have had show shows "
    "series tv ever me tell s it its that this and or by with at".split()
)


def _topic(signals: Signals) -> list[str]:
    """The words of a question that say what it is about, beyond grammar ("comedy", "2020")."""
    return [word for word in topic_words(signals.words) if word not in CONTENT_STOPWORDS]


class ShowAnswers(Composer):
    """Composes answers about shows: cards, facts, standings."""

    def _show_card(self, turn: Turn) -> Answer:
        if not turn.shows:
            return self._person_card(turn) if turn.people else self._which(turn, "show_card")
        return merge_answers([self._card_of_show(turn, show) for show in turn.shows])

    def _card_of_show(self, turn: Turn, show: Show) -> Answer:
        figures = sort_for_headline(lookup.figures_of_show(turn.db, show.id))
        credits = lookup.credits_of_show(turn.db, show.id)
        fields = show_fields(show)
        if figures:
            fields.append(Field("Audience", describe_figure(figures[0])))
        for role, label in CARD_CREDITS:
            names = list(dict.fromkeys(c.person_name for c in credits if c.role == role))
            if names:
                fields.append(Field(label, join_words(names)))
        cast = list(dict.fromkeys(c.person_name for c in credits if c.role == "cast"))
        if cast:
            more = f" and {len(cast) - 3} more" if len(cast) > 3 else ""
            fields.append(Field("Starring", ", ".join(cast[:3]) + more))
        platforms = {figure.platform for figure in figures if figure.platform}
        platform = platforms.pop() if len(platforms) == 1 else ""
        headline = show.summary or synthetic_summary(show, title_noun(figures), platform)
        return Answer(
            kind="card",
            headline=headline,
            title=show.title,
            fields=tuple(fields),
            sources=sources_of([show, *figures[:1], *credits]),
        )

    def _show_fact(self, turn: Turn) -> Answer:
        if not turn.shows:
            return self._which(turn, "show_fact")
        return merge_answers([self._fact_of(turn, show) for show in turn.shows])

    def _fact_of(self, turn: Turn, show: Show) -> Answer:
        """Answer the show facts asked about: a named attribute, or each fact the grammar names."""
        attributes = lookup.attributes_of_show(turn.db, show.id)
        named = attributes_named(attributes, turn.signals.words)
        if named:
            return attribute_answer(show, named)
        facts = [f for f in turn.signals.facts if f not in IMPLIED_FACTS.get(turn.signals.fact, ())]
        if turn.signals.fact == "top10":  # chart questions mention weeks and dates: one answer
            facts = []
        if len(facts) > 1:
            return merge_answers([self._one_fact(turn, show, fact, attributes) for fact in facts])
        return self._one_fact(turn, show, turn.signals.fact, attributes)

    def _one_fact(self, turn: Turn, show: Show, fact: str, attributes: list[Attribute]) -> Answer:
        if fact == "top10":
            return self._chart_fact(turn, show)
        if fact == "network" and turn.platform:
            return on_platform(show, turn.platform, turn.db)
        composer = COLUMN_FACTS.get(fact)
        if composer is not None:
            answer = composer(show, attributes)
            if answer is not None:
                return answer
        related = [a for a in attributes if attribute_about(a.attribute, fact)]
        if related:
            return attribute_answer(show, related)
        return self._no_fact(turn, show, missing_fact(show, fact))

    def _chart_fact(self, turn: Turn, show: Show) -> Answer:
        figures = [f for f in self._figures(turn, show) if f.rank is not None or f.weeks_in_top10]
        if not figures:
            return self._no_fact(
                turn, show, f"I don't have Top 10 chart facts for {season_name(turn, show)}."
            )
        # Each season's weeks in the weekly chart, never mixed with another season's.
        runs = weekly_runs(figures, by_metric=False)
        # Oldest season first (seasons that entered the chart the same week in their own order).
        runs = sorted(runs, key=lambda run: (run.figures[-1].window, natural_order(run.figures[0].season)))
        unnamed = len(runs) - MAX_CHART_SEASONS
        runs = runs[:MAX_CHART_SEASONS]
        others = [f for f in figures if not is_weekly(f)]
        if runs:
            headline, shown = chart_headline(runs), [run.best_ranked for run in runs]
        else:
            shown, others = others[:1], others[1:]
            headline = f"{season_label(shown[0])}: rank {shown[0].rank} ({describe_figure(shown[0])})."
        return Answer(
            kind="answer",
            headline=headline,
            title=show.title,
            notes=(
                *([f"And {unnamed} more seasons in the Top 10: ask for one by name."] if unnamed > 0 else []),
                *best_week_notes(runs if len(runs) > 1 else []),
                *other_figures(others),
            ),
            sources=sources_of([*shown, *others[:MAX_OTHER_FIGURES]]),
        )

    def _browse(self, turn: Turn) -> Answer:
        """List what the bot knows: every title A to Z, or the latest added first ("what's new")."""
        count = lookup.count_shows(turn.db)
        if not count:
            return Answer(kind="no_fact", headline="I don't know any shows yet.", intent="browse")
        shows = lookup.list_shows(turn.db, BROWSE_LIMIT, newest=turn.signals.newest)
        known = f"{count:,} {'show' if count == 1 else 'shows and films'}"
        if turn.signals.newest:
            headline = f"The latest added of the {known} I know, newest first:"
        else:
            headline = f"I know {known}, A to Z:"
        listed = f"Listed: the first {len(shows):,} of {count:,}; ask about any other by name."
        notes = (listed,) if count > len(shows) else ()
        return Answer(
            kind="answer",
            headline=headline,
            items=tuple(show.title for show in shows),
            notes=notes,
            sources=sources_of(shows),
            intent="browse",
        )

    def _reverse(self, turn: Turn) -> Answer | None:
        """Find the show whose recorded standing the question describes ("most popular comedy of 2020")."""
        words = _topic(turn.signals)
        scope = self._scope_of(turn)
        scope_words = set(normalize_name(scope.platform).split()) | {scope.year}
        if not set(words) - scope_words:
            return None  # "most watched show on Netflix" is a ranking, not a standing
        found = lookup.search_attributes(turn.db, words, REVERSE_MATCHES)
        if not found:
            return None
        lines = [f"{a.show_title}: {a.value}." for a in found]
        return Answer(
            kind="answer",
            headline=lines[0],
            title=found[0].show_title,
            notes=tuple(lines[1:]),
            sources=sources_of(found),
            intent="reverse",
            context=Context(intent="show_card", show_ids=tuple(dict.fromkeys(a.show_id for a in found))),
        )
