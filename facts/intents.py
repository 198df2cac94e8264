"""Every intent a question can have, declared once in :data:`REGISTRY`.

One :class:`IntentEntry` per :class:`Intent` says the phrases that ask for it (its :class:`Cue`
list), when it wins (its :class:`Rule` list, tried in priority order across all entries), the kinds of
thing it is about, the answerer method that composes it and what a follow-up ("and Bridgerton?")
remembers of it. The rest is derived from the registry:

* :func:`facts.questions.read_signals` reads every cue into :class:`facts.questions.Signals`;
* :func:`facts.questions.choose_intent` takes the first rule that holds;
* :class:`facts.answering.Answerer` dispatches to each entry's handler;
* :data:`facts.questionwords.QUESTION_WORDS`, the grammar the linker never takes for a name, holds
  every cue word.

Adding an intent is a new :class:`Intent` member, its entry here and its handler method on the
answerer. Words are in :func:`facts.normalize.normalize_name` form.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from facts.questions import Named, Signals

SHOW = frozenset({"show"})
PEOPLE = frozenset({"person", "organisation"})


class Intent(StrEnum):
    """What a question asks for (the values are what answers, logs and saved contexts say)."""

    AUDIENCE = "audience"
    COMPARE = "compare"
    TOP = "top"
    CREDITS = "credits"
    CAST = "cast"
    WHO_PLAYS = "who_plays"
    PLAYS_WHOM = "plays_whom"
    FILMOGRAPHY = "filmography"
    PERSON_CARD = "person_card"
    COMPANY = "company"
    MEMBERSHIP = "membership"
    SHOW_CARD = "show_card"
    SHOW_FACT = "show_fact"
    REVERSE = "reverse"
    BROWSE = "browse"
    COUNTRY_TOP = "country_top"
    COUNTRY_RANK = "country_rank"
    UNKNOWN = "unknown"


def phrases(text: str) -> tuple[str, ...]:
    """Split a comma-separated list of phrases (kept as text so the lists stay readable)."""
    return tuple(" ".join(phrase.split()) for phrase in text.split(",") if phrase.strip())


@dataclass(frozen=True)
class Cue:
    """Phrases that set one signal of a question.

    Attributes:
        signal: the :class:`facts.questions.Signals` field set (any other name is only in ``Signals.cues``).
        phrases: any one of them, as whole words, sets it.
        value: for a named signal ("role", "fact"), the value set; the first cue in registry order wins.
            Empty for a flag.
        opening: only the question's first word counts ("is X in Y?", not "who is in Y").
    """

    signal: str
    phrases: tuple[str, ...]
    value: str = ""
    opening: bool = False

    def matches(self, padded: str, words: Sequence[str]) -> bool:
        """Whether the question (``padded``: its words, a space either side) says one of the phrases."""
        if self.opening:
            return bool(words) and words[0] in self.phrases
        return any(f" {phrase} " in padded for phrase in self.phrases)


@dataclass(frozen=True)
class Rule:
    """When an intent wins: ``when`` holds for the question's signals and what it names, and no rule of
    a lower ``priority`` number held first."""

    priority: int
    when: Callable[[Signals, Named], bool]


@dataclass(frozen=True)
class IntentEntry:
    """One intent, declared once.

    Attributes:
        intent: its name.
        handler: the answerer method composing its answer from a ``Turn``; "" for none (not understood).
        kinds: the kinds of thing it is about; with no person kind but a show, "which show?" is asked.
        needs: what it cannot be answered without, one kind of each group (a subset of ``kinds``): a
            follow-up repeating it takes a group it does not name from the conversation's context ("who
            does Ashley Park play?" then "and in Lupin?"), and a question still lacking one is asked which.
        rules: when it wins.
        cues: the phrases that ask for it.
        remembers: the signal a follow-up repeats with it ("who wrote X?" then "and Y?" asks the role again).
        standalone: answered without a named thing or the conversation's context (rankings, the catalogue).
        attribute_first: a show's recorded attribute named in the question answers instead.
        platform_first: a platform named in the question ("is X on Netflix?") answers instead.
        command: the slash command asking for it with names alone (the answerer's ``intent`` argument).
    """

    intent: StrEnum
    handler: str
    kinds: frozenset[str]
    rules: tuple[Rule, ...] = ()
    cues: tuple[Cue, ...] = ()
    needs: tuple[frozenset[str], ...] = ()
    remembers: str = ""
    standalone: bool = False
    attribute_first: bool = False
    platform_first: bool = False
    command: str = ""

    @property
    def asks_for_person(self) -> bool:
        """Whether "which one?" asks for a person (it is about people and not about shows)."""
        return bool(self.kinds & PEOPLE) and not self.kinds & SHOW


@dataclass(frozen=True, eq=False)  # compared (and cached) by identity
class Registry:
    """The intents questions are read with, and what each is composed by."""

    entries: tuple[IntentEntry, ...]
    fallback: StrEnum = Intent.UNKNOWN

    def __post_init__(self) -> None:
        names = [entry.intent for entry in self.entries]
        if len(set(names)) != len(names) or self.fallback not in names:
            raise ValueError("every intent needs exactly one entry, the fallback too")
        priorities = [rule.priority for _entry, rule in self.rules]
        if len(set(priorities)) != len(priorities):
            raise ValueError("two rules share a priority")
        if any(entry.standalone and not entry.handler for entry in self.entries):
            raise ValueError("an intent answered on its own needs a handler")
        if any(not group or not group <= entry.kinds for entry in self.entries for group in entry.needs):
            raise ValueError("what an intent needs must be kinds of thing it is about")

    def entry(self, intent: str) -> IntentEntry | None:
        """Return the entry of ``intent`` (None for a name no entry has, e.g. from an old saved context)."""
        return next((entry for entry in self.entries if entry.intent == intent), None)

    @cached_property
    def rules(self) -> tuple[tuple[IntentEntry, Rule], ...]:
        """Every rule of every entry, in the order they are tried."""
        pairs = [(entry, rule) for entry in self.entries for rule in entry.rules]
        return tuple(sorted(pairs, key=lambda pair: pair[1].priority))

    @cached_property
    def cues(self) -> tuple[Cue, ...]:
        """Every cue, in registry order (the order named signals are tried in)."""
        return tuple(cue for entry in self.entries for cue in entry.cues)

    def choose(self, signals: Signals, named: Named) -> StrEnum:
        """Return the intent of the first rule that holds, else the fallback."""
        return next((entry.intent for entry, rule in self.rules if rule.when(signals, named)), self.fallback)

    def phrase_words(self) -> frozenset[str]:
        """Every word of every cue: grammar to the linker (numbers excepted: "9" and "1917" are titles)."""
        return frozenset(
            word
            for cue in self.cues
            for phrase in cue.phrases
            for word in phrase.split()
            if not word.isdigit()
        )

    def with_entry(self, entry: IntentEntry) -> Registry:
        """Return this registry with ``entry`` added (tried by its rules' priorities)."""
        return Registry((*self.entries, entry), self.fallback)


# -- the phrases of each intent -------------------------------------------------------------------------

# Roles in the order they are tested: a longer, more specific phrase wins ("executive producer"
# before "producer", "studio" before "made"); "cast" (an entry of its own) comes last.
CREDIT_ROLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "executive producer",
        phrases("""
        executive producer, executive producers, executive produced, executive produces, executive
        produce, exec producer, exec producers, eps, ep
    """),
    ),
    (
        "studio",
        phrases("""
        studio, studios
    """),
    ),
    (
        "director",
        phrases("""
        directed, direct, directs, director, directors, directing, direction
    """),
    ),
    (
        "writer",
        phrases("""
        wrote, write, writes, writer, writers, written, writing, screenwriter, screenwriters,
        author, authors, authored, penned, scriptwriter, screenplay, scripted, script
    """),
    ),
    (
        "creator",
        phrases("""
        created, create, creates, creator, creators, made, make, makes, maker, makers, came up with,
        invented, showrunner, showrunners, behind
    """),
    ),
    (
        "producer",
        phrases("""
        produced, produce, produces, producer, producers, producing
    """),
    ),
)

CAST_WORDS = phrases(
    """
    cast, casts, stars, star, starring, starred, actor, actors, actress, actresses, acted, act,
    who in, who s in, who is in, who was in, who are in, who else is in,
    acts, acting, appear, appears, appeared, appearing, performers, performer, lead, leads,
    featured, features
    """
)

PLAY_WORDS = phrases(
    """
    play, plays, played, playing, portray, portrays, portrayed, character, characters, role, roles,
    part
    """
)
# "Who plays in X?" asks for X's cast: an actor's verb, not "the main character of X" or "part 3".
ACTING_WORDS = phrases("play, plays, played, playing, portray, portrays, portrayed")

AUDIENCE_WORDS = phrases(
    """
    watched, watch, viewers, viewer, viewership, audience, audiences, views, viewed, how many
    people, how many ppl, saw, seen, ratings, rating, hours viewed, hours, tuned in, streamed,
    numbers, figures, figure, how popular, how big, how successful, how well
    """
)

# Figures over time ("how did X do week by week?"): answered with a chart.
TREND_WORDS = phrases(
    """
    week by week, weekly, by week, each week, every week, per week, over time, trend, trends,
    trending, graph
    """
)

COMPARE_WORDS = phrases(
    """
    more, fewer, less, most, least, bigger, biggest, smaller, smallest, larger, largest, higher,
    highest, lower, lowest, vs, versus, compare, compared, comparison, than, or, better, beat,
    against, which
    """
)

FEWER_WORDS = phrases(
    """
    fewer, less, least, smaller, smallest, lower, lowest, worse, worst
    """
)

DIFFERENCE_WORDS = phrases(
    """
    how many more, how many fewer, how much more, how much bigger, how much less, difference, by how
    much, how many less, gap
    """
)

TOP_WORDS = phrases(
    """
    top, most watched, most viewed, most popular, biggest, largest, highest, ranking, rankings,
    leaderboard, chart, best, most, popular, hits, hit, rank, least watched, least viewed,
    least popular, lowest, smallest, least, number one, number 1
    """
)

CARD_WORDS = phrases(
    """
    who is, who s, what is, what s, tell me about, about, info, information, describe, who was, what
    was, details, card, overview
    """
)

COMPANY_WORDS = phrases(
    """
    company, companies, production company, firm, works for, work for, works at, work at,
    works with, work with, employer, employs, employ, agency, banner, outfit, staff
    """
)

MEMBERSHIP_WORDS = phrases(
    """
    is, was, does, did, has, are
    """
)

FILMOGRAPHY_WORDS = phrases(
    """
    in, shows, show, series, movies, movie, films, film, filmography, credits, credit, worked on,
    work on, known for, works, projects
    """
)

# Show facts: (fact, phrases). Tested in order; the first that matches is the fact asked about.
SHOW_FACTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "top10",
        phrases("""
        top 10, top ten, weeks, best rank, rank, ranked, ranking, number one, number 1, chart,
        charted
    """),
    ),
    (
        "filming location",
        phrases("""
        filmed, filming, film, shot, shoot, shooting, location, locations, where is it set, set in
    """),
    ),
    (
        "original network",
        phrases("""
        originally, original, started, start, set up, began, begin, first network, moved, move,
        origin, history
    """),
    ),
    (
        "status",
        phrases("""
        renewed, renewal, renew, cancelled, canceled, cancel, status, next season, another season,
        coming back, come back, returning, return, in production, new season, is there a season,
        will there be a season, will there be another, is there another, ended, ending, still
    """),
    ),
    (
        "premiere",
        phrases("""
        premiere, premiered, premieres, premiering, release, released, releases, debut, debuted,
        debuts, come out, came out, launched, launch, first aired, air date, start date, when
    """),
    ),
    (
        "network",
        phrases("""
        stream, streams, streaming, network, networks, channel, platform, where can i watch, where
        to watch, where can i see, airs, aired, air, on what, service
    """),
    ),
    (
        "genre",
        phrases("""
        genre, genres, kind of show, type of show, what kind, what type, format, formats, category,
        how long, episode length, sort of show
    """),
    ),
    (
        "notable",
        phrases("""
        notable, known for, award, awards, achievement, achievements, record, records, standing,
        standings, accolade, accolades, famous
    """),
    ),
    (
        "country",
        phrases("""
        country, which country, what country, nationality, where is it from, where from
    """),
    ),
    (
        "summary",
        phrases("""
        plot, premise, summary, story, synopsis, is about, s about, was about, are about, storyline
    """),
    ),
)

# Asking what the bot knows at all ("what shows do you know?", "list shows", "what's new?").
BROWSE_WORDS = phrases(
    """
    what shows do you know, what do you know about, which shows do you know, what shows do you have,
    which shows do you have, what do you know, list shows, list all shows, list the shows, list of shows,
    list titles, all shows, all titles, every show, your shows, what shows, which shows, catalogue,
    catalog, browse, whats new, what new, what is new, anything new, new shows, newest shows, recently added,
    latest shows
    """
)
# Browsing the newest first: "what's new", "recently added".
NEWEST_WORDS = phrases("new, newest, recent, recently, latest")


# -- the registry ---------------------------------------------------------------------------------------
# Rules are numbered in the order they are tried; "people" counts people and organisations.

REGISTRY = Registry(
    (
        IntentEntry(
            Intent.AUDIENCE,
            handler="_audience",
            kinds=SHOW,
            command="audience",
            cues=(
                Cue("audience", AUDIENCE_WORDS),
                Cue("audience", TREND_WORDS),
                Cue("trend", TREND_WORDS),
            ),
            rules=(
                Rule(130, lambda s, n: s.audience and not n.anyone),
                # "the night agent season 2": a season's figures are what is known of it.
                Rule(210, lambda s, n: bool(s.season) and n.shows > 0 and not n.anyone),
            ),
        ),
        IntentEntry(
            Intent.COMPARE,
            handler="_compare",
            kinds=SHOW,
            cues=(
                Cue("compare", COMPARE_WORDS),
                Cue("fewer", FEWER_WORDS),
                Cue("difference", DIFFERENCE_WORDS),
            ),
            rules=(
                Rule(40, lambda s, n: n.shows > 1 and (s.audience or (s.compare and not s.role))),
                Rule(50, lambda s, n: s.audience and (s.difference or (s.compare and n.shows > 1))),
            ),
        ),
        IntentEntry(
            Intent.TOP,
            handler="_rank",
            kinds=SHOW,
            command="top",
            cues=(Cue("top", TOP_WORDS),),
            rules=(Rule(21, lambda s, n: s.top and not (n.shows or n.anyone or s.role or s.plays)),),
            standalone=True,
        ),
        IntentEntry(
            Intent.CREDITS,
            handler="_credits",
            kinds=SHOW,
            cues=tuple(Cue("role", words, value=role) for role, words in CREDIT_ROLES),
            rules=(
                Rule(111, lambda s, n: bool(s.role) and n.shows > 0),
                Rule(191, lambda s, n: bool(s.role)),
            ),
            remembers="role",
            attribute_first=True,
        ),
        IntentEntry(
            Intent.CAST,
            handler="_cast",
            kinds=SHOW,
            command="cast",
            cues=(Cue("role", CAST_WORDS, value="cast"), Cue("acting", ACTING_WORDS)),
            rules=(
                Rule(
                    75,
                    lambda s, n: "acting" in s.cues and "who" in s.words and n.shows > 0 and not n.characters,
                ),
                Rule(110, lambda s, n: s.role == "cast" and n.shows > 0),
                Rule(190, lambda s, n: s.role == "cast"),
            ),
        ),
        IntentEntry(
            Intent.WHO_PLAYS,
            handler="_who_plays",
            kinds=frozenset({"character"}),
            cues=(Cue("plays", PLAY_WORDS),),
            rules=(Rule(60, lambda s, n: s.plays and n.characters > 0 and not n.anyone),),
        ),
        IntentEntry(
            Intent.PLAYS_WHOM,
            handler="_plays_whom",
            kinds=frozenset({"person"}),
            needs=(frozenset({"person"}),),
            rules=(Rule(70, lambda s, n: s.plays and n.anyone > 0 and not s.company),),
        ),
        IntentEntry(
            Intent.FILMOGRAPHY,
            handler="_filmography",
            kinds=PEOPLE,
            cues=(Cue("filmography", FILMOGRAPHY_WORDS),),
            rules=(
                Rule(100, lambda s, n: s.role == "cast" and n.anyone > 0 and not n.shows),
                Rule(120, lambda s, n: bool(s.role) and n.anyone > 0),
                Rule(160, lambda s, n: s.filmography and n.anyone > 0),
            ),
            remembers="role",
        ),
        IntentEntry(
            Intent.PERSON_CARD,
            handler="_person_card",
            kinds=PEOPLE,
            command="whois",
            cues=(Cue("card", CARD_WORDS),),
            rules=(Rule(170, lambda s, n: s.card and n.anyone > 0),),
        ),
        IntentEntry(
            Intent.COMPANY,
            handler="_company",
            kinds=PEOPLE,
            needs=(PEOPLE,),
            cues=(Cue("company", COMPANY_WORDS),),
            rules=(Rule(80, lambda s, n: s.company and n.anyone > 0),),
        ),
        IntentEntry(
            Intent.MEMBERSHIP,
            handler="_membership",
            kinds=PEOPLE | SHOW,
            needs=(PEOPLE, SHOW),
            cues=(Cue("membership", MEMBERSHIP_WORDS, opening=True),),
            rules=(
                Rule(90, lambda s, n: s.membership and n.anyone > 0 and n.shows > 0),
                Rule(150, lambda s, n: s.filmography and n.anyone > 0 and n.shows > 0),
            ),
        ),
        IntentEntry(
            Intent.SHOW_CARD,
            handler="_show_card",
            kinds=SHOW,
            rules=(Rule(180, lambda s, n: s.card and n.shows > 0),),
            attribute_first=True,
            platform_first=True,
        ),
        IntentEntry(
            Intent.SHOW_FACT,
            handler="_show_fact",
            kinds=SHOW,
            cues=tuple(Cue("fact", words, value=fact) for fact, words in SHOW_FACTS),
            rules=(
                # "where can I watch X" asks for the platform, not the audience.
                Rule(30, lambda s, n: s.fact == "network" and n.shows > 0 and "where" in s.words),
                Rule(140, lambda s, n: bool(s.fact) and n.shows > 0),
                Rule(200, lambda s, n: bool(s.fact) and not n.anything and (s.pronoun or s.followup)),
            ),
            remembers="fact",
            attribute_first=True,
            platform_first=True,
        ),
        IntentEntry(
            Intent.REVERSE,
            handler="_rank",
            kinds=SHOW,
            rules=(
                # "most popular comedy of 2020" asks for a recorded standing; "top 3 shows" for a ranking.
                Rule(
                    20,
                    lambda s, n: (
                        s.top and s.topic and not (s.audience or n.shows or n.anyone or s.role or s.plays)
                    ),
                ),
                Rule(201, lambda s, n: bool(s.fact) and not n.anything),
            ),
            standalone=True,
        ),
        IntentEntry(
            Intent.BROWSE,
            handler="_browse",
            kinds=frozenset(),
            cues=(Cue("browse", BROWSE_WORDS), Cue("newest", NEWEST_WORDS)),
            rules=(Rule(10, lambda s, n: s.browse and not n.anything and not s.top),),
            standalone=True,
        ),
        IntentEntry(
            Intent.COUNTRY_TOP,
            handler="_country_top",
            kinds=SHOW,
            # A question naming a country asks about its Top 10: its top places, or a show's places there.
            rules=(Rule(1, lambda s, n: n.countries > 0 and not n.shows),),
            standalone=True,
        ),
        IntentEntry(
            Intent.COUNTRY_RANK,
            handler="_country_rank",
            kinds=SHOW,
            rules=(Rule(2, lambda s, n: n.countries > 0 and n.shows > 0),),
        ),
        IntentEntry(
            Intent.UNKNOWN,
            handler="",
            kinds=frozenset(),
            attribute_first=True,
            platform_first=True,
        ),
    )
)
