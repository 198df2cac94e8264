"""Answers about a show's own facts: premiere, network, genre, status, country, summary and the
free key/value attributes (filming locations, notable rankings, ...), and what is known when a fact is not.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from facts import lookup
from facts.answer import Answer, Field
from facts.citing import sources_of
from facts.dialect import Reader
from facts.figures import sort_for_headline
from facts.lookup import Attribute, Show
from facts.normalize import normalize_name
from facts.wording import format_count, format_date, join_words, plural_noun

ATTRIBUTE_FACTS = {
    "filming location": ("location", "filming", "filmed", "shot"),
    "status": ("renewal", "renewed", "status", "season", "cancel", "production"),
    "notable": ("ranking", "notable", "award", "record", "standing", "popular"),
    "original network": ("network history", "origin"),
}


def show_fields(show: Show) -> list[Field]:
    """Return the card fields of a show's own columns (empty ones left out)."""
    pairs = [
        ("Network", show.network),
        ("Original network", show.original_network if show.original_network != show.network else ""),
        ("Premiere", format_date(show.premiere_date)),
        ("Genre", show.genre),
        ("Format", show.format),
        ("Country", show.country),
        ("Status", show.status),
    ]
    return [Field(label, value) for label, value in pairs if value]


def synthetic_summary(show: Show, noun: str = "", platform: str = "") -> str:
    """Describe a show that has no summary: "Bridgerton is a show on Netflix.", "Glass is a film on
    Netflix." (``noun``: what its charts call it; ``platform``: where its figures were counted)."""
    where = show.network or platform
    noun = noun or "show"
    article = "an" if noun[:1].casefold() in "aeiou" else "a"
    return f"{show.title} is {article} {noun}{f' on {where}' if where else ''}."


def attributes_named(attributes: list[Attribute], words: Sequence[str]) -> list[Attribute]:
    """Return the attributes whose name the question uses ("what is the main character of X")."""
    padded = f" {' '.join(words)} "
    named = [a for a in attributes if f" {a.attribute.casefold()} " in padded]
    return named


def attribute_about(attribute: str, fact: str) -> bool:
    """Whether an attribute's name is about ``fact`` ("renewal" is about status)."""
    return any(word in attribute.casefold() for word in ATTRIBUTE_FACTS.get(fact, ()))


def attribute_answer(show: Show, attributes: list[Attribute]) -> Answer:
    """Answer with attribute values, one line per attribute: "Filming locations of X: A and B." """
    by_name: dict[str, list[str]] = {}
    for attribute in attributes:
        by_name.setdefault(attribute.attribute, []).append(attribute.value)
    lines = []
    for name, values in by_name.items():
        label = plural_noun(name, len(values))
        lines.append(f"{label[:1].upper()}{label[1:]} of {show.title}: {join_words(values)}.")
    return Answer(
        kind="answer",
        headline=lines[0],
        title=show.title,
        notes=tuple(lines[1:]),
        sources=sources_of(attributes),
    )


def _premiere(show: Show, _attributes: list[Attribute]) -> Answer | None:
    if not show.premiere_date:
        return None
    where = f" on {show.network}" if show.network else ""
    return _show_answer(show, f"{show.title} premiered{where} on {format_date(show.premiere_date)}.")


def _network(show: Show, attributes: list[Attribute]) -> Answer | None:
    if not show.network:
        return None
    headline = f"{show.title} is on {show.network}."
    if show.original_network and show.original_network != show.network:
        headline += f" It started at {show.original_network}."
    return _show_answer(show, headline, _history(attributes))


def on_platform(show: Show, platform: str, db: Reader) -> Answer:
    """ "Is X on Netflix?": yes or no, with where it is."""
    asked = normalize_name(platform)
    figures = [f for f in lookup.figures_of_show(db, show.id) if normalize_name(f.platform) == asked]
    if normalize_name(show.network) == asked or figures:
        return _show_answer(show, f"Yes: {show.title} is on {platform}.", extra=figures[:1])
    if normalize_name(show.original_network) == asked:
        now = f"; it is now on {show.network}" if show.network else ""
        return _show_answer(show, f"{show.title} started at {platform}{now}.")
    where = (
        f"{show.title} is on {show.network}" if show.network else f"I don't know where {show.title} streams"
    )
    return _show_answer(show, f"No: I have no record of {show.title} on {platform}. {where}.")


def _original_network(show: Show, attributes: list[Attribute]) -> Answer | None:
    if not show.original_network:
        return None
    headline = f"{show.title} started at {show.original_network}"
    if show.network and show.network != show.original_network:
        headline += f"; it now streams on {show.network}"
    return _show_answer(show, headline + ".", _history(attributes))


def _history(attributes: list[Attribute]) -> tuple[str, ...]:
    return tuple(f"{a.value}." for a in attributes if attribute_about(a.attribute, "original network"))


def _genre(show: Show, _attributes: list[Attribute]) -> Answer | None:
    parts = [part for part in (show.genre, show.format) if part]
    if not parts:
        return None
    return _show_answer(show, f"{show.title}: {', '.join(parts)}.")


def _status(show: Show, attributes: list[Attribute]) -> Answer | None:
    related = [a for a in attributes if attribute_about(a.attribute, "status")]
    if not show.status and not related:
        return None
    notes = tuple(f"{a.attribute[:1].upper()}{a.attribute[1:]}: {a.value}." for a in related)
    headline = (
        f"{show.title}: {show.status}." if show.status else notes[0].replace(":", f" of {show.title}:", 1)
    )
    return _show_answer(show, headline, notes if show.status else notes[1:], related)


def _country(show: Show, _attributes: list[Attribute]) -> Answer | None:
    return _show_answer(show, f"{show.title} is from {show.country}.") if show.country else None


def _summary(show: Show, _attributes: list[Attribute]) -> Answer | None:
    return _show_answer(show, f"{show.title}: {show.summary}") if show.summary else None


def _show_answer(show: Show, headline: str, notes: tuple[str, ...] = (), extra: Sequence[Any] = ()) -> Answer:
    return Answer(
        kind="answer", headline=headline, title=show.title, notes=notes, sources=sources_of([show, *extra])
    )


# Facts whose words another fact's question also uses ("what was the original network" says "network").
IMPLIED_FACTS = {"original network": ("network",)}


COLUMN_FACTS = {
    "premiere": _premiere,
    "network": _network,
    "original network": _original_network,
    "genre": _genre,
    "status": _status,
    "country": _country,
    "summary": _summary,
}


MISSING = {
    "premiere": "I don't know when {show} premiered.",
    "network": "I don't know where {show} streams.",
    "original network": "I don't know where {show} started.",
    "genre": "I don't know the genre of {show}.",
    "status": "I don't know the renewal or season status of {show}.",
    "country": "I don't know which country {show} is from.",
    "summary": "I don't have a summary of {show}.",
    "filming location": "I don't know where {show} is filmed.",
    "notable": "I don't have notable rankings for {show}.",
}


def missing_fact(show: Show, fact: str) -> str:
    """Say which fact about ``show`` is not known: "I don't know when Bridgerton premiered." """
    return MISSING.get(fact, "I don't have that fact about {show}.").format(show=show.title)


def known_about_show(db: Reader, show: Show) -> list[str]:
    """List what is known about a show, for answers that must say a fact is missing."""
    known = []
    figures = sort_for_headline(lookup.figures_of_show(db, show.id))
    if figures:
        known.append(f"its audience ({format_count(figures[0].value, figures[0].metric)})")
    if show.network:
        known.append(f"its network ({show.network})")
    if show.premiere_date:
        known.append("its premiere date")
    if show.genre:
        known.append("its genre")
    roles = {c.role for c in lookup.credits_of_show(db, show.id)}
    if "cast" in roles:
        known.append("its cast")
    credits = lookup.credits_of_show(db, show.id)
    counts = {role: sum(1 for c in credits if c.role == role) for role in roles - {"cast"}}
    known += [f"its {plural_noun(role, counts[role])}" for role in sorted(counts)]
    attributes = {a.attribute for a in lookup.attributes_of_show(db, show.id)}
    known += [f"its {name}" for name in sorted(attributes)]
    return known


def offers(show: Show, known: list[str]) -> list[str]:
    """Return follow-up questions the facts about ``show`` can answer."""
    offers = []
    if any(item.startswith("its audience") for item in known):
        offers.append(f"How many people watched {show.title}?")
    if "its cast" in known:
        offers.append(f"Who is in the cast of {show.title}?")
    offers.append(f"What is {show.title}?")
    return offers
