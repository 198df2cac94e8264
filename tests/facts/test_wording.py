"""Numbers, dates and lists as people read them."""

from __future__ import annotations

import pytest

from facts.wording import (
    as_of_phrase,
    format_count,
    format_date,
    format_number,
    format_number_words,
    join_words,
    plural_noun,
    window_phrase,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "0"),
        (950, "950"),
        (9_500, "9,500"),
        (10_000, "10K"),
        (12_345, "12.3K"),
        (82_000_000, "82M"),
        (58_400_000, "58.4M"),
        (1_000_000, "1M"),
        (999_999, "1M"),
        (1_230_000_000, "1.2B"),
        (2.5, "2.5"),
    ],
)
def test_format_number_abbreviates_large_figures(value: float, expected: str) -> None:
    assert format_number(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (70_000_000, "70 million"),
        (1_200_000_000, "1.2 billion"),
        (12_500_000, "12.5 million"),
        (9_500, "9,500"),
    ],
)
def test_format_number_words_spells_the_scale(value: float, expected: str) -> None:
    assert format_number_words(value) == expected


@pytest.mark.parametrize(
    ("value", "metric", "expected"),
    [
        (82_000_000, "viewers", "82M viewers"),
        (1, "viewers", "1 viewer"),
        (4_200_000, "views", "4.2M views"),
        (25_000_000, "hours viewed", "25M hours viewed"),
    ],
)
def test_format_count_names_the_unit(value: float, metric: str, expected: str) -> None:
    assert format_count(value, metric) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020-10-02", "2 October 2020"),
        ("2021-05", "May 2021"),
        ("2026-07-19", "19 July 2026"),
        ("Autumn 2020", "Autumn 2020"),
        ("2021-13", "2021-13"),
        ("", ""),
    ],
)
def test_format_date_writes_iso_dates_for_people(text: str, expected: str) -> None:
    assert format_date(text) == expected


@pytest.mark.parametrize(
    ("items", "conjunction", "expected"),
    [
        ([], "and", ""),
        (["A"], "and", "A"),
        (["A", "B"], "and", "A and B"),
        (["A", "B", "C"], "and", "A, B and C"),
        (["A", "B"], "or", "A or B"),
        (["A", "", "C"], "and", "A and C"),
    ],
)
def test_join_words_lists_like_a_sentence(items: list[str], conjunction: str, expected: str) -> None:
    assert join_words(items, conjunction) == expected


@pytest.mark.parametrize(
    ("window", "possessive", "expected"),
    [
        ("first 28 days", "its", "in its first 28 days"),
        ("First 91 Days", "their", "in their first 91 days"),
        ("week of 2026-07-19", "its", "in the week of 19 July 2026"),
        ("Week ending 2026-07-19", "its", "in the week ending 19 July 2026"),
        ("2020", "its", "in 2020"),
        ("during 2021", "its", "during 2021"),
        ("", "its", ""),
    ],
)
def test_window_phrase_says_when_a_figure_was_counted(window: str, possessive: str, expected: str) -> None:
    assert window_phrase(window, possessive=possessive) == expected


@pytest.mark.parametrize(
    ("noun", "count", "expected"),
    [
        ("executive producer", 2, "executive producers"),
        ("studio", 1, "studio"),
        ("filming location", 3, "filming locations"),
        ("company", 2, "companies"),
        ("actress", 2, "actresses"),
    ],
)
def test_plural_noun(noun: str, count: int, expected: str) -> None:
    assert plural_noun(noun, count) == expected


def test_as_of_phrase() -> None:
    assert (as_of_phrase("2021-05"), as_of_phrase("")) == ("as of May 2021", "")
