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

# -- the phrases facts/questions.py reads as intent --------------------------------------------------


def _phrases(text: str) -> tuple[str, ...]:
    """Split a comma-separated list of phrases (kept as text so the lists stay readable)."""
    return tuple(" ".join(phrase.split()) for phrase in text.split(",") if phrase.strip())


# Roles in the order they are tested: a longer, more specific phrase wins ("executive producer"
# before "producer", "studio" before "made").
ROLE_PHRASES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "executive producer",
        _phrases("""
        executive producer, executive producers, executive produced, executive produces, executive
        produce, exec producer, exec producers, eps, ep
    """),
    ),
    (
        "studio",
        _phrases("""
        studio, studios
    """),
    ),
    (
        "director",
        _phrases("""
        directed, direct, directs, director, directors, directing, direction
    """),
    ),
    (
        "writer",
        _phrases("""
        wrote, write, writes, writer, writers, written, writing, screenwriter, screenwriters,
        author, authors, authored, penned, scriptwriter, screenplay, scripted, script
    """),
    ),
    (
        "creator",
        _phrases("""
        created, create, creates, creator, creators, made, make, makes, maker, makers, came up with,
        invented, showrunner, showrunners, behind
    """),
    ),
    (
        "producer",
        _phrases("""
        produced, produce, produces, producer, producers, producing
    """),
    ),
    (
        "cast",
        _phrases("""
        cast, casts, stars, star, starring, starred, actor, actors, actress, actresses, acted, act,
        who in, who s in, who is in, who was in, who are in, who else is in,
        acts, acting, appear, appears, appeared, appearing, performers, performer, lead, leads,
        featured, features
    """),
    ),
)

PLAY_WORDS = _phrases(
    """
    play, plays, played, playing, portray, portrays, portrayed, character, characters, role, roles,
    part
    """
)

AUDIENCE_WORDS = _phrases(
    """
    watched, watch, viewers, viewer, viewership, audience, audiences, views, viewed, how many
    people, how many ppl, saw, seen, ratings, rating, hours viewed, hours, tuned in, streamed,
    numbers, figures, figure, how popular, how big, how successful, how well
    """
)

COMPARE_WORDS = _phrases(
    """
    more, fewer, less, most, least, bigger, biggest, smaller, smallest, larger, largest, higher,
    highest, lower, lowest, vs, versus, compare, compared, comparison, than, or, better, beat,
    against, which
    """
)

FEWER_WORDS = _phrases(
    """
    fewer, less, least, smaller, smallest, lower, lowest, worse, worst
    """
)

DIFFERENCE_WORDS = _phrases(
    """
    how many more, how many fewer, how much more, how much bigger, how much less, difference, by how
    much, how many less, gap
    """
)

TOP_WORDS = _phrases(
    """
    top, most watched, most viewed, most popular, biggest, largest, highest, ranking, rankings,
    leaderboard, chart, best, most, popular, hits, hit, rank, least watched, least viewed,
    least popular, lowest, smallest, least, number one, number 1
    """
)

CARD_WORDS = _phrases(
    """
    who is, who s, what is, what s, tell me about, about, info, information, describe, who was, what
    was, details, card, overview
    """
)

COMPANY_WORDS = _phrases(
    """
    company, companies, production company, firm, works for, work for, works at, work at,
    works with, work with, employer, employs, employ, agency, banner, outfit, staff
    """
)

MEMBERSHIP_WORDS = _phrases(
    """
    is, was, does, did, has, are
    """
)

FILMOGRAPHY_WORDS = _phrases(
    """
    in, shows, show, series, movies, movie, films, film, filmography, credits, credit, worked on,
    work on, known for, works, projects
    """
)

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

# Show facts: (fact, phrases). Tested in order; the first that matches is the fact asked about.
FACT_PHRASES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "top10",
        _phrases("""
        top 10, top ten, weeks, best rank, rank, ranked, ranking, number one, number 1, chart,
        charted
    """),
    ),
    (
        "filming location",
        _phrases("""
        filmed, filming, film, shot, shoot, shooting, location, locations, where is it set, set in
    """),
    ),
    (
        "original network",
        _phrases("""
        originally, original, started, start, set up, began, begin, first network, moved, move,
        origin, history
    """),
    ),
    (
        "status",
        _phrases("""
        renewed, renewal, renew, cancelled, canceled, cancel, status, next season, another season,
        coming back, come back, returning, return, in production, new season, is there a season,
        will there be a season, will there be another, is there another, ended, ending, still
    """),
    ),
    (
        "premiere",
        _phrases("""
        premiere, premiered, premieres, premiering, release, released, releases, debut, debuted,
        debuts, come out, came out, launched, launch, first aired, air date, start date, when
    """),
    ),
    (
        "network",
        _phrases("""
        stream, streams, streaming, network, networks, channel, platform, where can i watch, where
        to watch, where can i see, airs, aired, air, on what, service
    """),
    ),
    (
        "genre",
        _phrases("""
        genre, genres, kind of show, type of show, what kind, what type, format, formats, category,
        how long, episode length, sort of show
    """),
    ),
    (
        "notable",
        _phrases("""
        notable, known for, award, awards, achievement, achievements, record, records, standing,
        standings, accolade, accolades, famous
    """),
    ),
    (
        "country",
        _phrases("""
        country, which country, what country, nationality, where is it from, where from
    """),
    ),
    (
        "summary",
        _phrases("""
        plot, premise, summary, story, synopsis, is about, s about, was about, are about, storyline
    """),
    ),
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
# Asking what the bot knows at all ("what shows do you know?", "list shows", "what's new?").
BROWSE_WORDS = _phrases(
    """
    what shows do you know, what do you know about, which shows do you know, what shows do you have,
    which shows do you have, what do you know, list shows, list all shows, list the shows, list of shows,
    list titles, all shows, all titles, every show, your shows, what shows, which shows, catalogue,
    catalog, browse, whats new, what new, what is new, anything new, new shows, newest shows, recently added,
    latest shows
    """
)
# Browsing the newest first: "what's new", "recently added".
# A second question in the same message starts with one of these after "and" or a comma
# ("how many watched X and who created Y"); questions also end at "?".
QUESTION_OPENERS = frozenset(_phrases("who, whos, what, whats, how, when, where, which, why"))
MAX_QUESTIONS = 3

NEWEST_WORDS = _phrases("new, newest, recent, recently, latest")
# Words before a season's number, as people and Netflix write them ("season 2", "Part 3", "Volume 2").
SEASON_WORDS = ("season", "series", "s", "part", "volume", "vol", "chapter")
# A show's one season, as Netflix names it ("Baby Reindeer: Limited Series") and as people do.
LIMITED_SERIES = "limited series"
LIMITED_SERIES_WORDS = _phrases("limited series, miniseries, mini series")
# Figures over time ("how did X do week by week?"): answered with a chart.
TREND_WORDS = _phrases(
    """
    week by week, weekly, by week, each week, every week, per week, over time, trend, trends,
    trending, graph
    """
)
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

# Every phrase table above: their words are grammar (tests/facts/test_questions.py checks that none
# is left out).
PHRASE_TABLES: tuple[tuple[str, ...], ...] = (
    *(phrases for _name, phrases in ROLE_PHRASES),
    *(phrases for _name, phrases in FACT_PHRASES),
    *(phrases for _name, phrases in CATEGORY_PHRASES),
    *(phrases for _name, phrases in LANGUAGE_PHRASES),
    *(phrases for _name, phrases in METRIC_PHRASES),
    PLAY_WORDS,
    AUDIENCE_WORDS,
    COMPARE_WORDS,
    FEWER_WORDS,
    DIFFERENCE_WORDS,
    TOP_WORDS,
    CARD_WORDS,
    COMPANY_WORDS,
    MEMBERSHIP_WORDS,
    FILMOGRAPHY_WORDS,
    FOLLOWUP_OPENERS,
    PRONOUNS,
    LATEST_WORDS,
    TREND_WORDS,
    SEASON_WORDS,
    LIMITED_SERIES_WORDS,
    BROWSE_WORDS,
    NEWEST_WORDS,
    tuple(NUMBER_WORDS),
    tuple(RANKING_GRAMMAR),
)
# Numbers are never grammar to the linker: "9" and "1917" are titles.
PHRASE_WORDS = frozenset(
    word for phrases in PHRASE_TABLES for phrase in phrases for word in phrase.split() if not word.isdigit()
)

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
