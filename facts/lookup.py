"""Read queries over the fact store, returning small typed records.

Every function takes the ``Database`` of an open read snapshot (``with store.read() as db``) and runs
indexed queries only, so answering stays fast on catalogues of a million titles.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from facts.dialect import SQLITE, Dialect, Reader
from facts.normalize import normalize_name


@dataclass(frozen=True)
class Show:
    """A row of ``shows``."""

    id: int
    title: str
    aliases: str
    network: str
    original_network: str
    premiere_date: str
    genre: str
    format: str
    country: str
    status: str
    summary: str
    source: str
    as_of: str


@dataclass(frozen=True)
class Person:
    """A row of ``people`` (a person or an organisation)."""

    id: int
    name: str
    kind: str
    aliases: str
    summary: str
    source: str
    as_of: str


@dataclass(frozen=True)
class Credit:
    """Someone's role on a show, with both names resolved."""

    id: int
    show_id: int
    show_title: str
    person_id: int
    person_name: str
    role: str
    character: str
    company: str
    source: str
    as_of: str


@dataclass(frozen=True)
class Figure:
    """One audience figure (a row of ``viewership``)."""

    id: int
    show_id: int
    show_title: str
    metric: str
    value: int
    season: str
    window: str
    start_date: str
    platform: str
    category: str
    hours_viewed: int | None
    rank: int | None
    weeks_in_top10: int | None
    source: str
    as_of: str


@dataclass(frozen=True)
class Attribute:
    """A free key/value fact about a show."""

    show_id: int
    show_title: str
    attribute: str
    value: str
    source: str
    as_of: str


# Rankings only need to know whether a measure has enough figures: counting stops here.
MEASURE_COUNT_CAP = 100
# A ranking of one year sorts that year's figures when there are fewer than this many.
MAX_SORTED_FIGURES = 10_000
# Substring matches fetched per whole-word match wanted.
SEARCH_OVERFETCH = 10
_SHOW_COLUMNS = (
    "id, title, aliases, network, original_network, premiere_date, genre, format, country, status, "
    "summary, source, as_of"
)
_CREDIT_SELECT = """
    SELECT c.id, c.show_id, s.title AS show_title, c.person_id, p.name AS person_name, c.role,
           c.character, c.company, c.source, c.as_of
    FROM credits c JOIN shows s ON s.id = c.show_id JOIN people p ON p.id = c.person_id
"""
_FIGURE_COLUMNS = """
    SELECT v.id, v.show_id, s.title AS show_title, v.metric, v.value, v.season,
           v.time_window AS "window", v.start_date, v.platform, v.category, v.hours_viewed, v.rank,
           v.weeks_in_top10, v.source, v.as_of
"""
_FIGURE_SHOWS = "JOIN shows s ON s.id = v.show_id"
_FIGURE_SELECT = f"{_FIGURE_COLUMNS} FROM viewership v {_FIGURE_SHOWS}"


def _rows(db: Reader, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    return list(db.query(sql, params))


def get_show(db: Reader, show_id: int) -> Show | None:
    """Return the show with this id, if any."""
    rows = _rows(db, f"SELECT {_SHOW_COLUMNS} FROM shows WHERE id = ?", (show_id,))
    return Show(**rows[0]) if rows else None


def find_show(db: Reader, title: str) -> Show | None:
    """Return the show whose normalised title is exactly that of ``title``."""
    rows = _rows(db, f"SELECT {_SHOW_COLUMNS} FROM shows WHERE title_key = ?", (normalize_name(title),))
    return Show(**rows[0]) if rows else None


def get_person(db: Reader, person_id: int) -> Person | None:
    """Return the person or organisation with this id, if any."""
    rows = _rows(
        db, "SELECT id, name, kind, aliases, summary, source, as_of FROM people WHERE id = ?", (person_id,)
    )
    return Person(**rows[0]) if rows else None


def credits_of_show(db: Reader, show_id: int) -> list[Credit]:
    """Return every credit on a show, in the order they were recorded."""
    return [
        Credit(**row) for row in _rows(db, _CREDIT_SELECT + " WHERE c.show_id = ? ORDER BY c.id", (show_id,))
    ]


def credits_of_person(db: Reader, person_id: int) -> list[Credit]:
    """Return every credit of a person, in the order they were recorded."""
    sql = _CREDIT_SELECT + " WHERE c.person_id = ? ORDER BY c.id"
    return [Credit(**row) for row in _rows(db, sql, (person_id,))]


def credits_of_company(db: Reader, company: str) -> list[Credit]:
    """Return the credits naming ``company`` (an organisation) as someone's company."""
    sql = _CREDIT_SELECT + f" WHERE {db.dialect.nocase_equals('c.company')} AND c.company != '' ORDER BY c.id"
    return [Credit(**row) for row in _rows(db, sql, (company,))]


def get_credit(db: Reader, credit_id: int) -> Credit | None:
    """Return one credit (characters link to credits)."""
    rows = _rows(db, _CREDIT_SELECT + " WHERE c.id = ?", (credit_id,))
    return Credit(**rows[0]) if rows else None


def figures_of_show(db: Reader, show_id: int) -> list[Figure]:
    """Return every audience figure of a show."""
    sql = _FIGURE_SELECT + " WHERE v.show_id = ? ORDER BY v.id"
    return [Figure(**row) for row in _rows(db, sql, (show_id,))]


def attributes_of_show(db: Reader, show_id: int) -> list[Attribute]:
    """Return the free key/value facts of a show, in the order they were recorded."""
    sql = """
        SELECT a.show_id, s.title AS show_title, a.attribute, a.value, a.source, a.as_of
        FROM show_attributes a JOIN shows s ON s.id = a.show_id WHERE a.show_id = ? ORDER BY a.id
    """
    return [Attribute(**row) for row in _rows(db, sql, (show_id,))]


def search_attributes(db: Reader, words: list[str], limit: int) -> list[Attribute]:
    """Return attributes whose value has every one of ``words`` (whole words), shortest value first.

    Used for reverse questions ("What was Netflix's most popular comedy of 2020?").
    """
    if not words:
        return []
    # Plain LIKE (case-insensitive, in C) narrows the scan; whole words are then checked on the
    # normalised value, so "3" does not match "2023".
    conditions = " AND ".join([f"a.value {db.dialect.like} ?"] * len(words))
    sql = f"""
        SELECT a.show_id, s.title AS show_title, a.attribute, a.value, a.source, a.as_of
        FROM show_attributes a JOIN shows s ON s.id = a.show_id WHERE {conditions}
        ORDER BY length(a.value), a.id LIMIT ?
    """
    params = tuple(f"%{word}%" for word in words) + (limit * SEARCH_OVERFETCH,)
    found = []
    for row in _rows(db, sql, params):
        value = f" {normalize_name(row['value'])} "
        if all(f" {word} " in value for word in words):
            found.append(Attribute(**row))
    return found[:limit]


@dataclass(frozen=True)
class Scope:
    """Narrows a ranking: one platform, one year, some chart categories (empty: everything)."""

    platform: str = ""
    year: str = ""
    categories: tuple[str, ...] = ()
    genres: tuple[str, ...] = ()  # the shows' genres or formats, as stored
    # Only seasons named as one of these words ("Baby Reindeer: Limited Series"), lower case.
    season_words: tuple[str, ...] = ()

    @property
    def narrows(self) -> bool:
        return bool(self.platform or self.year or self.categories or self.genres or self.season_words)

    def dates_in(self, window: str) -> bool:
        """Return whether figures of ``window`` are in the year only by their start date.

        A window that names the year ("week of 2021-06-06") has all its figures in it.
        """
        return bool(self.year) and self.year not in window

    def where(self, window: str, dialect: Dialect = SQLITE) -> tuple[str, tuple[str, ...]]:
        """Return SQL conditions (each starting with AND) on the figures ``v`` of one time window,
        joined to their shows ``s``."""
        sql = ""
        params: tuple[str, ...] = ()
        if self.platform:
            sql += f" AND {dialect.nocase_equals('v.platform')}"
            params += (self.platform,)
        if self.dates_in(window):
            # A range rather than LIKE, so that the viewership_start index finds the dates.
            sql += " AND v.start_date >= ? AND v.start_date < ?"
            params += (self.year, str(int(self.year) + 1))
        if self.categories:
            sql += f" AND v.category IN ({', '.join('?' * len(self.categories))})"
            params += self.categories
        if self.genres:
            marks = ", ".join("?" * len(self.genres))
            sql += f" AND (s.genre IN ({marks}) OR s.format IN ({marks}))"
            params += self.genres + self.genres
        if self.season_words:
            sql += f" AND ({' OR '.join(['lower(v.season) LIKE ?'] * len(self.season_words))})"
            params += tuple(f"%{words}%" for words in self.season_words)
        return sql, params


EVERYWHERE = Scope()


@dataclass(frozen=True)
class MeasureDates:
    """A measure (metric + window) and the first and last start dates of its figures ('' if none)."""

    metric: str
    window: str
    first_start: str
    last_start: str

    def may_meet(self, scope: Scope) -> bool:
        """Return whether some figure of this measure could be in ``scope``'s year."""
        if not scope.dates_in(self.window):
            return True
        return self.last_start >= scope.year and self.first_start < str(int(scope.year) + 1)


def figure_measures(
    db: Reader, scope: Scope = EVERYWHERE, known: Sequence[MeasureDates] | None = None
) -> list[tuple[str, str, int]]:
    """Return every (metric, window) with figures in ``scope`` and how many (counted up to
    :data:`MEASURE_COUNT_CAP`), most used first.

    ``known`` is :func:`measure_dates` of the same snapshot, if the caller kept it: the measures
    are then not looked up again, and those with no figure in the scope's year are not counted.
    """
    # Counting each measure only up to the cap reads a few of its figures when the scope has many,
    # where counting them all (GROUP BY) would read every figure: seconds at a million.
    if known is None:
        measures = _measures(db)
    else:
        measures = [(m.metric, m.window) for m in known if m.may_meet(scope)]
    counted = [(metric, window, _count_measure(db, metric, window, scope)) for metric, window in measures]
    return sorted((row for row in counted if row[2]), key=lambda row: (-row[2], row[0], row[1]))


# The next measure after (metric, window) and its first start date, in one step along viewership_start.
_NEXT_MEASURE_START = (
    "SELECT metric, time_window, start_date FROM viewership INDEXED BY viewership_start"
    " WHERE (metric, time_window) > (?, ?) ORDER BY metric, time_window, start_date LIMIT 1"
)
_LAST_START = (
    "SELECT start_date FROM viewership INDEXED BY viewership_start WHERE metric = ? AND time_window = ?"
    " ORDER BY start_date DESC LIMIT 1"
)


def measure_dates(db: Reader) -> list[MeasureDates]:
    """Return every measure with the first and last start dates of its figures (two index reads each)."""
    found = []
    row = db.execute(_NEXT_MEASURE_START, ("", "")).fetchone()
    while row is not None:
        metric, window, first = row
        last = db.execute(_LAST_START, (metric, window)).fetchone()[0]
        found.append(MeasureDates(metric, window, first, last))
        row = db.execute(_NEXT_MEASURE_START, (metric, window)).fetchone()
    return found


_FIRST_MEASURE = "SELECT metric, time_window FROM viewership ORDER BY metric, time_window LIMIT 1"
_NEXT_WINDOW = (
    "SELECT metric, time_window FROM viewership WHERE metric = ? AND time_window > ? "
    "ORDER BY time_window LIMIT 1"
)
_NEXT_METRIC = (
    "SELECT metric, time_window FROM viewership WHERE metric > ? ORDER BY metric, time_window LIMIT 1"
)


def _measures(db: Reader) -> list[tuple[str, str]]:
    # Hop from one measure to the next along the (metric, time_window, value) index instead of
    # reading every figure: a million figures usually share a handful of measures.
    found: list[tuple[str, str]] = []
    row = db.execute(_FIRST_MEASURE).fetchone()
    while row is not None:
        found.append((row[0], row[1]))
        row = (
            db.execute(_NEXT_WINDOW, (row[0], row[1])).fetchone()
            or db.execute(_NEXT_METRIC, (row[0],)).fetchone()
        )
    return found


def _count_measure(
    db: Reader, metric: str, window: str, scope: Scope = EVERYWHERE, cap: int = MEASURE_COUNT_CAP
) -> int:
    where, params = scope.where(window, db.dialect)
    shows = f" {_FIGURE_SHOWS}" if scope.genres else ""  # only a genre needs them
    sql = f"""
        SELECT count(*) FROM (
            SELECT 1 FROM viewership v{shows}
            WHERE v.metric = ? AND v.time_window = ? {where} LIMIT {cap}
        ) AS capped
    """
    return int(db.execute(sql, (metric, window, *params)).fetchone()[0])


def top_figures(
    db: Reader,
    metric: str,
    window: str,
    limit: int,
    scope: Scope = EVERYWHERE,
    *,
    lowest: bool = False,
) -> list[Figure]:
    """Return the highest figures of one measure (metric + window), biggest first (or the lowest)."""
    where, params = scope.where(window, db.dialect)
    order = "ASC" if lowest else "DESC"
    index = _ranking_index(db, metric, window, scope)
    sql = (
        f"{_FIGURE_COLUMNS} FROM viewership v INDEXED BY {index} {_FIGURE_SHOWS}"
        f" WHERE v.metric = ? AND v.time_window = ? {where} ORDER BY v.value {order}, v.id"
    )
    return [Figure(**row) for row in _rows(db, sql + " LIMIT ?", (metric, window, *params, limit))]


@dataclass(frozen=True)
class WeeklyTotal:
    """A title's (or season's) weekly chart figures of one metric in one year, added up."""

    show_id: int
    show_title: str
    season: str
    metric: str
    value: int
    weeks: int
    first_week: str  # the windows of its first and last week ("week ending 2025-01-05")
    last_week: str
    source: str
    as_of: str
    category: str = ""  # its chart category ("Films (English)")


# Weekly windows ("week ending 2025-01-05", "week of ...") as a range, so that an index finds them.
_WEEKLY_WINDOWS = "v.time_window >= 'week ' AND v.time_window < 'week~'"


def top_weekly_totals(
    db: Reader, metric: str, scope: Scope, limit: int, *, lowest: bool = False
) -> list[WeeklyTotal]:
    """Rank the titles of ``scope``'s year by their weekly figures of ``metric`` added up (one
    total per show and season), biggest first (or the lowest)."""
    where, params = replace(scope, year="").where("", db.dialect)
    order = "ASC" if lowest else "DESC"
    shows = f" {_FIGURE_SHOWS}" if scope.genres else ""  # only a genre needs them
    # Only the sums are worked out for every title of the year, from the viewership_year index
    # alone; the weeks, sources and titles are then read for the few ranked.
    sql = f"""
        SELECT v.show_id, v.season, CAST(sum(v.value) AS BIGINT) AS value, count(*) AS weeks
        FROM viewership v INDEXED BY viewership_year{shows}
        WHERE v.metric = ? AND v.start_date >= ? AND v.start_date < ? AND {_WEEKLY_WINDOWS} {where}
        GROUP BY v.show_id, v.season ORDER BY value {order}, v.show_id, v.season LIMIT ?
    """
    year = (scope.year, str(int(scope.year) + 1))
    ranked = db.execute(sql, (metric, *year, *params, limit)).fetchall()
    return [_weekly_total(db, metric, year, *row) for row in ranked]


def _weekly_total(
    db: Reader, metric: str, year: tuple[str, str], show_id: int, season: str, value: int, weeks: int
) -> WeeklyTotal:
    # Found by show and season (the unary + keeps the planner off the year index, which would
    # read every figure of the year again).
    sql = f"""
        SELECT s.title, min(v.time_window), max(v.time_window), max(v.source), max(v.as_of), max(v.category)
        FROM viewership v {_FIGURE_SHOWS}
        WHERE v.show_id = ? AND v.season = ? AND +v.metric = ? AND {_WEEKLY_WINDOWS}
          AND +v.start_date >= ? AND +v.start_date < ?
        GROUP BY s.title
    """
    title, first, last, source, as_of, category = db.execute(sql, (show_id, season, metric, *year)).fetchone()
    return WeeklyTotal(show_id, title, season, metric, value, weeks, first, last, source, as_of, category)


def weekly_span(db: Reader, metric: str, scope: Scope) -> tuple[str, str] | None:
    """Return the first and last weekly windows of ``metric`` in ``scope``'s year, if any."""
    # The year's first and last figures by date, each found at one end of the viewership_year index.
    sql = f"""
        SELECT v.time_window FROM viewership v INDEXED BY viewership_year
        WHERE v.metric = ? AND v.start_date >= ? AND v.start_date < ? AND {_WEEKLY_WINDOWS}
        ORDER BY v.start_date {{}}, v.time_window {{}} LIMIT 1
    """
    params = (metric, scope.year, str(int(scope.year) + 1))
    first = db.execute(sql.format("ASC", "ASC"), params).fetchone()
    if first is None:
        return None
    return first[0], db.execute(sql.format("DESC", "DESC"), params).fetchone()[0]


def _ranking_index(db: Reader, metric: str, window: str, scope: Scope) -> str:
    """Return the index a ranking reads: by value, unless its year leaves few figures to sort.

    Read by value, a ranking stops at its last place; but when the year keeps few of a measure's
    figures, it would read all the others first (seconds at a million).
    """
    if not scope.dates_in(window):
        return "viewership_metric"
    in_year = _count_measure(db, metric, window, Scope(year=scope.year), MAX_SORTED_FIGURES)
    if in_year < MAX_SORTED_FIGURES:
        return "viewership_start"
    return "viewership_metric"


def categories(db: Reader) -> list[str]:
    """Return the chart categories of the audience figures ("Films (English)", "TV (Non-English)")."""
    rows = _rows(db, "SELECT DISTINCT category FROM viewership WHERE category != '' ORDER BY category")
    return [row["category"] for row in rows]


def genres(db: Reader) -> list[str]:
    """Return the genres and formats of the shows ("Crime drama", "Docuseries"), A to Z."""
    sql = (
        "SELECT genre AS name FROM shows WHERE genre != ''"
        " UNION SELECT format FROM shows WHERE format != '' ORDER BY name"
    )
    return [row["name"] for row in _rows(db, sql)]


def platforms(db: Reader) -> list[str]:
    """Return the platforms audience figures were counted on, A to Z."""
    sql = "SELECT DISTINCT platform FROM viewership WHERE platform != '' ORDER BY platform"
    return [row["platform"] for row in _rows(db, sql)]


def list_shows(db: Reader, limit: int, *, newest: bool = False) -> list[Show]:
    """Return shows A to Z (by their normalised title), or the latest added first."""
    order = "id DESC" if newest else "title_key"
    sql = f"SELECT {_SHOW_COLUMNS} FROM shows ORDER BY {order} LIMIT ?"
    return [Show(**row) for row in _rows(db, sql, (limit,))]


def count_shows(db: Reader) -> int:
    """Return how many shows (and films) there are."""
    return int(db.execute("SELECT count(*) FROM shows").fetchone()[0])


def first_shows(db: Reader, limit: int) -> list[Show]:
    """Return the first few shows recorded (suggestions when there are no audience figures)."""
    return [
        Show(**row) for row in _rows(db, f"SELECT {_SHOW_COLUMNS} FROM shows ORDER BY id LIMIT ?", (limit,))
    ]
