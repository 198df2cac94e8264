"""Answer time over Netflix's own Top 10 files: p50/p99 of ordinary questions about their titles.

Imports every published file in ``shared/data/netflix_top10`` (the current lists and the header
variants) on top of the seed into a fresh store, then asks each question template of
:data:`TEMPLATES` about a seeded sample of the titles, timing each answer (start-up excluded).

    python bench/netflix_answers.py                 # ../shared beside the repository
    python bench/netflix_answers.py --shared DIR --titles 300
    python bench/netflix_answers.py --countries     # with the per-country list and its questions
    python bench/netflix_answers.py --postgres      # paired: SQLite and a copy in PostgreSQL
    python bench/netflix_answers.py --postgres --pad-to 100000   # at 100k titles

With ``--postgres`` the store is copied (:func:`facts.postgres.copy_facts`) into a PostgreSQL server
that pgserver starts in a temporary folder (the test extras install it), and every question is asked
of both stores in turn, in alternating order, so that both meet the same load.

With ``--pad-to N`` a second import adds made-up titles (each with credits and a figure, as
``bench/import_scale.py`` writes them) until the store holds N, and as many questions again are
asked about a sample of them.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from facts.answering import Answerer
from facts.importing import apply_import, open_seeded, plan_import, read_paths
from facts.store import FactStore

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # bench.import_scale, for --pad-to
TEMPLATES = (
    "how many people watched {title}?",
    "{title} season 2 audience",
    "how many weeks was {title} in the top 10?",
    "how did {title} do week by week?",
    "what is {title}",
    "compare {title} and {other}",
)
# With --countries: the per-country list too, a template and questions about it.
COUNTRY_TEMPLATE = "was {title} in the top 10 in France?"
COUNTRY_QUESTIONS = ("what's #1 in France?", "top 10 in Japan last week", "top 3 films in brazil")
# Questions that name no title.
PLAIN = ("top 5 shows in 2024", "top 10 non-English films last week", "what was number 1 last week?",
         "most watched show in 2023", "what's new?", "list shows")  # fmt: skip


def netflix_files(shared: Path, *, countries: bool = False) -> list[Path]:
    folder = shared / "data" / "netflix_top10"
    files = sorted(folder.glob("*.tsv")) + sorted((folder / "variants").glob("all-weeks-global_*.tsv"))
    return files + [folder / "variants" / "all-weeks-countries.tsv"] if countries else files


def questions(titles: list[str], count: int, seed: int, *, countries: bool = False) -> list[tuple[str, str]]:
    """Return (template, question) pairs; a question naming no title is its own template."""
    rng = random.Random(seed)
    picked = rng.sample(titles, min(count, len(titles)))
    asked = [(t, t.format(title=title, other=rng.choice(titles))) for title in picked for t in TEMPLATES]
    plain = PLAIN
    if countries:
        asked += [(COUNTRY_TEMPLATE, COUNTRY_TEMPLATE.format(title=title)) for title in picked]
        plain += COUNTRY_QUESTIONS
    return asked + [(question, question) for question in plain]


def pad_catalogue(store: FactStore, titles: int) -> list[str]:
    """Import ``titles`` made-up titles with their credits and figures; return their titles."""
    from bench.import_scale import write_files

    with tempfile.TemporaryDirectory() as folder:
        paths = write_files(Path(folder), titles)
        apply_import(store, plan_import(store, read_paths(paths)), user="bench")
        with paths[0].open() as shows:
            return [line.split(",")[0] for line in list(shows)[1:]]


def made_up_questions(titles: list[str], count: int, seed: int) -> list[tuple[str, str]]:
    """Return (template, question) pairs about a seeded sample of the made-up ``titles``."""
    rng = random.Random(seed)
    picked = rng.sample(titles, min(count, len(titles)))
    return [(t, t.format(title=title, other=rng.choice(titles))) for title in picked for t in TEMPLATES]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--titles", type=int, default=200, help="titles asked about (6 questions each)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=1, help="times every question is asked")
    parser.add_argument("--per-template", action="store_true", help="p50/p99 of each template too")
    parser.add_argument("--countries", action="store_true", help="the per-country list too")
    parser.add_argument("--postgres", action="store_true", help="paired with a copy in PostgreSQL")
    parser.add_argument("--pad-to", type=int, default=0, help="made-up titles added up to this many")
    args = parser.parse_args()
    store = open_seeded(Path(tempfile.mkdtemp(prefix="showfacts-netflix-")) / "facts.db")
    files = netflix_files(args.shared, countries=args.countries)
    apply_import(store, plan_import(store, read_paths(files)), user="bench")
    with store.read() as db:
        titles = [row[0] for row in db.execute("SELECT title FROM shows ORDER BY id")]
    asked = questions(titles, args.titles, args.seed, countries=args.countries)
    if args.pad_to > len(titles):
        made_up = pad_catalogue(store, args.pad_to - len(titles))
        asked += made_up_questions(made_up, args.titles, args.seed)
        titles += made_up
    if args.postgres:
        print(f"{len(titles):,} titles")
        paired_with_postgres(store, asked, args)
        return
    answerer = Answerer(store)
    answerer.answer(asked[0][1])  # warm: the name index loads on the first question
    by_template: dict[str, list[float]] = {}
    for _ in range(args.rounds):
        for template, question in asked:
            started = time.perf_counter()
            answerer.answer(question)
            by_template.setdefault(template, []).append((time.perf_counter() - started) * 1000)
    times = [ms for spent in by_template.values() for ms in spent]
    print(f"{len(titles):,} titles, {len(asked):,} questions, {args.rounds} round(s)")
    p50, p99 = statistics.median(times), percentile(times, 0.99)
    print(f"answer ms: p50 {p50:.2f}, p99 {p99:.2f}, max {max(times):.2f}")
    if args.per_template:
        for template, spent in by_template.items():
            print(f"  {template!r}: p50 {statistics.median(spent):.2f}, p99 {percentile(spent, 0.99):.2f}")


def paired_with_postgres(store: FactStore, asked: list[tuple[str, str]], args: argparse.Namespace) -> None:
    """Ask every question of ``store`` and of its copy in PostgreSQL, alternating which goes first."""
    import warnings

    with warnings.catch_warnings():  # platformdirs warns when XDG_RUNTIME_DIR is unset
        warnings.simplefilter("ignore")
        import pgserver
    from facts.postgres import PostgresStore, copy_facts

    server = pgserver.get_server(tempfile.mkdtemp(prefix="showfacts-bench-pg-"), cleanup_mode="delete")
    try:
        postgres = PostgresStore.open(server.get_uri())
        started = time.perf_counter()
        copied = copy_facts(store, postgres)
        print(f"copied {copied:,} rows into PostgreSQL in {time.perf_counter() - started:.2f} s")
        answerers = {"sqlite": Answerer(store), "postgresql": Answerer(postgres)}
        for answerer in answerers.values():
            answerer.answer(asked[0][1])  # warm: the name index loads on the first question
        times: dict[str, list[float]] = {name: [] for name in answerers}
        differ = 0
        for turn in range(args.rounds * 2):
            for _, question in asked:
                answers = {}
                for name in list(answerers)[:: 1 if turn % 2 == 0 else -1]:
                    started = time.perf_counter()
                    answers[name] = answerers[name].answer(question)
                    times[name].append((time.perf_counter() - started) * 1000)
                differ += answers["sqlite"].to_dict() != answers["postgresql"].to_dict()
        rounds = args.rounds * 2
        print(f"{len(asked):,} questions, {rounds} round(s) each, alternating; {differ} answers differ")
        for name, spent in times.items():
            p50, p99 = statistics.median(spent), percentile(spent, 0.99)
            print(f"{name} answer ms: p50 {p50:.2f}, p99 {p99:.2f}, max {max(spent):.2f}")
        postgres.close()
    finally:
        server.cleanup()


if __name__ == "__main__":
    main()
