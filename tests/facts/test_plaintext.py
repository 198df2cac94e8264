"""Plain-text rendering: one fact per line, no markup, sources last."""

from __future__ import annotations

from facts.answer import Answer, Bar, Choice, Field, Source
from facts.plaintext import MAX_ITEMS, render_text

SOURCE = Source("Trade press report", "2021-05")


def test_card_renders_title_headline_fields_and_source() -> None:
    answer = Answer(
        kind="card",
        headline="A French drama series.",
        title="Lupin",
        fields=(Field("Network", "Netflix"), Field("Country", "France")),
        sources=(SOURCE,),
    )

    assert render_text(answer) == (
        "Lupin\nA French drama series.\nNetwork: Netflix\nCountry: France\n"
        "Source: Trade press report (as of May 2021)"
    )


def test_comparison_renders_ranked_bars_and_notes() -> None:
    answer = Answer(
        kind="answer",
        headline="Bridgerton was watched more.",
        bars=(Bar("Bridgerton", 82e6, "82M viewers"), Bar("The Witcher", 76e6, "76M viewers")),
        notes=("I have no audience figures for Paper Moons.",),
        sources=(SOURCE, Source("Streamly press site", "")),
    )

    assert render_text(answer) == (
        "Bridgerton was watched more.\n1. Bridgerton: 82M viewers\n2. The Witcher: 76M viewers\n"
        "I have no audience figures for Paper Moons.\n"
        "Sources: Trade press report (as of May 2021); Streamly press site"
    )


def test_choices_are_listed_on_one_line() -> None:
    answer = Answer(
        kind="clarify",
        headline="Did you mean A or B?",
        choices=(Choice("A", "who created A"), Choice("B", "who created B")),
    )

    assert render_text(answer) == "Did you mean A or B?\nOptions: A | B"


def test_long_item_lists_are_cut_with_a_count() -> None:
    answer = Answer(kind="answer", headline="Cast:", items=tuple(f"Actor {n}" for n in range(MAX_ITEMS + 5)))

    lines = render_text(answer).splitlines()

    assert lines[1] == "- Actor 0"
    assert lines[-1] == "... and 5 more"
    assert len(lines) == MAX_ITEMS + 2


def test_title_is_not_repeated_when_it_is_the_headline() -> None:
    answer = Answer(kind="card", headline="Lupin", title="Lupin")

    assert render_text(answer) == "Lupin"
