"""What a question asks, from its words outside the names it mentions.

The linker (``facts.linking``) finds the names; the words left over ("how many people watched",
"who created", "top 3") say what is wanted. :func:`read_signals` turns those words into
:class:`Signals`; :func:`choose_intent` combines them with what kinds of things were named.

The phrases of each intent, and the rules choosing one, are declared in :mod:`facts.intents`; the
phrases that only qualify a question (a season, a measure, "last week") live in
:mod:`facts.questionwords`, with the grammar words the linker skips: one vocabulary, so a phrase word
is never taken for a name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA

from facts import questionwords
from facts.intents import REGISTRY, Intent, Registry
from facts.questionwords import (
    CATEGORY_PHRASES,
    FOLLOWUP_OPENERS,
    FUNCTION_WORDS,
    LANGUAGE_PHRASES,
    LATEST_WORDS,
    LIMITED_SERIES,
    LIMITED_SERIES_WORDS,
    MAX_LIMIT,
    METRIC_PHRASES,
    MODIFIER_WORDS,
    NUMBER_WORDS,
    PRONOUNS,
    QUESTION_OPENERS,
    RANKING_GRAMMAR,
    SEASON_WORDS,
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
    cues: frozenset[str] = frozenset()  # every flag cue of the registry the words set, by signal name

    @property
    def topic(self) -> bool:
        """Whether a ranking question has words narrowing it ("comedy", "2020")."""
        return bool(topic_words(self.words))

    def recall(self, signal: str, value: str) -> Signals:
        """Return these signals with what a follow-up remembers put back ("and Y?" after "who wrote X?")."""
        if signal == "fact":
            return replace(self, fact=value, facts=(value,))  # the fact asked before, alone
        changes: dict[str, Any] = {signal: value}
        return replace(self, **changes)


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


def read_signals(words: Sequence[str], registry: Registry = REGISTRY) -> Signals:
    """Read the grammar of a question.

    Args:
        words: the normalised words of the question outside any name (``Linking.rest()``).
        registry: the intents whose cues are read.

    Returns:
        The signals found; nothing is decided about intent yet.
    """
    words = correct_typos(words, registry)
    whole = f" {' '.join(words)} "
    opener = next((o for o in FOLLOWUP_OPENERS if whole.startswith(f" {o} ")), "")
    # "what about the cast?": the opener marks a follow-up; the rest says what is asked.
    padded = f" {whole[len(opener) + 1 :].strip()} " if opener else whole
    said = [cue for cue in registry.cues if cue.matches(padded, words)]
    flags = frozenset(cue.signal for cue in said if not cue.value)
    cued: dict[str, Any] = {name: True for name in flags & _CUE_SIGNALS}
    for cue in said:
        if cue.value and cue.signal in _CUE_SIGNALS:
            cued.setdefault(cue.signal, cue.value)  # the first cue in registry order names it
    return Signals(
        words=tuple(words),
        **cued,
        facts=tuple(cue.value for cue in said if cue.signal == "fact" and cue.value),
        limit=read_limit(words),
        followup=bool(opener),
        pronoun=_has(padded, PRONOUNS),
        metric=_first(padded, METRIC_PHRASES),
        season=_season(padded),
        latest=_has(padded, LATEST_WORDS),
        category=_first(padded, CATEGORY_PHRASES),
        language=_first(padded, LANGUAGE_PHRASES),
        cues=flags,
    )


def _season(padded: str) -> str:
    """Return the season asked about: its number, or "limited series" (see figures.in_season)."""
    match = _SEASON.search(padded)
    if not match:
        return LIMITED_SERIES if _has(padded, LIMITED_SERIES_WORDS) else ""
    return str(NUMBER_WORDS.get(match.group(1), match.group(1)))


def correct_typos(words: Sequence[str], registry: Registry = REGISTRY) -> tuple[str, ...]:
    """Return ``words`` with one-letter typos of grammar words fixed ("creatd" -> "created")."""
    return tuple(_correct(word, registry) for word in words)


@lru_cache(maxsize=4096)
def _correct(word: str, registry: Registry) -> str:
    vocabulary, ordered = _vocabulary(registry)
    if word in vocabulary or word in _SMALL_TALK or len(word) < TYPO_MIN_LENGTH or not word.isalpha():
        return word  # small talk is not a typo of a grammar word ("thank" is not "than")
    match = process.extractOne(word, ordered, scorer=OSA.distance, score_cutoff=MAX_TYPOS)
    return str(match[0]) if match else word


@lru_cache(maxsize=8)
def _vocabulary(registry: Registry) -> tuple[frozenset[str], list[str]]:
    """The words typos are corrected to: every phrase word of the registry's cues and of the modifiers."""
    words = registry.phrase_words() | MODIFIER_WORDS
    return words, sorted(words)


@dataclass(frozen=True)
class Named:
    """How many things of each kind a question names."""

    shows: int = 0
    people: int = 0
    organisations: int = 0
    characters: int = 0
    countries: int = 0  # places a Top 10 is asked for ("top 10 in France"); not counted in anything

    @property
    def anything(self) -> bool:
        """Whether a show, person, organisation or character is named."""
        return bool(self.shows or self.people or self.organisations or self.characters)

    @property
    def anyone(self) -> int:
        """People and organisations named."""
        return self.people + self.organisations


INTENTS = tuple(intent.value for intent in Intent)


def choose_intent(signals: Signals, named: Named, registry: Registry = REGISTRY) -> str:
    """Decide what is asked from the grammar words and what kinds of things were named.

    Returns one of :data:`INTENTS` (the first rule of ``registry`` that holds); "unknown" when the
    words name no intent (the caller then falls back to a card for a bare name, or to the previous
    turn's intent for a follow-up).
    """
    return str(registry.choose(signals, named))


def topic_words(words: Sequence[str]) -> list[str]:
    """Return the words of a ranking question that narrow it ("comedy", "2020"), without its grammar."""
    return [word for word in words if word not in RANKING_GRAMMAR]


# Small talk is not grammar ("lol" is answered as small talk), nor a typo of it.
_SMALL_TALK = questionwords.CHIT_CHAT | questionwords.GREETINGS
# The signals read_signals reads itself; every other field of Signals is set by the registry's cues.
_READ_HERE = frozenset(
    "words facts limit followup pronoun metric season latest category language cues".split()
)
_CUE_SIGNALS = frozenset(field.name for field in fields(Signals)) - _READ_HERE


def split_questions(text: str) -> list[str]:
    """Return the questions one message asks, in order: "how many watched X and who created Y?"
    is two. A message asking one question is returned whole."""
    questions = [
        part.strip(" ,") for sentence in _QUESTION_END.split(text) for part in _NEXT_QUESTION.split(sentence)
    ]
    return _join_fragments([question for question in questions if question]) or [text]


def _join_fragments(parts: list[str]) -> list[str]:
    """Put back a part that asks nothing by itself ("how many views did What About Bob? get": "get")
    into the question before it, whose "?" was inside a name or a slip of the keyboard."""
    joined: list[str] = []
    for part in parts:
        words = re.findall(r"\w+", part.casefold())
        if joined and words and words[0] not in QUESTION_OPENERS and set(words) <= FUNCTION_WORDS:
            joined[-1] = f"{joined[-1]}? {part}"
        else:
            joined.append(part)
    return joined
