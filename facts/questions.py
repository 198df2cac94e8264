"""What a question asks, from its words outside the names it mentions.

The linker (``facts.linking``) finds the names; the words left over ("how many people watched",
"who created", "top 3") say what is wanted. :func:`read_signals` turns those words into
:class:`Signals`; :func:`choose_intent` combines them with what kinds of things were named.

The phrases it reads live in :mod:`facts.questionwords`, with the grammar words the linker skips:
one vocabulary, so a phrase word is never taken for a name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from facts.questionwords import (
    AUDIENCE_WORDS,
    BROWSE_WORDS,
    CARD_WORDS,
    CATEGORY_PHRASES,
    COMPANY_WORDS,
    COMPARE_WORDS,
    DIFFERENCE_WORDS,
    FACT_PHRASES,
    FEWER_WORDS,
    FILMOGRAPHY_WORDS,
    FOLLOWUP_OPENERS,
    LANGUAGE_PHRASES,
    LATEST_WORDS,
    LIMITED_SERIES,
    LIMITED_SERIES_WORDS,
    MAX_LIMIT,
    MEMBERSHIP_WORDS,
    METRIC_PHRASES,
    NEWEST_WORDS,
    NUMBER_WORDS,
    PHRASE_WORDS,
    PLAY_WORDS,
    PRONOUNS,
    QUESTION_OPENERS,
    RANKING_GRAMMAR,
    ROLE_PHRASES,
    SEASON_WORDS,
    TOP_WORDS,
    TREND_WORDS,
)

# "season 2", "part three": a season's number after a season word ("s2" is spelt out before).
_SEASON = re.compile(rf" (?:{'|'.join(SEASON_WORDS)}) (\d{{1,2}}|{'|'.join(NUMBER_WORDS)}) ")
# Grammar words of at least this many letters are recognised with up to MAX_TYPOS wrong letters
# (a swap of two neighbours counts as one).
TYPO_MIN_LENGTH = 5
MAX_TYPOS = 1
_DIGITS = re.compile(r"^\d{1,3}$")
# A question mark ends a question only before a space or the end ("Who Killed Sara?" stays whole).
_QUESTION_END = re.compile(r"\?+(?=\s|$)")
# "and"/"," before a question word begins another question; "and" alone joins names ("X and Y").
_NEXT_QUESTION = re.compile(
    rf"(?:\s*,\s*(?:and\s+)?|\s+and\s+)(?=(?:{'|'.join(sorted(QUESTION_OPENERS))})(?:['’]s)?\b)",
    re.IGNORECASE,
)


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
    trend: bool = False  # figures over time: "week by week"
    browse: bool = False  # what the bot knows at all: "list shows"
    newest: bool = False  # newest first: "what's new"
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
        audience=_has(padded, AUDIENCE_WORDS) or _has(padded, TREND_WORDS),
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
        trend=_has(padded, TREND_WORDS),
        browse=_has(padded, BROWSE_WORDS),
        newest=_has(padded, NEWEST_WORDS),
        category=_first(padded, CATEGORY_PHRASES),
        language=_first(padded, LANGUAGE_PHRASES),
    )


def _season(padded: str) -> str:
    """Return the season asked about: its number, or "limited series" (see figures.in_season)."""
    match = _SEASON.search(padded)
    if not match:
        return LIMITED_SERIES if _has(padded, LIMITED_SERIES_WORDS) else ""
    return str(NUMBER_WORDS.get(match.group(1), match.group(1)))


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
    "browse",
    "country_top",
    "country_rank",
    "unknown",
)


def choose_intent(signals: Signals, named: Named) -> str:
    """Decide what is asked from the grammar words and what kinds of things were named.

    Returns one of :data:`INTENTS`; "unknown" when the words name no intent (the caller then falls back
    to a card for a bare name, or to the previous turn's intent for a follow-up).
    """
    people = named.people + named.organisations
    if signals.browse and not named.anything and not signals.top:
        return "browse"
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
    if signals.season and named.shows and not people:
        return "audience"  # "the night agent season 2": a season's figures are what is known of it
    return "unknown"


def _top_or_reverse(signals: Signals) -> str:
    # "most popular comedy of 2020" asks for a recorded standing; "top 3 shows" for a ranking.
    if topic_words(signals.words) and not signals.audience:
        return "reverse"
    return "top"


def topic_words(words: Sequence[str]) -> list[str]:
    """Return the words of a ranking question that narrow it ("comedy", "2020"), without its grammar."""
    return [word for word in words if word not in RANKING_GRAMMAR]


_VOCABULARY = PHRASE_WORDS
_VOCABULARY_LIST = sorted(_VOCABULARY)


def split_questions(text: str) -> list[str]:
    """Return the questions one message asks, in order: "how many watched X and who created Y?"
    is two. A message asking one question is returned whole."""
    questions = [
        part.strip(" ,") for sentence in _QUESTION_END.split(text) for part in _NEXT_QUESTION.split(sentence)
    ]
    return [question for question in questions if question] or [text]
