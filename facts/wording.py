"""Numbers, dates and lists written for people: "82M", "70 million", "2 October 2020", "A, B and C".

Every phrase a user reads about a figure is built here, so the bot says "82M viewers in its first
28 days" the same way in every answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# Below this a figure is written in full ("9,500"); from it on, abbreviated ("12K", "82M").
ABBREVIATE_FROM = 10_000
_SCALES = ((1_000_000_000, "B", "billion"), (1_000_000, "M", "million"), (1_000, "K", "thousand"))
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
_WEEK_OF = re.compile(r"^week (of|starting|from|ending|to) (.+)$", re.IGNORECASE)
_METRIC_UNITS = {"viewers": ("viewer", "viewers"), "views": ("view", "views")}


def _trim(value: float) -> str:
    """Write ``value`` with at most one decimal, dropping ".0" (82.0 -> "82", 1.25 -> "1.2")."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def format_number(value: float) -> str:
    """Write a figure briefly: 9500 -> "9,500", 82_000_000 -> "82M", 1_230_000_000 -> "1.2B".

    Args:
        value: the figure.

    Returns:
        The figure with a K/M/B suffix from :data:`ABBREVIATE_FROM` on, else with thousands separators.
    """
    if abs(value) < ABBREVIATE_FROM:
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    for scale, suffix, _word in _SCALES:
        # Compare after rounding, so 999,999 is "1M" rather than "1000K".
        if round(abs(value) / scale, 1) >= 1:
            return _trim(value / scale) + suffix
    return f"{value:,.0f}"


def format_number_words(value: float) -> str:
    """Write a figure in words: 70_000_000 -> "70 million", 1_200_000_000 -> "1.2 billion"."""
    for scale, _suffix, word in _SCALES[:2]:
        if round(abs(value) / scale, 1) >= 1:
            return f"{_trim(value / scale)} {word}"
    return f"{value:,.0f}"


def format_count(value: float, metric: str) -> str:
    """Write a figure with its unit: (82_000_000, "viewers") -> "82M viewers", (1, "views") -> "1 view"."""
    singular, plural = _METRIC_UNITS.get(metric, (metric, metric))
    return f"{format_number(value)} {singular if value == 1 else plural}"


def format_date(text: str) -> str:
    """Write an ISO date for people: "2020-10-02" -> "2 October 2020", "2021-05" -> "May 2021".

    Anything that is not an ISO date or month is returned unchanged.
    """
    match = _ISO_DATE.match(text.strip())
    if not match:
        return text.strip()
    year, month, day = match.group(1), int(match.group(2)), match.group(3)
    if not 1 <= month <= 12:
        return text.strip()
    if day is None:
        return f"{MONTHS[month - 1]} {year}"
    return f"{int(day)} {MONTHS[month - 1]} {year}"


def week_span(first: str, last: str) -> str:
    """Say which weeks a run of weekly figures covers: ("week ending 2023-07-16", "week ending
    2023-08-20") -> "the weeks ending 16 July to 20 August 2023" (one week: "the week ending ...");
    "" unless both windows name a week.
    """
    starts, ends = _WEEK_OF.match(first.strip()), _WEEK_OF.match(last.strip())
    if not starts or not ends or starts.group(1).casefold() != ends.group(1).casefold():
        return ""
    if first.strip() == last.strip():
        return f"the week {starts.group(1).casefold()} {format_date(starts.group(2))}"
    since, until = format_date(starts.group(2)), format_date(ends.group(2))
    first_day, last_day = _ISO_DATE.match(starts.group(2).strip()), _ISO_DATE.match(ends.group(2).strip())
    if first_day and last_day and first_day.group(3) and last_day.group(3):
        if first_day.group(1) == last_day.group(1):  # say the year once
            since = since.rsplit(" ", 1)[0]
        if first_day.group(1, 2) == last_day.group(1, 2):  # and the month
            since = str(int(first_day.group(3)))
    return f"the weeks {starts.group(1).casefold()} {since} to {until}"


def join_words(items: Sequence[str], conjunction: str = "and") -> str:
    """Join a list for a sentence: ["A"] -> "A", ["A", "B", "C"] -> "A, B and C"."""
    items = [item for item in items if item]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def window_phrase(window: str, *, possessive: str = "its") -> str:
    """Say when a figure was counted: "first 28 days" -> "in its first 28 days",
    "week of 2026-07-19" -> "in the week of 19 July 2026", "2020" -> "in 2020", "" -> "".

    Args:
        window: the viewership row's window as imported.
        possessive: "its" for one show, "their" for several.
    """
    window = window.strip()
    if not window:
        return ""
    lowered = window.casefold()
    week = _WEEK_OF.match(window)
    if week:
        return f"in the week {week.group(1).casefold()} {format_date(week.group(2))}"
    if lowered.startswith(("first ", "last ", "opening ")):
        return f"in {possessive} {lowered}"
    if lowered.startswith(("in ", "during ", "over ", "since ", "from ", "by ")):
        return window
    return f"in {format_date(window)}"


def as_of_phrase(as_of: str) -> str:
    """Write a source's date: "2021-05" -> "as of May 2021"; "" -> ""."""
    return f"as of {format_date(as_of)}" if as_of.strip() else ""


def plural_noun(noun: str, count: int) -> str:
    """Return ``noun`` for one, else its regular plural ("executive producer" -> "executive producers")."""
    if count == 1:
        return noun
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def possessive(name: str) -> str:
    """Return the possessive of a name: "Lupin" -> "Lupin's", "The Witches" -> "The Witches'"."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"
