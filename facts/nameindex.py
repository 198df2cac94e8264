"""In-memory vocabulary over the persisted name index, for typo correction of question words.

The database keeps every name in ``names`` + ``names_fts`` (maintained by triggers), so
nothing is rebuilt at start-up: only the distinct words (``names_vocab``) are loaded, bucketed
by first letter and length so that correcting a word compares it with a few hundred words,
not with the whole catalogue. The vocabulary reloads when another process (or this one)
changes the facts.
"""

from __future__ import annotations

import functools
import re
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, NamedTuple

from rapidfuzz import process
from rapidfuzz.distance import OSA

from facts.commonwords import common_words, is_common_word
from facts.store import Store

# Typo budget by word length. Corrections only propose candidates (the linker scores the whole
# name against the question), so short words get one too: "fie" may be "fire", "teh" "the".
ONE_TYPO_MIN_LENGTH = 2
TWO_TYPOS_MIN_LENGTH = 8
# A wrong first letter is as common as any other typo ("arate" for "karate", "konnie" for "connie").
FIRST_LETTER_TYPO_COST = 1
# Two words run together ("thestone", "spiderman") are split into known words at most this short.
SPLIT_PART_MIN_LENGTH = 2
# Variants kept per question word (closest first, then most frequent).
MAX_VARIANTS = 12
# Question words whose corrections are remembered until the vocabulary reloads.
MAX_CACHED_WORDS = 20_000
# A large vocabulary (slow to load) reloads at most this often (seconds); a small one reloads
# as soon as the facts change, so answers right after an import already know the new names.
RELOAD_MIN_INTERVAL_S = 1.0
LARGE_VOCABULARY_WORDS = 50_000


# Spellings that sound alike share a key: "stefen" and "stephen", "monsta" and "monster", "kate" and "cate".
_LETTERS_ALIKE = str.maketrans({"c": "k", "q": "k", "z": "s", "y": "i", "x": "ks"})
_SOUNDS = {"tion": "shun", "sion": "shun", "ph": "f", "gh": "", "kh": "k", "wh": "w"}
_SOUNDS |= {"ie": "i", "ee": "i", "oo": "u", "ou": "u"}
_SOUNDS_ALIKE = re.compile("|".join(_SOUNDS))
# Doubled letters, an -er/-ar/-ah/-re ending (said "a"), a silent final e.
_ENDINGS_ALIKE = re.compile(r"(.)\1+|(?:er|ar|ah|re)$|(?<=...)e$")
# Words this short sound like too many others to be looked up by sound.
SOUND_MIN_LETTERS = 3
SOUND_KEYS_KEPT = 100_000


# The linker compares a question's spans with many candidate names, the same names question after
# question: their keys are kept rather than worked out again.
@functools.lru_cache(maxsize=SOUND_KEYS_KEPT)
def sound_key(word: str) -> str:
    """Return a key that spellings of ``word`` by ear share ("fotografer" and "photographer")."""
    word = _SOUNDS_ALIKE.sub(lambda m: _SOUNDS[m.group(0)], word.translate(_LETTERS_ALIKE))
    return _ENDINGS_ALIKE.sub(_ending_alike, word)


def _ending_alike(match: re.Match[str]) -> str:
    if match.group(1):
        return match.group(1)
    return "" if match.group(0) == "e" else "a"


class Variant(NamedTuple):
    """A vocabulary word a question word may stand for."""

    term: str
    typos: int
    docs: int


def typo_budget(word: str) -> int:
    """Return how many typos ``word`` may contain and still match a name word.

    Numbers never get typos ("season 2" is not "season 3"), nor do common English words
    ("best" is not a typo of "beast"): :func:`facts.commonwords.is_common_word`.
    """
    if word.isdigit() or len(word) < ONE_TYPO_MIN_LENGTH or is_common_word(word):
        return 0
    return 2 if len(word) >= TWO_TYPOS_MIN_LENGTH else 1


def count_typos(word: str, term: str) -> int:
    """Return the typos between a question word and a name word (first-letter typos count double)."""
    if word == term:
        return 0
    if word[:1] == term[:1]:
        return int(OSA.distance(word[1:], term[1:]))
    # A first-letter change (substituted, dropped or added), or the first two letters swapped ("hte").
    rest = min(OSA.distance(word[1:], term[1:]), OSA.distance(word, term[1:]), OSA.distance(word[1:], term))
    typos = FIRST_LETTER_TYPO_COST + int(rest)
    if word[:2] == term[1::-1]:
        typos = min(typos, 1 + int(OSA.distance(word[2:], term[2:])))
    return typos


@contextmanager
def snapshot(store: Store) -> Iterator[None]:
    """Read the block's queries from one snapshot (the caller's transaction, if one is open).

    One snapshot per question, not one per query: consistent names, and a third of the statements.
    """
    with store.lock:
        if store.conn.in_transaction:
            yield
        else:
            with store.read():
                yield


def query_rows(store: Store, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
    """Run a read query in a snapshot, or inside the caller's transaction if one is open."""
    with store.lock:
        if store.conn.in_transaction:
            return store.conn.execute(sql, params).fetchall()
        with store.read() as db:
            return db.execute(sql, params).fetchall()


class NameIndex:
    """The words of all names, with their document counts, for fast fuzzy word lookup."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.docs: dict[str, int] = {}
        # What is kept between questions is held in tuples of strings and numbers, which Python's
        # garbage collector stops tracking: a full collection then has no cache to walk through
        # (tens of milliseconds per pause at a million titles).
        self._buckets: dict[tuple[str, int], tuple[str, ...]] = {}
        self._first_letters: list[str] = []
        # Corrections asked for lately, as plain (term, typos, docs) tuples.
        self._variants: dict[tuple[str, int], tuple[tuple[str, int, int], ...]] = {}
        self._sounds: dict[str, tuple[str, ...]] | None = None  # words by sound_key, built when first needed
        self._stamp: tuple[int, int] | None = None
        self._loaded_at = 0.0
        self.load_seconds = 0.0
        self.refresh()

    def refresh(self) -> bool:
        """Reload the vocabulary if the facts changed since the last load; return whether it did."""
        stamp = (self.store.generation(), self.store.data_version())
        if stamp == self._stamp:
            return False
        since = time.monotonic() - self._loaded_at
        if self._stamp is not None and self._load_is_slow() and since < RELOAD_MIN_INTERVAL_S:
            return False
        self._load()
        self._stamp = stamp
        return True

    def _load_is_slow(self) -> bool:
        return len(self.docs) >= LARGE_VOCABULARY_WORDS

    def _load(self) -> None:
        started = time.monotonic()
        rows = query_rows(self.store, self.store.dialect.vocabulary)
        buckets: dict[tuple[str, int], list[str]] = defaultdict(list)
        for term, _ in rows:
            buckets[(term[:1], len(term))].append(term)
        self.docs = dict(rows)
        self._buckets = {key: tuple(terms) for key, terms in buckets.items()}
        self._first_letters = sorted({first for first, _ in buckets})
        self._variants = {}
        warm, self._sounds = self._sounds is not None, None
        if warm:  # warmed up once: the new facts' map is built with their vocabulary, not on a question
            self._sound_map()
        self._loaded_at = time.monotonic()
        self.load_seconds = self._loaded_at - started

    def variants(self, word: str, *, extra_typos: int = 0) -> list[Variant]:
        """Return the name words ``word`` may stand for: itself if known, then typo corrections.

        Args:
            word: one normalised question word.
            extra_typos: typos allowed beyond the length rule (for looser suggestions).
        """
        key = (word, extra_typos)
        found = self._variants.get(key)
        if found is None:
            if len(self._variants) >= MAX_CACHED_WORDS:  # the oldest first, one at a time
                del self._variants[next(iter(self._variants))]
            variants = self._find_variants(word, extra_typos)
            found = self._variants[key] = tuple((v.term, v.typos, v.docs) for v in variants)
        return [Variant._make(variant) for variant in found]

    def warm_up(self) -> None:
        """Build now what the first questions would otherwise wait for: the sound-alike map and the
        list of common words (a tenth of a second at 40,000 names, more at a million)."""
        common_words()
        self._sound_map()

    def _find_variants(self, word: str, extra_typos: int) -> list[Variant]:
        budget = typo_budget(word) + extra_typos if typo_budget(word) else 0
        found: dict[str, int] = {word: 0} if word in self.docs else {}
        if budget:
            for term in self._similar_terms(word, budget):
                typos = count_typos(word, term)
                if typos <= budget:
                    found[term] = min(typos, found.get(term, typos))
        if word not in self.docs and not word.isdigit():
            for term in self._split_terms(word):
                found.setdefault(term, 1)
            if budget and len(word) >= SOUND_MIN_LETTERS:
                for term in self.sound_alikes(word):
                    found.setdefault(term, 1)
        ranked = sorted(found.items(), key=lambda item: (item[1], -self.docs[item[0]], item[0]))
        return [Variant(term, typos, self.docs[term]) for term, typos in ranked[:MAX_VARIANTS]]

    def _similar_terms(self, word: str, budget: int) -> set[str]:
        terms: set[str] = set()
        first = word[:1]
        for length in range(len(word) - budget, len(word) + budget + 1):
            bucket = self._buckets.get((first, length))
            if bucket:
                matches = process.extract(word, bucket, scorer=OSA.distance, score_cutoff=budget, limit=None)
                terms.update(match[0] for match in matches)
        if budget >= FIRST_LETTER_TYPO_COST:
            # The buckets are by first letter: a wrong first letter is looked up with the rest exact.
            for letter in self._first_letters:
                for term in (letter + word[1:], letter + word):  # first letter replaced, dropped
                    if term in self.docs:
                        terms.add(term)
            for term in (word[1:], word[1::-1] + word[2:]):  # a letter added in front, first two swapped
                if term in self.docs:
                    terms.add(term)
        return terms

    def sound_alikes(self, word: str) -> tuple[str, ...]:
        """Return the vocabulary words that sound like ``word`` (see :func:`sound_key`)."""
        return self._sound_map().get(sound_key(word), ())

    def _sound_map(self) -> dict[str, tuple[str, ...]]:
        if self._sounds is None:
            # Built by warm_up() or on the first word typed by ear: a few hundred ms at 1M titles.
            sounds: dict[str, list[str]] = defaultdict(list)
            for term in self.docs:
                sounds[sound_key(term)].append(term)
            self._sounds = {key: tuple(terms) for key, terms in sounds.items()}
        return self._sounds

    def _split_terms(self, word: str) -> list[str]:
        """The rarer half of each split of ``word`` into two known words ("thestone" -> "stone")."""
        halves = []
        for at in range(SPLIT_PART_MIN_LENGTH, len(word) - SPLIT_PART_MIN_LENGTH + 1):
            head, tail = word[:at], word[at:]
            if head in self.docs and tail in self.docs:
                halves.append(min((head, tail), key=lambda term: self.docs[term]))
        return halves
