"""Answering questions: link the names, read the intent, look up the facts, compose an Answer.

:class:`Answerer` is the one entry point for questions from Slack, the console and the CLI. It never
raises: junk gets a polite "I couldn't understand" and unknown names get "I don't have facts about X".
Every fact in an answer carries its source and as-of date, and numbers never cross shows.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from sqlite_utils import Database

from facts import lookup
from facts.answer import Answer, Bar, Choice, Context, EntityMatch, Field
from facts.citing import sources_of
from facts.credit_phrases import (
    MAX_HEADLINE_NAMES,
    ROLE_QUESTIONS,
    ROLE_VERBS,
    all_credits,
    credit_names,
    credited_as,
    credits_headline,
    filmography_item,
    headline_list,
    role_matches,
    show_roles_line,
)
from facts.errors import FactsError
from facts.figures import (
    MAX_OTHER_FIGURES,
    Measure,
    chart_details,
    common_measure,
    comparison_headline,
    describe_figure,
    figure_in,
    in_season,
    incomparable,
    latest_weekly,
    measure_phrase,
    other_figures,
    pick_categories,
    preferred_measure,
    season_label,
    sort_for_headline,
    with_hours,
)
from facts.lookup import Attribute, Credit, Figure, Person, Scope, Show
from facts.normalize import normalize_name
from facts.questions import Named, Signals, choose_intent, read_limit, read_signals, topic_words
from facts.show_facts import (
    COLUMN_FACTS,
    IMPLIED_FACTS,
    attribute_about,
    attribute_answer,
    attributes_named,
    known_about_show,
    missing_fact,
    offers,
    on_platform,
    show_fields,
    synthetic_summary,
)
from facts.store import FactStore
from facts.wording import format_count, join_words, plural_noun

log = logging.getLogger(__name__)

# Longer questions are cut: nobody types 500 characters of question, and linking time grows with length.
MAX_QUESTION_CHARS = 500
DEFAULT_TOP = 5
SUGGESTIONS = 3
REVERSE_MATCHES = 3
# Intents that give way to a show's own recorded attribute when the question names it
# ("what is the production status of X" is not about producers).
ATTRIBUTE_INTENTS = frozenset({"credits", "show_card", "show_fact", "unknown"})
# Questions made only of these get the usage help rather than "I don't have facts about hello".
GREETINGS = frozenset("hi hello hey hiya howdy yo thanks thank you thx help morning evening good".split())
# For an organisation, "make" and "produce" mean any credit (studio, production company).
ORGANISATION_MAKES = frozenset({"creator", "producer"})
# Credits a show's card lists, with their labels.
CARD_CREDITS = (("creator", "Created by"), ("director", "Directed by"), ("writer", "Written by"))
# Context.intent remembers the role or fact asked about after this mark: "credits:writer".
CONTEXT_DETAIL = ":"
SLASH_INTENTS = ("audience", "cast", "whois", "top")
# What a ranking calls its entries (one, many), by the chart category kind asked for.
RANKED_NOUNS = {"": ("show", "shows"), "films": ("film", "films"), "tv": ("TV show", "TV shows")}
RANKED_LANGUAGES = {"": "", "english": " in English", "non english": " not in English"}
# Rankings name at most this many of the other measures they did not rank by.
OTHER_MEASURES = 3
_YEAR = re.compile(r"^(19|20)\d\d$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

SHOW_KINDS = frozenset({"show"})
# Words that make a question ask for people, so the name in it is a show's.
ASKS_FOR_PEOPLE = frozenset("who whom whose person people actors actresses cast".split())
PERSON_KINDS = frozenset({"person", "organisation"})
CONTENT_STOPWORDS = frozenset(
    "what which who whose is was are were the a an of in on for to did does do has have had show shows "
    "series tv ever me tell s it its that this and or by with at".split()
)


class LinkerLike(Protocol):
    """What the answerer needs from :class:`facts.linking.Linker`."""

    def link(self, question: str, *, kinds: frozenset[str] | None = None) -> Any: ...


@dataclass
class Turn:
    """Everything known while answering one question."""

    db: Database
    text: str
    signals: Signals
    shows: list[Show] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    characters: list[Credit] = field(default_factory=list)
    entities: list[EntityMatch] = field(default_factory=list)
    unknown: tuple[str, ...] = ()
    platform: str = ""  # "is X on Netflix?": the network or platform named


class Answerer:
    """Answers questions about the facts in one store.

    Args:
        store: the open fact store.
        linker: the name linker; by default a :class:`facts.linking.Linker` over ``store``.
    """

    def __init__(self, store: FactStore, linker: LinkerLike | None = None) -> None:
        self.store = store
        if linker is None:
            from facts.linking import Linker

            linker = Linker(store)
        self.linker = linker
        self._measures: tuple[int, list[tuple[str, str, int]]] | None = None
        self._platform_names: tuple[int, list[str]] | None = None
        self._category_names: tuple[int, list[str]] | None = None

    def answer(self, text: str, *, context: Context | None = None, intent: str | None = None) -> Answer:
        """Answer one question (or, with ``intent``, a slash command whose ``text`` is just names).

        Never raises: any failure becomes a polite answer.
        """
        question = clean_question(text)
        context = context or Context()
        try:
            answer = self._answer(question, context, intent)
        except FactsError as error:
            return Answer(kind="error", headline=str(error), notes=error.details, context=context)
        except Exception:  # the boundary: a bug must not reach the user as a traceback
            log.exception("answering %r failed", question)
            return Answer(
                kind="error",
                headline="Sorry, something went wrong while answering that. Please try rephrasing it.",
                context=context,
            )
        if answer.context == Context():
            # A reply about nothing in particular (which show? not found) keeps the conversation's subject.
            return Answer(**{**answer.__dict__, "context": context})
        return answer

    def top_shows(self, limit: int = DEFAULT_TOP) -> Answer:
        """Return the most watched shows, ranked within one measure."""
        with self.store.read() as db:
            return self._top(db, Ranking(max(1, min(limit, 25))))

    # -- dispatch -----------------------------------------------------------------------------

    def _answer(self, text: str, context: Context, forced: str | None) -> Answer:
        if forced == "top":
            return self.top_shows(read_limit(text.split()) or DEFAULT_TOP)
        if not text:
            return self._unclear_or_which(text, forced)
        kinds = _forced_kinds(forced)
        linking = self.linker.link(text, kinds=kinds)
        if kinds and not linking.mentions:
            # "/whois Emily in Paris": not a person, but a show; say so and show what there is.
            loose = self.linker.link(text)
            if loose.mentions:
                wanted = "person" if kinds == PERSON_KINDS else "show"
                note = f"There is no {wanted} called {text}; here is what I have."
                return _with_notes(self._answer(text, context, None), [note])
        signals = read_signals(tuple(linking.rest()))
        with self.store.read() as db:
            turn = Turn(db=db, text=text, signals=signals, unknown=tuple(linking.unknown))
            ambiguous = self._resolve_mentions(turn, linking.mentions)
            if ambiguous is not None:
                return ambiguous
            intent = _forced_intent(forced, turn) or choose_intent(signals, _named(turn))
            answer = self._dispatch(turn, intent, context)
        # The linker reads the store itself, so suggestions wait until this snapshot is closed.
        return self._with_suggestions(answer, turn) if answer.kind == "not_found" else answer

    def _dispatch(self, turn: Turn, intent: str, context: Context) -> Answer:
        if intent in ("top", "reverse"):
            # "most watched Irish drama of 2023" may be a recorded standing rather than a ranking.
            standing = self._reverse(turn)
            if standing is not None:
                return standing
            if turn.signals.top:
                return self._top(turn.db, self._ranking_of(turn))
            return self._not_found(turn) if turn.unknown else self._not_understood(turn)
        if intent == "unknown" and not _named(turn).anything and not turn.unknown:
            found = self._reverse(turn)
            if found is not None:
                return found
        if not _named(turn).anything:
            if turn.unknown:
                return self._not_found(turn)
            if not (context.show_ids or context.person_ids):
                return self._which(turn, intent)
            self._load_context(turn, context)
            intent = choose_intent(turn.signals, _named(turn))
        if intent == "unknown" and context.intent and turn.signals.followup:
            intent, turn.signals = _repeated_intent(context, turn.signals)
        elif intent == "unknown":
            intent = _card_intent(turn)
        return self._compose(turn, intent)

    def _compose(self, turn: Turn, intent: str) -> Answer:
        handlers = {
            "audience": self._audience,
            "compare": self._compare,
            "credits": self._credits,
            "cast": self._cast,
            "who_plays": self._who_plays,
            "plays_whom": self._plays_whom,
            "filmography": self._filmography,
            "person_card": self._person_card,
            "company": self._company,
            "membership": self._membership,
            "show_card": self._show_card,
            "show_fact": self._show_fact,
        }
        if turn.shows and intent in ATTRIBUTE_INTENTS and self._names_attribute(turn):
            intent = "show_fact"
        if turn.shows and intent in ("show_card", "unknown", "show_fact") and self._names_platform(turn):
            intent = "show_fact"
        handler = handlers.get(intent)
        if handler is None:
            return self._not_understood(turn)
        answer = handler(turn)
        return _finish(answer, turn, intent)

    def _names_platform(self, turn: Turn) -> bool:
        """Take a network or platform the question names ("is X on Netflix?") out of the unknown names."""
        if not turn.unknown:
            return False
        known = {normalize_name(p): p for p in self._platforms(turn.db)}
        for show in turn.shows:
            known |= {normalize_name(n): n for n in (show.network, show.original_network) if n}
        asks_where = turn.signals.membership and "on" in turn.signals.words and not turn.people
        for name in turn.unknown:
            typed = normalize_name(name)
            # "paramount" names Paramount Network ("network" is a grammar word the linker left out).
            match = next((known[k] for k in known if k == typed or k.startswith(typed + " ")), "")
            if match or asks_where:
                turn.platform = match or name
                turn.unknown = tuple(u for u in turn.unknown if u != name)
                turn.signals = replace(turn.signals, fact="network")
                return True
        return False

    def _names_attribute(self, turn: Turn) -> bool:
        return any(
            attributes_named(lookup.attributes_of_show(turn.db, show.id), turn.signals.words)
            for show in turn.shows
        )

    # -- linking --------------------------------------------------------------------------------

    def _resolve_mentions(self, turn: Turn, mentions: Sequence[Any]) -> Answer | None:
        for mention in mentions:
            distinct = _distinct_candidates(list(mention.candidates))
            if len(distinct) > 1:
                distinct = _narrow(distinct, mention.text, turn.signals)
            if len(distinct) > 1:
                return self._did_you_mean(turn, mention.text, distinct)
            if distinct:
                self._add_entity(turn, distinct[0], mention.text)
        return None

    def _add_entity(self, turn: Turn, candidate: Any, matched_text: str) -> None:
        kind, ref_id = candidate.kind, int(candidate.ref_id)
        if kind == "show":
            show = lookup.get_show(turn.db, ref_id)
            if show is None or any(s.id == ref_id for s in turn.shows):
                return
            turn.shows.append(show)
        elif kind in PERSON_KINDS:
            person = lookup.get_person(turn.db, ref_id)
            if person is None or any(p.id == ref_id for p in turn.people):
                return
            turn.people.append(person)
        elif kind == "character":
            credit = lookup.get_credit(turn.db, ref_id)
            if credit is None:
                return
            turn.characters.append(credit)
        else:
            return
        turn.entities.append(
            EntityMatch(
                kind=kind, id=ref_id, name=candidate.name, matched_text=matched_text, score=candidate.score
            )
        )

    def _load_context(self, turn: Turn, context: Context) -> None:
        for show_id in context.show_ids:
            show = lookup.get_show(turn.db, show_id)
            if show is not None:
                turn.shows.append(show)
        for person_id in context.person_ids:
            person = lookup.get_person(turn.db, person_id)
            if person is not None:
                turn.people.append(person)

    # -- failures and clarifications ----------------------------------------------------------

    def _did_you_mean(self, turn: Turn, matched: str, candidates: Sequence[Any]) -> Answer:
        names = [_display_name(turn.db, candidate) for candidate in candidates]
        questions = [_replace_name(turn.text, matched, name) for name in names]
        if len(set(names)) < len(names):
            # A show and a person of the same name: only the grammar of the question can tell them apart.
            questions = [_card_question(name, c.kind) for name, c in zip(names, candidates, strict=True)]
            names = [f"{name} ({c.kind})" for name, c in zip(names, candidates, strict=True)]
        # The candidates are what the question was linked to, best first: report them as its entities.
        offered = tuple(
            EntityMatch(kind=c.kind, id=int(c.ref_id), name=n, matched_text=matched, score=float(c.score))
            for n, c in zip(names, candidates, strict=True)
        )
        return Answer(
            kind="clarify",
            headline=f"Did you mean {join_words(names, 'or')}?",
            choices=tuple(Choice(label=n, question=q) for n, q in zip(names, questions, strict=True)),
            intent="clarify",
            entities=(*turn.entities, *offered),
        )

    def _not_found(self, turn: Turn) -> Answer:
        name = turn.unknown[0]
        if set(turn.signals.words) | set(normalize_name(name).split()) <= GREETINGS:
            return self._not_understood(turn)
        return Answer(kind="not_found", headline=f"I don't have facts about {name}.", intent="not_found")

    def _with_suggestions(self, answer: Answer, turn: Turn) -> Answer:
        name = turn.unknown[0]
        suggestions = self._suggest(name)
        if not suggestions:
            return answer
        notes = (f"Similar names I know: {join_words(suggestions, 'or')}.",)
        choices = tuple(Choice(label=s, question=_replace_name(turn.text, name, s)) for s in suggestions)
        return Answer(**{**answer.__dict__, "notes": notes, "choices": choices})

    def _suggest(self, name: str) -> list[str]:
        suggest = getattr(self.linker, "suggest", None)
        if suggest is None:
            return []
        names: list[str] = []
        for candidate in suggest(name, limit=SUGGESTIONS):
            if candidate.name not in names:
                names.append(candidate.name)
        return names

    def _which(self, turn: Turn, intent: str) -> Answer:
        if intent == "unknown":
            return self._not_understood(turn)
        wants_person = intent in ("filmography", "person_card", "company", "plays_whom")
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

    def _unclear_or_which(self, text: str, forced: str | None) -> Answer:
        if forced in SLASH_INTENTS:
            what = "person" if forced == "whois" else "show"
            return Answer(
                kind="clarify", headline=f"Which {what}? Give a name after the command.", intent=forced
            )
        with self.store.read() as db:
            return self._not_understood(Turn(db=db, text=text, signals=read_signals(())))

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

    def _example_names(self, db: Database, *, people: bool) -> list[str]:
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

    def _main_measure(self, db: Database) -> Measure | None:
        generation = self.store.generation()
        if self._measures is None or self._measures[0] != generation:
            self._measures = (generation, lookup.figure_measures(db))
        return preferred_measure(self._measures[1])

    # -- audience ---------------------------------------------------------------------------------

    def _audience(self, turn: Turn) -> Answer:
        if len(turn.shows) > 1:
            return self._compare(turn)
        if not turn.shows:
            return self._which(turn, "audience")
        show = turn.shows[0]
        figures = self._figures(turn, show)
        if not figures:
            return self._no_fact(turn, show, f"I don't have audience figures for {_season_name(turn, show)}.")
        best = figures[0]
        notes = other_figures(figures[1:])
        details = chart_details(best)
        fields = (Field("Chart", ", ".join(details)),) if details else ()
        return Answer(
            kind="answer",
            headline=f"{season_label(best)} had {describe_figure(best)}.",
            title=show.title,
            fields=fields,
            notes=notes,
            sources=sources_of(figures[: 1 + MAX_OTHER_FIGURES]),
        )

    def _compare(self, turn: Turn) -> Answer:
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
            return _with_notes(self._audience_of_first(turn, chosen), notes)
        chosen.sort(key=lambda figure: figure.value, reverse=not turn.signals.fewer)
        headline = comparison_headline(chosen, measure, turn.signals)
        return Answer(
            kind="answer",
            headline=headline,
            bars=tuple(Bar(season_label(f), float(f.value), format_count(f.value, f.metric)) for f in chosen),
            notes=tuple(notes),
            sources=sources_of(chosen),
        )

    def _figures(self, turn: Turn, show: Show) -> list[Figure]:
        """A show's figures for this question: the season and measure asked for first."""
        figures = lookup.figures_of_show(turn.db, show.id)
        if turn.signals.season:
            figures = in_season(figures, turn.signals.season)
        if turn.signals.metric == "hours viewed":
            figures = with_hours(figures)
        return sort_for_headline(figures, turn.signals.metric)

    def _audience_of_first(self, turn: Turn, chosen: list[Figure]) -> Answer:
        shows = [show for show in turn.shows if any(f.show_id == show.id for f in chosen)] or turn.shows[:1]
        return self._audience(Turn(db=turn.db, text=turn.text, signals=turn.signals, shows=shows[:1]))

    def _top(self, db: Database, ranking: Ranking) -> Answer:
        limit, scope, lowest = ranking.limit, ranking.scope, ranking.lowest
        measures = self._measures_in(db, scope)
        if ranking.latest:
            measures = latest_weekly(measures)
        # A "top 5" ranks by a measure that has five figures, if any has.
        measure = preferred_measure([m for m in measures if m[2] >= limit] or measures)
        where = ranking.where()
        if measure is None:
            return Answer(kind="no_fact", headline=ranking.no_figures(), intent="top")
        figures = lookup.top_figures(db, measure[0], measure[1], limit, scope, lowest=lowest)
        what = measure_phrase(measure)
        bars = tuple(Bar(season_label(f), float(f.value), format_count(f.value, f.metric)) for f in figures)
        one, many = RANKED_NOUNS[ranking.kind]
        if len(figures) == 1:
            best = figures[0]
            most = "least" if lowest else "most"
            headline = (
                f"{season_label(best)} is the {most} watched {one}{where} I have figures for: "
                f"{describe_figure(best)}."
            )
        else:
            end = "Bottom" if lowest else "Top"
            names = join_words([bar.label for bar in bars])
            headline = f"{end} {len(figures)} {many}{where} by {what}: {names}."
        notes = []
        if len(figures) < limit:
            notes.append(f"I only have {len(figures)} {many} with {what}{where}.")
        others = [(m[0], m[1]) for m in measures if (m[0], m[1]) != measure]
        if others:
            listed = [measure_phrase(m) for m in others[:OTHER_MEASURES]]
            if len(others) > OTHER_MEASURES:
                listed.append(f"{len(others) - OTHER_MEASURES} more measures")
            notes.append(f"Ranked by {what} only; I also have {join_words(listed)}.")
        return Answer(
            kind="answer",
            headline=headline,
            bars=bars,
            notes=tuple(notes),
            sources=sources_of(figures),
            intent="top",
            context=Context(intent="top", show_ids=tuple(dict.fromkeys(f.show_id for f in figures))),
        )

    def _measures_in(self, db: Database, scope: Scope) -> list[tuple[str, str, int]]:
        if scope.narrows:
            return lookup.figure_measures(db, scope)
        self._main_measure(db)
        return self._measures[1] if self._measures else []

    def _ranking_of(self, turn: Turn) -> Ranking:
        signals = turn.signals
        return Ranking(
            limit=signals.limit or _default_limit(signals),
            scope=self._scope_of(turn),
            lowest=signals.fewer,
            latest=signals.latest,
            kind=signals.category if self._chart_categories(turn.db) else "",
            language=signals.language if self._chart_categories(turn.db) else "",
        )

    def _scope_of(self, turn: Turn) -> Scope:
        """Read "on Netflix" / "in 2021" / "films" from the question, for rankings."""
        padded = f" {' '.join(turn.signals.words)} "
        platform = next((p for p in self._platforms(turn.db) if f" {normalize_name(p)} " in padded), "")
        year = next((w for w in turn.signals.words if _YEAR.match(w)), "")
        return Scope(platform=platform, year=year, categories=self._categories_of(turn))

    def _categories_of(self, turn: Turn) -> tuple[str, ...]:
        kind, language = turn.signals.category, turn.signals.language
        available = self._chart_categories(turn.db)
        if not available or not (kind or language):
            return ()  # figures without categories cannot tell films from series: rank them all
        # A category the figures lack matches nothing, so the ranking says it has no figures for it.
        return pick_categories(available, kind, language) or (f"{kind} {language}",)

    def _platforms(self, db: Database) -> list[str]:
        generation = self.store.generation()
        if self._platform_names is None or self._platform_names[0] != generation:
            self._platform_names = (generation, lookup.platforms(db))
        return self._platform_names[1]

    def _chart_categories(self, db: Database) -> list[str]:
        generation = self.store.generation()
        if self._category_names is None or self._category_names[0] != generation:
            self._category_names = (generation, lookup.categories(db))
        return self._category_names[1]

    # -- people on shows ------------------------------------------------------------------------

    def _credits(self, turn: Turn) -> Answer:
        role = turn.signals.role or "creator"
        if not turn.shows:
            return self._filmography(turn) if turn.people else self._which(turn, "credits")
        answers = [self._credits_of(turn, show, role) for show in turn.shows]
        return _merge(answers)

    def _credits_of(self, turn: Turn, show: Show, role: str) -> Answer:
        credits = [c for c in lookup.credits_of_show(turn.db, show.id) if role_matches(c.role, role)]
        if role == "cast":
            return self._cast_of(turn, show, credits)
        if not credits:
            asked = ROLE_QUESTIONS.get(role, "who the " + plural_noun(role, 2) + " of {show} are")
            return self._no_fact(turn, show, f"I don't know {asked.format(show=show.title)}.")
        names = credit_names(credits, show_role=role == "producer")
        return Answer(
            kind="answer",
            headline=credits_headline(show.title, role, names),
            title=show.title,
            sources=sources_of(credits),
        )

    def _cast(self, turn: Turn) -> Answer:
        if not turn.shows:
            return self._filmography(turn) if turn.people else self._which(turn, "cast")
        answers = []
        for show in turn.shows:
            credits = [c for c in lookup.credits_of_show(turn.db, show.id) if c.role == "cast"]
            answers.append(self._cast_of(turn, show, credits))
        return _merge(answers)

    def _cast_of(self, turn: Turn, show: Show, credits: list[Credit]) -> Answer:
        if not credits:
            return self._no_fact(turn, show, f"I don't know who is in the cast of {show.title}.")
        names = list(dict.fromkeys(c.person_name for c in credits))
        shown = names[:MAX_HEADLINE_NAMES]
        rest = len(names) - len(shown)
        listed = join_words([*shown, f"{rest} others"]) if rest else join_words(shown)
        items = tuple(f"{c.person_name} as {c.character}" if c.character else c.person_name for c in credits)
        return Answer(
            kind="answer",
            headline=f"{show.title} stars {listed}.",
            title=show.title,
            items=items if rest or any(c.character for c in credits) else (),
            sources=sources_of(credits),
        )

    def _who_plays(self, turn: Turn) -> Answer:
        credits = turn.characters
        if turn.shows:
            credits = [c for c in credits if c.show_id in {s.id for s in turn.shows}] or credits
        lines = [f"{c.person_name} plays {c.character} in {c.show_title}." for c in credits]
        return Answer(kind="answer", headline=" ".join(lines), sources=sources_of(credits))

    def _plays_whom(self, turn: Turn) -> Answer:
        person = turn.people[0]
        cast = [c for c in lookup.credits_of_person(turn.db, person.id) if c.role == "cast"]
        if turn.shows:
            cast = [c for c in cast if c.show_id in {s.id for s in turn.shows}]
        if turn.characters:
            return self._plays_character(person, turn.characters[0], cast)
        known = [c for c in cast if c.character]
        if known:
            lines = [f"{c.person_name} plays {c.character} in {c.show_title}." for c in known]
            return Answer(
                kind="answer", headline=" ".join(lines), title=person.name, sources=sources_of(known)
            )
        if cast:
            shows = join_words([c.show_title for c in cast])
            return Answer(
                kind="no_fact",
                headline=f"{person.name} is in the cast of {shows}, but I don't know which character.",
                title=person.name,
                sources=sources_of(cast),
            )
        return self._person_no_fact(turn, person, f"I don't know of any character played by {person.name}.")

    def _plays_character(self, person: Person, character: Credit, cast: list[Credit]) -> Answer:
        """ "Does Ashley Park play Emily?": yes, or who does, with what is known of the person's roles."""
        if character.person_id == person.id:
            line = f"{person.name} plays {character.character} in {character.show_title}."
            return Answer(
                kind="answer", headline=f"Yes: {line}", title=person.name, sources=sources_of([character])
            )
        own = [c for c in cast if c.character]
        also = " ".join(f"{c.person_name} plays {c.character} in {c.show_title}." for c in own)
        also = also or f"I don't know which character {person.name} plays."
        headline = (
            f"No: {character.person_name} plays {character.character} in {character.show_title}. {also}"
        )
        return Answer(
            kind="answer", headline=headline, title=person.name, sources=sources_of([character, *own])
        )

    def _filmography(self, turn: Turn) -> Answer:
        if not turn.people:
            return self._cast(turn) if turn.shows else self._which(turn, "filmography")
        return _merge([self._filmography_of(turn, person) for person in turn.people])

    def _filmography_of(self, turn: Turn, person: Person) -> Answer:
        role = turn.signals.role
        if person.kind == "organisation" and role in ORGANISATION_MAKES:
            role = ""  # "what does <studio> make" asks for everything it is credited on
        credits = [c for c in all_credits(turn.db, person) if not role or role_matches(c.role, role)]
        if not credits:
            what = f"{role} credits" if role else "credits"
            return self._person_no_fact(turn, person, f"I don't have any {what} for {person.name}.")
        titles = list(dict.fromkeys(c.show_title for c in credits))
        verb = ROLE_VERBS.get(role, ("", ""))[1] if role else ""
        listed = headline_list(titles)
        headline = f"{person.name} {verb} {listed}." if verb else f"{person.name} is credited on {listed}."
        return Answer(
            kind="answer",
            headline=headline,
            title=person.name,
            items=tuple(filmography_item(person, title, credits, role) for title in titles),
            sources=sources_of(credits),
        )

    def _person_card(self, turn: Turn) -> Answer:
        if not turn.people:
            return self._show_card(turn) if turn.shows else self._which(turn, "person_card")
        return _merge([self._card_of_person(turn, person) for person in turn.people])

    def _card_of_person(self, turn: Turn, person: Person) -> Answer:
        credits = all_credits(turn.db, person)
        titles = list(dict.fromkeys(c.show_title for c in credits))
        phrases = [show_roles_line(person, title, credits) for title in titles]
        if person.summary:
            headline = person.summary
        elif phrases:
            headline = f"{person.name}: {'; '.join(phrases[:3])}" + (
                f"; and {len(phrases) - 3} more." if len(phrases) > 3 else "."
            )
        else:
            headline = f"{person.name}: I have no credits for them yet."
        fields = []
        if person.kind == "organisation":
            fields.append(Field("Kind", "Organisation"))
        if person.aliases:
            fields.append(Field("Also known as", person.aliases.replace(";", ",")))
        return Answer(
            kind="card",
            headline=headline,
            title=person.name,
            fields=tuple(fields),
            items=tuple(phrases) if len(phrases) > 3 or person.summary else (),
            sources=sources_of([person, *credits]),
        )

    def _company(self, turn: Turn) -> Answer:
        person = turn.people[0]
        if person.kind == "organisation":
            return self._staff_of(turn, person)
        credits = [c for c in lookup.credits_of_person(turn.db, person.id) if c.company]
        if not credits:
            return self._person_no_fact(turn, person, f"I don't know which company {person.name} is with.")
        companies = join_words(list(dict.fromkeys(c.company for c in credits)))
        roles = join_words([f"{c.role} of {c.show_title}" for c in credits])
        return Answer(
            kind="answer",
            headline=f"{person.name} is with {companies} ({roles}).",
            title=person.name,
            sources=sources_of(credits),
        )

    def _staff_of(self, turn: Turn, company: Person) -> Answer:
        credits = lookup.credits_of_company(turn.db, company.name)
        if not credits:
            return self._card_of_person(turn, company)
        people = join_words(
            list(dict.fromkeys(f"{c.person_name} ({c.role} of {c.show_title})" for c in credits))
        )
        return Answer(
            kind="answer",
            headline=f"People with {company.name}: {people}.",
            title=company.name,
            sources=sources_of(credits),
        )

    def _membership(self, turn: Turn) -> Answer:
        person, show = turn.people[0], turn.shows[0]
        role = turn.signals.role
        credits = [c for c in all_credits(turn.db, person) if c.show_id == show.id]
        matching = [c for c in credits if not role or role_matches(c.role, role)]
        if matching:
            line = credited_as(person, show.title, matching)
            return Answer(kind="answer", headline=f"Yes: {person.name} {line}.", sources=sources_of(matching))
        if credits:
            line = credited_as(person, show.title, credits)
            headline = f"No: I have no {role} credit for {person.name} on {show.title}; {person.name} {line}."
            return Answer(kind="answer", headline=headline, sources=sources_of(credits))
        return Answer(
            kind="answer",
            headline=f"No: I have no credit for {person.name} on {show.title}.",
            sources=sources_of([show]),
        )

    # -- shows --------------------------------------------------------------------------------------

    def _show_card(self, turn: Turn) -> Answer:
        if not turn.shows:
            return self._person_card(turn) if turn.people else self._which(turn, "show_card")
        return _merge([self._card_of_show(turn, show) for show in turn.shows])

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
        headline = show.summary or synthetic_summary(show)
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
        return _merge([self._fact_of(turn, show) for show in turn.shows])

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
            return _merge([self._one_fact(turn, show, fact, attributes) for fact in facts])
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
                turn, show, f"I don't have Top 10 chart facts for {_season_name(turn, show)}."
            )
        # Weekly chart rows (those counting weeks in the Top 10) outrank one-off "most popular" lists.
        weekly = [f for f in figures if f.weeks_in_top10 is not None] or figures
        best = min((f for f in weekly if f.rank is not None), key=lambda f: f.rank or 0, default=None)
        longest = max(weekly, key=lambda f: f.weeks_in_top10 or 0)
        label = season_label(longest) if turn.signals.season else show.title
        parts = []
        if best is not None:
            parts.append(f"best rank {best.rank} ({describe_figure(best)})")
        if longest.weeks_in_top10:
            weeks = longest.weeks_in_top10
            which = f" ({season_label(longest)})" if season_label(longest) != label else ""
            parts.append(f"{weeks} week{'s' if weeks != 1 else ''} in the Top 10{which}")
        others = [f for f in sort_for_headline(figures) if f is not best and f is not longest]
        shown = [f for f in (best, longest) if f is not None] + others[:MAX_OTHER_FIGURES]
        return Answer(
            kind="answer",
            headline=f"{label}: {join_words(parts)}.",
            title=show.title,
            notes=other_figures(others),
            sources=sources_of(list(dict.fromkeys(shown))),
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

    # -- honesty --------------------------------------------------------------------------------------

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

    def _person_no_fact(self, turn: Turn, person: Person, headline: str) -> Answer:
        card = self._card_of_person(turn, person)
        return Answer(
            kind="no_fact",
            headline=headline,
            title=person.name,
            notes=(f"What I know: {card.headline}",),
            choices=(Choice(label=f"Who is {person.name}?", question=f"Who is {person.name}?"),),
            sources=card.sources,
        )


# -- helpers ------------------------------------------------------------------------------------------


def clean_question(text: str) -> str:
    """Return the question without control characters, unpaired surrogates or excess length."""
    text = text.encode("utf-8", errors="replace").decode("utf-8", errors="replace")
    text = unicodedata.normalize("NFC", text[: MAX_QUESTION_CHARS * 4])
    text = _CONTROL.sub(" ", text)
    return " ".join(text.split())[:MAX_QUESTION_CHARS]


def _forced_kinds(forced: str | None) -> frozenset[str] | None:
    if forced in ("audience", "cast"):
        return SHOW_KINDS
    if forced == "whois":
        return PERSON_KINDS
    return None


def _forced_intent(forced: str | None, turn: Turn) -> str:
    if forced == "audience":
        return "compare" if len(turn.shows) > 1 else "audience"
    if forced == "cast":
        return "cast"
    if forced == "whois":
        return "person_card"
    return ""


def _named(turn: Turn) -> Named:
    people = sum(1 for p in turn.people if p.kind != "organisation")
    return Named(
        shows=len(turn.shows),
        people=people,
        organisations=len(turn.people) - people,
        characters=len(turn.characters),
    )


def _card_intent(turn: Turn) -> str:
    if len(turn.shows) > 1 and not turn.people:
        return "compare"  # "lupin, bridgerton and witcher": how they compare is the likely question
    if turn.entities and turn.entities[0].kind in PERSON_KINDS:
        return "person_card"
    if turn.shows:
        return "show_card"
    if turn.people:
        return "person_card"
    return "who_plays" if turn.characters else "unknown"


def _default_limit(signals: Signals) -> int:
    return DEFAULT_TOP if "top" in signals.words or "shows" in signals.words else 1


def _distinct_candidates(candidates: Sequence[Any]) -> list[Any]:
    seen: dict[tuple[str, int], Any] = {}
    for candidate in candidates:
        seen.setdefault((candidate.kind, int(candidate.ref_id)), candidate)
    # Equally good candidates are offered alphabetically, whatever order the linker found them in.
    return sorted(seen.values(), key=lambda c: (-round(float(c.score), 1), str(c.name)))


def _card_question(name: str, kind: str) -> str:
    return f"Who is {name}?" if kind in PERSON_KINDS else f"What is {name}?"


def _narrow(candidates: list[Any], text: str, signals: Signals) -> list[Any]:
    """Settle an ambiguous mention when the question does: the name typed exactly, or the only
    candidate of the kind the question needs ("what does Jesse James appear in" wants a person)."""
    typed = normalize_name(text)
    exact = [c for c in candidates if normalize_name(str(c.name)) == typed]
    if len(exact) == 1:
        return exact
    pool = exact or candidates
    kinds = _wanted_kinds(signals)
    fitting = [c for c in pool if c.kind in kinds]
    return fitting if fitting else pool


def _wanted_kinds(signals: Signals) -> frozenset[str]:
    """The kinds of thing a question's grammar asks about (empty: it does not say)."""
    words = set(signals.words)
    if signals.audience or signals.compare or signals.top or signals.fact:
        return SHOW_KINDS
    if signals.company:
        return PERSON_KINDS
    if signals.plays:
        return frozenset({"character", "person"})
    if signals.role or signals.filmography:
        # "who directed X" names a show; "what did X direct" names a person.
        return SHOW_KINDS if words & ASKS_FOR_PEOPLE else PERSON_KINDS
    if signals.card:
        return PERSON_KINDS if "who" in words else SHOW_KINDS
    return frozenset()


def _replace_name(text: str, old: str, new: str) -> str:
    pattern = re.compile(re.escape(old), re.IGNORECASE)
    replaced, count = pattern.subn(lambda _match: new, text, count=1)
    return replaced if count else new


def _finish(answer: Answer, turn: Turn, intent: str) -> Answer:
    shows = tuple(dict.fromkeys(s.id for s in turn.shows))
    people = tuple(dict.fromkeys(p.id for p in turn.people))
    context = Context(intent=_remembered_intent(intent, turn.signals), show_ids=shows, person_ids=people)
    return Answer(
        kind=answer.kind,
        headline=answer.headline,
        title=answer.title,
        fields=answer.fields,
        bars=answer.bars,
        items=answer.items,
        notes=answer.notes + _unknown_notes(answer, turn),
        choices=answer.choices,
        sources=answer.sources,
        intent=answer.intent or intent,
        entities=tuple(turn.entities),
        context=answer.context if answer.context.intent else context,
    )


def _remembered_intent(intent: str, signals: Signals) -> str:
    """The intent a follow-up ("and Bridgerton?") repeats, with the role or fact it asked about."""
    detail = signals.role if intent in ("credits", "filmography") else ""
    detail = signals.fact if intent == "show_fact" else detail
    return f"{intent}{CONTEXT_DETAIL}{detail}" if detail else intent


def _repeated_intent(context: Context, signals: Signals) -> tuple[str, Signals]:
    """Split a remembered intent back into the intent and the signals it asked with."""
    intent, _, detail = context.intent.partition(CONTEXT_DETAIL)
    if detail and intent == "show_fact":
        return intent, replace(signals, fact=detail, facts=(detail,))
    if detail:
        return intent, replace(signals, role=detail)
    return intent, signals


def _unknown_notes(answer: Answer, turn: Turn) -> tuple[str, ...]:
    """Name what the question mentioned that has no facts, unless the answer already says so."""
    notes = []
    for name in turn.unknown:
        note = f"I don't have facts about {name}."
        if note not in answer.notes and name not in answer.headline:
            notes.append(note)
    return tuple(notes)


def _with_notes(answer: Answer, notes: Sequence[str]) -> Answer:
    extra = tuple(note for note in notes if note not in answer.notes)
    return Answer(**{**answer.__dict__, "notes": answer.notes + extra})


def _merge(answers: list[Answer]) -> Answer:
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


def _season_name(turn: Turn, show: Show) -> str:
    return f"season {turn.signals.season} of {show.title}" if turn.signals.season else show.title


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

    def where(self) -> str:
        language = RANKED_LANGUAGES[self.language]
        return f"{language}{_scope_phrase(self.scope)}"

    def no_figures(self) -> str:
        """Say that nothing can be ranked ("I don't have audience figures for films in 1999.")."""
        if self.kind:
            return f"I don't have audience figures for {RANKED_NOUNS[self.kind][1]}{self.where()}."
        if self.where():
            return f"I don't have audience figures{self.where()}."
        return "I don't have any audience figures yet."


def _topic(signals: Signals) -> list[str]:
    """The words of a question that say what it is about, beyond grammar ("comedy", "2020")."""
    return [word for word in topic_words(signals.words) if word not in CONTENT_STOPWORDS]


def _display_name(db: Database, candidate: Any) -> str:
    """Name a candidate unambiguously: its title or name, not the alias that matched."""
    ref_id = int(candidate.ref_id)
    if candidate.kind == "show":
        show = lookup.get_show(db, ref_id)
        return show.title if show else str(candidate.name)
    if candidate.kind in PERSON_KINDS:
        person = lookup.get_person(db, ref_id)
        return person.name if person else str(candidate.name)
    credit = lookup.get_credit(db, ref_id) if candidate.kind == "character" else None
    return f"{credit.character} ({credit.show_title})" if credit else str(candidate.name)
