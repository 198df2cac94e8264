"""Synthetic catalogues in the admin CSV format, and typo'd questions with known answers.

Writes, into one directory:

- ``shows.csv``, ``credits.csv``, ``viewership.csv``: N titles, three credits each (a creator, two
  cast members with characters) and one audience figure each, exactly as an admin would upload them;
- ``questions.jsonl``: one object per question: ``question``, ``expected`` (kind and name of the entity
  the question is about), ``intent``, ``answer`` (the creator or the figure the answer must carry),
  ``typo`` (the edit made) and ``ambiguous`` (another name is as close to the typo'd text as the
  right one, so a person could not tell either);
- ``manifest.json``: the parameters and row counts.

Titles overlap the way real catalogues do: a few hundred common words everywhere, "The …",
"… of Paris", "First in City", "X: Subtitle", sequels "X 2". People's names come from realistic
first and last names (some accented) and are reused across titles. Everything is deterministic for a
seed and needs no network: the word lists are below.

    python bench/generate.py --titles 100000 --out bench/out/100k
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import OSA

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from facts.normalize import normalize_name  # noqa: E402

DEFAULT_SEED = 20261125
SOURCE = "Synthetic benchmark catalogue"
AS_OF = "2026-11-25"
# Shares of each title pattern; the rest are plain "Adjective Noun" titles.
SEQUEL_SHARE = 0.08
SUBTITLE_SHARE = 0.07
# A few words are in a large share of titles (Zipf-like), as "The", "Love" or "House" are.
COMMON_WORD_SHARE = 0.5
ZIPF_ALPHA = 0.7
PEOPLE_PER_TITLE = 0.6
MIDDLE_INITIAL_SHARE = 0.4
DOUBLE_BARRELLED_SHARE = 0.3
INITIALS = "ABCDEFGHJKLMNPRSTVW"
# Only words of at least this many letters get a typo (shorter ones must be typed exactly, as in
# Meilisearch/Typesense); the first letter is never changed (people rarely get it wrong).
TYPO_MIN_LETTERS = 5
PERSON_QUESTION_SHARE = 0.2
LOWERCASE_SHARE = 0.5

ADJECTIVES = """
Amber Ancient Angry Autumn Bitter Black Blind Blue Bold Brave Bright Broken Burning Calm Cardinal
Careless Certain Cold Crimson Crooked Cruel Curious Dangerous Dark Dead Deep Desperate Distant
Divine Eastern Electric Empty Endless Eternal Fallen False Famous Fatal Fearless Final Flying Foreign
Forgotten Fragile Frozen Gentle Ghostly Gilded Glass Golden Good Grand Grave Great Green Grey Hidden
High Hollow Holy Honest Hungry Idle Imperial Infinite Invisible Iron Jealous Last Late Lazy Little
Lonely Lost Loud Lucky Mad Magic Marble Midnight Mighty Modern Narrow Nervous Noble Northern Odd Old
Open Pale Perfect Polar Poor Pretty Proud Quiet Radiant Rapid Red Restless Rich Rising Rogue Royal
Rusty Sacred Savage Scarlet Secret Silent Silver Simple Sleeping Slow Small Smoking Southern Spare
Stolen Strange Sudden Sweet Tender Thin Tiny Twisted Velvet Violent Vivid Wandering Western White Wild
Wicked Winter Wooden Young Yellow Hollow Gallant Luminous Obscure Reckless Savage Solemn Stubborn
Sunken Tangled Unbroken Unseen Vanishing Weary Wired Wistful Zealous
"""
NOUNS = """
Academy Affair Alibi Alliance Anchor Angel Archive Arrow Asylum Avenue Badge Ballad Bandit Banker
Baron Bay Beacon Bench Bishop Blade Blood Border Bridge Brother Bureau Cabin Cage Canal Canyon Captain
Castle Cellar Chamber Champion Chapel Chase Circle Citadel Clinic Coast Code Colony Comet Company
Compass Convent Corner Council Country Court Cousin Covenant Crew Crossing Crown Cure Curse Dagger
Dancer Daughter Dawn Debt Defender Desert Detective Diary District Doctor Dream Dynasty Echo Embassy
Empire Engine Estate Exile Factory Falcon Family Farm Father Ferry Fever Field Fire Flood Forest
Fortune Fountain Frontier Game Garden Gate Ghost Girl Glacier Guardian Guest Gunner Harbor Harvest
Haven Heart Heir Heist Heritage Hero Highway Hill Hollow Horizon Hospital Hotel Hound House Hunter
Island Jewel Journey Judge Jungle Justice Keeper Kingdom Kitchen Knight Lady Lagoon Lake Legacy Legend
Letter Liar Library Lighthouse Lion Lodge Machine Manor Market Marshal Mask Meadow Medium Memory Mercy
Merchant Midwife Mile Mirror Mission Monarch Monster Moon Mother Mountain Murder Museum Mystery Nation
Night Nurse Oath Ocean Office Orchard Orphan Outlaw Palace Paradise Parish Partner Passage Patrol
Pearl Pilgrim Pilot Pioneer Pirate Planet Plaza Poet Portrait Prairie Prince Prison Promise Prophet
Quarter Queen Quest Rabbit Ranch Ranger Raven Rebel Reckoning Refuge Republic Rescue Reunion Revenge
Rider Ritual River Road Rogue Rose Ruins Saint Sanctuary School Season Secret Sentinel Shadow Shelter
Sheriff Shore Signal Silence Sister Sketch Soldier Spark Spell Spire Station Storm Stranger Street
Summit Surgeon Swamp Sword Temple Tenant Territory Thief Throne Tide Tower Trail Traitor Treasure
Trial Tribe Tunnel Twin Union Valley Vault Verdict Village Vine Voyage Wake Ward Warden Warrior
Witness Wolf Wonder Yard
"""
CITIES = """
Paris London Berlin Madrid Rome Lisbon Vienna Prague Dublin Oslo Stockholm Helsinki Warsaw Athens
Cairo Lagos Nairobi Mumbai Delhi Seoul Tokyo Osaka Sydney Melbourne Auckland Toronto Montreal
Chicago Boston Denver Austin Phoenix Seattle Portland Miami Atlanta Memphis Nashville Havana Lima
Bogota Santiago Quito Caracas Istanbul Tehran Baghdad Kabul Hanoi Bangkok Manila Jakarta Shanghai
Beijing Moscow Kyiv Riga Vilnius Tallinn Budapest Bucharest Sofia Belgrade Zagreb Naples Venice Milan
Florence Seville Valencia Porto Marseille Lyon Bordeaux Hamburg Munich Cologne Zurich Geneva Brussels
Antwerp Amsterdam Rotterdam Copenhagen Bergen Glasgow Edinburgh Cardiff Belfast Liverpool Manchester
Brooklyn Harlem Tijuana Monterrey Guadalajara Medellin Montevideo Cordoba Marrakech Tunis Algiers
Dakar Accra Kampala Harare Durban Johannesburg
"""
FIRST_NAMES = """
Adam Adele Agnes Aisha Alba Alexei Alice Amara Amelia Ana Andrea Andrés Anton Ava Beatriz Ben Bianca
Bruno Camille Carlos Carmen Caroline Chloé Clara Claude Daniel Dario Diego Dmitri Elena Eli Elif Eliza
Elsa Emil Emily Emma Enzo Érika Esther Ethan Eva Farah Felix Fernando Finn Francesca Frida Gabriel
Grace Greta Hana Hannah Hector Helena Henrik Hugo Ibrahim Ines Ingrid Iris Isaac Ivan Jack Jamal James
Jana Javier Jean Joaquín Johan Jonas José Julia Julien Kai Karim Kate Katja Keiko Kenji Laila Lars
Laura Léa Leo Liam Lily Lina Lucas Lucía Luis Luka Maeve Maja Malik Marco Margot Maria Marta Mateo
Mathilde Maya Mei Mia Mikael Mila Miriam Nadia Naomi Nina Noah Noor Nora Olga Oliver Omar Oscar Paolo
Pedro Petra Pierre Priya Rafael Rania Rosa Ruth Sakura Samir Sara Sebastián Selin Simone Sofia Sven
Theo Thomas Tomás Ugo Valentina Vera Victor Wei Yara Yusuf Zoë Zora
"""
LAST_NAMES = """
Abbott Acosta Adler Ahmed Alvarez Andersen Arnaud Bailey Baker Barros Becker Bennett Berg Bernard
Blanc Böhm Bose Brandt Brooks Bruno Carter Castillo Chen Clarke Coleman Collins Costa Cruz Dahl Daly
Davies Delgado Dubois Duarte Durand Eriksson Esposito Evans Fabre Falk Fernández Fischer Fleming Fontaine
Foster Franco García Garnier Gómez Graham Gray Greco Gruber Haas Hall Hansen Hayes Herrera Hoffmann Holm
Hughes Ibáñez Ito Jansen Jensen Johansson Jones Kaur Keller Kelly Khan Kim Klein Koch Kowalski Krüger
Lambert Lange Larsen Laurent Lee Lefèvre Lindqvist Lopez Lund Maier Marín Martin Meyer Mitchell Molina
Moreau Morris Müller Murphy Nakamura Navarro Nielsen Novak Núñez Ødegaard O'Brien Okafor Olsen Ortega
Park Patel Perrin Peters Petrov Pham Quinn Ramos Reyes Richter Rivera Roberts Rossi Roux Russo Sánchez
Santos Sato Schmidt Schneider Schulz Silva Singh Sokolov Sørensen Suárez Suzuki Tanaka Taylor Thomsen
Torres Vargas Vidal Vogel Wagner Walsh Weber Wolff Wong Yamamoto Young Zhang Zimmermann
"""
GENRES = ("Drama", "Comedy", "Thriller", "Crime drama", "Documentary", "Romance", "Sci-fi", "Reality")
NETWORKS = ("Netflix", "Hulu", "Max", "Prime Video", "Apple TV+", "Disney+", "Peacock", "Paramount+")
COUNTRIES = ("United States", "United Kingdom", "France", "Spain", "Germany", "South Korea", "Japan")

SHOW_TEMPLATES = (
    ("audience", "how many people watched {}?"),
    ("audience", "{} viewers"),
    ("audience", "viewers for {}"),
    ("audience", "How many viewers did {} get"),
    ("credits", "who created {}?"),
    ("credits", "Who is the creator of {}"),
    ("credits", "who is in the cast of {}?"),
)
PERSON_TEMPLATES = (
    ("filmography", "what is {} in?"),
    ("person", "who is {}?"),
)


@dataclass(frozen=True)
class Question:
    """One benchmark question and what a correct answer is about."""

    question: str
    expected_kind: str
    expected: str
    intent: str
    answer: str
    typo: str
    ambiguous: bool


def words(block: str) -> list[str]:
    """Return the distinct words of a whitespace-separated list, in order."""
    return list(dict.fromkeys(block.split()))


class Vocabulary:
    """The word lists, with Zipf-like picking so that a few words are in many titles."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.adjectives = words(ADJECTIVES)
        self.nouns = words(NOUNS)
        self.cities = words(CITIES)
        self.first = words(FIRST_NAMES)
        self.last = words(LAST_NAMES)
        for pool in (self.adjectives, self.nouns, self.cities, self.first, self.last):
            rng.shuffle(pool)

    def pick(self, pool: list[str]) -> str:
        """Return a word of ``pool``, common words (the front of the list) far more often."""
        if self.rng.random() < COMMON_WORD_SHARE:
            return pool[min(len(pool) - 1, int(self.rng.paretovariate(ZIPF_ALPHA)) - 1)]
        return self.rng.choice(pool)

    def person(self) -> str:
        """Return a realistic person name: first and last, some with a middle initial or a
        double-barrelled surname (needed for variety: a million titles credit 600,000 people)."""
        first, last = self.rng.choice(self.first), self.rng.choice(self.last)
        roll = self.rng.random()
        if roll < MIDDLE_INITIAL_SHARE:
            return f"{first} {self.rng.choice(INITIALS)}. {last}"
        if roll < MIDDLE_INITIAL_SHARE + DOUBLE_BARRELLED_SHARE:
            return f"{first} {last}-{self.rng.choice(self.last)}"
        return f"{first} {last}"


TITLE_SHAPES = (
    "{a} {n}",
    "The {n}",
    "The {a} {n}",
    "{n} of {c}",
    "The {n} of {c}",
    "{f} in {c}",
    "The {s}s",
    "{a} {n} {n2}",
    "{n} and {n2}",
    "The {a} {n} of {c}",
    "{f} {s}",
)

SHAPE_FIELDS = tuple((shape, re.findall(r"{(\w+)}", shape)) for shape in TITLE_SHAPES)


def fresh_title(v: Vocabulary) -> str:
    """Return a title of a random shape, its words picked from the vocabulary."""
    shape, fields = v.rng.choice(SHAPE_FIELDS)
    pools = {"a": v.adjectives, "n": v.nouns, "n2": v.nouns, "c": v.cities, "f": v.first, "s": v.last}
    return shape.format(**{field: v.pick(pools[field]) for field in fields})


def make_titles(count: int, v: Vocabulary) -> list[str]:
    """Return ``count`` titles, distinct after normalisation, with sequels and subtitled spin-offs."""
    titles: dict[str, str] = {}
    made: list[str] = []
    while len(made) < count:
        roll = v.rng.random()
        base = v.rng.choice(made) if made else ""
        if base and roll < SEQUEL_SHARE and not base[-1].isdigit():
            title = f"{base} {v.rng.randint(2, 6)}"
        elif base and roll < SEQUEL_SHARE + SUBTITLE_SHARE and ":" not in base:
            title = f"{base}: {v.pick(v.adjectives)} {v.pick(v.nouns)}"
        else:
            title = fresh_title(v)
        key = normalize_name(title)
        if key not in titles:
            titles[key] = title
            made.append(title)
    return made


def make_people(count: int, v: Vocabulary) -> list[str]:
    """Return ``count`` distinct person names."""
    people: dict[str, str] = {}
    while len(people) < count:
        name = v.person()
        people.setdefault(normalize_name(name), name)
    return list(people.values())


@dataclass(frozen=True)
class Credit:
    show: str
    name: str
    role: str
    character: str


def make_credits(titles: list[str], people: list[str], v: Vocabulary) -> Iterator[Credit]:
    """Yield three credits per title: a creator and two cast members playing named characters."""
    for title in titles:
        creator, *cast = v.rng.sample(people, 3)
        yield Credit(title, creator, "creator", "")
        for actor in cast:
            yield Credit(title, actor, "cast", f"{v.pick(v.first)} {v.pick(v.last)}")


def viewers_for(rng: random.Random) -> int:
    """Return a plausible audience figure (log-uniform between 100 thousand and 100 million)."""
    return int(round(10 ** rng.uniform(5, 8), -3))


def add_typo(rng: random.Random, text: str) -> tuple[str, str]:
    """Return ``text`` with one human-like typo in one long enough word, and a description of it.

    The edit is a dropped, swapped (adjacent), doubled or replaced letter, never the first letter.
    Returns the text unchanged and "" when no word is long enough.
    """
    tokens = text.split(" ")
    eligible = [i for i, t in enumerate(tokens) if sum(ch.isalpha() for ch in t) >= TYPO_MIN_LETTERS]
    if not eligible:
        return text, ""
    index = rng.choice(eligible)
    word = tokens[index]
    letters = [i for i, ch in enumerate(word) if ch.isalpha() and i > 0]
    at = rng.choice(letters[:-1] if len(letters) > 1 else letters)
    edit = rng.choice(("drop", "swap", "double", "replace"))
    if edit == "drop":
        typo = word[:at] + word[at + 1 :]
    elif edit == "swap" and at + 1 < len(word) and word[at + 1].isalpha() and word[at + 1] != word[at]:
        typo = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    elif edit == "double":
        typo = word[:at] + word[at] + word[at:]
    else:
        edit = "replace"
        typo = word[:at] + _other_letter(rng, word[at]) + word[at + 1 :]
    tokens[index] = typo
    return " ".join(tokens), f"{edit} {word}->{typo}"


def _other_letter(rng: random.Random, letter: str) -> str:
    choices = [ch for ch in "aeioulnrst" if ch != letter.lower()]
    return rng.choice(choices)


def is_ambiguous(typoed: str, right: str, keys: list[str]) -> bool:
    """Return whether another name key is at least as close (OSA distance) to ``typoed`` as ``right``."""
    query, right_key = normalize_name(typoed), normalize_name(right)
    distance = OSA.distance(query, right_key)
    close = process.extract(query, keys, scorer=OSA.distance, score_cutoff=distance, limit=3)
    return any(key != right_key for key, _, _ in close)


def make_questions(
    count: int,
    titles: list[str],
    people: list[str],
    creators: dict[str, str],
    viewers: dict[str, int],
    rng: random.Random,
) -> list[Question]:
    """Return ``count`` typo'd questions about random titles (and some about people)."""
    title_keys = [normalize_name(t) for t in titles]
    people_keys = [normalize_name(p) for p in people]
    questions: list[Question] = []
    while len(questions) < count:
        if rng.random() < PERSON_QUESTION_SHARE:
            name = rng.choice(people)
            intent, template = rng.choice(PERSON_TEMPLATES)
            kind, keys, answer = "person", people_keys, ""
        else:
            name = rng.choice(titles)
            intent, template = rng.choice(SHOW_TEMPLATES)
            kind, keys = "show", title_keys
            answer = creators[name] if template.startswith(("who created", "Who is the creator")) else ""
            answer = answer or (str(viewers[name]) if intent == "audience" else "")
        typoed, typo = add_typo(rng, name)
        if not typo:
            continue
        text = template.format(typoed)
        if rng.random() < LOWERCASE_SHARE:
            text = text.lower()
        ambiguous = is_ambiguous(typoed, name, keys)
        questions.append(Question(text, kind, name, intent, answer, typo, ambiguous))
    return questions


def write_csv(path: Path, header: list[str], rows: Iterator[list[object]] | list[list[object]]) -> int:
    """Write one admin CSV file and return its data row count."""
    count = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def generate(
    out: Path, titles_count: int, questions_count: int, seed: int = DEFAULT_SEED
) -> dict[str, object]:
    """Write a catalogue of ``titles_count`` titles and ``questions_count`` questions into ``out``.

    Returns:
        The manifest (also written to ``out/manifest.json``).
    """
    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    vocabulary = Vocabulary(rng)
    titles = make_titles(titles_count, vocabulary)
    people = make_people(max(10, int(titles_count * PEOPLE_PER_TITLE)), vocabulary)
    counts = {"shows": write_show_file(out / "shows.csv", titles, rng)}
    creators: dict[str, str] = {}
    counts["credits"] = write_csv(
        out / "credits.csv",
        ["show", "name", "role", "character", "source", "as_of"],
        _credit_rows(make_credits(titles, people, vocabulary), creators),
    )
    viewers = {t: viewers_for(rng) for t in titles}
    counts["viewership"] = write_csv(
        out / "viewership.csv",
        ["show", "viewers", "metric", "window", "platform", "source", "as_of"],
        ([t, viewers[t], "viewers", "first 28 days", "Netflix", SOURCE, AS_OF] for t in titles),
    )
    questions = make_questions(questions_count, titles, people, creators, viewers, random.Random(seed + 1))
    with (out / "questions.jsonl").open("w", encoding="utf-8") as handle:
        for question in questions:
            handle.write(json.dumps(asdict(question), ensure_ascii=False) + "\n")
    manifest: dict[str, object] = {
        "seed": seed,
        "titles": titles_count,
        "people": len(people),
        "rows": counts,
        "questions": len(questions),
        "ambiguous_questions": sum(q.ambiguous for q in questions),
        "seconds": round(time.perf_counter() - started, 1),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def write_show_file(path: Path, titles: list[str], rng: random.Random) -> int:
    """Write shows.csv: every title with a network, premiere date, genre and country."""
    header = ["title", "network", "premiere_date", "genre", "country", "source", "as_of"]
    rows = (
        [
            title,
            rng.choice(NETWORKS),
            f"{rng.randint(1990, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            rng.choice(GENRES),
            rng.choice(COUNTRIES),
            SOURCE,
            AS_OF,
        ]
        for title in titles
    )
    return write_csv(path, header, rows)


def _credit_rows(credits: Iterator[Credit], creators: dict[str, str]) -> Iterator[list[object]]:
    for credit in credits:
        if credit.role == "creator":
            creators[credit.show] = credit.name
        yield [credit.show, credit.name, credit.role, credit.character, SOURCE, AS_OF]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--titles", type=int, default=100_000)
    parser.add_argument("--questions", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    print(json.dumps(generate(args.out, args.titles, args.questions, args.seed), indent=2))


if __name__ == "__main__":
    main()
