"""A catalogue of real names: MetaQA's film knowledge base and the Netflix Top 10 titles.

Used by ``bench/real_names.py``. From ``shared/data/metaqa/``:

- the dev questions of every type are rebuilt into facts: the bracketed entity of ``movie_to_*`` and
  the answers of ``*_to_movie`` are films, the people of the six credit types are people, and their
  answers are credits (director, writer, cast);
- every other name of ``entity2text.txt`` is in the catalogue too, as a name without facts, except
  tags (written in lower case in MetaQA), years, languages, genres and ratings. Which of them are
  films and which are people MetaQA's dev split does not say: a name of 2-4 capitalised words with no
  digit, article or title punctuation is taken for a person, anything else for a title (on the names
  whose kind is known this rule calls 99% of people and 31% of films people).

From ``shared/data/netflix_top10/``: every ``show_title`` is a show, and the three published files
are imported as they are (the importer reads Netflix's own format), so Netflix titles have figures.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from bench.typo_questions import Entity
from facts.normalize import normalize_name

METAQA_SOURCE = "MetaQA 1-hop dev (WikiMovies)"
METAQA_AS_OF = "2016"
NETFLIX_FILES = ("all-weeks-global.tsv", "most-popular_28days.tsv", "most-popular_91days.tsv")
CREDIT_ROLES = {"director": "director", "writer": "writer", "actor": "cast"}
_BRACKETED = re.compile(r"\[([^\]]+)\]")
# Words that start titles rather than people's names, for the shape rule on names of unknown kind.
_TITLE_STARTS = frozenset("the a an of in on to my your his her our their no not all what when how".split())
_NAME_PARTICLES = frozenset("de van von da del la le du der di den ter bin al el".split())
_TITLE_PUNCTUATION = re.compile(r"[\d:!?&,()]")


@dataclass
class Catalogue:
    """Names and facts to import; ``entities`` are the names questions may ask about."""

    shows: dict[str, str] = field(default_factory=dict)  # key -> title
    people: dict[str, str] = field(default_factory=dict)  # key -> name
    credits: set[tuple[str, str, str]] = field(default_factory=set)  # (show, person, role)
    netflix_files: list[Path] = field(default_factory=list)
    metaqa_films: int = 0
    metaqa_people: int = 0
    unclassified: int = 0

    @property
    def keys(self) -> list[str]:
        return [*self.shows, *self.people]

    @property
    def entities(self) -> list[Entity]:
        """The films, people and Netflix titles whose kind is known, with their credit roles."""
        roles: dict[tuple[str, str], set[str]] = defaultdict(set)
        for show, person, role in self.credits:
            roles["show", normalize_name(show)].add(role)
            roles["person", normalize_name(person)].add(role)
        known_people = {normalize_name(p) for _s, p, _r in self.credits}
        return [
            *(Entity("show", name, tuple(sorted(roles["show", key]))) for key, name in self.shows.items()),
            *(
                Entity("person", name, tuple(sorted(roles["person", key])))
                for key, name in self.people.items()
                if key in known_people
            ),
        ]


def read_catalogue(shared: Path) -> Catalogue:
    """Read the catalogue from a ``shared`` folder (``data/metaqa`` and ``data/netflix_top10``)."""
    catalogue = Catalogue()
    metaqa = shared / "data" / "metaqa"
    films, people, others = _read_dev_facts(metaqa, catalogue.credits)
    _add_names(catalogue.shows, sorted(films))
    _add_names(catalogue.people, sorted(people))
    catalogue.metaqa_films, catalogue.metaqa_people = len(catalogue.shows), len(catalogue.people)
    netflix = shared / "data" / "netflix_top10"
    catalogue.netflix_files = [netflix / name for name in NETFLIX_FILES]
    _add_names(catalogue.shows, _netflix_titles(catalogue.netflix_files))
    known = set(catalogue.keys)
    for name in _entity_names(metaqa):
        key = normalize_name(name)
        if not key or key in known or name in others or name == name.lower():
            continue
        known.add(key)
        catalogue.unclassified += 1
        (catalogue.people if looks_like_person(name) else catalogue.shows)[key] = name
    return catalogue


def looks_like_person(name: str) -> bool:
    """Whether a name of unknown kind is shaped like a person's: 2-4 capitalised words, no digits."""
    words = name.split()
    if not 2 <= len(words) <= 4 or _TITLE_PUNCTUATION.search(name) or words[0].lower() in _TITLE_STARTS:
        return False
    return all(word[0].isupper() or word.lower() in _NAME_PARTICLES for word in words)


def _read_dev_facts(folder: Path, credits: set[tuple[str, str, str]]) -> tuple[set[str], set[str], set[str]]:
    """Films, people and other objects (years, genres, ...) of the dev split; fills ``credits``."""
    films: set[str] = set()
    people: set[str] = set()
    others: set[str] = set()
    lines = (folder / "1-hop_dev.txt").read_text(encoding="utf-8").splitlines()
    qtypes = (folder / "1-hop_qa_dev_qtype.txt").read_text(encoding="utf-8").splitlines()
    for line, qtype in zip(lines, qtypes, strict=True):
        question, answers = line.split("\t")
        match = _BRACKETED.search(question)
        if match is None:
            continue
        subject, _, obj = qtype.strip().partition("_to_")
        for kind, names in ((subject, [match.group(1)]), (obj, answers.split("|"))):
            {"movie": films}.get(kind, people if kind in CREDIT_ROLES else others).update(names)
        if subject in CREDIT_ROLES or obj in CREDIT_ROLES:
            role = CREDIT_ROLES[subject if subject in CREDIT_ROLES else obj]
            for answer in answers.split("|"):
                film, person = (
                    (answer, match.group(1)) if subject in CREDIT_ROLES else (match.group(1), answer)
                )
                credits.add((film, person, role))
    return films, people, others


def _entity_names(folder: Path) -> list[str]:
    lines = (folder / "entity2text.txt").read_text(encoding="utf-8").splitlines()
    return [line.split("\t", 1)[1].strip() for line in lines if "\t" in line]


def _netflix_titles(paths: list[Path]) -> list[str]:
    titles = []
    for path in paths:
        with path.open(encoding="utf-8", newline="") as handle:
            titles += [row["show_title"].strip() for row in csv.DictReader(handle, delimiter="\t")]
    return titles


def _add_names(names: dict[str, str], texts: list[str]) -> None:
    for text in texts:
        key = normalize_name(text)
        if key:
            names.setdefault(key, text)


def write_catalogue(catalogue: Catalogue, folder: Path) -> list[Path]:
    """Write shows.csv, people.csv and credits.csv in the admin format; return them and Netflix's files."""
    folder.mkdir(parents=True, exist_ok=True)
    shows, people, credits = folder / "shows.csv", folder / "people.csv", folder / "credits.csv"
    _write(
        shows,
        ["title", "source", "as_of"],
        ([t, METAQA_SOURCE, METAQA_AS_OF] for t in catalogue.shows.values()),
    )
    _write(
        people,
        ["name", "source", "as_of"],
        ([n, METAQA_SOURCE, METAQA_AS_OF] for n in catalogue.people.values()),
    )
    # The importer keys credits on normalised names: write each key once, in the catalogue's spelling.
    unique = {
        (normalize_name(s), normalize_name(p), r): (catalogue.shows.get(normalize_name(s), s), p, r)
        for s, p, r in sorted(catalogue.credits)
    }
    _write(
        credits,
        ["show", "name", "role", "source", "as_of"],
        (
            [s, catalogue.people.get(normalize_name(p), p), r, METAQA_SOURCE, METAQA_AS_OF]
            for s, p, r in unique.values()
        ),
    )
    return [shows, people, credits, *catalogue.netflix_files]


def _write(path: Path, header: list[str], rows: object) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)  # type: ignore[arg-type]
