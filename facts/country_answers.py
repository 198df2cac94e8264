"""Answers about countries' weekly Top 10s: "what's #1 in France?", "was X in the top 10 in Brazil?"."""

from __future__ import annotations

from facts import countries
from facts.answer import Answer, Context, Source
from facts.citing import sources_of
from facts.composing import Composer, Turn, merge_answers
from facts.countries import CountryRank
from facts.dialect import Reader
from facts.figures import in_season, pick_categories, season_label
from facts.normalize import normalize_name
from facts.wording import join_words, plural_noun, possessive, week_span

# Places listed when a question asks for "the top 10" of a country without a number.
COUNTRY_TOP = 10
PLACES_ONLY = "Netflix's lists by country give places only, no view counts."


def category_phrase(category: str) -> str:
    """Name a chart category in a sentence: "TV" stays, "Films" becomes "films"."""
    return category if category.isupper() else category.casefold()


class CountryAnswers(Composer):
    """Answers from the ``country_ranks`` table (mixed into the answerer)."""

    def read_kept_facts(self) -> None:
        """Read the countries of the country charts too (see Composer.read_kept_facts)."""
        super().read_kept_facts()
        with self.store.read() as db:
            self._known_countries(db)

    def _known_countries(self, db: Reader) -> dict[str, str]:
        """Normalised country name -> the name as stored, read again only when the facts change."""
        generation = self.store.generation()
        if self._countries is None or self._countries[0] != generation:
            names = countries.country_names(db)
            self._countries = (generation, {normalize_name(name): name for name in names})
        return self._countries[1]

    def _country_top(self, turn: Turn) -> Answer:
        """The places of a country's newest weekly Top 10 ("what's #1 in France?")."""
        country, db = turn.country, turn.db
        week = countries.newest_week(db, country)
        signals = turn.signals
        available = countries.categories_of_week(db, country, week)
        picked = pick_categories(available, signals.category, signals.language) if signals.category else ()
        limit = signals.limit or COUNTRY_TOP
        places = countries.top_of_week(db, country, week, limit, picked)
        when = week_span(week, week) or week
        if not places:
            asked = "".join(f"{category_phrase(c)} " for c in picked)
            return Answer(
                kind="no_fact",
                headline=f"I have no {asked}places in {possessive(country)} Top 10 for {when}.",
                intent="country_top",
            )
        firsts = [f"{season_label(p)} ({category_phrase(p.category)})" for p in places if p.rank == 1]
        if limit == 1:
            headline = f"Number 1 in {country} in {when}: {join_words(firsts)}."
        else:
            headline = f"{possessive(country)} Top {limit} in {when}: number 1 {join_words(firsts)}."
        first, last = countries.weeks_of(db, country)
        notes = [PLACES_ONLY, f"I have {possessive(country)} Top 10 for {week_span(first, last) or first}."]
        return Answer(
            kind="answer",
            headline=headline,
            items=tuple(_place_line(place) for place in places) if limit > 1 else (),
            notes=tuple(notes),
            sources=sources_of(places),
            intent="country_top",
            context=Context(intent="country_top", show_ids=tuple(dict.fromkeys(p.show_id for p in places))),
        )

    def _country_rank(self, turn: Turn) -> Answer:
        """Whether (and how) each show named was in a country's weekly Top 10."""
        return merge_answers([self._country_rank_of(turn, show.id, show.title) for show in turn.shows])

    def _country_rank_of(self, turn: Turn, show_id: int, title: str) -> Answer:
        country, db = turn.country, turn.db
        places = countries.places_of_show(db, show_id, country)
        if turn.signals.season:
            places = in_season(places, turn.signals.season)
        first, last = countries.weeks_of(db, country)
        known = week_span(first, last) or first
        asked = f"{title} season {turn.signals.season}" if turn.signals.season.isdigit() else title
        if not places:
            latest = countries.top_of_week(db, country, last, 1)
            return Answer(
                kind="answer",
                headline=f"No: {asked} was not in {possessive(country)} Top 10 in {known}, the weeks I have.",
                notes=(PLACES_ONLY,),
                sources=tuple(Source(place.source, place.as_of) for place in latest[:1]),
                intent="country_rank",
            )
        runs = _runs(places)
        lines = [_run_phrase(run, country) for run in runs]
        return Answer(
            kind="answer",
            headline=f"Yes: {join_words(lines)}.",
            items=tuple(_place_line(place, weekly=True) for place in places),
            notes=(PLACES_ONLY, f"I have {possessive(country)} Top 10 for {known}."),
            sources=sources_of(places),
            intent="country_rank",
        )


def _runs(places: list[CountryRank]) -> list[list[CountryRank]]:
    """Group a show's places by season and category, in the order they first appear."""
    runs: dict[tuple[str, str], list[CountryRank]] = {}
    for place in places:
        runs.setdefault((place.season, place.category), []).append(place)
    return list(runs.values())


def _run_phrase(run: list[CountryRank], country: str) -> str:
    weeks = len(run)
    best = min(place.rank for place in run)
    span = week_span(run[0].window, run[-1].window) or run[0].window
    what = category_phrase(run[0].category)
    return (
        f"{season_label(run[0])} was in {possessive(country)} Top 10 ({what}) {weeks} "
        f"{plural_noun('week', weeks)}, best place {best} ({span})"
    )


def _place_line(place: CountryRank, *, weekly: bool = False) -> str:
    when = f"{week_span(place.window, place.window) or place.window}: " if weekly else ""
    return f"{when}{place.category} #{place.rank} {season_label(place)}"
