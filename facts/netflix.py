"""Netflix Top 10 files, as Netflix publishes them, read as viewership facts.

Three files are recognised by their header rows:

* ``all-weeks-global.tsv``: one row per title per week. Netflix's week runs Monday to Sunday and
  the ``week`` column is its last day, so the window is "week ending YYYY-MM-DD" and the start date
  the Monday before. Views when ``weekly_views`` is given (from mid-2023), else hours viewed.
  Netflix has published it with 7 columns (before ``runtime`` and ``weekly_views``, to mid-2023),
  9, and 11 or 12 (launch details, from mid-2023 to mid-2025): all of them are read, and the
  launch columns, which say nothing about the audience, are ignored.
* ``most-popular_28days.tsv``: hours viewed in the first 28 days.
* ``most-popular_91days.tsv``: views in the first 91 days (hours viewed and runtime alongside).
* ``all-weeks-countries.tsv``: each country's weekly Top 10 (films and TV): ranks only, no views or
  hours; read as country ranks (:data:`facts.csvformat.COUNTRY_RANKS`), the week as above.

``N/A`` in ``season_title`` means the title has no season.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from facts.csvformat import parse_date, parse_decimal, parse_number

PLATFORM = "Netflix"
NO_SEASON = "N/A"
DAYS_BEFORE_WEEK_END = 6
# Launch details Netflix added to the weekly list from mid-2023 to mid-2025 (one name was shortened).
LAUNCH_COLUMNS = frozenset(
    {"is_staggered_launch", "episode_launch_details", "episode_launch_dtls", "runtime_override_flag"}
)


@dataclass(frozen=True)
class NetflixFile:
    """One published Netflix list: the columns that identify it and how a row becomes a figure."""

    name: str
    columns: tuple[str, ...]
    source: str
    convert: Callable[[dict[str, str]], dict[str, object]]
    # Columns some published versions of the list have and others lack.
    optional: frozenset[str] = frozenset()
    kind: str = "viewership"  # the kind of facts its rows are (facts.csvformat.KIND_BY_NAME)

    def matches(self, header: tuple[str, ...]) -> bool:
        """Whether ``header`` (in any order) is a published version of this list."""
        required = set(self.columns) - self.optional
        return required <= set(header) <= set(self.columns) | self.optional


def _optional_number(text: str) -> int | None:
    return parse_number(text) if text.strip() else None


def _optional_decimal(text: str) -> float | None:
    return parse_decimal(text) if text.strip() else None


def _season(text: str) -> str:
    return "" if text.strip() == NO_SEASON else text.strip()


def _week(cells: dict[str, str]) -> dict[str, object]:
    """The window, start date and as-of date of a row of a weekly list (``week`` is its last day)."""
    week = parse_date(cells["week"])
    start = dt.date.fromisoformat(week) - dt.timedelta(days=DAYS_BEFORE_WEEK_END)
    return {"time_window": f"week ending {week}", "start_date": start.isoformat(), "as_of": week}


def _weekly_row(cells: dict[str, str]) -> dict[str, object]:
    views = _optional_number(cells.get("weekly_views", ""))
    hours = _optional_number(cells["weekly_hours_viewed"])
    return {
        **_week(cells),
        "metric": "views" if views is not None else "hours viewed",
        "value": views if views is not None else hours,
        "hours_viewed": hours,
        "runtime_hours": _optional_decimal(cells.get("runtime", "")),
        "rank": _optional_number(cells["weekly_rank"]),
        "weeks_in_top10": _optional_number(cells["cumulative_weeks_in_top_10"]),
    }


def _country_row(cells: dict[str, str]) -> dict[str, object]:
    return {
        **_week(cells),
        "country": cells["country_name"].strip(),
        "country_code": cells["country_iso2"].strip(),
        "rank": parse_number(cells["weekly_rank"]),
        "weeks_in_top10": _optional_number(cells["cumulative_weeks_in_top_10"]),
    }


def _first_28_days_row(cells: dict[str, str]) -> dict[str, object]:
    hours = parse_number(cells["hours_viewed_first_28_days"])
    return {
        "metric": "hours viewed",
        "value": hours,
        "time_window": "first 28 days",
        "hours_viewed": hours,
        "rank": _optional_number(cells["rank"]),
    }


def _first_91_days_row(cells: dict[str, str]) -> dict[str, object]:
    return {
        "metric": "views",
        "value": parse_number(cells["views_first_91_days"]),
        "time_window": "first 91 days",
        "hours_viewed": _optional_number(cells["hours_viewed_first_91_days"]),
        "runtime_hours": _optional_decimal(cells["runtime"]),
        "rank": _optional_number(cells["rank"]),
    }


NETFLIX_FILES = (
    NetflixFile(
        "all-weeks-global",
        (
            "week",
            "category",
            "weekly_rank",
            "show_title",
            "season_title",
            "weekly_hours_viewed",
            "runtime",
            "weekly_views",
            "cumulative_weeks_in_top_10",
        ),
        "Netflix Top 10 (all-weeks-global)",
        _weekly_row,
        optional=frozenset({"runtime", "weekly_views"}) | LAUNCH_COLUMNS,
    ),
    NetflixFile(
        "most-popular 28 days",
        ("category", "rank", "show_title", "season_title", "hours_viewed_first_28_days"),
        "Netflix Top 10 (most popular, first 28 days)",
        _first_28_days_row,
    ),
    NetflixFile(
        "most-popular 91 days",
        (
            "category",
            "rank",
            "show_title",
            "season_title",
            "hours_viewed_first_91_days",
            "runtime",
            "views_first_91_days",
        ),
        "Netflix Top 10 (most popular, first 91 days)",
        _first_91_days_row,
    ),
    NetflixFile(
        "all-weeks-countries",
        (
            "country_name",
            "country_iso2",
            "week",
            "category",
            "weekly_rank",
            "show_title",
            "season_title",
            "cumulative_weeks_in_top_10",
        ),
        "Netflix Top 10 (all-weeks-countries)",
        _country_row,
        kind="country_ranks",
    ),
)


def recognise_netflix(header: tuple[str, ...]) -> NetflixFile | None:
    """Return the Netflix list that ``header`` is a published version of, if any."""
    return next((file for file in NETFLIX_FILES if file.matches(header)), None)


def netflix_figure(file: NetflixFile, cells: dict[str, str]) -> tuple[str, dict[str, object]]:
    """Return ``(show title, columns of its kind of facts)`` for one row of a Netflix list.

    Raises:
        ValueError: a number or date cell that Netflix would not have written.
    """
    values: dict[str, object] = {
        "season": _season(cells["season_title"]),
        "platform": PLATFORM,
        "category": cells["category"].strip(),
        "source": file.source,
        "as_of": "",
        "start_date": "",
        "weeks_in_top10": None,
    }
    if file.kind == "viewership":
        values["runtime_hours"] = None
    values.update(file.convert(cells))
    return cells["show_title"].strip(), values
