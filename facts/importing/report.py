"""How an import is written for people: figures, row labels, changed cells, totals, times."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from facts.answer import Field
from facts.csvformat import DEFAULT_METRIC, PEOPLE, SHOWS, VIEWERSHIP, Kind
from facts.errors import FactsError

MAX_REPORTED_PROBLEMS = 50
MAX_REPORTED_CHANGES = 50
MAX_NAMED_ROWS = 10
MAX_SHOWN_VALUE_CHARS = 60
SINGULAR = {"shows": "show", "people": "person", "credits": "credit", "viewership": "figure"}


def singular(kind_name: str) -> str:
    return SINGULAR.get(kind_name, "attribute")


def format_figure(value: Any) -> str:
    """Write a number the way people read it (70000000 -> "70M", 1500 -> "1.5k", 1234567 -> "1,234,567")."""
    if not isinstance(value, int) or isinstance(value, bool):
        return _shorten(str(value if value is not None else ""))
    for size, suffix in ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "k")):
        # One decimal at most, and "k"/"M" only below the next unit: 7,051,063,700 stays written out.
        fits = suffix == "B" or abs(value) < size * 1000
        if fits and abs(value) >= size and value % (size // 10) == 0:
            whole, tenths = divmod(value // (size // 10), 10)
            return f"{whole}.{tenths}{suffix}" if tenths else f"{whole}{suffix}"
    return f"{value:,}"


def _shorten(text: str) -> str:
    if len(text) <= MAX_SHOWN_VALUE_CHARS:
        return repr(text)
    return repr(text[: MAX_SHOWN_VALUE_CHARS - 1] + "…")


def describe_row(kind: Kind, values: Mapping[str, Any]) -> str:
    """Return how a row is named in messages: "Lupin — viewers (first 28 days)", "Dark — Louis (cast)"."""
    show = values.get("show", "")
    if kind is SHOWS:
        return str(values.get("title", ""))
    if kind is PEOPLE:
        return str(values.get("name", ""))
    if kind.name == "credits":
        # One actor may play several characters in one show: the character tells those credits apart.
        as_character = f" as {values['character']}" if values.get("character") else ""
        return f"{show} — {values.get('name', '')} ({values.get('role', '')}{as_character})"
    if kind is VIEWERSHIP:
        season = f", {values['season']}" if values.get("season") else ""
        window = values.get("time_window") or "no window"
        return f"{show} — {values.get('metric') or DEFAULT_METRIC} ({window}{season})"
    if kind.name == "country_ranks":
        season = f", {values['season']}" if values.get("season") else ""
        window = values.get("time_window") or "no window"
        return f"{show} — {values.get('country', '')} Top 10 ({window}{season})"
    return f"{show} — {values.get('attribute', '')}: {values.get('value', '')}"


def change_line(kind: Kind, old: Mapping[str, Any], new: Mapping[str, Any], names: Mapping[str, Any]) -> str:
    """Return one changed row: "Lupin — viewers (first 28 days): 70M -> 71M"."""
    label = describe_row(kind, {**old, **new, **names})
    differences = [column for column, value in new.items() if old.get(column) != value]
    if kind is VIEWERSHIP and differences == ["value"]:
        return f"{label}: {format_figure(old['value'])} -> {format_figure(new['value'])}"
    described = [
        f"{column} {format_figure(old.get(column))} -> {format_figure(new[column])}" for column in differences
    ]
    return f"{label}: {'; '.join(described)}"


def sum_counts(counts: Mapping[str, Mapping[str, int]]) -> dict[str, int]:
    totals = {"added": 0, "changed": 0, "unchanged": 0, "removed": 0}
    for kind_counts in counts.values():
        for name, value in kind_counts.items():
            totals[name] += value
    return totals


def describe_totals(totals: Mapping[str, int]) -> str:
    parts = [
        f"{totals['added']:,} added",
        f"{totals['changed']:,} changed",
        f"{totals['unchanged']:,} unchanged",
    ]
    if totals.get("removed"):
        parts.append(f"{totals['removed']:,} removed")
    return ", ".join(parts)


def count_fields(counts: Mapping[str, Mapping[str, int]]) -> tuple[Field, ...]:
    return tuple(Field(name, describe_totals(kind_counts)) for name, kind_counts in counts.items())


def reverted_fields(counts: Mapping[str, Mapping[str, int]]) -> tuple[Field, ...]:
    """Return what undoing an import did to each kind: "2 removed, 1 changed back, 3 put back"."""
    fields = []
    for name, kind_counts in counts.items():
        parts = [
            f"{kind_counts[count]:,} {done}"
            for count, done in (("added", "removed"), ("changed", "changed back"), ("removed", "put back"))
            if kind_counts.get(count)
        ]
        fields.append(Field(name, ", ".join(parts) or "nothing to revert"))
    return tuple(fields)


def short_time(iso: str | None) -> str:
    return (iso or "")[:16].replace("T", " ") + " UTC" if iso else ""


def capped(lines: list[str], total: int, cap: int = MAX_REPORTED_CHANGES, what: str = "") -> list[str]:
    """Return the first ``cap`` of ``total`` lines, and how many more there are."""
    if total > cap:
        return [*lines[:cap], f"… and {total - cap:,} more{' ' + what if what else ''}."]
    return lines


def refusal(total: int, shown: list[str]) -> FactsError:
    """The error refusing a whole import: ``total`` problems, the first of them ``shown``."""
    if total > MAX_REPORTED_PROBLEMS:
        shown = [*shown, f"\u2026 and {total - MAX_REPORTED_PROBLEMS} more."]
    return FactsError(
        f"Nothing was imported: {total} problem{'s' if total != 1 else ''} found.",
        "Fix them and import the files again.",
        tuple(shown),
    )
