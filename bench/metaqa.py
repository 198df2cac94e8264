"""End-to-end MetaQA benchmark: do answers name every gold answer?

Builds a catalogue (admin CSV files) from the MetaQA 1-hop dev answers of the six credit question types,
loads it through the CSV importer, asks every question of those types (entity brackets removed)
through ``Answerer.answer`` and counts, per type, the answers whose plain text names every gold answer
while staying under 1,500 characters. A naive baseline runs beside it: rapidfuzz WRatio of the whole
question over every name, plus a role keyword, listing every linked name.

    python bench/metaqa.py                      # all questions of the six types
    python bench/metaqa.py --limit 300          # the first 300 of each type
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from rapidfuzz import fuzz, process, utils  # noqa: E402

from bench.metaqa_data import DATA, TYPES, Question, credits_of, percentile, read_questions  # noqa: E402
from facts.answering import Answerer  # noqa: E402
from facts.normalize import normalize_name  # noqa: E402
from facts.plaintext import render_text  # noqa: E402
from facts.store import FactStore  # noqa: E402

MAX_ANSWER_CHARS = 1_500
SOURCE = "MetaQA 1-hop dev (WikiMovies)"
# Baseline role keywords, checked in order.
BASELINE_ROLES = (
    ("director", ("direct",)),
    ("writer", ("writ", "wrote", "screenplay")),
    ("cast", ("act", "star", "appear", "cast", "play")),
)


def write_catalogue(credits: set[tuple[str, str, str]], folder: Path) -> list[Path]:
    """Write shows.csv and credits.csv in the admin import format."""
    # The importer keys shows and people on their normalised names: write each key once.
    movies = sorted({normalize_name(movie): movie for movie, _person, _role in sorted(credits)}.values())
    unique = {(normalize_name(m), normalize_name(p), r): (m, p, r) for m, p, r in sorted(credits)}
    credits = set(unique.values())
    shows_path, credits_path = folder / "shows.csv", folder / "credits.csv"
    with shows_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["title", "source", "as_of"])
        writer.writerows([movie, SOURCE, "2016"] for movie in movies)
    with credits_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["show", "name", "role", "source", "as_of"])
        writer.writerows([movie, person, role, SOURCE, "2016"] for movie, person, role in sorted(credits))
    return [shows_path, credits_path]


def load_catalogue(store: FactStore, paths: list[Path]) -> float:
    """Import the CSV files through the admin importer; return the seconds it took."""
    from facts.importing import apply_import, plan_import, read_paths

    started = time.perf_counter()
    plan = plan_import(store, read_paths(paths))
    apply_import(store, plan, user="bench")
    return time.perf_counter() - started


def names_every_answer(text: str, answers: Iterable[str]) -> bool:
    """Whether ``text`` is short enough and names every gold answer (compared normalised, whole words)."""
    if len(text) >= MAX_ANSWER_CHARS:
        return False
    haystack = f" {normalize_name(text)} "
    return all(f" {normalize_name(answer)} " in haystack for answer in answers)


class Baseline:
    """Whole-question WRatio over every name, a role keyword, and every linked name listed."""

    def __init__(self, credits: set[tuple[str, str, str]]) -> None:
        self.by_name: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        for credit in sorted(credits):  # sorted: ties between equally good names break the same way
            self.by_name[credit[0]].append(credit)
            self.by_name[credit[1]].append(credit)
        self.names = list(self.by_name)
        self.processed = [utils.default_process(name) for name in self.names]

    def answer(self, question: str) -> str:
        match = process.extractOne(utils.default_process(question), self.processed, scorer=fuzz.WRatio)
        if match is None:
            return ""
        name = self.names[match[2]]
        role = _baseline_role(question)
        linked = []
        for movie, person, credit_role in self.by_name[name]:
            if role and credit_role != role:
                continue
            linked.append(person if movie == name else movie)
        return ", ".join(dict.fromkeys(linked))


def _baseline_role(question: str) -> str:
    lowered = question.casefold()
    for role, stems in BASELINE_ROLES:
        if any(stem in lowered for stem in stems):
            return role
    return ""


def run(questions: list[Question], ask: Callable[[str], str]) -> tuple[dict[str, list[bool]], list[float]]:
    """Ask every question; return per-type successes and per-question milliseconds."""
    results: dict[str, list[bool]] = defaultdict(list)
    times = []
    for question in questions:
        started = time.perf_counter()
        text = ask(question.text)
        times.append((time.perf_counter() - started) * 1000)
        results[question.qtype].append(names_every_answer(text, question.answers))
    return results, times


def print_table(
    ours: dict[str, list[bool]], baseline: dict[str, list[bool]], times: dict[str, list[float]]
) -> None:
    print(
        f"{'question type':<20} {'n':>6} {'answerer':>9} {'baseline':>9}   (answer names every gold answer)"
    )
    for qtype in TYPES:
        n = len(ours.get(qtype, []))
        if n:
            print(f"{qtype:<20} {n:>6} {_rate(ours[qtype]):>9} {_rate(baseline[qtype]):>9}")
    all_ours = [ok for oks in ours.values() for ok in oks]
    all_base = [ok for oks in baseline.values() for ok in oks]
    print(f"{'overall':<20} {len(all_ours):>6} {_rate(all_ours):>9} {_rate(all_base):>9}")
    for label, values in times.items():
        p50, p99 = statistics.median(values), percentile(values, 0.99)
        print(f"{label:<20} p50 {p50:.2f} ms   p99 {p99:.2f} ms")


def _rate(oks: list[bool]) -> str:
    return f"{100 * sum(oks) / len(oks):.2f}%" if oks else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA, help="folder with the MetaQA files")
    parser.add_argument("--limit", type=int, default=None, help="at most this many questions per type")
    parser.add_argument("--no-baseline", action="store_true", help="skip the naive baseline")
    parser.add_argument("--failures", type=int, default=0, help="print this many failed questions")
    args = parser.parse_args()

    questions = read_questions(args.data, args.limit)
    credits = credits_of(questions)
    with tempfile.TemporaryDirectory() as folder:
        paths = write_catalogue(credits, Path(folder))
        store = FactStore.open(Path(folder) / "metaqa.db")
        seconds = load_catalogue(store, paths)
        print(f"{len(questions)} questions; {len(credits)} credits imported in {seconds:.1f} s")
        started = time.perf_counter()
        answerer = Answerer(store)
        print(f"answerer ready in {(time.perf_counter() - started) * 1000:.0f} ms")
        ours, our_times = run(questions, lambda text: render_text(answerer.answer(text)))
        baseline_results: dict[str, list[bool]] = defaultdict(list)
        times = {"answerer": our_times}
        if not args.no_baseline:
            baseline = Baseline(credits)
            baseline_results, times["baseline"] = run(questions, baseline.answer)
        print_table(ours, baseline_results, times)
        if args.failures:
            print_failures(questions, answerer, args.failures)
        store.close()


def print_failures(questions: list[Question], answerer: Answerer, limit: int) -> None:
    shown = 0
    for question in questions:
        text = render_text(answerer.answer(question.text))
        if not names_every_answer(text, question.answers) and shown < limit:
            shown += 1
            print(f"--- [{question.qtype}] {question.text} -> {'|'.join(question.answers)}")
            print("    " + text.replace("\n", "\n    ")[:600])


if __name__ == "__main__":
    main()
