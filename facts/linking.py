"""Entity linking: find the shows, people, organisations and characters a question names.

Scoring the whole question against every name fails (short names match inside long
questions, and it is slow at scale), so the linker works span by span:

1. each question word is corrected against the vocabulary of name words
   (:class:`facts.nameindex.NameIndex`; typos allowed in proportion to word length);
2. for every span of words that holds at least one non-grammar word, the names containing
   all of its (corrected) words are fetched from the persisted full-text index;
3. a name matches in full when the span covers all its words (leading article optional),
   or in part ("collins" -> Lily Collins) when few names could be meant;
4. the longest confident spans win, without overlaps, in question order.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from heapq import nsmallest
from typing import Any, NamedTuple

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, Levenshtein

from facts.commonwords import is_common_word
from facts.nameindex import (
    NameIndex,
    Variant,
    count_typos,
    query_rows,
    snapshot,
    sound_key,
    typo_budget,
)
from facts.normalize import normalize_name
from facts.questions import read_signals
from facts.questionwords import (
    ARTICLES,
    FUNCTION_WORDS,
    INTENT_WORDS,
    PRONOUNS,
    QUESTION_WORDS,
    is_question_word,
)
from facts.schema import joined_name
from facts.store import Store

# Kinds in the order equally good candidates are listed (then oldest first).
KIND_ORDER = ("show", "person", "organisation", "character")
KINDS = frozenset(KIND_ORDER)
# Longest span of question words tried as one name.
MAX_SPAN_WORDS = 10
# Score (0-100) below which a full-name match is not trusted.
FULL_MATCH_MIN_SCORE = 70.0
# Letters a name must have to match with 1, 2 or 3 wrong letters (a swap counts as one), compared
# without spaces so that words run together or split ("thestone", "cross ing") still match.
NAME_TYPO_STEPS = (4, 8, 15)
# Spelled by ear, a name may be this many letters further off than its typo budget.
SOUND_EXTRA_LETTERS = 3
# A name matched with its words run together or split ranks just below one typed word for word.
SPACING_PENALTY = 1.0
# Choosing what a question names: a mention is worth the letters it explains, weighted by its score
# (grammar words inside a name count for this much of their letters), less a cost per mention so one
# long name beats two short ones side by side; a content word no name explains costs its letters.
GRAMMAR_LETTER_WEIGHT = 0.5
MENTION_COST = 2.0
UNEXPLAINED_LETTER_COST = 1.0
UNEXPLAINED_WORD_COST = MENTION_COST
# Another reading of the question that names other things within this many letters' worth of the
# best is offered beside it ("did you mean About Adam and Sandra, or Adam Sandler?").
READING_MARGIN = 1.5
# Two question words that are one name word ("cross ing" for "crossing") need this many letters.
MERGE_MIN_LETTERS = 4
# A span's letters without spaces are looked up as a name's from this many letters ("k9").
JOINED_MIN_LETTERS = 2
# Words shorter than this are the last choice to fetch names by.
ANCHOR_MIN_LETTERS = 3
# A name matched without its leading article (or with one it lacks) ranks just below an exact one.
ARTICLE_MISMATCH_PENALTY = 1.0
# Partial names ("collins" -> Lily Collins) rank below full ones and count only when at most
# this many things could be meant; more than that and the word is too common to name anything.
PARTIAL_SCORE_WEIGHT = 0.8
# The first words of one long name ("jurassic world fallen") name it more surely than words inside it.
PREFIX_SCORE_WEIGHT = 0.9
MAX_PARTIAL_ENTITIES = 2
PARTIAL_MIN_LETTERS = 4
# Candidates within this many points of the best are kept: the answer asks which was meant.
CLOSE_SCORE_MARGIN = 4.0
# Scores are compared rounded to a tenth: a bar on unrounded scores is lowered by this much.
SCORE_ROUNDING = 0.1
MAX_CANDIDATES = 5
# Above this many names per fetch, only names spelled exactly like the span are fetched,
# trying at most this many spellings (the closest corrections of each word first).
FETCH_CAP = 400
# A span of one word held by more names than this cannot name anything in part (at most
# MAX_PARTIAL_ENTITIES things may be meant), so only the names spelled like it are fetched.
ONE_WORD_FETCH_CAP = 40
# A longer span fetches the names holding either of its two rarest words up to this many.
EITHER_WORD_FETCH_CAP = 100
EXACT_SPELLINGS_PER_WORD = 4
MAX_EXACT_SPELLINGS = 64
# Name queries sent to the store in one statement (SQLite allows 500 in one compound SELECT).
NAME_QUERIES_PER_STATEMENT = 100
# Names fetched are remembered between questions (until the facts change), up to about this many
# (some 50 MB), the oldest fetches forgotten first: one at a time, as dropping them all at once
# held up the question that did it for tens of milliseconds at 1M titles.
MAX_CACHED_NAMES = 100_000
# Suggestions ("did you mean ...?") are looser: one more typo per word, a lower bar.
SUGGEST_EXTRA_TYPOS = 1
SUGGEST_FETCH_LIMIT = 300
SUGGEST_MAX_DOCS = 2_000
SUGGEST_MIN_SCORE = 70.0
# Connectors that may sit inside an unknown name ("House of the Dragon").
NAME_CONNECTORS = frozenset({"of", "the", "and"})
# In a question that names something known, other unknown words are chatter ("i was wondering
# who directed X", "X lol") unless capitalised or in a slot where names go: after one of these
# words or a comma ("X and Y", "who plays Emily in Y").
NAME_SLOT_WORDS = frozenset({"about", "against", "and", "between", "from", "in", "of", "on", "or"})
NAME_SLOT_WORDS |= frozenset({"than", "versus", "vs", "with"})
QUESTION_WORD_TYPO_MIN_LENGTH = 5
# Grammar words that name a thing only when written like a title: "who directed It", "PLAYERS viewers".
SLOT_MARKED_WORDS = INTENT_WORDS | frozenset(phrase for phrase in PRONOUNS if " " not in phrase)
_TRIM = re.compile(r"^[^\w]+|[^\w]+$")
# A name row with the display name of its thing (aliases show the title or name they stand for).
_NAME_COLUMNS = (
    "n.kind, n.ref_id, CASE WHEN n.kind LIKE '%\\_alias' ESCAPE '\\' THEN coalesce((SELECT b.text"
    " FROM names b WHERE b.kind = replace(n.kind, '_alias', '') AND b.ref_id = n.ref_id), n.text)"
    " ELSE n.text END, n.norm"
)


@dataclass(frozen=True)
class Candidate:
    """One thing a mention may name."""

    kind: str  # 'show' | 'person' | 'organisation' | 'character'
    ref_id: int  # shows.id / people.id / credits.id for characters
    name: str  # display text of the matched name
    score: float  # 0-100
    via_alias: bool = False


@dataclass(frozen=True)
class Mention:
    """A span of the question that names something."""

    start: int  # token span [start, end) in Linking.tokens
    end: int
    text: str  # the question's words for that span (original spelling)
    candidates: tuple[Candidate, ...]  # best first; more than one when ambiguous


@dataclass(frozen=True)
class Linking:
    """What a question names, and what it seems to name that is not known."""

    question: str
    tokens: tuple[str, ...]
    mentions: tuple[Mention, ...]
    unknown: tuple[str, ...] = ()
    # Another reading of the question, naming other things, nearly as good: the answer asks which.
    alternative: tuple[Mention, ...] = ()

    def rest(self) -> tuple[str, ...]:
        """Return the tokens outside every mention (the question's grammar, for intents)."""
        inside = {i for mention in self.mentions for i in range(mention.start, mention.end)}
        return tuple(token for i, token in enumerate(self.tokens) if i not in inside)


class _Name(NamedTuple):
    kind: str
    ref_id: int
    text: str  # the display name of the thing (its title or name, also when matched by alias)
    norm: str  # the matched name or alias, normalised
    # Worked out once per fetch: a name is tested against every span of the question.
    has_article: bool
    core_text: str  # its words without a leading article
    core_joined: str  # without spaces
    joined: str  # the whole name without spaces
    budget: int  # wrong letters it may be typed with
    letters: int  # of core_joined, and of joined
    whole_letters: int
    words: tuple[str, ...]
    core: tuple[str, ...]


# A fetched name as the linker keeps it between questions: a _Name's fields up to its words, in a plain
# tuple of strings and numbers only. Python's garbage collector stops tracking such a tuple at its
# first collection (it would track a named tuple, or one holding tuples until they are untracked), so
# a full collection has no cache of names to walk through (100-400 ms pauses at 1M titles before).
_KeptName = tuple[str, int, str, str, bool, str, str, str, int, int, int]
_Spelling = tuple[bool, str, str, str, int, int, int]  # what a name's spelling says (see _spelled)


def _kept_name(kind: str, ref_id: int, text: str, norm: str) -> _KeptName:
    return (kind, ref_id, text, norm, *_spelled(norm))


def _spelled(norm: str) -> _Spelling:
    """What a _Name works out from its spelling: its article, core text, letters and typo budget."""
    words = norm.split()
    core = strip_article(words)
    core_joined, joined = "".join(core), "".join(words)
    budget = name_typo_budget(len(core_joined))
    return len(core) < len(words), " ".join(core), core_joined, joined, budget, len(core_joined), len(joined)


def _kept_names(rows: Iterable[tuple[Any, ...]]) -> tuple[_KeptName, ...]:
    spelled: dict[str, _Spelling] = {}  # names spelled alike, worked out once
    for _kind, _ref_id, _text, norm in rows:
        if norm not in spelled:
            spelled[norm] = _spelled(norm)
    return tuple((kind, ref_id, text, norm, *spelled[norm]) for kind, ref_id, text, norm in rows)


def _named(kept: _KeptName) -> _Name:
    words = tuple(kept[3].split())
    return _Name._make((*kept, words, words[1:] if kept[4] else words))


def _name(kind: str, ref_id: int, text: str, norm: str) -> _Name:
    return _named(_kept_name(kind, ref_id, text, norm))


@dataclass
class _Question:
    """A question's words with their original spelling and the vocabulary words they may be."""

    text: str
    tokens: list[str]
    chunks: list[int]  # index of the original whitespace-separated chunk of each token
    originals: list[str]  # the original chunks
    variants: list[list[Variant]] = field(default_factory=list)
    # Whether each word may be part of a name on its own strength (not grammar, or capitalised).
    content: list[bool] = field(default_factory=list)
    # Worked out once per question, as every span holding a word reads them: the name words each
    # word may be, and the letters it explains when a name covers it (grammar counts for less).
    terms: list[frozenset[str]] = field(default_factory=list)
    spelled: list[tuple[str, ...]] = field(default_factory=list)  # the same, in the order of the variants
    weights: list[float] = field(default_factory=list)
    # How surely each word tells which names to fetch (see Linker._choose_queries), lowest first;
    # None for grammar and words no name has.
    anchor_ranks: list[tuple[bool, bool, int] | None] = field(default_factory=list)
    # The letters of each span without spaces (see _joined_keys), by span.
    letters: dict[tuple[int, int], list[str]] = field(default_factory=dict)
    # Names spelled by a span's letters without spaces ("annmiller", "k9"), by those letters.
    joined: dict[str, list[_Name]] = field(default_factory=dict)
    # Names fetched for this question, by query (see Linker._cached).
    names: dict[tuple[bool, tuple[Any, ...]], list[_Name]] = field(default_factory=dict)
    # The queries of each span's names, by span (see Linker._span_queries).
    queries: dict[tuple[int, int], list[tuple[bool, tuple[Any, ...]]]] = field(default_factory=dict)

    def original(self, start: int, end: int) -> str:
        chunk_ids = sorted(set(self.chunks[start:end]))
        return _TRIM.sub("", " ".join(self.originals[i] for i in chunk_ids))

    def marked(self, index: int) -> bool:
        """Whether the word is written like a title: capitalised mid-question, or in capitals."""
        original = self.originals[self.chunks[index]]
        return self.capitalised(index) or (len(original) > 1 and original.isupper())

    def capitalised(self, index: int) -> bool:
        chunk = self.chunks[index]
        word = self.originals[chunk].lstrip("\"'(“‘[")
        return chunk > 0 and word[:1].isupper()


@dataclass(frozen=True)
class _SpanMatch:
    start: int
    end: int
    candidates: tuple[Candidate, ...]
    full: bool
    value: float  # what choosing it explains of the question (see MENTION_COST)


def base_kind(kind: str) -> str:
    """Return the kind a name row stands for: aliases fold into their base kind."""
    return kind.removesuffix("_alias")


def strip_article(words: Sequence[str]) -> Sequence[str]:
    """Return ``words`` without a leading article, unless the article is all there is."""
    return words[1:] if len(words) > 1 and words[0] in ARTICLES else words


class Linker:
    """Links questions to the names in a fact store; cheap to call once per question.

    Args:
        store: the fact store whose names are linked.
        cached_names: about how many fetched names (and spellings looked up) to keep between questions.
    """

    def __init__(self, store: Store, *, cached_names: int = MAX_CACHED_NAMES) -> None:
        self.store = store
        self.index = NameIndex(store)
        self.cached_names = cached_names
        # Names fetched lately, by query, oldest first; all forgotten when the vocabulary reloads.
        self._fetched: dict[tuple[bool, str], tuple[_KeptName, ...]] = {}
        self._spelt: dict[str, tuple[str, ...]] = {}  # which of some spellings are names' (see _existing)
        self._fetched_names = 0

    def _refresh(self) -> None:
        if self.index.refresh():
            self._fetched, self._spelt = {}, {}
            self._fetched_names = 0

    def _keep(self, key: tuple[bool, str], kept: tuple[_KeptName, ...]) -> None:
        self._fetched[key] = kept
        self._fetched_names += len(kept)
        while self._fetched_names > self.cached_names and len(self._fetched) > 1:
            self._fetched_names -= len(self._fetched.pop(next(iter(self._fetched))))

    def warm_up(self) -> None:
        """Prepare at start-up what the first questions would otherwise build (see NameIndex.warm_up)."""
        self._refresh()
        self.index.warm_up()

    def link(self, question: str, *, kinds: frozenset[str] | None = None) -> Linking:
        """Find the names in ``question``; never raises on odd input.

        Args:
            question: the question as typed.
            kinds: restrict matches to these kinds (show, person, organisation, character).
        """
        self._refresh()
        parsed = self._parse(question)
        with snapshot(self.store):
            parsed.joined = self._fetch_names(parsed, self._prefetched_spans(parsed))
            matches = self._span_matches(parsed, kinds)
            chosen = _choose(parsed, matches)
            other = _runner_up(parsed, matches, chosen)
            if not chosen:
                chosen = self._name_in_slot(parsed, kinds)
        chosen = [m for m in chosen if not self._inside_unknown_name(parsed, m, chosen)]
        other = [m for m in other if not self._inside_unknown_name(parsed, m, other)]
        unknown = self._unknown_spans(parsed, chosen)
        alternative = self._mentions(parsed, other) if other and chosen else ()
        return Linking(question, tuple(parsed.tokens), self._mentions(parsed, chosen), unknown, alternative)

    @staticmethod
    def _mentions(parsed: _Question, matches: Iterable[_SpanMatch]) -> tuple[Mention, ...]:
        return tuple(Mention(m.start, m.end, parsed.original(m.start, m.end), m.candidates) for m in matches)

    def link_name(self, text: str, *, kinds: frozenset[str] | None = None) -> Mention | None:
        """Link ``text`` believed to be one name as a whole; None when nothing matches it."""
        self._refresh()
        parsed = self._parse(text)
        if not parsed.tokens:
            return None
        with snapshot(self.store):
            whole = [(0, len(parsed.tokens))] if self.store.dialect.round_trips else []
            parsed.joined = self._fetch_names(parsed, whole)
            match = self._match_span(parsed, 0, len(parsed.tokens), kinds, allow_grammar=True)
        if match is None:
            return None
        return Mention(0, len(parsed.tokens), parsed.original(0, len(parsed.tokens)), match.candidates)

    def suggest(self, text: str, *, kinds: frozenset[str] | None = None, limit: int = 3) -> list[Candidate]:
        """Return names that look like ``text`` by a looser standard, best first.

        For "I don't have facts about X - did you mean ...?": label these as suggestions.
        """
        self._refresh()
        words = normalize_name(text).split()
        content = [w for w in words if w not in FUNCTION_WORDS] or words
        groups = [self.index.variants(w, extra_typos=SUGGEST_EXTRA_TYPOS) for w in content]
        terms = _rarest_terms([group for group in groups if group])
        if not terms:
            return []
        query = (tuple(sorted(terms)),)
        sql, params = self.store.dialect.name_search(_NAME_COLUMNS, query, SUGGEST_FETCH_LIMIT, ranked=True)
        rows = [row for row in query_rows(self.store, sql, params) if _kind_ok(row[0], kinds)]
        wanted = " ".join(strip_article(words))
        scored = [
            (score, _name(*rows[at]))
            for _, score, at in process.extract(
                wanted,
                [" ".join(strip_article(row[3].split())) for row in rows],
                scorer=fuzz.ratio,
                score_cutoff=SUGGEST_MIN_SCORE,
                limit=None,
            )
        ]
        return _rank_candidates(scored, limit)

    # -- parsing ---------------------------------------------------------------------------

    def _parse(self, text: str) -> _Question:
        originals = text.split()
        tokens: list[str] = []
        chunks: list[int] = []
        for i, chunk in enumerate(originals):
            for token in normalize_name(chunk).split():
                tokens.append(token)
                chunks.append(i)
        if tokens != normalize_name(text).split():  # normalisation across chunk borders
            tokens = normalize_name(text).split()
            originals, chunks = tokens, list(range(len(tokens)))
        parsed = _Question(text, tokens, chunks, originals)
        parsed.variants = [self._token_variants(token) for token in tokens]
        parsed.content = [not is_question_word(t) or parsed.capitalised(i) for i, t in enumerate(tokens)]
        self._add_merges(parsed)
        _describe_words(parsed)
        return parsed

    def _token_variants(self, token: str) -> list[Variant]:
        if is_question_word(token):
            docs = self.index.docs.get(token)
            return [Variant(token, 0, docs)] if docs else []
        return self.index.variants(token)

    def _add_merges(self, parsed: _Question) -> None:
        """Let two neighbouring words stand for the one name word they make ("cross ing")."""
        for i in range(len(parsed.tokens) - 1):
            merged = parsed.tokens[i] + parsed.tokens[i + 1]
            docs = self.index.docs.get(merged)
            if docs and len(merged) >= MERGE_MIN_LETTERS:
                for group in parsed.variants[i : i + 2]:
                    group.append(Variant(merged, 1, docs))

    # -- spans -----------------------------------------------------------------------------

    def _span_matches(self, parsed: _Question, kinds: frozenset[str] | None) -> list[_SpanMatch]:
        matches: list[_SpanMatch] = []
        for start, end in _spans(parsed):
            match = self._match_span(parsed, start, end, kinds)
            if match is not None:
                matches.append(match)
        return matches

    def _prefetched_spans(self, parsed: _Question) -> list[tuple[int, int]]:
        """The spans whose names are fetched before :meth:`_span_matches`, together: all it fetches
        names for where statements are round trips to a server, none in the process (SQLite)."""
        if not self.store.dialect.round_trips:
            return []
        return [(start, end) for start, end in _spans(parsed) if self._has_content(parsed, start, end)]

    def _has_content(self, parsed: _Question, start: int, end: int) -> bool:
        """Whether the span holds a word that is not grammar (or is capitalised like a title)."""
        return any(parsed.content[start:end])

    def _match_span(
        self,
        parsed: _Question,
        start: int,
        end: int,
        kinds: frozenset[str] | None,
        *,
        allow_grammar: bool = False,
    ) -> _SpanMatch | None:
        if not allow_grammar and not self._has_content(parsed, start, end):
            return None
        names = self._names_for_span(parsed, start, end, kinds) + _joined_for_span(parsed, start, end)
        return self._score_span(parsed, start, end, names, kinds) if names else None

    def _fetch_names(self, parsed: _Question, spans: Iterable[tuple[int, int]]) -> dict[str, list[_Name]]:
        """Fetch the names of the word queries of ``spans`` not fetched before, and return the names
        some span of the question spells without spaces, by those letters: one statement, not one
        per query (each statement is a round trip to a database server).

        Words run together or split ("annmiller", "the ro se") and punctuation dropped ("k9" for
        K-9, "merrygoround") find their name even when no word of it is spelled as typed.
        """
        wanted = (query for start, end in spans for query in self._span_queries(parsed, start, end))
        # Spellings are looked up in two steps, the second after the first (see _spelled_like).
        queries = [q for q in dict.fromkeys(wanted) if not q[0] and _said(*q) not in self._fetched]
        joined = _joined_query(parsed)
        sqls = [self._name_query(exact, key) for exact, key in queries] + ([joined] if joined else [])
        rows = self._rows_of_each(sqls)
        for (exact, key), fetched in zip(queries, rows, strict=False):
            self._keep(_said(exact, key), _kept_names(fetched))
        found: dict[str, list[_Name]] = {}
        for row in rows[len(queries)] if joined else ():
            name = _name(*row)
            found.setdefault(name.joined, []).append(name)
        return found

    def _rows_of_each(self, queries: Sequence[tuple[str, Sequence[Any]]]) -> list[list[tuple[Any, ...]]]:
        """The rows of each query, asked of the store a batch at a time in one statement."""
        rows: list[list[tuple[Any, ...]]] = [[] for _ in queries]
        for first in range(0, len(queries), NAME_QUERIES_PER_STATEMENT):
            sql, params = self.store.dialect.union_all(queries[first : first + NAME_QUERIES_PER_STATEMENT])
            for row in query_rows(self.store, sql, params):
                rows[first + row[0]].append(tuple(row[1:]))
        return rows

    def _names_for_span(
        self, parsed: _Question, start: int, end: int, kinds: frozenset[str] | None
    ) -> list[_Name]:
        """Return the names that hold the span's rarest words: the candidates it may name."""
        names: list[_Name] = []
        for exact, key in self._span_queries(parsed, start, end):
            if exact:
                names += self._spelled_like(parsed, start, end, key, kinds)
            else:
                names += self._cached(parsed, key, exact=False)
        return names

    def _span_queries(self, parsed: _Question, start: int, end: int) -> list[tuple[bool, tuple[Any, ...]]]:
        """The queries of the names a span may name, as (exact, key): the names holding a word of
        each group of ``key``, or (exact) those spelled like one of ``key`` (see _spelled_like)."""
        queries = parsed.queries.get((start, end))
        if queries is None:
            queries = parsed.queries[start, end] = self._choose_queries(parsed, start, end)
        return queries

    def _choose_queries(self, parsed: _Question, start: int, end: int) -> list[tuple[bool, tuple[Any, ...]]]:
        """Choose the queries of the names a span may name (see :meth:`_span_queries`).

        Words spelled as in some name are trusted before corrections of the others. When the
        rarest words are common, only names spelled exactly like the span (after typo correction,
        with or without a leading article) are fetched: a common word alone does not say which
        of its thousands of names is meant.
        """
        groups = parsed.variants[start:end]
        ranked = enumerate(parsed.anchor_ranks[start:end], start)
        anchors = sorted((rank, i) for i, rank in ranked if rank is not None)
        rarest = [parsed.spelled[i] for _, i in anchors[:2]]
        docs = [rank[2] for rank, _ in anchors[:2]]
        # Names holding either of the two rarest words, so that one of them may be a typo that
        # happens to be another name's word ("julia ad julia"); the rarest alone, or both, when
        # that is too many.
        cap = EITHER_WORD_FETCH_CAP if len(groups) > 1 else ONE_WORD_FETCH_CAP
        if rarest and sum(docs) <= cap:
            return [(False, (terms,)) for terms in rarest]
        if rarest and docs[0] <= cap:
            return [(False, (rarest[0],))]
        if len(rarest) > 1 and min(docs) <= FETCH_CAP:
            return [(False, tuple(rarest))]
        if not anchors and len(groups) > 1 and all(groups) and min(g[0].docs for g in groups) <= FETCH_CAP:
            # Only grammar words, written like a title ("who directed How She?"): the names holding them all.
            return [(False, tuple(parsed.spelled[start:end]))]
        if all(groups):
            return [(True, tuple(_spellings(groups)))]
        return []

    def _spelled_like(
        self,
        parsed: _Question,
        start: int,
        end: int,
        spellings: tuple[str, ...],
        kinds: frozenset[str] | None,
    ) -> list[_Name]:
        """The names spelled as one of ``spellings`` (the span's words, corrected) that may be among
        its candidates.

        Names spelled alike score alike against the span, so the spellings that some name has are
        looked up first (in the index alone) and scored, and only the names of those within
        CLOSE_SCORE_MARGIN of the best are fetched: a word may be the name of hundreds of characters.
        Unless only some kinds are wanted: the best spelling may then be of another kind.
        """
        if kinds is not None:
            return self._cached(parsed, spellings, exact=True)
        span = _Span(parsed, start, end)
        scores = {norm: _full_score(span, _name("", 0, "", norm)) for norm in self._existing(spellings)}
        valid = [score for score in scores.values() if score is not None]
        if not valid:
            return []
        bar = max(valid) - CLOSE_SCORE_MARGIN - SCORE_ROUNDING
        return self._cached(
            parsed, tuple(n for n, score in scores.items() if score is not None and score >= bar), exact=True
        )

    def _existing(self, spellings: tuple[str, ...]) -> tuple[str, ...]:
        """The spellings that are some name's (normalised), from the names_norm index alone."""
        said = "\n".join(spellings)
        found = self._spelt.get(said)
        if found is None:
            marks = ", ".join("?" * len(spellings))
            sql = f"SELECT DISTINCT n.norm FROM names n WHERE n.norm IN ({marks}) ORDER BY n.norm"
            found = self._spelt[said] = tuple(row[0] for row in query_rows(self.store, sql, spellings))
            if len(self._spelt) > self.cached_names:
                del self._spelt[next(iter(self._spelt))]
        return found

    def _cached(self, parsed: _Question, key: tuple[Any, ...], *, exact: bool) -> list[_Name]:
        """The names holding a word of each group of ``key``, or (``exact``) spelled as one of ``key``.

        Kept between questions as plain tuples (by the query's words in one string, which the garbage
        collector does not track either); made _Names once per question.
        """
        names = parsed.names.get((exact, key))
        if names is None:
            said = _said(exact, key)
            kept = self._fetched.get(said)
            if kept is None:
                kept = _kept_names(query_rows(self.store, *self._name_query(exact, key)))
                self._keep(said, kept)
            names = parsed.names[exact, key] = [_named(name) for name in kept]
        return names

    def _name_query(self, exact: bool, key: tuple[Any, ...]) -> tuple[str, Sequence[Any]]:
        """The query of the names holding a word of each group of ``key``, or spelled as one of it."""
        if not exact:
            return self.store.dialect.name_search(_NAME_COLUMNS, key, None)
        marks = ", ".join("?" * len(key))
        return f"SELECT {_NAME_COLUMNS} FROM names n WHERE n.norm IN ({marks})", key

    def _score_span(
        self, parsed: _Question, start: int, end: int, names: list[_Name], kinds: frozenset[str] | None
    ) -> _SpanMatch | None:
        span = _Span(parsed, start, end)
        eligible = names if kinds is None else [name for name in names if _kind_ok(name.kind, kinds)]
        full = _full_matches(span, eligible)
        best_full = max((score for score, _ in full), default=0.0)
        # "directed by John" begins no name; a question's first word may begin one ("Big Ass viewers").
        if not (parsed.content[start] or start == 0) or best_full >= PREFIX_SCORE_WEIGHT * 100:
            return _span_match(span, full, True) if full else None
        # A name cut short after a grammar word ("Children on Their") is where the question ends;
        # before more names the word is the question's ("who plays Emily in Emily in Paris").
        cut_at_grammar = span.words[-1] in FUNCTION_WORDS and any(parsed.content[end:])
        prefix = _prefix_matches(span, eligible) if len(span.terms) > 1 and not cut_at_grammar else []
        if full or prefix:
            # The first words of a name typed right beat a name typed with typos ("flu bird" begins
            # Flu Bird Horror; it is not The Blue Bird); both are offered when they are close.
            best_prefix = max((score for score, _ in prefix), default=0.0)
            return _span_match(span, full + prefix, best_full >= best_prefix)
        partial = _partial_matches(span, eligible) if _partial_allowed(span) else []
        return _span_match(span, partial, False) if partial else None

    def _inside_unknown_name(self, parsed: _Question, match: _SpanMatch, chosen: list[_SpanMatch]) -> bool:
        """Whether the match is a short name inside a longer one nothing explains ("stefen king" is
        not The King): a rare word no name explains stands right beside it."""
        inside = {i for m in chosen for i in range(m.start, m.end)}
        for i, last in ((match.start - 1, match.start - 1), (match.end, match.end - 1)):
            if i < 0 or i >= len(parsed.tokens) or i in inside or not parsed.content[i]:
                continue
            if _separated(parsed, last):  # "lupin, dexter": a list, not one name
                continue
            token = parsed.tokens[i]
            if not is_common_word(token) and self._looks_like_name(parsed, i):
                return True
        return False

    # -- names made of grammar words -------------------------------------------------------

    def _name_in_slot(self, parsed: _Question, kinds: frozenset[str] | None) -> list[_SpanMatch]:
        """A name made only of grammar words ("Out of the Past", "Up", "Players"), spelled exactly,
        where the question puts a name: before or after the words that ask about it.

        Only for questions that name nothing else, nor seem to ("what did Larry Par write?" is not
        about the film What?); pronouns ("it", "her") and words that ask ("players", "cast") count
        only when capitalised, as titles are written.
        """
        size = len(parsed.tokens)
        namey = [self._looks_like_name(parsed, i) for i in range(size)]
        spans = [(0, end) for end in range(1, size)] + [(start, size) for start in range(1, size)]
        for start, end in sorted(spans, key=lambda span: span[0] - span[1]):  # longest first
            if end - start > MAX_SPAN_WORDS or any(namey[:start]) or any(namey[end:]):
                continue
            if not self._slot_fits(parsed, start, end):
                continue
            spellings = tuple(_spellings([[Variant(t, 0, 1)] for t in parsed.tokens[start:end]]))
            names = self._spelled_like(parsed, start, end, spellings, kinds)
            match = self._score_span(parsed, start, end, names, kinds) if names else None
            if match is not None and match.full:
                return [match]
        return []

    @staticmethod
    def _slot_fits(parsed: _Question, start: int, end: int) -> bool:
        words = parsed.tokens[start:end]
        marked = all(parsed.marked(i) for i in range(start, end))
        if not marked and any(w in SLOT_MARKED_WORDS for w in words):
            return False
        rest = parsed.tokens[:start] + parsed.tokens[end:]
        signals = read_signals(rest)
        asks = signals.role or signals.audience or signals.card or signals.fact or signals.plays
        return bool(asks) and not signals.top

    # -- unknown names ---------------------------------------------------------------------

    def _unknown_spans(self, parsed: _Question, chosen: Iterable[_SpanMatch]) -> tuple[str, ...]:
        inside = {i for m in chosen for i in range(m.start, m.end)}
        namey = [i not in inside and self._looks_like_name(parsed, i) for i in range(len(parsed.tokens))]
        spans: list[str] = []
        i = 0
        while i < len(parsed.tokens):
            if not namey[i]:
                i += 1
                continue
            start, end = i, i + 1
            while end < len(parsed.tokens) and (namey[end] or _joins(parsed, namey, inside, end)):
                end += 1
            if start > 0 and parsed.tokens[start - 1] in ARTICLES and start - 1 not in inside:
                start -= 1
            if not inside or _in_name_slot(parsed, start, end):
                spans.append(parsed.original(start, end))
            i = end
        return tuple(spans)

    def _looks_like_name(self, parsed: _Question, index: int) -> bool:
        token = parsed.tokens[index]
        if token.isdigit():
            return False
        if is_question_word(token):
            return parsed.capitalised(index) and token not in FUNCTION_WORDS
        return not _near_question_word(token)


def _separated(parsed: _Question, index: int) -> bool:
    """Whether punctuation ends the chunk of word ``index`` ("lupin, dexter")."""
    return not parsed.originals[parsed.chunks[index]][-1:].isalnum()


def _joins(parsed: _Question, namey: list[bool], inside: set[int], index: int) -> bool:
    """Whether a connector at ``index`` sits between two name-looking words."""
    after = index + 1
    while after < len(parsed.tokens) and parsed.tokens[after] in NAME_CONNECTORS and after not in inside:
        after += 1
    return (
        parsed.tokens[index] in NAME_CONNECTORS
        and index not in inside
        and after < len(parsed.tokens)
        and namey[after]
    )


def _in_name_slot(parsed: _Question, start: int, end: int) -> bool:
    """Whether the words ``start:end`` are capitalised or sit where a name goes."""
    if any(parsed.capitalised(i) for i in range(start, end)):
        return True
    if start == 0:
        return False
    before = parsed.chunks[start - 1]
    if parsed.chunks[start] != before and parsed.originals[before].endswith((",", "&", "/")):
        return True
    return parsed.tokens[start - 1] in NAME_SLOT_WORDS


def _near_question_word(token: str) -> bool:
    """Whether ``token`` is a typo of a question word ("whatched"; not "hanks" for "thanks")."""
    if len(token) < QUESTION_WORD_TYPO_MIN_LENGTH:
        return False
    budget = typo_budget(token)
    found = process.extract(
        token, QUESTION_WORDS, scorer=Levenshtein.distance, score_cutoff=budget, limit=None
    )
    # A wrong first letter makes a different word here: "hanks" is a name, not "thanks".
    return any(word[:1] == token[:1] and count_typos(token, word) <= budget for word, _, _ in found)


def _kind_ok(kind: str, kinds: frozenset[str] | None) -> bool:
    return kinds is None or base_kind(kind) in kinds


def _rarest_terms(groups: list[list[Variant]]) -> set[str]:
    """The variants of the rarest words, up to a total document count that is quick to rank."""
    terms: set[str] = set()
    docs = 0
    for group in sorted(groups, key=lambda g: sum(v.docs for v in g)):
        docs += sum(v.docs for v in group)
        if terms and docs > SUGGEST_MAX_DOCS:
            break
        terms.update(v.term for v in group)
    return terms


def _describe_words(parsed: _Question) -> None:
    """Work out once what every span holding a word reads of it (see _Question)."""
    tokens = parsed.tokens
    parsed.spelled = [_any_of(group) for group in parsed.variants]
    parsed.terms = [frozenset(spelled) for spelled in parsed.spelled]
    parsed.weights = [
        len(token) * (1.0 if content else GRAMMAR_LETTER_WEIGHT)
        for token, content in zip(tokens, parsed.content, strict=True)
    ]
    parsed.anchor_ranks = [_anchor_rank(t, g) for t, g in zip(tokens, parsed.variants, strict=True)]
    parsed.letters = _span_letters(tokens)


def _anchor_rank(token: str, group: Sequence[Variant]) -> tuple[bool, bool, int] | None:
    """How surely a word tells which names to fetch, lowest first: words typed as some name has
    them are trusted first, then corrections; one or two letters may be a piece of a split word
    ("ja ck webb"), trusted last. Then the rarest first."""
    if not group or token in FUNCTION_WORDS:
        return None
    return len(token) < ANCHOR_MIN_LETTERS, group[0].typos > 0, sum(v.docs for v in group)


def _any_of(group: Sequence[Variant]) -> tuple[str, ...]:
    """The words of ``group``, any of which a name may hold."""
    return tuple(v.term for v in group)


def _spellings(groups: Sequence[Sequence[Variant]]) -> list[str]:
    """Spellings of a span from the closest corrections of its words, with and without an article."""
    spellings = [""]
    per_word = EXACT_SPELLINGS_PER_WORD if len(groups) > 1 else MAX_EXACT_SPELLINGS
    for group in groups:
        terms = [v.term for v in group[:per_word]]
        spellings = [f"{head} {term}".strip() for head in spellings for term in terms][:MAX_EXACT_SPELLINGS]
    words = [spelling.split() for spelling in spellings]
    with_articles = [" ".join(strip_article(w)) for w in words] + [f"the {s}" for s in spellings]
    return sorted(set(spellings + with_articles))


def _spans(parsed: _Question) -> Iterator[tuple[int, int]]:
    """Every span of up to MAX_SPAN_WORDS words of the question, as (start, end)."""
    for start in range(len(parsed.tokens)):
        for end in range(start + 1, min(len(parsed.tokens), start + MAX_SPAN_WORDS) + 1):
            yield start, end


def _said(exact: bool, key: tuple[Any, ...]) -> tuple[bool, str]:
    """A name query's key in the names kept between questions: its words in one string (a string
    the garbage collector does not track)."""
    return exact, "\n".join(key) if exact else "\n".join(" ".join(group) for group in key)


def _joined_query(parsed: _Question) -> tuple[str, Sequence[Any]] | None:
    """The query of the names some span of the question spells without spaces (see _fetch_names)."""
    keys = sorted({key for keys in parsed.letters.values() for key in keys})
    if not keys:
        return None
    marks = ", ".join("?" * len(keys))
    return f"SELECT {_NAME_COLUMNS} FROM names n WHERE {joined_name('n.norm')} IN ({marks})", keys


def _joined_keys(words: Sequence[str]) -> list[str]:
    """The letters of a span without spaces, with and without a leading article."""
    return _letter_keys("".join(words), "".join(strip_article(words)))


def _letter_keys(joined: str, core_joined: str) -> list[str]:
    if len(joined) < JOINED_MIN_LETTERS:
        return []
    return list(dict.fromkeys((joined, core_joined, f"the{joined}")))


def _span_letters(tokens: Sequence[str]) -> dict[tuple[int, int], list[str]]:
    """_joined_keys of every span of _spans, each span's letters those of the one before it plus a word."""
    letters: dict[tuple[int, int], list[str]] = {}
    for start in range(len(tokens)):
        joined = ""
        for end in range(start + 1, min(len(tokens), start + MAX_SPAN_WORDS) + 1):
            joined += tokens[end - 1]
            # Without a leading article, unless the article is all there is (see strip_article).
            article_left = end - start > 1 and tokens[start] in ARTICLES
            core_joined = joined[len(tokens[start]) :] if article_left else joined
            letters[start, end] = _letter_keys(joined, core_joined)
    return letters


def _joined_for_span(parsed: _Question, start: int, end: int) -> list[_Name]:
    if not parsed.joined:
        return []
    keys = parsed.letters.get((start, end)) or _joined_keys(parsed.tokens[start:end])
    return [name for key in keys for name in parsed.joined.get(key, ())]


class _Span:
    """A span's words prepared for scoring many names against it.

    What only a name that comes close needs is worked out when first asked for: most spans
    come close to no name.
    """

    def __init__(self, parsed: _Question, start: int, end: int) -> None:
        self.start, self.end = start, end
        self.words = words = parsed.tokens[start:end]
        self._flags = parsed.content[start:end]
        self._weights = parsed.weights[start:end]
        self.has_article = has_article = len(words) > 1 and words[0] in ARTICLES
        self._after = after = int(has_article)
        self.text = " ".join(words[after:])
        self.joined = "".join(words)
        self.core_joined = self.joined[len(words[0]) :] if has_article else self.joined
        self.letters, self.whole_letters = len(self.core_joined), len(self.joined)
        # The name words each core word of the span may be (itself or a typo-correction).
        self.terms = parsed.terms[start + after : end]

    @functools.cached_property
    def sound(self) -> str:
        return sound_key(self.core_joined)

    @functools.cached_property
    def weighted(self) -> list[tuple[str, float, bool]]:
        """Each word, the letters it explains when a name covers it, and whether it is content."""
        return list(zip(self.words, self._weights, self._flags, strict=True))

    @functools.cached_property
    def content(self) -> list[str]:
        return [word for word, content in zip(self.words, self._flags, strict=True) if content]

    @functools.cached_property
    def grammar(self) -> list[str]:
        """Grammar words after a leading article (which any name may lack or have)."""
        after = self._after
        return [w for w, c in zip(self.words[after:], self._flags[after:], strict=True) if not c]

    @functools.cached_property
    def lead(self) -> str:
        """The first word when it opens the span in lower case ("in", "of": the question's, before a
        name); else ""."""
        return self.words[0] if not (self._flags[0] or self.has_article) else ""


def _span_match(span: _Span, scored: list[tuple[float, _Name]], full: bool) -> _SpanMatch:
    candidates = _close(_rank_candidates(scored, MAX_CANDIDATES))
    words = max(scored, key=lambda pair: pair[0])[1].words
    # Grammar words explain something only when the name has them ("in" of "Emily in Paris").
    letters = sum(weight for word, weight, content in span.weighted if content or word in words)
    article, weight, content = span.weighted[0]
    if span.has_article and not content and article not in words:
        letters += weight  # a leading article is part of the name typed, whether the name has it or not
    value = letters * candidates[0].score / 100 - MENTION_COST
    return _SpanMatch(span.start, span.end, tuple(candidates), full, value)


def name_typo_budget(letters: int) -> int:
    """Return how many wrong letters a name of ``letters`` letters may be typed with."""
    return bisect_right(NAME_TYPO_STEPS, letters)  # the steps it reaches (every fetched name asks)


def _full_matches(span: _Span, names: Iterable[_Name]) -> list[tuple[float, _Name]]:
    """Names the span spells out, within a few typos (leading article optional), scored, above the bar.

    The span and the name are compared letter by letter without spaces, so a typo anywhere,
    words run together or split, and dropped punctuation all count as the few letters they change.
    """
    scored = []
    # Names spelled alike score alike: a character name may be held by hundreds of credits.
    by_spelling: dict[str, float | None] = {}
    for name in _spelled_closely(span, names):
        if name.norm in by_spelling:
            score = by_spelling[name.norm]
        else:
            score = by_spelling[name.norm] = _scored_full(span, name)
        if score is not None:
            scored.append((score, name))
    return scored


def _spelled_closely(span: _Span, names: Iterable[_Name]) -> list[_Name]:
    """The names within their typo budget of the span, in length and in letters, or spelled by ear:
    those _name_score scores.

    Every name fetched for a span is tested, and most are turned away, so the test is written out
    here without the calls of _name_score (its typos and sound tests as one loop, min() and abs()
    as comparisons): a third of the time of a long question's linking before.
    """
    core, whole = span.letters, span.whole_letters
    close: list[_Name] = []
    verdicts: dict[str, bool] = {}  # by spelling: a name may be held by hundreds of things
    for name in names:
        budget = name.budget
        if not (
            core - budget <= name.letters <= core + budget
            or whole - budget <= name.whole_letters <= whole + budget
        ):
            continue
        verdict = verdicts.get(name.norm)
        if verdict is None:
            verdict = verdicts[name.norm] = _spelled_within(span, name)
        if verdict:
            close.append(name)
    return close


def _spelled_within(span: _Span, name: _Name) -> bool:
    if span.text == name.core_text:
        return True
    cutoff = name.budget + 1
    typos = OSA.distance(span.core_joined, name.core_joined, score_cutoff=cutoff)
    if typos > name.budget and (span.has_article or name.has_article):
        typos = min(typos, OSA.distance(span.joined, name.joined, score_cutoff=cutoff))
    return typos <= name.budget or _sound_alike(span, name, typos)


def _full_score(span: _Span, name: _Name) -> float | None:
    """The span's score as ``name`` if it is a full match (see _full_matches), else None."""
    core_apart = abs(len(name.core_joined) - len(span.core_joined))
    if min(core_apart, abs(len(name.joined) - len(span.joined))) > name.budget:
        return None
    return _scored_full(span, name)


def _scored_full(span: _Span, name: _Name) -> float | None:
    """_full_score of a name whose length is within its typo budget of the span's."""
    score = _name_score(span, name)
    if score is not None and score >= FULL_MATCH_MIN_SCORE and _typos_supported(span, name):
        return score
    return None


def _name_score(span: _Span, name: _Name) -> float | None:
    """Score the span as ``name`` (0-100), or None when it differs by more letters than the name allows."""
    typos = 0 if span.text == name.core_text else _typos(span, name)
    if typos > name.budget and not _sound_alike(span, name, typos):
        return None
    # "rosjuntu" is Rosjuntu before The Rosjuntu, but both match.
    article_penalty = ARTICLE_MISMATCH_PENALTY if span.has_article != name.has_article else 0.0
    penalty = article_penalty
    respaced = len(span.words) - span.has_article != len(name.core) if typos else span.text != name.core_text
    if respaced:
        penalty += SPACING_PENALTY  # "castaway" is Castaway before Cast Away
    core = max(_similarity(span.text, name.core_text), _similarity(span.core_joined, name.core_joined))
    whole = max(_similarity(" ".join(span.words), name.norm), _similarity(span.joined, name.joined))
    return max(core - penalty, whole - penalty + article_penalty)


def _typos(span: _Span, name: _Name) -> int:
    """The wrong letters between the span and the name compared without spaces, with or without
    their leading articles (whichever is fewer), counted up to two over the name's typo budget."""
    cutoff = name.budget + 1
    typos = int(OSA.distance(span.core_joined, name.core_joined, score_cutoff=cutoff))
    if typos and (span.has_article or name.has_article):  # else the whole letters are the core's
        typos = min(typos, int(OSA.distance(span.joined, name.joined, score_cutoff=cutoff)))
    return typos


def _sound_alike(span: _Span, name: _Name, typos: int) -> bool:
    """Whether a span a few letters off the name spells it by ear ("stefen king", "monsta hunta")."""
    if typos > name.budget + SOUND_EXTRA_LETTERS:
        return False
    return span.sound == sound_key(name.core_joined)


def _typos_supported(span: _Span, name: _Name) -> bool:
    """Whether the span's words that are not the name's are typos with evidence.

    A number is never a typo, and a common word ("best", "ending") is one only beside a word of
    the name typed right: "the best of me" may be The Beast of Me, "best" alone is not The Beast.
    """
    strays = [word for word in span.content if word not in name.words]
    if any(word.isdigit() for word in strays):
        return False
    if span.joined in (name.joined, name.core_joined) or span.core_joined == name.core_joined:
        return True  # every letter typed right, only the spaces differ ("ste el", "spider man")
    if any(word not in name.words and not _one_letter_from(word, name.words) for word in span.grammar):
        # The question's grammar is a typo only of a word of the name: "the cast of the wild" is not
        # The Call of the Wild ("by" may be "boy").
        return False
    if span.lead and span.lead not in name.words and not _within(span.lead, name.norm.split(maxsplit=1)[0]):
        return False  # nor the word before it: "starred in dangerous ground" is not On Dangerous Ground
    if not any(is_common_word(word) for word in strays):
        return True
    return any(word in name.words and not word.isdigit() for word in span.content)


def _within(word: str, name_word: str) -> bool:
    """Whether one of the two words holds the other ("its" for "it" of It's, "he" for "the")."""
    return word in name_word or name_word in word


def _one_letter_from(word: str, name_words: Iterable[str]) -> bool:
    """Whether ``word`` is a word of the name or one letter from one ("rank" in Philip Frank Messina)."""
    return any(OSA.distance(word, other, score_cutoff=1) <= 1 for other in name_words)


def _partial_allowed(span: _Span) -> bool:
    words = span.words
    if words[0] in FUNCTION_WORDS or words[-1] in FUNCTION_WORDS:
        return False
    if sum(len(w) for w in span.content) < PARTIAL_MIN_LETTERS:
        return False
    # One common word names no one in part ("ending" is not Happy Ending), unless more words follow.
    return len(span.words) > 1 or not is_common_word(span.content[0])


def _prefix_matches(span: _Span, names: Iterable[_Name]) -> list[tuple[float, _Name]]:
    """Long names the span begins, word for word ("jurassic world fallen"); [] when too many do."""
    scored = []
    things: set[tuple[str, int]] = set()
    size = len(span.terms)
    for name in names:
        if len(name.core) <= size or name.core[0] not in span.terms[0]:
            continue  # most names are turned away by their first word, before the others are tried
        if not all(word in terms for word, terms in zip(name.core, span.terms, strict=False)):
            continue
        things.add((base_kind(name.kind), name.ref_id))
        if len(things) > MAX_PARTIAL_ENTITIES:
            return []  # the words begin too many names to name one
        scored.append((PREFIX_SCORE_WEIGHT * _similarity(span.text, " ".join(name.core[:size])), name))
    return scored


def _partial_matches(span: _Span, names: Iterable[_Name]) -> list[tuple[float, _Name]]:
    """Things the span names in part ("collins" -> Lily Collins), best first; [] when too many."""
    scored = []
    things: set[tuple[str, int]] = set()
    for name in names:
        if len(name.core) <= len(span.terms):
            continue
        positions = _align(span.terms, name.core)
        if positions is None or (len(span.terms) == 1 and span.words[-1] not in name.words):
            continue  # one word names something in part only as typed ("collins", not "colins")
        things.add((base_kind(name.kind), name.ref_id))
        if len(things) > MAX_PARTIAL_ENTITIES:
            return []  # the words are too common to name anything
        # Words the span skips inside the covered part of the name lower the score ("dr brenner"
        # for "Dr. Martin Brenner" covers "dr martin brenner").
        covered = " ".join(name.core[positions[0] : positions[-1] + 1])
        prefix = positions[0] == 0 and len(span.terms) > 1
        weight = PREFIX_SCORE_WEIGHT if prefix else PARTIAL_SCORE_WEIGHT
        scored.append((weight * _similarity(span.text, covered), name))
    return scored


def _similarity(text: str, name: str) -> float:
    """0-100 similarity counting typos as people make them (a swap of two letters is one typo)."""
    return 100.0 * float(OSA.normalized_similarity(text, name))


def _align(terms: Sequence[frozenset[str]], name_words: Sequence[str]) -> list[int] | None:
    """Where each span word sits in the name, in order; None when one is missing."""
    positions: list[int] = []
    at = 0
    for allowed in terms:
        while at < len(name_words) and name_words[at] not in allowed:
            at += 1
        if at == len(name_words):
            return None
        positions.append(at)
        at += 1
    return positions


def _rank_candidates(scored: Iterable[tuple[float, _Name]], limit: int | None = None) -> list[Candidate]:
    """One candidate per thing (aliases fold into their base), best first; the first ``limit`` of them."""
    # Each thing's best (score, alias, kind, id, text), made a Candidate only if ranked within the limit:
    # a name may be held by hundreds of things (a character's, by every credit with it).
    best: dict[tuple[str, int], tuple[float, bool, str, int, str]] = {}
    for score, name in scored:
        key = (base_kind(name.kind), name.ref_id)
        current = best.get(key)
        is_alias = name.kind.endswith("_alias")
        if current is None or score > current[0] or (score == current[0] and not is_alias):
            best[key] = (round(float(score), 1), is_alias, key[0], name.ref_id, name.text)
    things = best.values()
    ranked = (
        sorted(things, key=_candidate_order)
        if limit is None
        else nsmallest(limit, things, key=_candidate_order)
    )
    return [Candidate(kind, ref_id, text, score, alias) for score, alias, kind, ref_id, text in ranked]


def _candidate_order(best: tuple[float, bool, str, int, str]) -> tuple[float, bool, int, int]:
    score, alias, kind, ref_id, _text = best
    return -score, alias, KIND_ORDER.index(kind), ref_id


def _close(ranked: list[Candidate]) -> list[Candidate]:
    top = ranked[0].score
    return [c for c in ranked if c.score >= top - CLOSE_SCORE_MARGIN][:MAX_CANDIDATES]


def _choose(parsed: _Question, matches: list[_SpanMatch]) -> list[_SpanMatch]:
    """The interpretation that explains the question best: mentions without overlaps, in question order.

    Each mention is worth the letters it explains (weighted by its score) less a cost per mention;
    each content word left unexplained costs its letters. So the long title with one typo beats
    the short exact title that leaves a word over ("Lost Witness On Fie 9" is not Lost Witness).
    """
    return list(_best_reading(parsed, matches)[1])


def _runner_up(parsed: _Question, matches: list[_SpanMatch], chosen: list[_SpanMatch]) -> list[_SpanMatch]:
    """Another reading of the question, naming other things, about as good as the chosen one; or [].

    "tell me about adam sandla" reads as About Adam and Sandra or as Adam Sandler: the answer asks.
    """
    best_value = _best_reading(parsed, chosen)[0]
    named = _things_named(chosen)
    readings = [_best_reading(parsed, [m for m in matches if m is not left_out]) for left_out in chosen]
    # A reading that names more things than the chosen one is a worse explanation, not a rival, and
    # one made of names inside the chosen ones (Magic inside "One Magic") is the chosen one cut short.
    close = [
        (value, reading)
        for value, reading in readings
        if reading
        and _things_named(reading) != named
        and len(_things_named(reading)) <= len(named)
        and not all(_inside_any(m, chosen) for m in reading)
        and best_value - value <= READING_MARGIN
    ]
    return list(max(close, key=lambda pair: pair[0])[1]) if close else []


def _inside_any(match: _SpanMatch, reading: Sequence[_SpanMatch]) -> bool:
    return any(m.start <= match.start and match.end <= m.end for m in reading)


def _things_named(reading: Sequence[_SpanMatch]) -> frozenset[tuple[str, int]]:
    return frozenset((m.candidates[0].kind, m.candidates[0].ref_id) for m in reading)


def _best_reading(parsed: _Question, matches: list[_SpanMatch]) -> tuple[float, tuple[_SpanMatch, ...]]:
    size = len(parsed.tokens)
    starting: dict[int, list[_SpanMatch]] = {}
    for match in matches:
        starting.setdefault(match.start, []).append(match)
    best: list[tuple[float, tuple[_SpanMatch, ...]]] = [(0.0, ())] * (size + 1)
    for i in range(size - 1, -1, -1):
        options = []
        for match in starting.get(i, ()):
            value, rest = best[match.end]
            options.append((match.value + value, (match, *rest)))
        left_out = _unexplained_cost(parsed, i)
        options.append((best[i + 1][0] - left_out, best[i + 1][1]))
        best[i] = max(options, key=lambda option: option[0])  # the first of equals: a mention
    return best[0]


def _unexplained_cost(parsed: _Question, index: int) -> float:
    if not parsed.content[index]:
        return 0.0
    return UNEXPLAINED_WORD_COST + UNEXPLAINED_LETTER_COST * len(parsed.tokens[index])
