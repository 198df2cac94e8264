"""Countries' weekly Top 10 places (the ``country_ranks`` table) and where a question names a country.

Netflix publishes each country's weekly Top 10 films and TV (all-weeks-countries): places only, no
views. A question names a country as a place, "in France", "top 10 in Japan"; a show may carry a
country's name too ("Japan", "Love Is Blind: Brazil"), so a country is only read where the question
puts a place: after "in" (or "for"), or as words that name nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from facts.dialect import Reader
from facts.normalize import normalize_name

# Words before a place ("in France", "for Japan"); "the" may follow ("in the United States").
PLACE_WORDS = frozenset({"in", "for"})
ARTICLE = "the"
# The longest country name, in words ("Bosnia and Herzegovina", "Trinidad and Tobago").
MAX_COUNTRY_WORDS = 4
# Country names of at least this many letters are recognised with one wrong letter ("frnace").
TYPO_MIN_LENGTH = 5


@dataclass(frozen=True)
class CountryRank:
    """One title's place in one country's weekly Top 10."""

    show_id: int
    show_title: str
    season: str
    country: str
    rank: int
    window: str
    category: str
    weeks_in_top10: int | None
    source: str
    as_of: str


_SELECT = """
    SELECT r.show_id, s.title AS show_title, r.season, r.country, r.rank, r.time_window AS "window",
           r.category, r.weeks_in_top10, r.source, r.as_of
    FROM country_ranks r JOIN shows s ON s.id = r.show_id
"""


def country_names(db: Reader) -> list[str]:
    """Return the countries with Top 10 places, A to Z."""
    # Hop along country_ranks_week from one country to the next instead of reading every place.
    found: list[str] = []
    row = db.execute("SELECT min(country) FROM country_ranks").fetchone()
    while row is not None and row[0] is not None:
        found.append(row[0])
        row = db.execute("SELECT min(country) FROM country_ranks WHERE country > ?", (row[0],)).fetchone()
    return found


def newest_week(db: Reader, country: str) -> str:
    """Return the newest weekly window of ``country``'s Top 10 ('' if it has none)."""
    row = db.execute("SELECT max(time_window) FROM country_ranks WHERE country = ?", (country,)).fetchone()
    return str(row[0] or "")


def weeks_of(db: Reader, country: str) -> tuple[str, str]:
    """Return the first and last weekly windows of ``country``'s Top 10."""
    row = db.execute(
        "SELECT min(time_window), max(time_window) FROM country_ranks WHERE country = ?", (country,)
    ).fetchone()
    return str(row[0] or ""), str(row[1] or "")


def top_of_week(
    db: Reader, country: str, window: str, limit: int, categories: Sequence[str] = ()
) -> list[CountryRank]:
    """Return the places 1 to ``limit`` of ``country``'s Top 10 of one week, by category then place."""
    where = f" AND r.category IN ({', '.join('?' * len(categories))})" if categories else ""
    sql = (
        f"{_SELECT} WHERE r.country = ? AND r.time_window = ? AND r.rank <= ?{where}"
        " ORDER BY r.category DESC, r.rank, r.id"
    )
    rows = db.query(sql, (country, window, limit, *categories))
    return [CountryRank(**row) for row in rows]


def categories_of_week(db: Reader, country: str, window: str) -> list[str]:
    """Return the categories of ``country``'s Top 10 in one week ("Films", "TV")."""
    sql = "SELECT DISTINCT category FROM country_ranks WHERE country = ? AND time_window = ? ORDER BY 1"
    return [row[0] for row in db.execute(sql, (country, window))]


def places_of_show(db: Reader, show_id: int, country: str) -> list[CountryRank]:
    """Return a show's places in ``country``'s Top 10, oldest week first."""
    sql = f"{_SELECT} WHERE r.show_id = ? AND r.country = ? ORDER BY r.season, r.time_window, r.rank"
    return [CountryRank(**row) for row in db.query(sql, (show_id, country))]


def find_country(
    tokens: Sequence[str],
    countries: Mapping[str, str],
    taken: Sequence[tuple[int, int]],
    unknown: Sequence[str],
) -> tuple[str, int, int] | None:
    """Return the country a question names as a place, and its token span ``[start, end)``.

    Args:
        tokens: the question's normalised words.
        countries: normalised country name -> the name as stored.
        taken: the spans of the names the linker found; a country inside a longer name is part of it
            ("Love Is Blind: Brazil"), one that is a name of its own after "in" is the place ("in Japan").
        unknown: the words the linker took for names it does not know.
    """
    unknown_norms = {normalize_name(text).removeprefix(f"{ARTICLE} ") for text in unknown}
    best: tuple[str, int, int] | None = None
    for start in range(len(tokens)):
        for end in range(min(len(tokens), start + MAX_COUNTRY_WORDS), start, -1):
            # Where a place can be first (cheap), then whether it is a country (a typo costs a search).
            if not _is_place(tokens, start, end, taken, unknown_norms):
                continue
            name = _country_of(" ".join(tokens[start:end]), countries)
            if name is None:
                continue
            best = (name, start, end)  # the last place named wins: "was Japan in the top 10 in Japan"
            break
    return best


def _country_of(text: str, countries: Mapping[str, str]) -> str | None:
    if text in countries:
        return countries[text]
    if len(text) < TYPO_MIN_LENGTH or " " in text:
        return None
    match = process.extractOne(text, list(countries), scorer=OSA.distance, score_cutoff=1)
    return countries[match[0]] if match else None


def _is_place(
    tokens: Sequence[str], start: int, end: int, taken: Sequence[tuple[int, int]], unknown: set[str]
) -> bool:
    before = start - 1 if start and tokens[start - 1] != ARTICLE else start - 2
    after_place_word = before >= 0 and tokens[before] in PLACE_WORDS
    for first, last in taken:
        if first < end and start < last:  # overlaps a name the linker found
            return after_place_word and (first, last) == (start, end)
    return after_place_word or " ".join(tokens[start:end]) in unknown


def without_span(tokens: Sequence[str], start: int, end: int) -> tuple[str, ...]:
    """Return the words of a question without the country and the place word before it."""
    if start and tokens[start - 1] == ARTICLE:
        start -= 1
    if start and tokens[start - 1] in PLACE_WORDS:
        start -= 1
    return (*tokens[:start], *tokens[end:])
