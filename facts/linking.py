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

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, Levenshtein

from facts.nameindex import NameIndex, Variant, count_typos, query_rows, typo_budget
from facts.normalize import normalize_name
from facts.questionwords import ARTICLES, FUNCTION_WORDS, QUESTION_WORDS, is_question_word
from facts.store import FactStore

# Kinds in the order equally good candidates are listed (then oldest first).
KIND_ORDER = ("show", "person", "organisation", "character")
KINDS = frozenset(KIND_ORDER)
# Longest span of question words tried as one name.
MAX_SPAN_WORDS = 10
# Score (0-100) below which a full-name match is not trusted.
FULL_MATCH_MIN_SCORE = 70.0
# A name matched without its leading article (or with one it lacks) ranks just below an exact one.
ARTICLE_MISMATCH_PENALTY = 1.0
# Partial names ("collins" -> Lily Collins) rank below full ones and count only when at most
# this many things could be meant; more than that and the word is too common to name anything.
PARTIAL_SCORE_WEIGHT = 0.8
MAX_PARTIAL_ENTITIES = 2
PARTIAL_MIN_LETTERS = 4
# Candidates within this many points of the best are kept: the answer asks which was meant.
CLOSE_SCORE_MARGIN = 4.0
MAX_CANDIDATES = 5
# Above this many names per fetch, only names spelled exactly like the span are fetched,
# trying at most this many spellings (the closest corrections of each word first).
FETCH_CAP = 400
# A span of one word held by more names than this cannot name anything in part (at most
# MAX_PARTIAL_ENTITIES things may be meant), so only the names spelled like it are fetched.
ONE_WORD_FETCH_CAP = 40
EXACT_SPELLINGS_PER_WORD = 4
MAX_EXACT_SPELLINGS = 64
# Suggestions ("did you mean ...?") are looser: one more typo per word, a lower bar.
SUGGEST_EXTRA_TYPOS = 1
SUGGEST_FETCH_LIMIT = 300
SUGGEST_MAX_DOCS = 20_000
SUGGEST_MIN_SCORE = 70.0
# Connectors that may sit inside an unknown name ("House of the Dragon").
NAME_CONNECTORS = frozenset({"of", "the", "and"})
# In a question that names something known, other unknown words are chatter ("i was wondering
# who directed X", "X lol") unless capitalised or in a slot where names go: after one of these
# words or a comma ("X and Y", "who plays Emily in Y").
NAME_SLOT_WORDS = frozenset({"about", "against", "and", "between", "from", "in", "of", "on", "or"})
NAME_SLOT_WORDS |= frozenset({"than", "versus", "vs", "with"})
QUESTION_WORD_TYPO_MIN_LENGTH = 5
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

    def rest(self) -> tuple[str, ...]:
        """Return the tokens outside every mention (the question's grammar, for intents)."""
        inside = {i for mention in self.mentions for i in range(mention.start, mention.end)}
        return tuple(token for i, token in enumerate(self.tokens) if i not in inside)


@dataclass(frozen=True)
class _Name:
    kind: str
    ref_id: int
    text: str  # the display name of the thing (its title or name, also when matched by alias)
    norm: str  # the matched name or alias, normalised
    # Split once per fetch: a name is tested against every span of the question.
    words: frozenset[str] = field(init=False, compare=False)
    core: tuple[str, ...] = field(init=False, compare=False)  # its words without a leading article
    has_article: bool = field(init=False, compare=False)

    def __post_init__(self) -> None:
        words = self.norm.split()
        core = tuple(strip_article(words))
        object.__setattr__(self, "words", frozenset(words))
        object.__setattr__(self, "core", core)
        object.__setattr__(self, "has_article", len(core) < len(words))


@dataclass
class _Question:
    """A question's words with their original spelling and the vocabulary words they may be."""

    text: str
    tokens: list[str]
    chunks: list[int]  # index of the original whitespace-separated chunk of each token
    originals: list[str]  # the original chunks
    variants: list[list[Variant]] = field(default_factory=list)
    fetched: dict[str, list[_Name]] = field(default_factory=dict)  # per question, by query

    def original(self, start: int, end: int) -> str:
        chunk_ids = sorted(set(self.chunks[start:end]))
        return _TRIM.sub("", " ".join(self.originals[i] for i in chunk_ids))

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

    def rank_key(self) -> tuple[bool, int, float, int]:
        # Full names before partial ones: "directed by John" must not eat the John of "John Boorman".
        return (self.full, self.end - self.start, self.candidates[0].score, -self.start)


def base_kind(kind: str) -> str:
    """Return the kind a name row stands for: aliases fold into their base kind."""
    return kind.removesuffix("_alias")


def strip_article(words: Sequence[str]) -> Sequence[str]:
    """Return ``words`` without a leading article, unless the article is all there is."""
    return words[1:] if len(words) > 1 and words[0] in ARTICLES else words


class Linker:
    """Links questions to the names in a fact store; cheap to call once per question."""

    def __init__(self, store: FactStore) -> None:
        self.store = store
        self.index = NameIndex(store)

    def link(self, question: str, *, kinds: frozenset[str] | None = None) -> Linking:
        """Find the names in ``question``; never raises on odd input.

        Args:
            question: the question as typed.
            kinds: restrict matches to these kinds (show, person, organisation, character).
        """
        self.index.refresh()
        parsed = self._parse(question)
        matches = self._span_matches(parsed, kinds)
        chosen = _choose(matches)
        mentions = tuple(
            Mention(m.start, m.end, parsed.original(m.start, m.end), m.candidates) for m in chosen
        )
        unknown = self._unknown_spans(parsed, chosen)
        return Linking(question, tuple(parsed.tokens), mentions, unknown)

    def link_name(self, text: str, *, kinds: frozenset[str] | None = None) -> Mention | None:
        """Link ``text`` believed to be one name as a whole; None when nothing matches it."""
        self.index.refresh()
        parsed = self._parse(text)
        if not parsed.tokens:
            return None
        match = self._match_span(parsed, 0, len(parsed.tokens), kinds, allow_grammar=True)
        if match is None:
            return None
        return Mention(0, len(parsed.tokens), parsed.original(0, len(parsed.tokens)), match.candidates)

    def suggest(self, text: str, *, kinds: frozenset[str] | None = None, limit: int = 3) -> list[Candidate]:
        """Return names that look like ``text`` by a looser standard, best first.

        For "I don't have facts about X - did you mean ...?": label these as suggestions.
        """
        self.index.refresh()
        words = normalize_name(text).split()
        content = [w for w in words if w not in FUNCTION_WORDS] or words
        groups = [self.index.variants(w, extra_typos=SUGGEST_EXTRA_TYPOS) for w in content]
        terms = _rarest_terms([group for group in groups if group])
        if not terms:
            return []
        query = " OR ".join(f'"{term}"' for term in sorted(terms))
        names = self._fetch(query, limit=SUGGEST_FETCH_LIMIT, ranked=True)
        wanted = " ".join(strip_article(words))
        scored = [
            (fuzz.ratio(wanted, " ".join(strip_article(name.norm.split()))), name)
            for name in names
            if _kind_ok(name.kind, kinds)
        ]
        scored = [(score, name) for score, name in scored if score >= SUGGEST_MIN_SCORE]
        return _rank_candidates(scored)[:limit]

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
        return parsed

    def _token_variants(self, token: str) -> list[Variant]:
        if is_question_word(token):
            docs = self.index.docs.get(token)
            return [Variant(token, 0, docs)] if docs else []
        return self.index.variants(token)

    # -- spans -----------------------------------------------------------------------------

    def _span_matches(self, parsed: _Question, kinds: frozenset[str] | None) -> list[_SpanMatch]:
        matches: list[_SpanMatch] = []
        for start in range(len(parsed.tokens)):
            matches.extend(self._matches_from(parsed, start, kinds))
        return matches

    def _matches_from(
        self, parsed: _Question, start: int, kinds: frozenset[str] | None
    ) -> Iterator[_SpanMatch]:
        """The matches of the spans starting at ``start``, shortest first."""
        known: list[_Name] | None = None  # every name holding the span's words, when known
        for end in range(start + 1, min(len(parsed.tokens), start + MAX_SPAN_WORDS) + 1):
            if not parsed.variants[end - 1]:
                return
            if known is not None:
                # The names of a longer span are those of the shorter one that hold its new word.
                known = [name for name in known if _holds_word(name, parsed.variants[end - 1])]
            if not self._has_content(parsed, start, end):
                continue
            names, complete = (known, True) if known is not None else self._names_for_span(parsed, start, end)
            if not names and complete:
                return  # a longer span only adds words every name must contain
            known = names if complete else None
            match = self._score_span(parsed, start, end, names, kinds)
            if match is not None:
                yield match

    def _has_content(self, parsed: _Question, start: int, end: int) -> bool:
        """Whether the span holds a word that is not grammar (or is capitalised like a title)."""
        return any(not is_question_word(parsed.tokens[i]) or parsed.capitalised(i) for i in range(start, end))

    def _match_span(
        self,
        parsed: _Question,
        start: int,
        end: int,
        kinds: frozenset[str] | None,
        *,
        allow_grammar: bool = False,
    ) -> _SpanMatch | None:
        if not all(parsed.variants[start:end]):
            return None
        if not allow_grammar and not self._has_content(parsed, start, end):
            return None
        names, _ = self._names_for_span(parsed, start, end)
        return self._score_span(parsed, start, end, names, kinds) if names else None

    def _names_for_span(self, parsed: _Question, start: int, end: int) -> tuple[list[_Name], bool]:
        """Return the names holding every word of the span, and whether that is all of them.

        When every word of the span is common, only names spelled exactly like the span (after
        typo correction, with or without a leading article) are fetched: a common word alone
        does not say which of its thousands of names is meant.
        """
        groups = parsed.variants[start:end]
        content = [
            g for g, t in zip(groups, parsed.tokens[start:end], strict=True) if t not in FUNCTION_WORDS
        ]
        rarest = sorted(content or groups, key=lambda group: sum(v.docs for v in group))[:2]
        cap = FETCH_CAP if len(rarest) > 1 else ONE_WORD_FETCH_CAP
        complete = min(sum(v.docs for v in g) for g in rarest) <= cap
        if complete:
            key = " AND ".join("(" + " OR ".join(f'"{v.term}"' for v in g) + ")" for g in rarest)
        else:
            key = "\n".join(_spellings(groups))
        if key not in parsed.fetched:
            parsed.fetched[key] = self._fetch(key) if complete else self._fetch_exact(key.split("\n"))
        return [name for name in parsed.fetched[key] if _contains_words(name, groups)], complete

    def _fetch(self, query: str, *, limit: int = -1, ranked: bool = False) -> list[_Name]:
        sql = (
            f"SELECT {_NAME_COLUMNS} FROM names_fts f JOIN names n ON n.id = f.rowid"
            " WHERE names_fts MATCH ?" + (" ORDER BY f.rank" if ranked else "") + " LIMIT ?"
        )
        return [_Name(*row) for row in query_rows(self.store, sql, (query, limit))]

    def _fetch_exact(self, norms: list[str]) -> list[_Name]:
        marks = ", ".join("?" * len(norms))
        sql = f"SELECT {_NAME_COLUMNS} FROM names n WHERE n.norm IN ({marks})"
        return [_Name(*row) for row in query_rows(self.store, sql, norms)]

    def _score_span(
        self, parsed: _Question, start: int, end: int, names: list[_Name], kinds: frozenset[str] | None
    ) -> _SpanMatch | None:
        span = _Span(parsed.tokens[start:end], parsed.variants[start:end])
        eligible = [name for name in names if _kind_ok(name.kind, kinds)]
        full = _full_matches(span, eligible)
        if full:
            return _SpanMatch(start, end, tuple(_close(_rank_candidates(full))), True)
        if self._partial_allowed(span.words):
            partial = _partial_matches(span, eligible)
            if partial:
                return _SpanMatch(start, end, tuple(_close(partial)), False)
        return None

    @staticmethod
    def _partial_allowed(words: Sequence[str]) -> bool:
        if words[0] in FUNCTION_WORDS or words[-1] in FUNCTION_WORDS:
            return False
        return sum(len(w) for w in words if not is_question_word(w)) >= PARTIAL_MIN_LETTERS

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
    return any(count_typos(token, word) <= budget for word, _, _ in found)


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


def _spellings(groups: Sequence[Sequence[Variant]]) -> list[str]:
    """Spellings of a span from the closest corrections of its words, with and without an article."""
    spellings = [""]
    for group in groups:
        terms = [v.term for v in group[:EXACT_SPELLINGS_PER_WORD]]
        spellings = [f"{head} {term}".strip() for head in spellings for term in terms][:MAX_EXACT_SPELLINGS]
    words = [spelling.split() for spelling in spellings]
    with_articles = [" ".join(strip_article(w)) for w in words] + [f"the {s}" for s in spellings]
    return sorted(set(spellings + with_articles))


def _contains_words(name: _Name, groups: Sequence[Sequence[Variant]]) -> bool:
    return all(_holds_word(name, group) for group in groups)


def _holds_word(name: _Name, group: Sequence[Variant]) -> bool:
    return any(v.term in name.words for v in group)


class _Span:
    """A span's words prepared for scoring many names against it."""

    def __init__(self, words: Sequence[str], groups: Sequence[Sequence[Variant]]) -> None:
        self.words = words
        core = strip_article(words)
        self.has_article = len(core) < len(words)
        self.text = " ".join(core)
        # The name words each core word of the span may be (itself or a typo-correction).
        self.terms = [frozenset(v.term for v in group) for group in groups[len(words) - len(core) :]]


def _full_matches(span: _Span, names: Iterable[_Name]) -> list[tuple[float, _Name]]:
    """Names the span covers word for word (leading article optional), scored, above the bar.

    Span words must be the name's words in order, each as itself or a typo-correction.
    """
    size = len(span.terms)
    scored = []
    for name in names:
        if len(name.core) == size and all(
            word in terms for word, terms in zip(name.core, span.terms, strict=True)
        ):
            # "rosjuntu" is Rosjuntu before The Rosjuntu, but both match.
            penalty = ARTICLE_MISMATCH_PENALTY if span.has_article != name.has_article else 0.0
            score = _similarity(span.text, " ".join(name.core)) - penalty
            if score >= FULL_MATCH_MIN_SCORE:
                scored.append((score, name))
    return scored


def _partial_matches(span: _Span, names: Iterable[_Name]) -> list[Candidate]:
    """Things the span names in part ("collins" -> Lily Collins), best first; [] when too many."""
    scored = []
    things: set[tuple[str, int]] = set()
    for name in names:
        if len(name.core) <= len(span.terms):
            continue
        positions = _align(span.terms, name.core)
        if positions is None:
            continue
        things.add((base_kind(name.kind), name.ref_id))
        if len(things) > MAX_PARTIAL_ENTITIES:
            return []  # the words are too common to name anything
        # Words the span skips inside the covered part of the name lower the score ("dr brenner"
        # for "Dr. Martin Brenner" covers "dr martin brenner").
        covered = " ".join(name.core[positions[0] : positions[-1] + 1])
        scored.append((PARTIAL_SCORE_WEIGHT * _similarity(span.text, covered), name))
    return _rank_candidates(scored)


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


def _rank_candidates(scored: Iterable[tuple[float, _Name]]) -> list[Candidate]:
    """One candidate per thing (aliases fold into their base), best first."""
    best: dict[tuple[str, int], Candidate] = {}
    for score, name in scored:
        key = (base_kind(name.kind), name.ref_id)
        current = best.get(key)
        is_alias = name.kind.endswith("_alias")
        if current is None or score > current.score or (score == current.score and not is_alias):
            best[key] = Candidate(key[0], name.ref_id, name.text, round(float(score), 1), is_alias)
    return sorted(best.values(), key=lambda c: (-c.score, c.via_alias, KIND_ORDER.index(c.kind), c.ref_id))


def _close(ranked: list[Candidate]) -> list[Candidate]:
    top = ranked[0].score
    return [c for c in ranked if c.score >= top - CLOSE_SCORE_MARGIN][:MAX_CANDIDATES]


def _choose(matches: list[_SpanMatch]) -> list[_SpanMatch]:
    """Full names first, longest spans first, then the rest that do not overlap them, in question order."""
    taken: set[int] = set()
    chosen: list[_SpanMatch] = []
    for match in sorted(matches, key=_SpanMatch.rank_key, reverse=True):
        span = set(range(match.start, match.end))
        if not span & taken:
            chosen.append(match)
            taken |= span
    return sorted(chosen, key=lambda m: m.start)
