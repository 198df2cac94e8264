"""Synthetic scale check of the entity linker: per-question time, cold start, top-1 on typo'd titles.

Builds (once; cached in --dir) a fact database of N random titles sharing vocabulary the way real
catalogues do ("Amber Academy", "The Amber Academy of Lies", "Amber Academy 6"), N people and 3N
credits (a third with a character name), then asks questions with one typo in every title word
long enough to allow one, and reports top-1, linking time p50/p99, vocabulary load time and peak
memory. The database build is not part of the timings.

    python bench/linking_scale.py --titles 100000
    python bench/linking_scale.py --titles 1000000 --questions 300
    python bench/linking_scale.py --titles 1000000 --words 300000   # a larger vocabulary
    python bench/linking_scale.py --titles 1000000 --typo-classes all --per-class 50

``--typo-classes`` asks instead the harsh questions of the real-name benchmark (issue 13's typo
classes, ``bench/typo_questions.py``, over a sample of the synthetic titles and people) and times whole
answers (``Answerer.answer``, what ``showfacts ask`` runs, after the warm-up the server and the console
do at start, ``facts.startup.warm_up``) per class: p50/p99 (wall and CPU) and top-1 (the answer names
exactly the gold entity).
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from facts.linking import Linker  # noqa: E402
from facts.nameindex import typo_budget  # noqa: E402
from facts.normalize import normalize_name  # noqa: E402
from facts.store import FactStore  # noqa: E402

SEED = 42
SYLLABLES = (
    "ka lo mi re sa tu ven dor bel fin gar hol ith jun lex mar nor pel quin ros tal vir wen yar zel".split()
)
DEFAULT_WORDS = 40_000
TEMPLATES = (
    "how many people watched {}?",
    "who plays in {}",
    "{} audience",
    "who created {}",
    "is {} any good",
)
# Gold names the typo classes draw from, of each kind (a sample: every class needs only a few).
QUESTION_POOL = 20_000
PATTERNS = ("{a}", "The {a}", "{a} {b}", "The {a} of {b}", "{a} {b} {n}", "{a} in {b}", "{a}: {b} {c}")


def make_words(rng: random.Random, count: int) -> list[str]:
    words: set[str] = set()
    while len(words) < count:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 3, 3, 4)))).title())
    return sorted(words)


def pick(rng: random.Random, words: list[str]) -> str:
    # Half Zipf-like (a few words are everywhere, as in real titles), half any word.
    if rng.random() < 0.5:
        return words[min(len(words) - 1, int(rng.paretovariate(0.6)) - 1)]
    return rng.choice(words)


def build(path: Path, titles: int, vocabulary: int) -> None:
    """Create the synthetic database at ``path``."""
    rng = random.Random(SEED)
    words = make_words(rng, vocabulary)
    rng.shuffle(words)
    store = FactStore.open(path)
    started = time.perf_counter()
    with store.write() as db:
        db.conn.executemany(
            "INSERT OR IGNORE INTO shows(title, title_key) VALUES (?, ?)",
            ((t, normalize_name(t)) for t in _titles(rng, words, titles)),
        )
        db.conn.executemany(
            "INSERT OR IGNORE INTO people(name, name_key) VALUES (?, ?)",
            (
                (n, normalize_name(n))
                for n in (f"{pick(rng, words)} {rng.choice(words)}" for _ in range(titles))
            ),
        )
        shows = db.conn.execute("SELECT max(id) FROM shows").fetchone()[0]
        people = db.conn.execute("SELECT max(id) FROM people").fetchone()[0]
        db.conn.executemany(
            "INSERT OR IGNORE INTO credits(show_id, person_id, role, character) VALUES (?, ?, 'cast', ?)",
            (
                (rng.randint(1, shows), rng.randint(1, people), rng.choice(words) if i % 3 == 0 else "")
                for i in range(3 * titles)
            ),
        )
    store.close()
    print(f"built {path} in {time.perf_counter() - started:.0f} s")


def _titles(rng: random.Random, words: list[str], count: int) -> list[str]:
    titles: dict[str, str] = {}
    while len(titles) < count:
        title = rng.choice(PATTERNS).format(
            a=pick(rng, words), b=pick(rng, words), c=rng.choice(words), n=rng.randint(2, 9)
        )
        titles.setdefault(normalize_name(title), title)
    return list(titles.values())


def add_typo(rng: random.Random, word: str) -> str:
    """One typo (never on the first letter) in a word long enough to allow one."""
    if not word.isalpha():  # "Title:" keeps its colon where it is
        return add_typo(rng, word[:-1]) + word[-1] if word[:-1].isalpha() else word
    if typo_budget(word.lower()) == 0:
        return word
    at = rng.randint(1, len(word) - 2)
    edit = rng.choice(("drop", "swap", "double", "replace"))
    if edit == "drop":
        return word[:at] + word[at + 1 :]
    if edit == "swap":
        return word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    if edit == "double":
        return word[:at] + word[at] + word[at:]
    return word[:at] + rng.choice("aeiou") + word[at + 1 :]


def run(path: Path, count: int) -> None:
    started = time.perf_counter()
    store = FactStore.open(path)
    linker = Linker(store)
    cold = time.perf_counter() - started
    rng = random.Random(SEED + 1)
    total = store.conn.execute("SELECT max(id) FROM shows").fetchone()[0]
    names = store.conn.execute("SELECT count(*) FROM names").fetchone()[0]
    print(f"{total:,} titles, {names:,} names, {len(linker.index.docs):,} distinct words")
    print(
        f"cold start (open + vocabulary load): {cold * 1000:.0f} ms"
        f" (vocabulary {linker.index.load_seconds * 1000:.0f} ms)"
    )
    times, hits = [], 0
    for _ in range(count):
        title = store.conn.execute(
            "SELECT title FROM shows WHERE id = ?", (rng.randint(1, total),)
        ).fetchone()[0]
        question = rng.choice(TEMPLATES).format(" ".join(add_typo(rng, w) for w in title.split()))
        began = time.perf_counter()
        linking = linker.link(question)
        times.append((time.perf_counter() - began) * 1000)
        hits += any(m.candidates[0].name == title for m in linking.mentions)
    times.sort()
    p99 = times[min(len(times) - 1, int(0.99 * len(times)))]
    print(
        f"top-1 {100 * hits / count:.1f}% of {count}; per question p50 {statistics.median(times):.2f} ms,"
        f" p99 {p99:.2f} ms, max {times[-1]:.2f} ms"
    )
    print(f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    store.close()


def run_classes(path: Path, classes: list[str], per_class: int) -> None:
    """Answer ``per_class`` questions of every typo class; print top-1 and answer p50/p99 per class."""
    from bench.real_names import Outcome, classify, is_common_word, summarise
    from bench.typo_questions import Entity, make_questions
    from facts.answering import Answerer
    from facts.startup import warm_up

    store = FactStore.open(path)
    rng = random.Random(SEED + 2)
    ids = {}
    entities = []
    for kind, table, column in (("show", "shows", "title"), ("person", "people", "name")):
        rows = store.conn.execute(f"SELECT id, {column}, {column}_key FROM {table}").fetchall()
        ids |= {(kind, key): ref for ref, _name, key in rows}
        entities += [Entity(kind, name, ("cast",)) for _ref, name, _key in rng.sample(rows, QUESTION_POOL)]
    keys = [key for _kind, key in ids]
    started = time.perf_counter()
    questions = make_questions(
        entities, keys, per_class, SEED, is_common_word(), classes, flag_ambiguous=False
    )
    print(f"{len(questions)} questions from {len(keys):,} names in {time.perf_counter() - started:.0f} s")
    gold_ids = {(q.gold_kind, q.gold_name): ids[q.gold_kind, normalize_name(q.gold_name)] for q in questions}
    del ids, keys, entities  # the benchmark's own millions of objects are not the server's to collect
    started = time.perf_counter()
    answerer = Answerer(store)
    cold = time.perf_counter() - started
    warm = warm_up(answerer)  # what the server and the console do before their first question
    print(f"answerer start {cold * 1000:.0f} ms, then its warm-up {warm * 1000:.0f} ms")
    outcomes: dict[str, list[Outcome]] = {}
    for question in questions:
        gold = (question.gold_kind, gold_ids[question.gold_kind, question.gold_name])
        began, cpu = time.perf_counter(), time.thread_time()
        answer = answerer.answer(question.text)
        ms, cpu_ms = (time.perf_counter() - began) * 1000, (time.thread_time() - cpu) * 1000
        outcome = Outcome(classify(answer, gold, question.gold_name)[0], ms, cpu_ms=cpu_ms)
        outcomes.setdefault(question.typo_class, []).append(outcome)
    header = f"{'class':<16}{'n':>5}{'top-1':>8}{'wrong':>8}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}"
    print(f"{header}{'p99 CPU':>9}")
    every = [o for found in outcomes.values() for o in found]
    for name, row in [*((c, summarise(found)) for c, found in outcomes.items()), ("all", summarise(every))]:
        print(
            f"{name:<16}{row['n']:>5}{row['right']:>7.1f}%{row['wrong']:>7.1f}%"
            f"{row['p50_ms']:>9.2f}{row['p99_ms']:>9.2f}{row['max_ms']:>9.2f}{row['cpu_p99_ms']:>9.2f}"
        )
    print(f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--titles", type=int, default=100_000)
    parser.add_argument("--questions", type=int, default=300)
    parser.add_argument("--words", type=int, default=DEFAULT_WORDS, help="distinct words to build names from")
    parser.add_argument("--dir", type=Path, default=Path("/tmp/showfacts-bench"))
    parser.add_argument(
        "--typo-classes", default="", help="'all' or comma-separated classes of typo_questions"
    )
    parser.add_argument("--per-class", type=int, default=50, help="questions per typo class")
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    suffix = "" if args.words == DEFAULT_WORDS else f"-{args.words}w"
    path = args.dir / f"synthetic-{args.titles}{suffix}.db"
    if not path.exists():
        build(path, args.titles, args.words)
    if args.typo_classes:
        from bench.typo_questions import TYPO_CLASSES

        classes = list(TYPO_CLASSES) if args.typo_classes == "all" else args.typo_classes.split(",")
        run_classes(path, classes, args.per_class)
    else:
        run(path, args.questions)


if __name__ == "__main__":
    main()
