"""Real-name benchmark (issue 13): does showfacts find the name the user meant, typos and all?

In one run:

1. builds a catalogue of ~41,000 real names (MetaQA's film knowledge base and the Netflix Top 10
   titles, see ``bench/real_catalogue.py``) in the admin CSV format and imports it, with Netflix's
   own files, into a new fact store through the importer (``plan_import`` / ``apply_import``);
2. generates seeded questions per typo class (``bench/typo_questions.py``) in four phrasing families
   (audience, credits, filmography, "who is"), each with its gold show or person;
3. answers each with ``Answerer.answer`` (what ``showfacts ask --json`` calls), after the warm-up
   the Slack server and the console do at start (``facts.startup.warm_up``), and classifies it:
   **right** (a confident answer whose entities are exactly the gold one), **wrong** (a confident
   answer - figure, credit, card, or "no such fact" - naming any other entity, or a ranking),
   **did-you-mean** (a question back offering the entities it linked; with or without the gold among
   them), **miss** (nothing linked: "I don't have facts about ...", "Which show do you mean? For
   example: ...");
4. beside it, two baselines: a tantivy index of the same names queried with the whole question
   (BM25 term queries plus fuzzy term queries, top hit), and rapidfuzz on the gold span as typed
   (``extractOne`` with ``ratio`` and with ``WRatio`` over every name key). A baseline is right when
   its top hit has the gold name's key (baselines do not tell shows from people).

Writes ``results.json``, ``results.md`` (per-class tables) and ``wrong.jsonl`` (every answer that is
not right: confident-wrong, did-you-mean and miss, with the entities named) into ``--out``. Needs
the ``bench`` extra (``pip install -e '.[bench]'``: tantivy).

    python bench/real_names.py --shared /work/shared             # 150 questions per class
    python bench/real_names.py --per-class 40 --no-baselines     # a quick look
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from rapidfuzz import fuzz, process  # noqa: E402

from bench.real_catalogue import Catalogue, read_catalogue, write_catalogue  # noqa: E402
from bench.typo_questions import ARTICLES, TYPO_CLASSES, Question, make_questions  # noqa: E402
from facts.answer import Answer  # noqa: E402
from facts.answering import Answerer  # noqa: E402
from facts.importing import apply_import, plan_import, read_paths  # noqa: E402
from facts.normalize import normalize_name  # noqa: E402
from facts.startup import warm_up  # noqa: E402
from facts.store import FactStore  # noqa: E402

DEFAULT_SEED = 13
DEFAULT_PER_CLASS = 150
# A word at least this frequent is common (wordfreq's Zipf scale: 5 is once in 100,000 words; ~1,100 words).
COMMON_ZIPF = 5.0
CONFIDENT_KINDS = frozenset({"answer", "card", "no_fact"})
OUTCOMES = ("right", "wrong", "did_you_mean_gold", "did_you_mean_other", "miss")
# tantivy: fuzzy term queries for words of at least this many letters, two edits from the second.
FUZZY_MIN_LETTERS, FUZZY_TWO_EDITS_LETTERS = 4, 8


@dataclass
class Outcome:
    """How one method did on one question."""

    outcome: str
    ms: float
    detail: str = ""  # what was answered: the entity named, the choices offered
    cpu_ms: float = 0.0  # the thread's CPU time (beside wall time on a shared machine)


# -- showfacts -------------------------------------------------------------------------------------


def import_catalogue(catalogue: Catalogue, folder: Path) -> tuple[FactStore, float]:
    """Write the catalogue's files, import them into a new store; return it and the seconds taken."""
    paths = write_catalogue(catalogue, folder / "catalogue")
    store = FactStore.open(folder / "real-names.db")
    started = time.perf_counter()
    apply_import(store, plan_import(store, read_paths(paths)), user="bench")
    return store, time.perf_counter() - started


def gold_ids(store: FactStore) -> dict[tuple[str, str], int]:
    """(kind, key) -> id of every show and person in the store."""
    with store.read() as db:
        shows = db.execute("SELECT title_key, id FROM shows").fetchall()
        people = db.execute("SELECT name_key, id FROM people").fetchall()
    return {**{("show", k): i for k, i in shows}, **{("person", k): i for k, i in people}}


def classify(answer: Answer, gold: tuple[str, int], gold_name: str) -> tuple[str, str]:
    """Return the outcome of one answer and a short description of what it named."""
    named = {(e.kind, e.id) for e in answer.entities}
    described = "; ".join(f"{e.kind} {e.name!r}" for e in answer.entities)
    if answer.kind == "clarify" and answer.choices and answer.entities:
        # Choices with no entity are examples ("Which show do you mean? For example: ..."): a miss.
        offered = "did_you_mean_gold" if gold in named else "did_you_mean_other"
        return offered, " | ".join(c.label for c in answer.choices)
    if answer.kind in CONFIDENT_KINDS:
        if named == {gold}:
            return "right", described
        if named or answer.bars or answer.items or answer.fields:
            return "wrong", described or f"{answer.kind}: {answer.headline[:80]}"
    suggested = any(normalize_name(c.label) == normalize_name(gold_name) for c in answer.choices)
    return "miss", ("gold suggested: " if suggested else "") + answer.headline[:80]


def run_showfacts(
    store: FactStore, questions: Sequence[Question]
) -> tuple[list[Outcome], tuple[float, float], list[dict]]:
    """Answer every question; return the outcomes, the answerer's start and warm-up times and the bad
    answers."""
    started = time.perf_counter()
    answerer = Answerer(store)
    cold = time.perf_counter() - started
    ids = gold_ids(store)
    warm = warm_up(answerer)  # what the server and the console do before their first question
    outcomes, bad = [], []
    for question in questions:
        gold = (question.gold_kind, ids[question.gold_kind, normalize_name(question.gold_name)])
        began, cpu = time.perf_counter(), time.thread_time()
        answer = answerer.answer(question.text)
        ms, cpu_ms = (time.perf_counter() - began) * 1000, (time.thread_time() - cpu) * 1000
        outcome, detail = classify(answer, gold, question.gold_name)
        outcomes.append(Outcome(outcome, ms, detail, cpu_ms))
        if outcome != "right":
            bad.append(
                {
                    **asdict(question),
                    "outcome": outcome,
                    "pattern": wrong_pattern(question, answer) if outcome == "wrong" else "",
                    "headline": answer.headline,
                    "entities": [
                        {"kind": e.kind, "name": e.name, "matched_text": e.matched_text, "score": e.score}
                        for e in answer.entities
                    ],
                }
            )
    return outcomes, (cold, warm), bad


def wrong_pattern(question: Question, answer: Answer) -> str:
    """Which way a confident answer went wrong, for the list of patterns (the first that fits)."""
    if not answer.entities:
        return "an answer about no entity (a ranking, a list)"
    gold = normalize_name(question.gold_name)
    keys = [normalize_name(e.name) for e in answer.entities]
    if len(keys) > 1:
        return (
            "several names, the gold one among them" if gold in keys else "several names, none the gold one"
        )
    span, text = f" {normalize_name(question.span)} ", f" {normalize_name(question.text)} "
    first, _, rest = keys[0].partition(" ")
    if f" {keys[0]} " in span or (first in ARTICLES and f" {rest} " in span):
        return "a shorter name whose words are in the typed name (its article aside)"
    if f" {keys[0]} " in text:
        return "a name spelt by the question's other words"
    if answer.entities[0].kind != question.gold_kind:
        return "a near name of the other kind (show for person, or the reverse)"
    return "another near name"


# -- baselines -------------------------------------------------------------------------------------


class TantivyBaseline:
    """Every name key in a tantivy index; the whole question as BM25 term queries plus fuzzy ones."""

    def __init__(self, keys: Sequence[str]) -> None:
        import tantivy

        self.tantivy = tantivy
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("name", stored=True)
        self.schema = builder.build()
        self.index = tantivy.Index(self.schema)
        writer = self.index.writer()
        for key in keys:
            writer.add_document(tantivy.Document(name=key))
        writer.commit()
        self.index.reload()
        self.searcher = self.index.searcher()

    def top(self, question: str) -> str | None:
        q = self.tantivy.Query
        occur = self.tantivy.Occur.Should
        parts = []
        for word in normalize_name(question).split():
            parts.append((occur, q.term_query(self.schema, "name", word)))
            if len(word) >= FUZZY_MIN_LETTERS:
                distance = 2 if len(word) >= FUZZY_TWO_EDITS_LETTERS else 1
                parts.append((occur, q.fuzzy_term_query(self.schema, "name", word, distance=distance)))
        if not parts:
            return None
        hits = self.searcher.search(q.boolean_query(parts), 1).hits
        if not hits:
            return None
        return str(self.searcher.doc(hits[0][1])["name"][0])


def run_baseline(top: Callable[[Question], str | None], questions: Sequence[Question]) -> list[Outcome]:
    """Ask a baseline every question: right when its top name is the gold name's key."""
    outcomes = []
    for question in questions:
        began = time.perf_counter()
        found = top(question)
        ms = (time.perf_counter() - began) * 1000
        if found is None:
            outcomes.append(Outcome("miss", ms))
        else:
            right = found == normalize_name(question.gold_name)
            outcomes.append(Outcome("right" if right else "wrong", ms, found))
    return outcomes


def span_matcher(keys: Sequence[str], scorer: Callable[..., float]) -> Callable[[Question], str | None]:
    """rapidfuzz ``extractOne`` of the gold span as typed, normalised, against every key."""
    choices = list(keys)

    def top(question: Question) -> str | None:
        best = process.extractOne(normalize_name(question.span), choices, scorer=scorer, processor=None)
        return None if best is None else str(best[0])

    return top


# -- report ----------------------------------------------------------------------------------------


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile (``share`` in 0..1)."""
    ordered = sorted(values)
    return (
        ordered[min(len(ordered) - 1, max(0, int(round(share * len(ordered) + 0.5)) - 1))] if ordered else 0.0
    )


def summarise(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    """n, the share of each outcome (percent) and p50/p99 milliseconds."""
    n = len(outcomes)
    shares = {
        name: round(100 * sum(o.outcome == name for o in outcomes) / n, 2) if n else 0.0 for name in OUTCOMES
    }
    times = [o.ms for o in outcomes]
    cpu = [o.cpu_ms for o in outcomes]
    return {
        "n": n,
        **shares,
        "did_you_mean": round(shares["did_you_mean_gold"] + shares["did_you_mean_other"], 2),
        "p50_ms": round(statistics.median(times), 2) if times else 0.0,
        "p99_ms": round(percentile(times, 0.99), 2),
        "max_ms": round(max(times), 2) if times else 0.0,
        "cpu_p99_ms": round(percentile(cpu, 0.99), 2),
    }


def by_group(
    questions: Sequence[Question], outcomes: Sequence[Outcome], group: Callable[[Question], str]
) -> dict[str, dict[str, Any]]:
    grouped: dict[str, list[Outcome]] = defaultdict(list)
    for question, outcome in zip(questions, outcomes, strict=True):
        grouped[group(question)].append(outcome)
    return {name: summarise(grouped[name]) for name in grouped}


def pattern_table(bad: Sequence[dict[str, Any]]) -> list[str]:
    """Markdown rows: each pattern of confident-wrong answers, how many, and the first example."""
    patterns: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in bad:
        if row["outcome"] == "wrong":
            patterns[row["pattern"]].append(row)
    lines = ["| pattern | answers | example: question (gold) -> named |", "|---|---:|---|"]
    for pattern, rows in sorted(patterns.items(), key=lambda item: -len(item[1])):
        first = rows[0]
        named = ", ".join(e["name"] for e in first["entities"]) or first["headline"][:60]
        example = f"{first['text']} ({first['gold_name']}) -> {named}".replace("|", "\\|")
        lines.append(f"| {pattern} | {len(rows)} | {example} |")
    return lines


def markdown(results: dict[str, Any]) -> str:
    """The per-class tables of one run."""
    methods = results["methods"]
    lines = [
        f"{results['questions']} questions ({results['per_class']} per class, seed {results['seed']}) on "
        f"{results['catalogue']['names']:,} names; showfacts {results['commit']}, {results['date']}.",
        f"Answerer start {results['answerer_start_ms']} ms, then its warm-up {results['warm_up_ms']} ms.",
        "",
        "showfacts (`Answerer.answer`, as `showfacts ask --json`):",
        "",
        "| class | n | top-1 | confident-wrong | did-you-mean, gold offered | did-you-mean, gold not offered"
        " | miss | p50 ms | p99 ms | p99 CPU ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    ours = methods["showfacts"]
    for name, row in [*ours["classes"].items(), ("**overall**", ours["overall"])]:
        shares = [row[outcome] for outcome in OUTCOMES]
        lines.append(
            f"| {name} | {row['n']} | "
            + " | ".join(f"{share:.1f}%" for share in shares)
            + f" | {row['p50_ms']:.2f} | {row['p99_ms']:.2f} | {row['cpu_p99_ms']:.2f} |"
        )
    others = [m for m in methods if m != "showfacts"]
    if others:
        lines += ["", "Top-1 (and p99 ms) of showfacts beside the baselines:", ""]
        lines.append("| class | " + " | ".join(["showfacts", *others]) + " |")
        lines.append("|---|" + "---:|" * (1 + len(others)))
        for name in [*ours["classes"], "overall"]:
            cells = []
            for method in ["showfacts", *others]:
                row = methods[method]["overall" if name == "overall" else "classes"]
                row = row if name == "overall" else row[name]
                cells.append(f"{row['right']:.1f}% ({row['p99_ms']:.1f})")
            lines.append(f"| {'**overall**' if name == 'overall' else name} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "showfacts by phrasing:",
        "",
        "| phrasing | n | top-1 | confident-wrong | did-you-mean | miss |",
    ]
    lines.append("|---|---:|---:|---:|---:|---:|")
    for name, row in ours["families"].items():
        lines.append(
            f"| {name} | {row['n']} | {row['right']:.1f}% | {row['wrong']:.1f}% | "
            f"{row['did_you_mean']:.1f}% | {row['miss']:.1f}% |"
        )
    lines += ["", "showfacts' confident-wrong answers by pattern:", "", *results["wrong_patterns"]]
    return "\n".join(lines) + "\n"


def method_results(questions: Sequence[Question], outcomes: Sequence[Outcome]) -> dict[str, Any]:
    return {
        "overall": summarise(outcomes),
        "classes": by_group(questions, outcomes, lambda q: q.typo_class),
        "families": by_group(questions, outcomes, lambda q: q.family),
        "unambiguous": summarise([o for q, o in zip(questions, outcomes, strict=True) if not q.ambiguous]),
    }


def _commit() -> str:
    """The last commit that changed showfacts itself (facts/, bot/): what the figures measure."""
    command = ["git", "-C", str(REPO), "log", "-1", "--format=%h", "--", "facts", "bot"]
    try:
        return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def is_common_word() -> Callable[[str], bool]:
    """wordfreq's English frequency: common from Zipf 5."""
    from wordfreq import zipf_frequency

    return lambda word: zipf_frequency(word, "en") >= COMMON_ZIPF


def run(args: argparse.Namespace) -> dict[str, Any]:
    started = time.perf_counter()
    catalogue = read_catalogue(args.shared)
    classes = args.classes.split(",") if args.classes else list(TYPO_CLASSES)
    questions = make_questions(
        catalogue.entities, catalogue.keys, args.per_class, args.seed, is_common_word(), classes
    )
    print(f"{len(questions)} questions generated in {time.perf_counter() - started:.1f} s", flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    with (args.out / "questions.jsonl").open("w", encoding="utf-8") as handle:
        handle.writelines(json.dumps(asdict(q), ensure_ascii=False) + "\n" for q in questions)
    with tempfile.TemporaryDirectory() as folder:
        store, import_seconds = import_catalogue(catalogue, Path(folder))
        with store.read() as db:
            names = db.execute("SELECT count(*) FROM names").fetchone()[0]
        print(f"{names:,} names imported in {import_seconds:.1f} s", flush=True)
        ours, (cold, warm), bad = run_showfacts(store, questions)
        store.close()
    methods = {"showfacts": method_results(questions, ours)}
    print(f"showfacts: top-1 {methods['showfacts']['overall']['right']:.1f}%", flush=True)
    if not args.no_baselines:
        tantivy = TantivyBaseline(catalogue.keys)
        methods["tantivy"] = method_results(questions, run_baseline(lambda q: tantivy.top(q.text), questions))
        for label, scorer in (("rapidfuzz span ratio", fuzz.ratio), ("rapidfuzz span WRatio", fuzz.WRatio)):
            methods[label] = method_results(
                questions, run_baseline(span_matcher(catalogue.keys, scorer), questions)
            )
    with (args.out / "wrong.jsonl").open("w", encoding="utf-8") as handle:
        handle.writelines(json.dumps(b, ensure_ascii=False) + "\n" for b in bad)
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": _commit(),
        "seed": args.seed,
        "per_class": args.per_class,
        "questions": len(questions),
        "ambiguous_questions": sum(q.ambiguous for q in questions),
        "catalogue": {
            "names": names,
            "shows": len(catalogue.shows),
            "people": len(catalogue.people),
            "credits": len(catalogue.credits),
            "metaqa_films": catalogue.metaqa_films,
            "metaqa_people": catalogue.metaqa_people,
            "unclassified_names": catalogue.unclassified,
            "import_seconds": round(import_seconds, 1),
        },
        "answerer_start_ms": round(cold * 1000),
        "warm_up_ms": round(warm * 1000),
        "load_average": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
        "python": platform.python_version(),
        "seconds": round(time.perf_counter() - started, 1),
        "methods": methods,
        "wrong_patterns": pattern_table(bad),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument(
        "--shared", type=Path, default=REPO.parent / "shared", help="the shared folder (data/)"
    )
    parser.add_argument("--per-class", type=int, default=DEFAULT_PER_CLASS)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--classes", default="", help="comma-separated classes (default: all)")
    parser.add_argument("--no-baselines", action="store_true", help="skip tantivy and rapidfuzz")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out" / "real_names")
    args = parser.parse_args()
    results = run(args)
    (args.out / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    table = markdown(results)
    (args.out / "results.md").write_text(table, encoding="utf-8")
    print(table)
    print(f"results in {args.out} ({results['seconds']} s)")


if __name__ == "__main__":
    main()
