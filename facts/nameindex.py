"""In-memory vocabulary over the persisted name index, for typo correction of question words.

The database keeps every name in ``names`` + ``names_fts`` (maintained by triggers), so
nothing is rebuilt at start-up: only the distinct words (``names_vocab``) are loaded, bucketed
by first letter and length so that correcting a word compares it with a few hundred words,
not with the whole catalogue. The vocabulary reloads when another process (or this one)
changes the facts.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA

from facts.store import FactStore

# Typo budget by word length (Meilisearch/Typesense style): short words must be exact.
ONE_TYPO_MIN_LENGTH = 4
TWO_TYPOS_MIN_LENGTH = 8
# A wrong first letter is a bigger change to how a word reads: it costs two typos.
FIRST_LETTER_TYPO_COST = 2
# Variants kept per question word (closest first, then most frequent).
MAX_VARIANTS = 12
# Question words whose corrections are remembered until the vocabulary reloads.
MAX_CACHED_WORDS = 20_000
# A large vocabulary (slow to load) reloads at most this often (seconds); a small one reloads
# as soon as the facts change, so answers right after an import already know the new names.
RELOAD_MIN_INTERVAL_S = 1.0
LARGE_VOCABULARY_WORDS = 50_000


@dataclass(frozen=True)
class Variant:
    """A vocabulary word a question word may stand for."""

    term: str
    typos: int
    docs: int


def typo_budget(word: str) -> int:
    """Return how many typos ``word`` may contain and still match a name word.

    Numbers never get typos ("season 2" is not "season 3").
    """
    if word.isdigit() or len(word) < ONE_TYPO_MIN_LENGTH:
        return 0
    return 2 if len(word) >= TWO_TYPOS_MIN_LENGTH else 1


def count_typos(word: str, term: str) -> int:
    """Return the typos between a question word and a name word (first-letter typos count double)."""
    if word == term:
        return 0
    if word[:1] == term[:1]:
        return int(OSA.distance(word[1:], term[1:]))
    # Only a first-letter change (substituted, dropped or added) can fit the budget.
    rest = min(OSA.distance(word[1:], term[1:]), OSA.distance(word, term[1:]), OSA.distance(word[1:], term))
    return FIRST_LETTER_TYPO_COST + int(rest)


def query_rows(store: FactStore, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
    """Run a read query in a snapshot, or inside the caller's transaction if one is open."""
    with store.lock:
        if store.conn.in_transaction:
            return store.conn.execute(sql, params).fetchall()
        with store.read() as db:
            return db.execute(sql, params).fetchall()


class NameIndex:
    """The words of all names, with their document counts, for fast fuzzy word lookup."""

    def __init__(self, store: FactStore) -> None:
        self.store = store
        self.docs: dict[str, int] = {}
        self._buckets: dict[tuple[str, int], list[str]] = {}
        self._first_letters: list[str] = []
        self._variants: dict[tuple[str, int], list[Variant]] = {}  # corrections asked for lately
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
        rows = query_rows(self.store, "SELECT term, doc FROM names_vocab")
        buckets: dict[tuple[str, int], list[str]] = defaultdict(list)
        for term, _ in rows:
            buckets[(term[:1], len(term))].append(term)
        self.docs = dict(rows)
        self._buckets = dict(buckets)
        self._first_letters = sorted({first for first, _ in buckets})
        self._variants = {}
        self._loaded_at = time.monotonic()
        self.load_seconds = self._loaded_at - started

    def variants(self, word: str, *, extra_typos: int = 0) -> list[Variant]:
        """Return the name words ``word`` may stand for: itself if known, then typo corrections.

        Args:
            word: one normalised question word.
            extra_typos: typos allowed beyond the length rule (for looser suggestions).
        """
        key = (word, extra_typos)
        if key not in self._variants:
            if len(self._variants) >= MAX_CACHED_WORDS:
                self._variants.clear()
            self._variants[key] = self._find_variants(word, extra_typos)
        return self._variants[key]

    def _find_variants(self, word: str, extra_typos: int) -> list[Variant]:
        budget = typo_budget(word) + extra_typos if len(word) >= ONE_TYPO_MIN_LENGTH else 0
        found: dict[str, int] = {word: 0} if word in self.docs else {}
        if budget:
            for term in self._similar_terms(word, budget):
                typos = count_typos(word, term)
                if typos <= budget:
                    found[term] = min(typos, found.get(term, typos))
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
            # A wrong first letter uses the whole budget: the rest must be exact.
            for letter in self._first_letters:
                for term in (letter + word[1:], letter + word):  # first letter replaced, dropped
                    if term in self.docs:
                        terms.add(term)
            if word[1:] in self.docs:  # a letter added in front
                terms.add(word[1:])
        return terms
