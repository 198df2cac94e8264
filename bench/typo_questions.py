"""Questions about real names, each with one class of the mistakes people make when typing a name.

Used by ``bench/real_names.py``. A question names one gold entity (a show or a person of the
catalogue) through one phrasing family (audience, credits, filmography, "who is") and spells the
name with the mistake of its class: a letter dropped, swapped, replaced by a neighbouring key or
doubled anywhere (the first letter and words of 1-4 letters included), two words run together, a
word split, a phonetic spelling, punctuation dropped, a leading article dropped or added, a
distinctive prefix of a long title, two typos in a long title, other case or no accents, names made
of common words only, and the exact name as a control.

Everything is deterministic for a seed; each class draws from its own random stream, so adding a
class does not change the questions of the others. A typed name that is exactly another name of the
catalogue is not a typo of the gold one and is never generated; one that another name is as close to
(OSA distance) as the gold name, or whose gold name has a twin with another leading article ("The
Tempest" beside "Tempest"), is generated and flagged ``ambiguous``.
"""

from __future__ import annotations

import bisect
import random
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import OSA

from facts.normalize import fold_accents, normalize_name

ARTICLES = ("the", "a", "an")
# A word of at most this many letters is a short word (the "words of 1-4 letters").
SHORT_WORD_LETTERS = 4
# A long title, for the two-typo and prefix classes: this many words at least.
LONG_TITLE_WORDS = 3
# A prefix names at least this many words that are not function words ("Super Size", not "The Life").
PREFIX_CONTENT_WORDS = 2
# Names of fewer letters get no letter edits ("Up" typed "p" names nothing a person could tell).
MIN_EDITED_NAME_LETTERS = 5
# The share of common-word names typed in capitals rather than in lower case.
COMMON_WORDS_IN_CAPITALS = 0.2
LETTER_EDITS = ("drop", "swap", "replace", "double")

PHRASINGS: dict[str, dict[str, tuple[str, ...]]] = {
    "audience": {
        "": ("how many people watched {}?", "{} viewers", "how many views did {} get", "audience of {}"),
    },
    "credits": {
        "director": ("who directed {}?", "director of {}"),
        "writer": ("who wrote {}?", "who was the writer of {}"),
        "cast": ("who starred in {}?", "who is in the cast of {}"),
    },
    "filmography": {
        "director": ("what films did {} direct?", "movies directed by {}"),
        "writer": ("what did {} write?", "films written by {}"),
        "cast": ("what has {} been in?", "which movies did {} act in?"),
    },
    "whois": {"": ("who is {}?", "tell me about {}")},
}
FAMILIES = tuple(PHRASINGS)
SHOW_FAMILIES = ("audience", "credits")
# Classes only titles have: articles and long titles' prefixes are not how people's names go wrong.
TITLE_CLASSES = frozenset({"article_dropped", "article_added", "prefix"})
# A prefix ending in one of these is not one people type ("Tall in the").
FUNCTION_WORDS = frozenset("the a an of in on to and or for with at by from".split())

# A letter replaced by a neighbouring key, as fingers slip (QWERTY).
NEIGHBOURS = {
    "q": "wa", "w": "qeas", "e": "wrsd", "r": "etdf", "t": "ryfg", "y": "tugh", "u": "yihj",
    "i": "uojk", "o": "ipkl", "p": "ol", "a": "qwsz", "s": "awedxz", "d": "serfcx", "f": "drtgvc",
    "g": "ftyhbv", "h": "gyujnb", "j": "huikmn", "k": "jiolm", "l": "kop", "z": "asx", "x": "zsdc",
    "c": "xdfv", "v": "cfgb", "b": "vghn", "n": "bhjm", "m": "njk",
}  # fmt: skip
# Spellings by sound: each rule rewrites every place it applies in the name ("photographer" ->
# "fotografer", "super size me" -> "supa size me").
PHONETIC_RULES = (
    (r"ph", "f"),
    (r"ck", "k"),
    (r"(?<=\w)er\b", "a"),
    (r"c(?=[aou])", "k"),
    (r"ight", "ite"),
    (r"(?<=\w\w)y\b", "ie"),
    (r"qu", "kw"),
    (r"(?<=\w)x", "ks"),
    (r"tion\b", "shun"),
    (r"\bwr", "r"),
    (r"\bkn", "n"),
    (r"oo", "u"),
    (r"ough\b", "o"),
    (r"ea", "ee"),
    (r"(?<=[aeiou])s\b", "z"),
)
_PUNCTUATION = re.compile(r"['\u2019.\-]")
_OTHER_PUNCTUATION = re.compile(r"[:,!?]")


@dataclass(frozen=True)
class Entity:
    """A name questions may ask about: its kind and the credit roles it has."""

    kind: str  # "show" | "person"
    name: str
    roles: tuple[str, ...] = ()  # "director", "writer", "cast"


@dataclass(frozen=True)
class Question:
    """One generated question with its gold entity."""

    typo_class: str
    family: str  # audience | credits | filmography | whois
    text: str
    span: str  # the name as the question types it
    gold_kind: str
    gold_name: str
    ambiguous: bool = False


@dataclass
class Names:
    """Every name key of the catalogue: to refuse typos that are other names and to find prefixes."""

    keys: list[str]
    key_set: set[str] = field(init=False)

    def __post_init__(self) -> None:
        self.keys = sorted(set(self.keys))
        self.key_set = set(self.keys)

    def count_starting(self, prefix: str) -> int:
        """How many keys are ``prefix`` or start with ``prefix`` and a space."""
        start = bisect.bisect_left(self.keys, prefix)
        end = bisect.bisect_left(self.keys, prefix + "!")  # "!" sorts right after " "
        return end - start

    def has_article_variant(self, key: str) -> bool:
        """Whether ``key`` is a name, or one with a leading article added or taken away ("wild geese")."""
        first, _, rest = key.partition(" ")
        variants = {key, *(f"{article} {key}" for article in ARTICLES)} | (
            {rest} if first in ARTICLES else set()
        )
        return not variants.isdisjoint(self.key_set)

    def has_article_twin(self, key: str) -> bool:
        """Whether another name is ``key`` with a leading article added, taken away or changed."""
        first, _, rest = key.partition(" ")
        bare = rest if first in ARTICLES and rest else key
        variants = {bare, *(f"{article} {bare}" for article in ARTICLES)} - {key}
        return not variants.isdisjoint(self.key_set)

    def closer_or_equal(self, typed: str, gold: str) -> bool:
        """Whether a name other than ``gold`` is at least as close to ``typed`` as ``gold`` is."""
        limit = OSA.distance(typed, gold)
        found = process.extract(typed, self.keys, scorer=OSA.distance, score_cutoff=limit, limit=2)
        return any(key != gold for key, _distance, _index in found)


@dataclass(frozen=True)
class Typing:
    """What a class needs besides the name: the random stream, the catalogue's names, common words."""

    rng: random.Random
    names: Names
    is_common: Callable[[str], bool]
    flag_ambiguous: bool = True


TypoClass = Callable[[Typing, str], str | None]


# -- letter edits ----------------------------------------------------------------------------------


def edit_letter(rng: random.Random, word: str, edit: str, at: int) -> str | None:
    """Apply one letter ``edit`` at position ``at`` of ``word``; None when it does not apply there."""
    letter = word[at]
    if not letter.isalpha():
        return None
    if edit == "drop":
        return word[:at] + word[at + 1 :] if len(word) > 1 else None
    if edit == "double":
        return word[:at] + letter + word[at:]
    if edit == "swap":
        if at + 1 >= len(word) or not word[at + 1].isalpha() or word[at + 1].lower() == letter.lower():
            return None
        return word[:at] + word[at + 1] + letter + word[at + 2 :]
    neighbours = NEIGHBOURS.get(letter.lower(), "")
    if not neighbours:
        return None
    other = rng.choice(neighbours)
    return word[:at] + (other.upper() if letter.isupper() else other) + word[at + 1 :]


def _letters(word: str) -> int:
    return sum(ch.isalpha() for ch in word)


def _edit_some_word(
    t: Typing, name: str, edits: Sequence[str], words: Callable[[str], bool], at_first: bool = False
) -> str | None:
    tokens = name.split()
    choices = [i for i, token in enumerate(tokens) if _letters(token) and words(token)]
    if not choices or _letters(name) < MIN_EDITED_NAME_LETTERS:
        return None
    i = t.rng.choice(choices)
    token = tokens[i]
    positions = [p for p, ch in enumerate(token) if ch.isalpha()]
    at = positions[0] if at_first else t.rng.choice(positions)
    edited = edit_letter(t.rng, token, t.rng.choice(edits), at)
    if edited is None:
        return None
    tokens[i] = edited
    return " ".join(token for token in tokens if token)


def _letter_class(edit: str) -> TypoClass:
    def typo(t: Typing, name: str) -> str | None:
        return _edit_some_word(t, name, (edit,), lambda _token: True)

    typo.__doc__ = f"One letter {edit} anywhere in the name (any word, any position)."
    return typo


def first_letter(t: Typing, name: str) -> str | None:
    """A dropped, swapped, replaced or doubled first letter of a word of at least two letters."""
    return _edit_some_word(t, name, LETTER_EDITS, lambda token: _letters(token) >= 2, at_first=True)


def short_word(t: Typing, name: str) -> str | None:
    """A letter edit inside a word of 1-4 letters ("teh", "On Fie")."""
    return _edit_some_word(t, name, LETTER_EDITS, lambda token: 1 <= _letters(token) <= SHORT_WORD_LETTERS)


def two_typos(t: Typing, name: str) -> str | None:
    """Letter edits in two different words of a title of at least three words."""
    tokens = name.split()
    words = [i for i, token in enumerate(tokens) if _letters(token) >= 3]
    if len(tokens) < LONG_TITLE_WORDS or len(words) < 2:
        return None
    for i in t.rng.sample(words, 2):
        positions = [p for p, ch in enumerate(tokens[i]) if ch.isalpha()]
        edited = edit_letter(t.rng, tokens[i], t.rng.choice(LETTER_EDITS), t.rng.choice(positions))
        if edited is None:
            return None
        tokens[i] = edited
    return " ".join(tokens)


# -- word boundaries, sound, punctuation, articles -------------------------------------------------


def run_together(t: Typing, name: str) -> str | None:
    """Two neighbouring words typed as one ("thestone angel")."""
    tokens = name.split()
    pairs = [i for i in range(len(tokens) - 1) if tokens[i][-1].isalnum() and tokens[i + 1][0].isalnum()]
    if not pairs:
        return None
    i = t.rng.choice(pairs)
    return " ".join([*tokens[:i], tokens[i] + tokens[i + 1], *tokens[i + 2 :]])


def split_word(t: Typing, name: str) -> str | None:
    """One word of at least four letters typed as two ("The Cross ing Guard")."""
    tokens = name.split()
    words = [i for i, token in enumerate(tokens) if token.isalpha() and len(token) >= 4]
    if not words:
        return None
    i = t.rng.choice(words)
    at = t.rng.randint(2, len(tokens[i]) - 2)
    return " ".join([*tokens[:i], tokens[i][:at], tokens[i][at:], *tokens[i + 1 :]])


def phonetic(t: Typing, name: str) -> str | None:
    """The name spelt as it sounds by one rule applied wherever it fits ("supa size me", "fotografer")."""
    lowered = name.lower()
    rules = [(pattern, sound) for pattern, sound in PHONETIC_RULES if re.search(pattern, lowered)]
    if not rules:
        return None
    pattern, sound = t.rng.choice(rules)
    return re.sub(pattern, sound, lowered)


def punctuation(t: Typing, name: str) -> str | None:
    """Apostrophes, hyphens and full stops left out, joining what they separated ("oceans eleven",
    "spiderman"); colons and commas go too."""
    if not _PUNCTUATION.search(name):
        return None
    return " ".join(_OTHER_PUNCTUATION.sub("", _PUNCTUATION.sub("", name)).split())


def article_dropped(t: Typing, name: str) -> str | None:
    """The leading article left out ("Karate Kid" for "The Karate Kid")."""
    first, _, rest = name.partition(" ")
    return rest if first.lower() in ARTICLES and rest else None


def article_added(t: Typing, name: str) -> str | None:
    """An article put before a name that has none ("the Lupin")."""
    first = name.split()[0].lower()
    return None if first in ARTICLES else f"the {name}"


def prefix(t: Typing, name: str) -> str | None:
    """The first words of a long title that no other name begins with ("jurassic world fallen"), and
    that are no name with or without a leading article."""
    tokens = name.split()
    if len(tokens) < LONG_TITLE_WORDS:
        return None
    lengths = list(range(2, len(tokens)))
    t.rng.shuffle(lengths)
    for length in lengths:
        typed = " ".join(tokens[:length]).rstrip(":,-–")
        key = normalize_name(typed)
        words = key.split()
        if not words or words[-1] in FUNCTION_WORDS:
            continue
        if sum(word not in FUNCTION_WORDS for word in words) < PREFIX_CONTENT_WORDS:
            continue
        if t.names.count_starting(key) == 1 and not t.names.has_article_variant(key):
            return typed
    return None


def case_and_accents(t: Typing, name: str) -> str | None:
    """Accents left out, or the name in lower case or capitals."""
    folded = fold_accents(name)
    if folded != name:
        return folded if t.rng.random() < 0.5 else folded.lower()
    typed = name.lower() if t.rng.random() < 0.5 else name.upper()
    return typed if typed != name else None


def common_words(t: Typing, name: str) -> str | None:
    """A name made only of common words ("out of the past", "up"), typed as people type it: in lower
    case, or one time in five in capitals ("PLAYERS")."""
    words = normalize_name(name).split()
    if not words or not all(w.isalpha() and t.is_common(w) for w in words):
        return None
    return name.upper() if t.rng.random() < COMMON_WORDS_IN_CAPITALS else name.lower()


def exact(t: Typing, name: str) -> str | None:
    """The name exactly as the catalogue writes it (the control)."""
    return name


TYPO_CLASSES: dict[str, TypoClass] = {
    "exact": exact,
    **{edit: _letter_class(edit) for edit in LETTER_EDITS},
    "first_letter": first_letter,
    "short_word": short_word,
    "run_together": run_together,
    "split": split_word,
    "phonetic": phonetic,
    "punctuation": punctuation,
    "article_dropped": article_dropped,
    "article_added": article_added,
    "prefix": prefix,
    "two_typos": two_typos,
    "case_accents": case_and_accents,
    "common_words": common_words,
}
# Classes whose typed name normalises to the gold key (the others must differ from it).
SAME_KEY_CLASSES = frozenset({"exact", "case_accents", "common_words"})


# -- questions ------------------------------------------------------------------------------------


def make_questions(
    entities: Sequence[Entity],
    all_keys: Sequence[str],
    per_class: int,
    seed: int,
    is_common: Callable[[str], bool],
    classes: Sequence[str] = tuple(TYPO_CLASSES),
    flag_ambiguous: bool = True,
) -> list[Question]:
    """Return ``per_class`` questions of every class (fewer when too few names fit a class).

    ``flag_ambiguous=False`` skips the search for names as close as the gold one (slow over millions).
    """
    names = Names(list(all_keys))
    pools = _pools(entities, all_keys)
    questions = []
    for typo_class in classes:
        typing = Typing(random.Random(f"{seed}:{typo_class}"), names, is_common, flag_ambiguous)
        questions += _questions_of_class(typo_class, typing, pools, per_class)
    return questions


def _pools(entities: Sequence[Entity], all_keys: Sequence[str]) -> dict[str, list[Entity]]:
    """The gold candidates of each phrasing family: names no other show or person shares the key of."""
    counts = Counter(all_keys)
    unique = sorted(
        (e for e in entities if counts[normalize_name(e.name)] <= 1), key=lambda e: (e.kind, e.name)
    )
    return {
        "audience": [e for e in unique if e.kind == "show"],
        "credits": [e for e in unique if e.kind == "show" and e.roles],
        "filmography": [e for e in unique if e.kind == "person" and e.roles],
        "whois": [e for e in unique if e.kind == "person"],
    }


def _questions_of_class(
    typo_class: str, t: Typing, pools: dict[str, list[Entity]], count: int
) -> Iterator[Question]:
    families = SHOW_FAMILIES if typo_class in TITLE_CLASSES else FAMILIES
    # Each family's names in a random order, taken in turn: a class that fits few names finds them all.
    candidates = {f: iter(t.rng.sample(pools[f], len(pools[f]))) for f in families}
    used: set[str] = set()
    for number in range(count):
        # The families take turns; one whose names no longer fit the class gives its turn to the next.
        turns = [families[(number + k) % len(families)] for k in range(len(families))]
        question = next(
            (q for f in turns for q in _next_question(typo_class, t, f, candidates[f], used)), None
        )
        if question is None:
            return
        yield question


def _next_question(
    typo_class: str, t: Typing, family: str, candidates: Iterator[Entity], used: set[str]
) -> Iterator[Question]:
    """The question about the next candidate the class fits (none when no candidate is left)."""
    for gold in candidates:
        if gold.name in used:
            continue
        typed = TYPO_CLASSES[typo_class](t, gold.name)
        if typed is None or not _fits(typo_class, typed, gold.name, t.names):
            continue
        used.add(gold.name)
        yield _phrase(t, typo_class, family, gold, typed)
        return


def _fits(typo_class: str, typed: str, name: str, names: Names) -> bool:
    typed_key, gold_key = normalize_name(typed), normalize_name(name)
    if not typed_key:
        return False
    if typo_class in SAME_KEY_CLASSES:
        return typed_key == gold_key
    return typed_key != gold_key and typed_key not in names.key_set


def _phrase(t: Typing, typo_class: str, family: str, gold: Entity, typed: str) -> Question:
    role = t.rng.choice(gold.roles) if family in ("credits", "filmography") else ""
    template = t.rng.choice(PHRASINGS[family][role])
    gold_key = normalize_name(gold.name)
    # Ambiguous: another name is as close to what was typed, or is the gold name with another article.
    ambiguous = t.flag_ambiguous and (
        t.names.has_article_twin(gold_key)
        or (
            typo_class not in SAME_KEY_CLASSES | {"prefix"}
            and t.names.closer_or_equal(normalize_name(typed), gold_key)
        )
    )
    return Question(
        typo_class=typo_class,
        family=family,
        text=template.format(typed),
        span=typed,
        gold_kind=gold.kind,
        gold_name=gold.name,
        ambiguous=ambiguous,
    )
