"""What a question asks, from its words outside the names it mentions.

The linker (``facts.linking``) finds the names; the words left over ("how many people watched",
"who created", "top 3") say what is wanted. :func:`read_signals` turns those words into
:class:`Signals`; :func:`choose_intent` combines them with what kinds of things were named.

Every word list here is grammar, never a name from the catalogue.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA


def _phrases(text: str) -> tuple[str, ...]:
    """Split a comma-separated list of phrases (kept as text so the lists stay readable)."""
    return tuple(" ".join(phrase.split()) for phrase in text.split(",") if phrase.strip())


# Roles in the order they are tested: a longer, more specific phrase wins ("executive producer"
# before "producer", "studio" before "made").
ROLE_PHRASES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "executive producer",
        _phrases("""
        executive producer, executive producers, executive produced, executive produces, executive
        produce, exec producer, exec producers, eps, ep
    """),
    ),
    (
        "studio",
        _phrases("""
        studio, studios
    """),
    ),
    (
        "director",
        _phrases("""
        directed, direct, directs, director, directors, directing, direction
    """),
    ),
    (
        "writer",
        _phrases("""
        wrote, write, writes, writer, writers, written, writing, screenwriter, screenwriters,
        author, authors, authored, penned, scriptwriter, screenplay, scripted, script
    """),
    ),
    (
        "creator",
        _phrases("""
        created, create, creates, creator, creators, made, make, makes, maker, makers, came up with,
        invented, showrunner, showrunners, behind
    """),
    ),
    (
        "producer",
        _phrases("""
        produced, produce, produces, producer, producers, producing
    """),
    ),
    (
        "cast",
        _phrases("""
        cast, casts, stars, star, starring, starred, actor, actors, actress, actresses, acted, act,
        who in, who s in, who is in, who was in, who are in, who else is in,
        acts, acting, appear, appears, appeared, appearing, performers, performer, lead, leads,
        featured, features
    """),
    ),
)

PLAY_WORDS = _phrases(
    """
    play, plays, played, playing, portray, portrays, portrayed, character, characters, role, roles,
    part
    """
)

AUDIENCE_WORDS = _phrases(
    """
    watched, watch, viewers, viewer, viewership, audience, audiences, views, viewed, how many
    people, how many ppl, saw, seen, ratings, rating, hours viewed, hours, tuned in, streamed,
    numbers, figures, figure, how popular, how big, how successful, how well
    """
)

COMPARE_WORDS = _phrases(
    """
    more, fewer, less, most, least, bigger, biggest, smaller, smallest, larger, largest, higher,
    highest, lower, lowest, vs, versus, compare, compared, comparison, than, or, better, beat,
    against, which
    """
)

FEWER_WORDS = _phrases(
    """
    fewer, less, least, smaller, smallest, lower, lowest, worse, worst
    """
)

DIFFERENCE_WORDS = _phrases(
    """
    how many more, how many fewer, how much more, how much bigger, how much less, difference, by how
    much, how many less, gap
    """
)

TOP_WORDS = _phrases(
    """
    top, most watched, most viewed, most popular, biggest, largest, highest, ranking, rankings,
    leaderboard, chart, best, most, popular, hits, hit, rank, least watched, least viewed,
    least popular, lowest, smallest, least, number one, number 1
    """
)

CARD_WORDS = _phrases(
    """
    who is, who s, what is, what s, tell me about, about, info, information, describe, who was, what
    was, details, card, overview
    """
)

COMPANY_WORDS = _phrases(
    """
    company, companies, production company, firm, works for, work for, works at, work at,
    works with, work with, employer, employs, employ, agency, banner, outfit, staff
    """
)

MEMBERSHIP_WORDS = _phrases(
    """
    is, was, does, did, has, are
    """
)

FILMOGRAPHY_WORDS = _phrases(
    """
    in, shows, show, series, movies, movie, films, film, filmography, credits, credit, worked on,
    work on, known for, works, projects
    """
)

FOLLOWUP_OPENERS = _phrases(
    """
    and, what about, how about, also, same for, same question for, ok and
    """
)

PRONOUNS = _phrases(
    """
    it, its, that, this, they, them, he, she, him, her, his, their, the show, that show, this show,
    the series, those, these, both
    """
)

# Show facts: (fact, phrases). Tested in order; the first that matches is the fact asked about.
FACT_PHRASES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "top10",
        _phrases("""
        top 10, top ten, weeks, best rank, rank, ranked, ranking, number one, number 1, chart,
        charted
    """),
    ),
    (
        "filming location",
        _phrases("""
        filmed, filming, film, shot, shoot, shooting, location, locations, where is it set, set in
    """),
    ),
    (
        "original network",
        _phrases("""
        originally, original, started, start, set up, began, begin, first network, moved, move,
        origin, history
    """),
    ),
    (
        "status",
        _phrases("""
        renewed, renewal, renew, cancelled, canceled, cancel, status, next season, another season,
        coming back, come back, returning, return, in production, season 2, season two, new season,
        ended, ending, still
    """),
    ),
    (
        "premiere",
        _phrases("""
        premiere, premiered, premieres, premiering, release, released, releases, debut, debuted,
        debuts, come out, came out, launched, launch, first aired, air date, start date, when
    """),
    ),
    (
        "network",
        _phrases("""
        stream, streams, streaming, network, networks, channel, platform, where can i watch, where
        to watch, where can i see, airs, aired, air, on what, service
    """),
    ),
    (
        "genre",
        _phrases("""
        genre, genres, kind of show, type of show, what kind, what type, format, formats, category,
        how long, episode length, sort of show
    """),
    ),
    (
        "notable",
        _phrases("""
        notable, known for, award, awards, achievement, achievements, record, records, standing,
        standings, accolade, accolades, famous
    """),
    ),
    (
        "country",
        _phrases("""
        country, which country, what country, nationality, where is it from, where from
    """),
    ),
    (
        "summary",
        _phrases("""
        plot, premise, summary, story, synopsis, is about, s about, was about, are about, storyline
    """),
    ),
)
NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
}
MAX_LIMIT = 25
# "last week", "this week": rank by the newest weekly chart.
LATEST_WORDS = _phrases(
    """
    last week, this week, past week, this weeks, latest, most recent, current, currently, right now,
    now
    """
)
# Chart categories asked for ("top 10 films", "non-English series"); matched against the stored ones.
CATEGORY_PHRASES = (
    ("films", _phrases("film, films, movie, movies")),
    ("tv", _phrases("tv, tv shows, tv show, tv series, series")),
)
LANGUAGE_PHRASES = (
    ("non english", _phrases("non english, not in english, foreign, foreign language, international")),
    ("english", _phrases("english, english language, in english")),
)
METRIC_PHRASES = (
    ("hours viewed", ("hours", "hour", "hours viewed")),
    ("views", ("views",)),
    ("viewers", ("viewers", "people", "ppl")),
)
_SEASON = re.compile(r" (?:season|series|s) (\d{1,2}) ")
# Grammar words of at least this many letters are recognised with up to MAX_TYPOS wrong letters
# (a swap of two neighbours counts as one).
TYPO_MIN_LENGTH = 5
MAX_TYPOS = 1
_DIGITS = re.compile(r"^\d{1,3}$")


@dataclass(frozen=True)
class Signals:
    """What the grammar words of a question point at."""

    words: tuple[str, ...]
    role: str = ""
    plays: bool = False
    audience: bool = False
    compare: bool = False
    fewer: bool = False
    difference: bool = False
    top: bool = False
    card: bool = False
    company: bool = False
    membership: bool = False
    filmography: bool = False
    fact: str = ""
    facts: tuple[str, ...] = ()  # every show fact named ("genre and premiere date")
    limit: int = 0
    followup: bool = False
    pronoun: bool = False
    metric: str = ""  # the audience measure named: viewers, views or hours viewed
    season: str = ""  # "season 2" -> "2"
    latest: bool = False  # "last week": the newest weekly chart
    category: str = ""  # "films" | "tv"
    language: str = ""  # "english" | "non english"


def _has(padded: str, phrases: Sequence[str]) -> bool:
    return any(f" {phrase} " in padded for phrase in phrases)


def _first(padded: str, table: Sequence[tuple[str, Sequence[str]]]) -> str:
    for name, phrases in table:
        if _has(padded, phrases):
            return name
    return ""


def read_limit(words: Sequence[str]) -> int:
    """Return the number in "top 3" / "five most watched" (0 when none), capped at :data:`MAX_LIMIT`."""
    for word in words:
        number = int(word) if _DIGITS.match(word) else NUMBER_WORDS.get(word, 0)
        if number:
            return min(number, MAX_LIMIT)
    return 0


def read_signals(words: Sequence[str]) -> Signals:
    """Read the grammar of a question.

    Args:
        words: the normalised words of the question outside any name (``Linking.rest()``).

    Returns:
        The signals found; nothing is decided about intent yet.
    """
    words = correct_typos(words)
    whole = f" {' '.join(words)} "
    opener = next((o for o in FOLLOWUP_OPENERS if whole.startswith(f" {o} ")), "")
    # "what about the cast?": the opener marks a follow-up; the rest says what is asked.
    padded = f" {whole[len(opener) + 1 :].strip()} " if opener else whole
    return Signals(
        words=tuple(words),
        role=_first(padded, ROLE_PHRASES),
        plays=_has(padded, PLAY_WORDS),
        audience=_has(padded, AUDIENCE_WORDS),
        compare=_has(padded, COMPARE_WORDS),
        fewer=_has(padded, FEWER_WORDS),
        difference=_has(padded, DIFFERENCE_WORDS),
        top=_has(padded, TOP_WORDS),
        card=_has(padded, CARD_WORDS),
        company=_has(padded, COMPANY_WORDS),
        membership=bool(words) and words[0] in MEMBERSHIP_WORDS,
        filmography=_has(padded, FILMOGRAPHY_WORDS),
        fact=_first(padded, FACT_PHRASES),
        facts=tuple(name for name, phrases in FACT_PHRASES if _has(padded, phrases)),
        limit=read_limit(words),
        followup=bool(opener),
        pronoun=_has(padded, PRONOUNS),
        metric=_first(padded, METRIC_PHRASES),
        season=_season(padded),
        latest=_has(padded, LATEST_WORDS),
        category=_first(padded, CATEGORY_PHRASES),
        language=_first(padded, LANGUAGE_PHRASES),
    )


def _season(padded: str) -> str:
    match = _SEASON.search(padded)
    return match.group(1) if match else ""


def correct_typos(words: Sequence[str]) -> tuple[str, ...]:
    """Return ``words`` with one-letter typos of grammar words fixed ("creatd" -> "created")."""
    return tuple(_correct(word) for word in words)


@lru_cache(maxsize=4096)
def _correct(word: str) -> str:
    if word in _VOCABULARY or len(word) < TYPO_MIN_LENGTH or not word.isalpha():
        return word
    match = process.extractOne(word, _VOCABULARY_LIST, scorer=OSA.distance, score_cutoff=MAX_TYPOS)
    return str(match[0]) if match else word


@dataclass(frozen=True)
class Named:
    """How many things of each kind a question names."""

    shows: int = 0
    people: int = 0
    organisations: int = 0
    characters: int = 0

    @property
    def anything(self) -> bool:
        return bool(self.shows or self.people or self.organisations or self.characters)


INTENTS = (
    "audience",
    "compare",
    "top",
    "credits",
    "cast",
    "who_plays",
    "plays_whom",
    "filmography",
    "person_card",
    "company",
    "membership",
    "show_card",
    "show_fact",
    "reverse",
    "unknown",
)


def choose_intent(signals: Signals, named: Named) -> str:
    """Decide what is asked from the grammar words and what kinds of things were named.

    Returns one of :data:`INTENTS`; "unknown" when the words name no intent (the caller then falls back
    to a card for a bare name, or to the previous turn's intent for a follow-up).
    """
    people = named.people + named.organisations
    if signals.top and not named.shows and not people and not signals.role and not signals.plays:
        return _top_or_reverse(signals)
    if signals.fact == "network" and named.shows and "where" in signals.words:
        return "show_fact"  # "where can I watch X" asks for the platform, not the audience
    if signals.audience and named.shows > 1 or (signals.compare and named.shows > 1 and not signals.role):
        return "compare"
    if signals.audience and (signals.difference or (signals.compare and named.shows > 1)):
        return "compare"
    if signals.plays and named.characters and not people:
        return "who_plays"
    if signals.plays and people and not signals.company:
        return "plays_whom"
    if signals.company and people:
        return "company"
    if signals.membership and people and named.shows:
        return "membership"
    if signals.role == "cast" and people and not named.shows:
        return "filmography"
    if signals.role and named.shows:
        return "cast" if signals.role == "cast" else "credits"
    if signals.role and people:
        return "filmography"
    if signals.audience and not people:
        return "audience"
    if signals.fact and named.shows:
        return "show_fact"
    if people and named.shows and signals.filmography:
        return "membership"
    if people and signals.filmography:
        return "filmography"
    if signals.card and people:
        return "person_card"
    if signals.card and named.shows:
        return "show_card"
    if signals.role:
        return "cast" if signals.role == "cast" else "credits"
    if signals.fact and not named.anything:
        return "show_fact" if signals.pronoun or signals.followup else "reverse"
    return "unknown"


def _top_or_reverse(signals: Signals) -> str:
    # "most popular comedy of 2020" asks for a recorded standing; "top 3 shows" for a ranking.
    if topic_words(signals.words) and not signals.audience:
        return "reverse"
    return "top"


def topic_words(words: Sequence[str]) -> list[str]:
    """Return the words of a ranking question that narrow it ("comedy", "2020"), without its grammar."""
    return [word for word in words if word not in _RANKING_GRAMMAR]


# Which chart and which week narrow a ranking; they are not its topic ("top films not in English").
_CHART_PHRASES = (*LATEST_WORDS, *(p for _, ps in (*CATEGORY_PHRASES, *LANGUAGE_PHRASES) for p in ps))
_RANKING_GRAMMAR = frozenset(
    "what which who is was are were the a an of show shows series top most watched viewed popular best "
    "biggest largest highest ranking rankings chart hits hit ever all time by viewers views list give me "
    "tell me show me please s audience audiences numbers number one on".split()
    + [word for phrase in _CHART_PHRASES for word in phrase.split()]
    + list(NUMBER_WORDS)
    + [str(n) for n in range(1, MAX_LIMIT + 1)]
)

_VOCABULARY = frozenset(
    word
    for phrases in (
        *(phrases for _name, phrases in ROLE_PHRASES),
        *(phrases for _name, phrases in FACT_PHRASES),
        PLAY_WORDS,
        AUDIENCE_WORDS,
        COMPARE_WORDS,
        FEWER_WORDS,
        DIFFERENCE_WORDS,
        TOP_WORDS,
        CARD_WORDS,
        COMPANY_WORDS,
        FILMOGRAPHY_WORDS,
        PRONOUNS,
        tuple(_RANKING_GRAMMAR),
    )
    for phrase in phrases
    for word in phrase.split()
)
_VOCABULARY_LIST = sorted(_VOCABULARY)
