"""The scale benchmark: import, answer time, top-1, memory, cold start and size, beside a naive baseline.

For one catalogue size it

1. generates the synthetic catalogue and questions (``bench/generate.py``; cached in ``--dir``),
2. imports the three CSV files into a new database through ``showfacts import`` (wall time, rows/s),
3. measures cold start: a new ``showfacts ask --json -`` process, from its start to its first answer
   line, measured outside (median of ``--cold-runs`` runs),
4. answers every question through one ``showfacts ask --json -`` process and reads ``elapsed_ms``,
   ``entities`` and ``text`` from each line (p50/p99, top-1 = first entity is the expected one), with
   the process's peak memory (``ru_maxrss`` from ``os.wait4``),
5. runs the naive baseline (``bench/baseline.py``: rapidfuzz ``extractOne`` with ``WRatio`` over every
   name in the database) on the first ``--baseline-questions`` questions, and
6. writes everything to ``DIR/results-N.json`` and prints a Markdown summary.

    python bench/run.py --titles 100000
    python bench/run.py --titles 1000000 --baseline-questions 100
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.baseline import run_baseline  # noqa: E402
from bench.generate import DEFAULT_SEED, generate  # noqa: E402
from facts.normalize import normalize_name  # noqa: E402

CSV_FILES = ("shows.csv", "credits.csv", "viewership.csv")
SHOWFACTS = [sys.executable, "-c", "from bot.cli import main; main()"]
COLD_START_QUESTION = "how many people watched it?"
KIB_PER_MB = 1024
MISSES_KEPT = 40
BYTES_PER_MB = 1024 * 1024


def percentile(values: list[float], share: float) -> float:
    """Return the nearest-rank percentile (``share`` in 0..1) of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(share * len(ordered) + 0.5)) - 1))]


def load_questions(path: Path) -> list[dict[str, Any]]:
    """Read questions.jsonl."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def ensure_catalogue(directory: Path, titles: int, questions: int, seed: int) -> dict[str, Any]:
    """Generate the catalogue unless ``directory`` already holds one with the same parameters."""
    manifest_path = directory / "manifest.json"
    if manifest_path.exists():
        manifest: dict[str, Any] = json.loads(manifest_path.read_text(encoding="utf-8"))
        if (manifest["titles"], manifest["questions"], manifest["seed"]) == (titles, questions, seed):
            return manifest
    return generate(directory, titles, questions, seed)


def run_measured(command: list[str], **popen: Any) -> tuple[int, float, float, bytes, bytes]:
    """Run ``command`` to its end; return exit code, wall seconds, peak RSS (MB), stdout, stderr."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **popen)
    errors: list[bytes] = []
    drain = threading.Thread(target=lambda: errors.append(process.stderr.read()), daemon=True)  # type: ignore[union-attr]
    drain.start()
    out = process.stdout.read()  # type: ignore[union-attr]
    drain.join()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return (
        process.returncode,
        time.perf_counter() - started,
        usage.ru_maxrss / KIB_PER_MB,
        out,
        b"".join(errors),
    )


def database_mb(db: Path) -> float:
    """Return the size of the database with its WAL and shared-memory files, in MB."""
    files = [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")]
    return sum(f.stat().st_size for f in files if f.exists()) / BYTES_PER_MB


def measure_import(db: Path, directory: Path, extra_args: list[str], rows: int) -> dict[str, Any]:
    """Import the catalogue into a new database through ``showfacts import``; return time and rate."""
    for leftover in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        leftover.unlink(missing_ok=True)
    files = [str(directory / f) for f in CSV_FILES]
    command = [*SHOWFACTS, "--db", str(db), "import", *extra_args, *files]
    code, seconds, peak_mb, out, err = run_measured(command, stdin=subprocess.DEVNULL)
    return {
        "command": " ".join(["showfacts", *command[3:]]),
        "exit_code": code,
        "seconds": round(seconds, 2),
        "rows": rows,
        "rows_per_second": round(rows / seconds) if seconds else None,
        "peak_rss_mb": round(peak_mb),
        "output_tail": (out + err).decode("utf-8", "replace")[-1500:],
        "db_mb": round(database_mb(db), 1),
    }


class AskProcess:
    """A ``showfacts ask --json -`` process fed questions on one thread and read on another."""

    def __init__(self, db: Path) -> None:
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            [*SHOWFACTS, "--db", str(db), "ask", "--json", "-"],
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self.first_line_at: float | None = None

    def ask_all(self, questions: list[str]) -> list[dict[str, Any]]:
        """Send every question, read one JSON line per question, and close stdin."""
        writer = threading.Thread(target=self._write, args=(questions,), daemon=True)
        writer.start()
        records = []
        for _ in questions:
            line = self.process.stdout.readline()  # type: ignore[union-attr]
            if self.first_line_at is None:
                self.first_line_at = time.perf_counter()
            if not line:
                break
            records.append(json.loads(line))
        writer.join()
        return records

    def _write(self, questions: list[str]) -> None:
        stdin = self.process.stdin
        assert stdin is not None
        for question in questions:
            stdin.write(question.encode("utf-8") + b"\n")
        stdin.close()

    def finish(self) -> tuple[int, float, str]:
        """Wait for the process; return exit code, peak RSS in MB and the end of its stderr."""
        err = self.process.stderr.read()  # type: ignore[union-attr]
        self.process.stdout.read()  # type: ignore[union-attr]
        _, status, usage = os.wait4(self.process.pid, 0)
        self.process.returncode = os.waitstatus_to_exitcode(status)
        return self.process.returncode, usage.ru_maxrss / KIB_PER_MB, err.decode("utf-8", "replace")[-1500:]

    def cold_start_ms(self) -> float | None:
        """Milliseconds from process start to its first answer line."""
        return None if self.first_line_at is None else (self.first_line_at - self.started) * 1000


def measure_cold_start(db: Path, runs: int) -> dict[str, Any]:
    """Start ``runs`` fresh processes, each answering one question; time start to first answer."""
    times = []
    for _ in range(runs):
        ask = AskProcess(db)
        ask.ask_all([COLD_START_QUESTION])
        ask.finish()
        cold = ask.cold_start_ms()
        if cold is not None:
            times.append(cold)
    return {
        "runs_ms": [round(t) for t in times],
        "median_ms": round(statistics.median(times)) if times else None,
        "max_ms": round(max(times)) if times else None,
    }


def is_hit(record: dict[str, Any], question: dict[str, Any]) -> bool:
    """Return whether the first linked entity is the one the question is about."""
    entities = record.get("entities") or []
    return bool(entities) and normalize_name(entities[0]["name"]) == normalize_name(question["expected"])


def carries_answer(record: dict[str, Any], question: dict[str, Any]) -> bool | None:
    """Return whether a creator question's answer names the creator (None for other questions)."""
    if question["intent"] != "credits" or not question["answer"] or question["answer"].isdigit():
        return None
    return question["answer"] in record.get("text", "")


def summarise_answers(records: list[dict[str, Any]], questions: list[dict[str, Any]]) -> dict[str, Any]:
    """Return answer-time percentiles and top-1 accuracy (overall, per kind, unambiguous only)."""
    times = [float(r["elapsed_ms"]) for r in records]
    hits = [is_hit(r, q) for r, q in zip(records, questions, strict=False)]
    answers = [a for r, q in zip(records, questions, strict=False) if (a := carries_answer(r, q)) is not None]
    summary: dict[str, Any] = {
        "questions": len(records),
        "p50_ms": round(percentile(times, 0.50), 2),
        "p90_ms": round(percentile(times, 0.90), 2),
        "p99_ms": round(percentile(times, 0.99), 2),
        "max_ms": round(max(times), 2),
        "mean_ms": round(statistics.fmean(times), 2),
        "top1": round(sum(hits) / len(hits), 4),
        "creator_named": round(sum(answers) / len(answers), 4) if answers else None,
    }
    for label, keep in (
        ("top1_show", lambda q: q["expected_kind"] == "show"),
        ("top1_person", lambda q: q["expected_kind"] == "person"),
        ("top1_unambiguous", lambda q: not q["ambiguous"]),
    ):
        chosen = [h for h, q in zip(hits, questions, strict=False) if keep(q)]
        summary[label] = round(sum(chosen) / len(chosen), 4) if chosen else None
    missed = [(r, q) for h, r, q in zip(hits, records, questions, strict=False) if not h]
    summary["misses_by_answer_kind"] = dict(Counter(r.get("kind", "") for r, _ in missed).most_common())
    summary["misses"] = [
        {
            "question": q["question"],
            "expected": q["expected"],
            "kind": r.get("kind"),
            "got": [e["name"] for e in r["entities"][:2]] or [c["label"] for c in r.get("choices", [])[:2]],
        }
        for r, q in missed
    ][:MISSES_KEPT]
    return summary


def measure_answers(db: Path, questions: list[dict[str, Any]]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Answer every question in one process; return the summary and the raw records."""
    ask = AskProcess(db)
    records = ask.ask_all([q["question"] for q in questions])
    code, peak_mb, err = ask.finish()
    summary = summarise_answers(records, questions) if records else {"questions": 0}
    summary.update(
        {
            "exit_code": code,
            "peak_rss_mb": round(peak_mb),
            "first_answer_ms": round(ask.cold_start_ms() or 0),
            "wall_seconds": round(time.perf_counter() - ask.started, 1),
            "stderr_tail": err,
        }
    )
    return summary, records


def compare(ours: dict[str, Any], baseline: dict[str, Any], subset_hits: list[bool]) -> dict[str, Any]:
    """Return the baseline-to-showfacts ratios on the questions both answered."""
    return {
        "p50_ratio": round(baseline["p50_ms"] / ours["p50_ms"], 1) if ours.get("p50_ms") else None,
        "p99_ratio": round(baseline["p99_ms"] / ours["p99_ms"], 1) if ours.get("p99_ms") else None,
        "showfacts_top1_same_questions": round(sum(subset_hits) / len(subset_hits), 4)
        if subset_hits
        else None,
    }


def load_average() -> list[float]:
    """Return the 1, 5 and 15 minute load averages, rounded: the machine's business beside the run."""
    return [round(load, 2) for load in os.getloadavg()]


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Run every measurement for one size and return the results."""
    directory = args.dir / f"n{args.titles}"
    db = directory / "bench.db"
    results: dict[str, Any] = {
        "titles": args.titles,
        "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
        "load_average_at_start": load_average(),
    }
    results["catalogue"] = ensure_catalogue(directory, args.titles, args.questions, args.seed)
    questions = load_questions(directory / "questions.jsonl")
    if not args.skip_import:
        rows = sum(results["catalogue"]["rows"].values())
        results["import"] = measure_import(db, directory, args.import_args.split(), rows)
        print(json.dumps(results["import"], indent=2), flush=True)
    results["db_mb"] = round(database_mb(db), 1)
    results["cold_start"] = measure_cold_start(db, args.cold_runs)
    print(json.dumps(results["cold_start"]), flush=True)
    answers, records = measure_answers(db, questions)
    results["answers"] = answers
    print(json.dumps({k: v for k, v in answers.items() if k != "misses"}, indent=2), flush=True)
    (directory / "answers.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    if args.baseline_questions:
        subset = questions[: args.baseline_questions]
        results["baseline"] = run_baseline(db, subset)
        hits = [is_hit(r, q) for r, q in zip(records, subset, strict=False)]
        ours_subset = summarise_answers(records[: len(subset)], subset)
        results["comparison"] = compare(ours_subset, results["baseline"], hits)
    results["load_average_at_end"] = load_average()
    return results


def markdown(results: dict[str, Any]) -> str:
    """Return the one-size summary table for BENCHMARKS.md."""
    imp, ans, cold = results.get("import", {}), results["answers"], results["cold_start"]
    base, comp = results.get("baseline", {}), results.get("comparison", {})
    lines = [
        f"| titles | {results['titles']:,} |",
        "|---|---|",
        f"| load average (1/5/15 min) at start, end | {results.get('load_average_at_start')},"
        f" {results.get('load_average_at_end')} |",
        f"| import (s, rows/s) | {imp.get('seconds')} s, {imp.get('rows_per_second')} rows/s |",
        f"| answer p50 / p99 / max (ms) | {ans.get('p50_ms')} / {ans.get('p99_ms')} / {ans.get('max_ms')} |",
        f"| top-1 (all / shows / people / unambiguous) | {ans.get('top1')} / {ans.get('top1_show')}"
        f" / {ans.get('top1_person')} / {ans.get('top1_unambiguous')} |",
        f"| peak RSS ask / import (MB) | {ans.get('peak_rss_mb')} / {imp.get('peak_rss_mb')} |",
        f"| cold start median / max (ms) | {cold.get('median_ms')} / {cold.get('max_ms')} |",
        f"| database (MB) | {results.get('db_mb')} |",
        f"| baseline p50 / p99 (ms), top-1 | {base.get('p50_ms')} / {base.get('p99_ms')},"
        f" {base.get('top1')} |",
        f"| baseline / showfacts p50, p99 | {comp.get('p50_ratio')}x, {comp.get('p99_ratio')}x |",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--titles", type=int, default=100_000)
    parser.add_argument("--questions", type=int, default=1000)
    parser.add_argument("--baseline-questions", type=int, default=200)
    parser.add_argument("--cold-runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--dir", type=Path, default=REPO / "bench" / "out")
    parser.add_argument("--import-args", default="", help="extra arguments for showfacts import")
    parser.add_argument("--skip-import", action="store_true", help="reuse the database from the last run")
    args = parser.parse_args()
    results = run(args)
    out = args.dir / f"results-{args.titles}.json"
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(markdown(results))
    print(f"results: {out}")


if __name__ == "__main__":
    main()
