"""Write ``questions.jsonl``: questions about Netflix's real Top 10 files and their answers, worked out
from the files themselves (never from showfacts).

Reads only files in tests/data: this folder's cut of Netflix's lists (``make_subset.py``), the
per-country list (``../netflix_countries``) and the 11- and 12-column versions of the weekly list
(``../import/netflix_variants``). Each line is one question and what a right answer holds:

- ``contains``: texts the answer's plain-text rendering must hold (a list inside it: any one of them);
- ``bars``: a ranking's rows, ``[label, value]``, in order (equal values in any order);
- ``items``: a list's lines, in order; ``sources``: the first source named; ``kind`` and ``intent``;
- ``parts``: how many answers a message of several questions gets;
- ``files``: what is imported before asking (default: this folder's three files and the countries;
  paths from tests/data).

Run ``python tests/data/netflix_questions/make_expected.py`` after ``make_subset.py``; the test
(tests/facts/test_netflix_questions.py) asks every question and checks every expectation.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
DATA = HERE.parent
WEEKLY = HERE / "all-weeks-global.tsv"
DAYS_91 = HERE / "most-popular_91days.tsv"
DAYS_28 = HERE / "most-popular_28days.tsv"
COUNTRIES = DATA / "netflix_countries" / "all-weeks-countries.tsv"
VARIANTS = DATA / "import" / "netflix_variants"
# The bundled seed's credits (the only cast Netflix's lists leave room for): "is X in Y?" on top of them.
SEED_CREDITS = DATA / "../../facts/seed/credits.csv"
YEAR = "2024"
WEEKLY_SOURCE = "Netflix Top 10 (all-weeks-global)"
SOURCE_91 = "Netflix Top 10 (most popular, first 91 days)"
SOURCE_28 = "Netflix Top 10 (most popular, first 28 days)"
COUNTRY_SOURCE = "Netflix Top 10 (all-weeks-countries)"
# Shows asked about season by season, and films and single seasons asked about whole.
SHOWS = ("Wednesday", "Squid Game", "Bridgerton", "The Witcher", "Lupin", "Money Heist", "The Night Agent",
         "Emily in Paris", "Stranger Things", "Love, Death & Robots", "Unsolved Mysteries", "Baby Reindeer",
         "Adolescence", "Fool Me Once")  # fmt: skip
TITLES = ("Red Notice", "Glass Onion: A Knives Out Mystery", "Extraction 2", "KPop Demon Hunters",
          "Baby Reindeer", "Adolescence", "Fool Me Once")  # fmt: skip
COUNTRY_TITLES = ("Inventing Anna", "All of Us Are Dead", "Vikings: Valhalla", "The Tinder Swindler",
                  "Wednesday", "Red Notice", "Bridgerton", "Squid Game", "Business Proposal")  # fmt: skip
SCALES = ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "K"))


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def number(value: float) -> str:
    """82_000_000 -> "82M", 15_240_000 -> "15.2M", 9_500 -> "9,500" (how people write audiences)."""
    if value < 10_000:
        return f"{value:,.0f}"
    for scale, suffix in SCALES:
        if round(value / scale, 1) >= 1:
            text = f"{value / scale:.1f}"
            return (text[:-2] if text.endswith(".0") else text) + suffix
    return f"{value:,.0f}"


def day(iso: str) -> str:
    date = dt.date.fromisoformat(iso)
    return f"{date.day} {date:%B %Y}"


def week_start(week: str) -> dt.date:
    return dt.date.fromisoformat(week) - dt.timedelta(days=6)


def label(row: dict[str, str]) -> str:
    """What Netflix calls a row's title: its season's name ("Lupin: Part 3"), else the show's."""
    season = row["season_title"]
    return row["show_title"] if season == "N/A" else season


def key(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", " ", text.casefold()).strip()


def audience(
    label_: str, weekly: list[dict[str, str]], in_91: dict[str, str] | None, in_28: dict[str, str] | None
) -> tuple[list[Any], str]:
    """The headline figure of one title or season, and its source: views before hours, then the
    longest window (first 91 days, first 28 days, a week), then a week's peak. Of its weeks, those
    counted as most of them were (Netflix counted hours to mid-2023, views after: a week of views
    when a season came back after a run in hours is not its peak)."""
    views = [row for row in weekly if row["weekly_views"]]
    hours = [row for row in weekly if not row["weekly_views"]]
    if in_91 is not None:
        said = number(int(in_91["views_first_91_days"]))
        return [f"{label_} had {said} views in its first 91 days"], SOURCE_91
    if views and len(views) >= len(hours):
        return _peak(label_, views, "weekly_views", "views"), WEEKLY_SOURCE
    if in_28 is not None:
        said = number(int(in_28["hours_viewed_first_28_days"]))
        return [f"{label_} had {said} hours viewed in its first 28 days"], SOURCE_28
    return _peak(label_, hours, "weekly_hours_viewed", "hours viewed"), WEEKLY_SOURCE


def _peak(label_: str, weekly: list[dict[str, str]], column: str, unit: str) -> list[Any]:
    best = max(int(row[column]) for row in weekly)
    weeks = [row["week"] for row in weekly if int(row[column]) == best]
    said = f"{label_} had {number(best)} {unit}"
    if len(weeks) > 1:  # two best weeks: either may be named
        return [said, "its best week in the Top 10"]
    best_of = ", its best week in the Top 10" if len(weekly) > 1 else "."  # one week is no best
    return [f"{said} in the week ending {day(weeks[0])} on Netflix{best_of}"]


def possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


class Expectations:
    def __init__(self) -> None:
        self.weekly = rows(WEEKLY)
        self.days_91 = {(r["show_title"], label(r)): r for r in rows(DAYS_91)}
        self.days_28 = {(r["show_title"], label(r)): r for r in rows(DAYS_28)}
        self.countries = rows(COUNTRIES)
        self.lines: list[dict[str, Any]] = []

    def add(self, cls: str, question: str, **expected: Any) -> None:
        self.lines.append({"class": cls, "question": question, **expected})

    def seasons_of(self, show: str) -> dict[str, list[dict[str, str]]]:
        found: dict[str, list[dict[str, str]]] = defaultdict(list)
        for row in self.weekly:
            if row["show_title"] == show:
                found[label(row)].append(row)
        return dict(sorted(found.items(), key=lambda item: min(r["week"] for r in item[1])))

    # -- the classes of questions ---------------------------------------------------------------------

    def seasons(self) -> None:
        """A season however Netflix names it: season N, part N, volume N, limited series."""
        for show in SHOWS:
            for name, weekly in self.seasons_of(show).items():
                question = _season_question(show, name)
                if question is None:
                    continue
                contains, source = audience(name, weekly, self.days_91.get((show, name)),
                                            self.days_28.get((show, name)))  # fmt: skip
                self.add("season", question, intent="audience", contains=contains, sources=[source])

    def whole_titles(self) -> None:
        """A film or a one-season show asked about whole: the headline says which figure it is."""
        films_2024 = [name for name, _value in self.year_totals(lambda r: r["category"].startswith("Films"))]
        for title in (*TITLES, *films_2024[:8]):
            [(name, weekly)] = self.seasons_of(title).items()
            contains, source = audience(name, weekly, self.days_91.get((title, name)),
                                        self.days_28.get((title, name)))  # fmt: skip
            self.add("headline", f"how many people watched {title}?", intent="audience", contains=contains,
                     sources=[source])  # fmt: skip

    def weeks_in_top_10(self) -> None:
        """Weeks in the Top 10 counted season by season, never added across seasons."""
        for show in SHOWS:
            seasons = self.seasons_of(show)
            said = []
            for name, weekly in seasons.items():
                weeks = max(int(row["cumulative_weeks_in_top_10"]) for row in weekly)
                assert weeks == len(weekly), (name, "every week of the title is in the subset")
                best = min(int(row["weekly_rank"]) for row in weekly)
                short = name.removeprefix(f"{show}: ")
                said.append([f"{short} was {weeks} weeks in the Top 10 (best rank {best})",
                             f"{short} was {weeks} weeks (best rank {best})",
                             f"{short} was {weeks} weeks in the Top 10, best rank {best}"])  # fmt: skip
                question = _season_question(show, name, "how many weeks was {show} {season} in the top 10?")
                if question is not None and len(seasons) > 1:
                    self.add("weeks", question, intent="show_fact",
                             contains=[f"{name} was {weeks} weeks in the Top 10, best rank {best}"],
                             sources=[WEEKLY_SOURCE])  # fmt: skip
            if not show.startswith("Stranger"):
                self.add("weeks", f"how many weeks was {show} in the top 10?", intent="show_fact",
                         contains=said, sources=[WEEKLY_SOURCE])  # fmt: skip

    def year_totals(self, wanted: Any) -> list[tuple[str, int]]:
        totals: dict[str, int] = defaultdict(int)
        for row in self.weekly:
            if str(week_start(row["week"]).year) == YEAR and row["weekly_views"] and wanted(row):
                totals[label(row)] += int(row["weekly_views"])
        return sorted(totals.items(), key=lambda item: -item[1])

    def year_rankings(self) -> None:
        """A year ranks every week of it added up, by category; films are called films."""

        def category(*starts: str) -> Any:
            return lambda row: row["category"].startswith(starts)

        limited = lambda row: "limited series" in row["season_title"].casefold()  # noqa: E731
        asked = [
            ("top 5 shows in {year}", lambda row: True, "titles"),
            ("top 5 tv shows in {year}", category("TV"), "TV shows"),
            ("top 5 films in {year}", category("Films"), "films"),
            ("top 10 films in {year}", category("Films"), "films"),
            ("top 3 English films in {year}", category("Films (English)"), "films in English"),
            ("top 10 non-English films in {year}", category("Films (Non-English)"), "films not in English"),
            ("top 5 English TV shows in {year}", category("TV (English)"), "TV shows in English"),
            ("top 3 non-English tv shows in {year}", category("TV (Non-English)"), "TV shows not in English"),
            ("top 3 non-English shows in {year}", category("TV (Non-English)", "Films (Non-English)"), ""),
            ("top 3 limited series in {year}", limited, "limited series"),
            ("top 5 miniseries in {year}", limited, "limited series"),
            ("most watched film in {year}", category("Films"), "film"),
            ("most watched TV show in {year}", category("TV"), "TV show"),
            ("top 20 tv shows in {year}", category("TV"), "TV shows"),
        ]
        first, last = min(_year_weeks(self.weekly)), max(_year_weeks(self.weekly))
        how = f"Added up: the weeks ending {_span(first, last)}; weeks out of the Top 10 count nothing."
        for template, wanted, noun in asked:
            question = template.format(year=YEAR)
            limit = int(re.findall(r"\d+", question.replace(YEAR, ""))[0]) if "top" in question else 1
            totals = self.year_totals(wanted)
            if len(totals) > limit and totals[limit - 1][1] == totals[limit][1]:
                continue  # a tie at the last place: either title may be named
            contains = [how, f" {noun} in {YEAR}" if limit > 1 else f"the most watched {noun} in {YEAR}"]
            self.add("year", question, intent="top", bars=[list(t) for t in totals[:limit]],
                     contains=contains if noun else [how], sources=[WEEKLY_SOURCE])  # fmt: skip

    def last_week(self) -> None:
        """The newest week's chart, by category (ranked by views)."""
        newest = max(row["week"] for row in self.weekly)
        week = [row for row in self.weekly if row["week"] == newest]
        asked = [
            ("top 10 non-English films last week", ("Films (Non-English)",), 10),
            ("top 5 TV shows last week", ("TV (English)", "TV (Non-English)"), 5),
            ("top 3 English films last week", ("Films (English)",), 3),
            ("top 10 English tv shows this week", ("TV (English)",), 10),
            (
                "what was number 1 last week?",
                ("Films (English)", "Films (Non-English)", "TV (English)", "TV (Non-English)"),
                1,
            ),  # fmt: skip
            ("most watched film last week", ("Films (English)", "Films (Non-English)"), 1),
            ("top 3 non-English shows this week", ("TV (Non-English)", "Films (Non-English)"), 3),
        ]
        for question, categories, limit in asked:
            chart = sorted(((label(r), int(r["weekly_views"])) for r in week if r["category"] in categories),
                           key=lambda item: -item[1])  # fmt: skip
            if len(chart) > limit and chart[limit - 1][1] == chart[limit][1]:
                continue
            self.add("last_week", question, intent="top", bars=[list(c) for c in chart[:limit]],
                     contains=[f"the week ending {day(newest)}"], sources=[WEEKLY_SOURCE])  # fmt: skip

    def films_and_shows(self) -> None:
        """A film is a film, a series a TV show, in the language Netflix lists it under."""
        nouns = {
            "Films (English)": "an English-language film",
            "Films (Non-English)": "a non-English film",
            "TV (English)": "an English-language TV show",
            "TV (Non-English)": "a non-English TV show",
        }
        for title in (*TITLES, "Wednesday", "Squid Game", "Lupin", "Money Heist", "The Witcher", "Carry-On"):
            categories = {row["category"] for row in self.weekly if row["show_title"] == title}
            [category] = categories
            self.add("what_is", f"what is {title}", kind="card", intent="show_card",
                     contains=[f"{title} is {nouns[category]} on Netflix."])  # fmt: skip

    def country_places(self) -> None:
        """Each country's newest week: its number 1s, its Top 10, and whether a title was in it."""
        by_country: dict[str, list[dict[str, str]]] = defaultdict(list)
        for row in self.countries:
            by_country[row["country_name"]].append(row)
        for country, places in by_country.items():
            newest = max(row["week"] for row in places)
            weeks = sorted({row["week"] for row in places})
            week = sorted((r for r in places if r["week"] == newest),
                          key=lambda r: (r["category"] != "TV", int(r["weekly_rank"])))  # fmt: skip
            firsts = [f"{label(r)} ({'TV' if r['category'] == 'TV' else 'films'})" for r in week
                      if r["weekly_rank"] == "1"]  # fmt: skip
            when = f"the week ending {day(newest)}"
            have = f"I have {possessive(country)} Top 10 for the weeks ending {_span(weeks[0], weeks[-1])}."
            self.add("country", f"what's #1 in {country}?", intent="country_top",
                     contains=[f"Number 1 in {country} in {when}: {' and '.join(firsts)}.", have],
                     sources=[COUNTRY_SOURCE])  # fmt: skip
            self.add("country", f"top 10 in {country} last week", intent="country_top",
                     items=[f"{r['category']} #{r['weekly_rank']} {label(r)}" for r in week],
                     sources=[COUNTRY_SOURCE])  # fmt: skip
            films = [r for r in week if r["category"] == "Films"][:3]
            self.add("country", f"top 3 films in {country.lower()}", intent="country_top",
                     items=[f"Films #{r['weekly_rank']} {label(r)}" for r in films])  # fmt: skip
            for title in COUNTRY_TITLES:
                mine = [r for r in places if r["show_title"] == title]
                question = f"was {title} in the top 10 in {country}?"
                if not mine:
                    if any(r["show_title"] == title for r in self.countries) or self._in_weekly(title):
                        known = _span(weeks[0], weeks[-1])
                        no = (
                            f"No: {title} was not in {possessive(country)} Top 10 in the weeks ending {known}"
                        )
                        self.add("country", question, intent="country_rank", contains=[no],
                                 sources=[COUNTRY_SOURCE])  # fmt: skip
                    continue
                seasons = {label(r) for r in mine}
                if len(seasons) > 1:
                    continue
                ranks = sorted(mine, key=lambda r: r["week"])
                what = "TV" if ranks[0]["category"] == "TV" else "films"
                span = _span(ranks[0]["week"], ranks[-1]["week"]) if len(ranks) > 1 else day(ranks[0]["week"])
                span = f"the weeks ending {span}" if len(ranks) > 1 else f"the week ending {span}"
                best = min(int(r["weekly_rank"]) for r in ranks)
                weeks_said = f"{len(ranks)} week{'s' if len(ranks) > 1 else ''}"
                yes = (f"Yes: {label(ranks[0])} was in {possessive(country)} Top 10 ({what}) {weeks_said}, "
                       f"best place {best} ({span}).")  # fmt: skip
                self.add("country", question, intent="country_rank", contains=[yes], sources=[COUNTRY_SOURCE])

    def _in_weekly(self, title: str) -> bool:
        return any(row["show_title"] == title for row in self.weekly)

    def browse(self) -> None:
        """The catalogue: every title the files name, once."""
        titles = {
            key(row["show_title"]) for path in (WEEKLY, DAYS_91, DAYS_28, COUNTRIES) for row in rows(path)
        }
        count = f"{len(titles):,} shows and films"
        for question in ("what shows do you know about?", "list shows", "what's new?"):
            self.add("browse", question, intent="browse", contains=[count])

    def several(self) -> None:
        """Several questions in one message, each answered."""
        witcher = self.seasons_of("The Witcher")["The Witcher: Season 3"]
        night = self.seasons_of("The Night Agent")["The Night Agent: Season 2"]
        first, _ = audience("The Witcher: Season 3", witcher, None, None)
        weeks = max(int(row["cumulative_weeks_in_top_10"]) for row in night)
        best = min(int(row["weekly_rank"]) for row in night)
        second = f"The Night Agent: Season 2 was {weeks} weeks in the Top 10, best rank {best}"
        both = (
            "how many people watched the witcher season 3 and how many weeks was the night agent season 2"
            " in the top 10?"
        )
        self.add("several", both, kind="several", parts=2, contains=[*first, second])
        self.add("several", "who created squid game? how many weeks was it in the top 10?", kind="several",
                 parts=2, contains=["I don't know who created Squid Game."])  # fmt: skip
        self.add("several", "how many people watched red notice and what is lupin?", kind="several", parts=2,
                 contains=[*audience("Red Notice", [], self.days_91[("Red Notice", "Red Notice")], None)[0],
                           "Lupin is a non-English TV show on Netflix."])  # fmt: skip

    def chit_chat(self) -> None:
        for text in ("lol", "ok cool", "thanks!", "haha", "cool thanks", "thank you", "nice"):
            self.add("chit_chat", text, kind="help", intent="chit_chat")

    def no_cast(self) -> None:
        """Netflix's lists name no cast or crew: say so, and what is known."""
        for question, said in (
            ("who is in the cast of Wednesday?", "I don't know who is in the cast of Wednesday."),
            ("who stars in adolescence", "I don't know who is in the cast of Adolescence."),
            ("who created squid game", "I don't know who created Squid Game."),
            ("who directed red notice?", "I don't know who directed Red Notice."),
            ("who wrote baby reindeer", "I don't know who wrote Baby Reindeer."),
            ("who plays in bridgerton", "I don't know who is in the cast of Bridgerton."),
        ):
            self.add("no_cast", question, kind="no_fact", contains=[said, "What I know about"])

    def membership(self) -> None:
        """ "Is X in Y?" says yes where Y's cast has X, and "I can't tell" where no cast of Y is known."""
        with SEED_CREDITS.open(encoding="utf-8", newline="") as handle:
            credits = list(csv.DictReader(handle))
        roles: dict[str, set[str]] = defaultdict(set)
        for credit in credits:
            roles[credit["name"]].add(credit["role"])
        actors = [name for name, held in roles.items() if held == {"cast"}][:3]
        cast = {(c["show"], c["name"]) for c in credits if c["role"] == "cast"}
        files = ["netflix_questions/all-weeks-global.tsv", "../../facts/seed/credits.csv"]
        for show in ("Emily in Paris", "Bridgerton", "Squid Game"):
            known = any(s == show for s, _name in cast)
            for name in actors:
                if (show, name) in cast:
                    said, kind = f"Yes: {name} is in the cast of {show}.", "answer"
                elif not known:
                    said, kind = f"I can't tell: I don't know who is in the cast of {show}.", "no_fact"
                else:
                    continue
                self.add("membership", f"is {name} in {show}?", files=files, kind=kind, intent="membership",
                         contains=[said])  # fmt: skip

    def variants(self) -> None:
        """The 11- and 12-column versions of the weekly list import, and answer."""
        for name in ("all-weeks-global_11col.tsv", "all-weeks-global_12col.tsv"):
            path = VARIANTS / name
            weekly = rows(path)
            files = [str(path.relative_to(DATA))]
            self.add("variant", "", files=files, added={"viewership": len(weekly)})
            title = weekly[0]["show_title"]
            mine = [row for row in weekly if row["show_title"] == title]
            if len({label(row) for row in mine}) == 1:
                contains, source = audience(label(mine[0]), mine, None, None)
                self.add("variant", f"how many people watched {title}?", files=files, intent="audience",
                         contains=contains, sources=[source])  # fmt: skip


def _season_question(
    show: str, name: str, template: str = "how many people watched {show} {season}?"
) -> str | None:
    """Ask for a season the way people name it, from Netflix's name for it."""
    rest = name.removeprefix(f"{show}: ").removeprefix(f"{show} ")
    match = re.fullmatch(r"(Season|Part|Volume) (\d+)", rest) or re.fullmatch(r"(\d+)", rest)
    if rest == "Limited Series":
        season = "limited series"
    elif match is None:
        return None
    else:
        season = f"{match.group(1).lower()} {match.group(2)}" if match.lastindex == 2 else f"season {rest}"
    return template.format(show=show.lower(), season=season)


def _year_weeks(weekly: Iterable[dict[str, str]]) -> set[str]:
    return {row["week"] for row in weekly if str(week_start(row["week"]).year) == YEAR}


def _span(first: str, last: str) -> str:
    """ "13 to 27 February 2022", "7 January 2024 to 5 January 2025" (as people say a span of weeks)."""
    since, until = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    if since.year != until.year:
        return f"{day(first)} to {day(last)}"
    if since.month != until.month:
        return f"{since.day} {since:%B} to {day(last)}"
    return f"{since.day} to {day(last)}"


def main() -> None:
    expected = Expectations()
    for make in (expected.seasons, expected.whole_titles, expected.weeks_in_top_10, expected.year_rankings,
                 expected.last_week, expected.films_and_shows, expected.country_places, expected.browse,
                 expected.several, expected.chit_chat, expected.no_cast, expected.membership,
                 expected.variants):  # fmt: skip
        make()
    with (HERE / "questions.jsonl").open("w", encoding="utf-8") as out:
        for line in expected.lines:
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
    print(f"{len(expected.lines)} questions")


if __name__ == "__main__":
    main()
