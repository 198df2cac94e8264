"""What every kind of answer is composed from: the question's :class:`Turn` and the shared helpers.

:class:`Composer` holds the store and the caches the composers share; the answers about audiences,
people and shows (:mod:`facts.audience_answers`, :mod:`facts.people_answers`,
:mod:`facts.show_answers`) build on it and :class:`facts.answering.Answerer` combines them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from facts import lookup
from facts.answer import Answer, Choice, EntityMatch
from facts.citing import sources_of
from facts.dialect import Reader
from facts.figures import (
    Measure,
    in_season,
    pick_categories,
    preferred_measure,
    sort_for_headline,
    with_hours,
)
from facts.genres import NO_GENRE, GenreMatch, match_genres
from facts.intents import REGISTRY, Intent, Registry
from facts.lookup import Credit, Figure, Person, Scope, Show
from facts.normalize import normalize_name
from facts.questions import Signals, topic_words
from facts.questionwords import is_question_word
from facts.show_facts import known_about_show, offers
from facts.store import Store
from facts.wording import join_words

# Names offered as examples or "did you mean" suggestions.
SUGGESTIONS = 3
_YEAR = re.compile(r"^(19|20)\d\d$")


@dataclass
class Turn:
    """Everything known while answering one question."""

    db: Reader
    text: str
    signals: Signals
    shows: list[Show] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    characters: list[Credit] = field(default_factory=list)
    entities: list[EntityMatch] = field(default_factory=list)
    unknown: tuple[str, ...] = ()
    platform: str = ""  # "is X on Netflix?": the network or platform named
    country: str = ""  # "top 10 in France": the country whose Top 10 is asked about


def with_notes(answer: Answer, notes: Sequence[str]) -> Answer:
    """Return ``answer`` with ``notes`` added after its own (none repeated)."""
    extra = tuple(note for note in notes if note not in answer.notes)
    return Answer(**{**answer.__dict__, "notes": answer.notes + extra})


def merge_answers(answers: list[Answer]) -> Answer:
    """Combine the answers about several shows or people into one (a single answer is returned as is)."""
    if len(answers) == 1:
        return answers[0]
    kinds = {answer.kind for answer in answers}
    kind = answers[0].kind if len(kinds) == 1 else "answer"
    return Answer(
        kind=kind,
        headline=" ".join(answer.headline for answer in answers),
        fields=tuple(f for a in answers for f in a.fields),
        items=tuple(i for a in answers for i in a.items),
        notes=tuple(n for a in answers for n in a.notes),
        choices=tuple(c for a in answers for c in a.choices),
        sources=tuple(dict.fromkeys(s for a in answers for s in a.sources)),
    )


def season_name(turn: Turn, show: Show) -> str:
    """Name the show, or the season of it the question asks about ("season 2 of Lupin")."""
    season = turn.signals.season
    if not season:
        return show.title
    return f"season {season} of {show.title}" if season.isdigit() else f"the {season} of {show.title}"


class Composer:
    """State and helpers shared by every kind of answer (the answerer is one of these)."""

    registry: Registry = REGISTRY  # the intents questions are read with

    def __init__(self, store: Store) -> None:
        self.store = store
        self._measures: tuple[int, list[tuple[str, str, int]]] | None = None
        self._preferred: tuple[int, Measure | None] | None = None  # preferred_measure of _measures
        self._measure_dates: tuple[int, list[lookup.MeasureDates]] | None = None
        self._countries: tuple[int, dict[str, str]] | None = None
        self._names: dict[str, tuple[int, list[str]]] = {}  # platforms, chart categories, genres

    # Each kind of answer may offer another: a person's card falls back to a show's and back.
    def _show_card(self, turn: Turn) -> Answer:
        raise NotImplementedError

    def _person_card(self, turn: Turn) -> Answer:
        raise NotImplementedError

    def _which(self, turn: Turn, intent: str, *, person: bool | None = None) -> Answer:
        """Ask which show the question is about, or which person (``person``; by default the intent says)."""
        entry = self.registry.entry(intent)
        if entry is None or entry.intent == Intent.UNKNOWN:
            return self._not_understood(turn)
        wants_person = entry.asks_for_person if person is None else person
        names = self._example_names(turn.db, people=wants_person)
        stem = turn.text.rstrip(" ?!.")
        what = "person" if wants_person else "show"
        examples = f" For example: {join_words(names, 'or')}." if names else ""
        return Answer(
            kind="clarify",
            headline=f"Which {what} do you mean?{examples}",
            choices=tuple(Choice(label=name, question=f"{stem} {name}?") for name in names),
            intent=intent,
        )

    def _not_understood(self, turn: Turn) -> Answer:
        names = self._example_names(turn.db, people=False)
        examples = tuple(
            Choice(label=f"How many people watched {n}?", question=f"How many people watched {n}?")
            for n in names[:2]
        )
        return Answer(
            kind="help",
            headline="I couldn't understand that. Ask me about a show or the people who make it, "
            'for example "How many people watched ' + (names[0] if names else "a show") + '?"',
            choices=examples,
            intent="unknown",
        )

    def _example_names(self, db: Reader, *, people: bool) -> list[str]:
        if people:
            rows = db.query(
                "SELECT name FROM people WHERE kind = 'person' ORDER BY id LIMIT ?", (SUGGESTIONS,)
            )
            return [row["name"] for row in rows]
        measure = self._main_measure(db)
        if measure is not None:
            figures = lookup.top_figures(db, measure[0], measure[1], SUGGESTIONS * 2)
            titles = list(dict.fromkeys(figure.show_title for figure in figures))
            return titles[:SUGGESTIONS]
        return [show.title for show in lookup.first_shows(db, SUGGESTIONS)]

    def read_kept_facts(self) -> None:
        """Read now, as at start-up, what answers keep between questions until the facts change: the
        figures' measures, platforms and chart categories, the shows' genres. The first ranking, "Which
        show do you mean?" or show's figures would otherwise wait for them (a few ms at 40,000 names)."""
        with self.store.read() as db:
            self._main_measure(db)
            self._platforms(db)
            self._stored_names(db, "categories", lookup.categories)
            self._stored_names(db, "genres", lookup.genres)

    def _main_measure(self, db: Reader) -> Measure | None:
        generation = self.store.generation()
        if self._measures is None or self._measures[0] != generation:
            self._measures = (generation, lookup.figure_measures(db, known=self._known_measures(db)))
        if self._preferred is None or self._preferred[0] != generation:
            # Kept: choosing compares every measure (hundreds in Netflix's weekly files) by its window.
            self._preferred = (generation, preferred_measure(self._measures[1]))
        return self._preferred[1]

    def _known_measures(self, db: Reader) -> list[lookup.MeasureDates]:
        """Every measure and its dates, read again only when the facts change."""
        generation = self.store.generation()
        if self._measure_dates is None or self._measure_dates[0] != generation:
            self._measure_dates = (generation, lookup.measure_dates(db))
        return self._measure_dates[1]

    def _figures(self, turn: Turn, show: Show) -> list[Figure]:
        """A show's figures for this question: the season and measure asked for first."""
        figures = lookup.figures_of_show(turn.db, show.id)
        if turn.signals.season:
            figures = in_season(figures, turn.signals.season)
        if turn.signals.metric == "hours viewed":
            figures = with_hours(figures)
        return sort_for_headline(figures, turn.signals.metric, latest=turn.signals.latest)

    def _scope_of(self, turn: Turn) -> Scope:
        """Read "on Netflix" / "in 2021" / "films" from the question, for rankings."""
        padded = f" {' '.join(turn.signals.words)} "
        platform = next((p for p in self._platforms(turn.db) if f" {normalize_name(p)} " in padded), "")
        year = next((w for w in turn.signals.words if _YEAR.match(w)), "")
        return Scope(platform=platform, year=year, categories=self._categories_of(turn))

    def _genres_asked(self, turn: Turn, scope: Scope) -> GenreMatch:
        """Read the genres a ranking question asks for ("top 5 crime dramas") from the words that are
        not its ``scope``'s."""
        taken = {*normalize_name(scope.platform).split(), scope.year}
        words = [w for w in topic_words(turn.signals.words) if not is_question_word(w) and w not in taken]
        return (
            match_genres(words, self._stored_names(turn.db, "genres", lookup.genres)) if words else NO_GENRE
        )

    def _categories_of(self, turn: Turn) -> tuple[str, ...]:
        kind, language = turn.signals.category, turn.signals.language
        available = self._stored_names(turn.db, "categories", lookup.categories)
        if not available or not (kind or language):
            return ()  # figures without categories cannot tell films from series: rank them all
        # A category the figures lack matches nothing, so the ranking says it has no figures for it.
        return pick_categories(available, kind, language) or (f"{kind} {language}",)

    def _platforms(self, db: Reader) -> list[str]:
        return self._stored_names(db, "platforms", lookup.platforms)

    def _stored_names(self, db: Reader, what: str, read: Callable[[Reader], list[str]]) -> list[str]:
        """Return names read from the store (platforms, categories, genres), read again after a write."""
        generation = self.store.generation()
        if what not in self._names or self._names[what][0] != generation:
            self._names[what] = (generation, read(db))
        return self._names[what][1]

    def _no_fact(self, turn: Turn, show: Show, headline: str) -> Answer:
        known = known_about_show(turn.db, show)
        notes = (f"What I know about {show.title}: {join_words(known)}.",) if known else ()
        choices = tuple(Choice(label=q, question=q) for q in offers(show, known))
        return Answer(
            kind="no_fact",
            headline=headline,
            title=show.title,
            notes=notes,
            choices=choices,
            sources=sources_of([show]),
        )
