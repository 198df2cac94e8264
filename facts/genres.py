"""Genres and formats that narrow a ranking: "top 5 crime dramas", "most watched documentaries".

A ranking question's words that are neither grammar nor its platform, year or chart are read
against the genres and formats of the store's shows. A word names a genre when some genre has
it, in the singular ("comedies" → "comedy") and allowing one typo in a long word; the ranking
then keeps the shows whose genre or format has every such word. The other words are reported,
so that a ranking never quietly ignores what was asked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from facts.normalize import normalize_name

# Words shorter than this must be spelt right: "cop" is one letter from "pop".
MIN_TYPO_WORD = 5
MAX_TYPOS = 1


@dataclass(frozen=True)
class GenreMatch:
    """What the words of a ranking question say about genres."""

    genres: tuple[str, ...] = ()  # the stored genres and formats that have every word asked
    words: tuple[str, ...] = ()  # the words that name genres, spelt as the genres spell them
    unmatched: tuple[str, ...] = ()  # the words no genre has, as asked

    @property
    def none_known(self) -> bool:
        """Return whether genres were asked for that no show has together ("crime comedies")."""
        return bool(self.words) and not self.genres

    @property
    def label(self) -> str:
        """Return the genres asked for as a ranking's headline puts them ("crime drama", "sci-fi")."""
        if len(self.genres) == 1 and genre_words(self.genres[0]) == set(self.words):
            return self.genres[0].lower()
        return " ".join(self.words)


NO_GENRE = GenreMatch()


def singular(word: str) -> str:
    """Return an English plural's singular, as far as genre names go ("comedies" → "comedy")."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ses", "xes", "ches", "shes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us")):
        return word[:-1]
    return word


def genre_words(genre: str) -> frozenset[str]:
    """Return the words of a genre or format, each in the singular."""
    return frozenset(map(singular, normalize_name(genre).split()))


def match_genres(words: Sequence[str], genres: Sequence[str]) -> GenreMatch:
    """Read ``words`` (normalised, without question grammar) against the store's genres and formats."""
    by_genre = {genre: genre_words(genre) for genre in genres}
    vocabulary = sorted(set().union(*by_genre.values()))
    named: list[str] = []
    unmatched: list[str] = []
    for word in words:
        known = _known_word(singular(word), vocabulary)
        if known:
            named.append(known)
        else:
            unmatched.append(word)
    wanted = set(named)
    chosen = tuple(genre for genre, have in by_genre.items() if wanted and wanted <= have)
    return GenreMatch(chosen, tuple(dict.fromkeys(named)), tuple(unmatched))


def _known_word(word: str, vocabulary: Sequence[str]) -> str:
    if word in vocabulary:
        return word
    if len(word) < MIN_TYPO_WORD or not vocabulary:
        return ""
    best = process.extractOne(word, vocabulary, scorer=OSA.distance, score_cutoff=MAX_TYPOS)
    return best[0] if best else ""
