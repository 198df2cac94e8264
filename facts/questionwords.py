"""The words of question grammar: the parts of a question that are not names.

The linker never lets a span made only of these words stand for a name, and words left over
after linking that are not listed here are what an unknown name looks like. Words are in
:func:`facts.normalize.normalize_name` form (lower case, no accents, no punctuation).
Helper code that detects intents may add words here; keep each group sorted.
"""

from __future__ import annotations

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

# Words the answerer (facts/questions.py) reads as intent: show facts, rankings, comparisons.
# Added by helper B2.
ANSWER_WORDS = frozenset(
    """
    accolades achievement achievements against agency air aired airs author authored authors
    award awards beat began begin behind better bigger cancel canceled cancelled channel coming
    country debut debuted debuts describe details difference employer eps exec famous featured
    fewer filmography firm format formats genres higher highest invented kind larger largest
    launch launched least less locations lower lowest made make maker makers makes moved
    nationality networks notable original originally overview penned performer performers
    platform plot portray portrayed portrays premieres premiering premise projects ranked
    rankings release released releases renew returning saw screenplay screenwriter screenwriters
    script scripted scriptwriter seen service shoot shooting shot showrunner showrunners smaller
    smallest standing standings start started status storyline stream streamed streaming streams
    summary synopsis ten top tuned type week weeks worked
    date dates direct listed name story world employs staff long length minutes runtime
    """.split()
)

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

# When and which chart: "top 10 non-English films last week", "number 1 right now".
CHART_WORDS = frozenset(
    """
    ago current currently day days english foreign international language last latest month months
    non past previous recent recently right today tonight year years yesterday
    """.split()
)

QUESTION_WORDS = (
    FUNCTION_WORDS | INTENT_WORDS | ANSWER_WORDS | SHORTHAND | CHAT_WORDS | ARTICLES | CHART_WORDS
)


def is_question_word(word: str) -> bool:
    """Return whether ``word`` (normalised) belongs to question grammar rather than to a name."""
    return word in QUESTION_WORDS
