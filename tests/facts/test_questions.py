"""Reading intent from a question's grammar words."""

from __future__ import annotations

import pytest

from facts.questions import Named, choose_intent, correct_typos, read_limit, read_signals, topic_words

SHOW = Named(shows=1)
TWO_SHOWS = Named(shows=2)
PERSON = Named(people=1)
PERSON_AND_SHOW = Named(people=1, shows=1)
CHARACTER = Named(characters=1)
NOTHING = Named()


@pytest.mark.parametrize(
    ("rest", "named", "intent"),
    [
        ("how many people watched", SHOW, "audience"),
        ("viewers for", SHOW, "audience"),
        ("which was watched more or", TWO_SHOWS, "compare"),
        ("vs", TWO_SHOWS, "compare"),
        ("how many more people watched than", TWO_SHOWS, "compare"),
        ("top 3 shows", NOTHING, "top"),
        ("most watched show", NOTHING, "top"),
        ("what was most popular comedy of 2020", NOTHING, "reverse"),
        ("who created", SHOW, "credits"),
        ("executive producers of", SHOW, "credits"),
        ("who is in the cast of", SHOW, "cast"),
        ("who stars in", SHOW, "cast"),
        ("who plays", CHARACTER, "who_plays"),
        ("who does play", PERSON, "plays_whom"),
        ("what is in", PERSON, "filmography"),
        ("what did direct", PERSON, "filmography"),
        ("who is", PERSON, "person_card"),
        ("what company is with", PERSON, "company"),
        ("is in", PERSON_AND_SHOW, "membership"),
        ("did create", PERSON_AND_SHOW, "membership"),
        ("what is", SHOW, "show_card"),
        ("tell me about", SHOW, "show_card"),
        ("when did premiere", SHOW, "show_fact"),
        ("where can i watch", SHOW, "show_fact"),
        ("was renewed", SHOW, "show_fact"),
        ("where is filmed", SHOW, "show_fact"),
        ("", SHOW, "unknown"),
        ("and", SHOW, "unknown"),
        ("who created it", NOTHING, "credits"),
    ],
)
def test_choose_intent(rest: str, named: Named, intent: str) -> None:
    assert choose_intent(read_signals(rest.split()), named) == intent


@pytest.mark.parametrize(
    ("rest", "role"),
    [
        ("who created", "creator"),
        ("who made", "creator"),
        ("who wrote", "writer"),
        ("who is the author of", "writer"),
        ("who directed", "director"),
        ("who executive produced", "executive producer"),
        ("who produces", "producer"),
        ("what studio made", "studio"),
        ("who acted in", "cast"),
        ("how many people watched", ""),
    ],
)
def test_roles(rest: str, role: str) -> None:
    assert read_signals(rest.split()).role == role


@pytest.mark.parametrize(
    ("rest", "fact"),
    [
        ("when did premiere", "premiere"),
        ("when did come out", "premiere"),
        ("what genre is", "genre"),
        ("where does stream", "network"),
        ("where did start", "original network"),
        ("is coming back for another season", "status"),
        ("where was shot", "filming location"),
        ("how many weeks was in the top 10", "top10"),
        ("what is about", "summary"),
        ("what country is from", "country"),
    ],
)
def test_show_facts(rest: str, fact: str) -> None:
    assert read_signals(rest.split()).fact == fact


def test_comparison_direction_and_difference() -> None:
    fewer = read_signals("which had fewer viewers or".split())
    difference = read_signals("how many more people watched than".split())

    assert (fewer.fewer, fewer.difference) == (True, False)
    assert (difference.fewer, difference.difference) == (False, True)


@pytest.mark.parametrize(
    ("rest", "limit"),
    [("top 3 shows", 3), ("top three", 3), ("top shows", 0), ("top 500", 25), ("5 most", 5)],
)
def test_read_limit(rest: str, limit: int) -> None:
    assert read_limit(rest.split()) == limit


@pytest.mark.parametrize(
    ("rest", "season", "metric"),
    [
        ("how many people watched season 2", "2", "viewers"),
        ("how many hours of were viewed", "", "hours viewed"),
    ],
)
def test_season_and_metric(rest: str, season: str, metric: str) -> None:
    signals = read_signals(rest.split())

    assert (signals.season, signals.metric) == (season, metric)


def test_followups_and_pronouns() -> None:
    assert read_signals("and".split()).followup
    assert read_signals("what about the cast".split()).followup
    assert read_signals("who created it".split()).pronoun
    assert not read_signals("who created".split()).followup


@pytest.mark.parametrize(
    ("words", "corrected"),
    [
        ("who wrote the scrrenplay", "who wrote the screenplay"),
        ("how many ppl wacthed", "how many ppl watched"),
        ("who is", "who is"),
        ("emilly", "emilly"),
    ],
)
def test_correct_typos_in_grammar_words(words: str, corrected: str) -> None:
    assert " ".join(correct_typos(words.split())) == corrected


def test_misspelt_role_words_still_name_the_role() -> None:
    assert read_signals("who creatd".split()).role == "creator"


def test_topic_words_drop_ranking_grammar() -> None:
    assert topic_words("what was the most popular comedy of 2020".split()) == ["comedy", "2020"]
