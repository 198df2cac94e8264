"""The words of question grammar: the parts of a question that are not names.

The linker never lets a span made only of these words stand for a name, and words left over
after linking that are not listed here are what an unknown name looks like. Words are in
:func:`facts.normalize.normalize_name` form (lower case, no accents, no punctuation).
The phrases that ask for each intent live in :mod:`facts.intents`; their words are grammar too.
Keep each group sorted.
"""

from __future__ import annotations

from facts.intents import REGISTRY
from facts.intents import phrases as _phrases

# Leading articles: "witcher" names The Witcher, so names are also compared without them.
ARTICLES = frozenset({"a", "an", "the"})

# Function words that glue a question together.
FUNCTION_WORDS = frozenset(
    """
    about after all also am and any are as at be been before being between both but by can
    could did do does doing done during each either else ever for from get gets got had has
    have having he her here hers him his how i if in into is it its just let me more most my
    neither nor not now of on one only or our out over please s she should so some such than
    that the their them then there these they this those through to too u up us versus vs
    was we were what whats when where whether which while who whom whos whose why will with
    would ya yet you your
    """.split()
)

# Words that carry the intent of a question (who plays, how many watched, cast of...).
INTENT_WORDS = frozenset(
    """
    act acted acting actor actors actress actresses appear appeared appearing appears
    attribute attributes audience audiences biggest cast casting character characters
    compare compared company created creator creators credit credits director directors
    directed directing episode episodes executive facts figure figures film films filmed
    filming genre hours info information know large list location many million millions
    movie movies much network number numbers people person persons play played players
    playing plays popular popularity premiere premiered produce produced producer producers
    production rank ranking ratings renewal renewed role roles season seasons series show
    shows star starred starring stars studio studios tell total tv viewed viewer viewers
    viewership views watch watched watching wrote write writer writers writing written
    """.split()
)

# Words of answers' questions that no phrase table lists (the phrase words are grammar on their own,
# see PHRASE_WORDS below).
ANSWER_WORDS = frozenset("dates listed minutes name runtime world".split())

# Chat shorthand people type in questions.
SHORTHAND = frozenset({"pls", "plz", "ppl", "thx", "u", "ur", "w", "whos", "wut", "y"})

# Greetings, politeness and chat around a question.
CHAT_WORDS = frozenset(
    {"bye", "good", "hello", "hey", "hi", "like", "ok", "okay", "say", "thank", "thanks", "think", "yo"}
)

# Messages made only of these are greetings, not questions: they get the usage help ("hello there",
# "hey bot"), not "I don't have facts about hello".
GREETINGS = frozenset(
    """
    all bot evening good hello help hey hi hiya howdy morning showfacts thank thanks there thx yo you
    """.split()
)

# Messages made only of these (and greetings) are chit-chat ("lol", "ok cool", "haha nice"): they get
# an invitation to ask, not "I don't have facts about lol". Checked only when nothing was named.
CHIT_CHAT = frozenset(
    """
    ah alright awesome brilliant cheers cool damn excellent fine gotcha great ha hah haha hahaha hm
    hmm interesting k kk lmao lol nice neat no nope oh ok okay perfect right sure super thank thanks
    thx ty wow yay yeah yep yes
    """.split()
)

# When and which chart: "top 10 non-English films last week", "number 1 right now".
CHART_WORDS = frozenset(
    """
    ago current currently day days english foreign international language last latest month months
    non past previous recent recently right today tonight year years yesterday
    """.split()
)

# -- the phrases facts/questions.py reads beside the intents' own (facts/intents.py) -----------------

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
# A second question in the same message starts with one of these after "and" or a comma
# ("how many watched X and who created Y"); questions also end at "?".
QUESTION_OPENERS = frozenset(_phrases("who, whos, what, whats, how, when, where, which, why"))
MAX_QUESTIONS = 3

# Words before a season's number, as people and Netflix write them ("season 2", "Part 3", "Volume 2").
SEASON_WORDS = ("season", "series", "s", "part", "volume", "vol", "chapter")
# A show's one season, as Netflix names it ("Baby Reindeer: Limited Series") and as people do.
LIMITED_SERIES = "limited series"
LIMITED_SERIES_WORDS = _phrases("limited series, miniseries, mini series")
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
# Which chart and which week narrow a ranking; they are not its topic ("top films not in English").
CHART_PHRASES = (*LATEST_WORDS, *(p for _, ps in (*CATEGORY_PHRASES, *LANGUAGE_PHRASES) for p in ps))
RANKING_GRAMMAR = frozenset(
    "what which who is was are were the a an of show shows series top most watched viewed popular best "
    "biggest largest highest ranking rankings chart hits hit ever all time by viewers views list give me "
    "tell me show me please s audience audiences numbers number one on".split()
    + [word for phrase in CHART_PHRASES for word in phrase.split()]
    + list(NUMBER_WORDS)
    + [str(n) for n in range(1, MAX_LIMIT + 1)]
)

# The phrase tables above, beside the intents' cues: their words are grammar
# (tests/facts/test_intents.py checks that no phrase table is left out).
PHRASE_TABLES: tuple[tuple[str, ...], ...] = (
    *(phrases for _name, phrases in CATEGORY_PHRASES),
    *(phrases for _name, phrases in LANGUAGE_PHRASES),
    *(phrases for _name, phrases in METRIC_PHRASES),
    FOLLOWUP_OPENERS,
    PRONOUNS,
    LATEST_WORDS,
    SEASON_WORDS,
    LIMITED_SERIES_WORDS,
    tuple(NUMBER_WORDS),
    tuple(RANKING_GRAMMAR),
)
# Numbers are never grammar to the linker: "9" and "1917" are titles.
MODIFIER_WORDS = frozenset(
    word for phrases in PHRASE_TABLES for phrase in phrases for word in phrase.split() if not word.isdigit()
)
PHRASE_WORDS = REGISTRY.phrase_words() | MODIFIER_WORDS

QUESTION_WORDS = (
    FUNCTION_WORDS
    | INTENT_WORDS
    | ANSWER_WORDS
    | SHORTHAND
    | CHAT_WORDS
    | ARTICLES
    | CHART_WORDS
    | PHRASE_WORDS
)


def is_question_word(word: str) -> bool:
    """Return whether ``word`` (normalised) belongs to question grammar rather than to a name."""
    return word in QUESTION_WORDS
