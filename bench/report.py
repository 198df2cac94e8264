"""Render the measured results (bench/out/results-*.json, load-slack.json) as BENCHMARKS.md tables.

python bench/report.py
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent / "out"
SIZES = (100_000, 1_000_000)
# (label, path into results, target per size or None, "max" when lower is better, "min" when higher)
ROWS: tuple[tuple[str, tuple[str, ...], dict[int, float] | None, str], ...] = (
    ("import, s", ("import", "seconds"), {100_000: 20, 1_000_000: 120}, "max"),
    ("import, rows/s", ("import", "rows_per_second"), None, ""),
    ("import peak memory, MB", ("import", "peak_rss_mb"), None, ""),
    ("answer p50, ms", ("answers", "p50_ms"), None, ""),
    ("answer p99, ms", ("answers", "p99_ms"), {100_000: 10, 1_000_000: 50}, "max"),
    ("answer max, ms", ("answers", "max_ms"), None, ""),
    ("top-1, all questions", ("answers", "top1"), {100_000: 0.95, 1_000_000: 0.95}, "min"),
    ("top-1, title questions", ("answers", "top1_show"), {100_000: 0.95, 1_000_000: 0.95}, "min"),
    ("top-1, person questions", ("answers", "top1_person"), None, ""),
    ("top-1, unambiguous questions", ("answers", "top1_unambiguous"), None, ""),
    ("creator named in 'who created' answers", ("answers", "creator_named"), None, ""),
    ("peak memory of the answering process, MB", ("answers", "peak_rss_mb"), {1_000_000: 2048}, "max"),
    ("cold start (median of 3), ms", ("cold_start", "median_ms"), {100_000: 1000, 1_000_000: 3000}, "max"),
    ("database size, MB", ("db_mb",), None, ""),
    ("baseline p50, ms", ("baseline", "p50_ms"), None, ""),
    ("baseline p99, ms", ("baseline", "p99_ms"), None, ""),
    ("baseline top-1", ("baseline", "top1"), None, ""),
    ("baseline questions (first K)", ("baseline", "questions"), None, ""),
    ("showfacts top-1 on the same K", ("comparison", "showfacts_top1_same_questions"), None, ""),
    ("baseline p50 / showfacts p50", ("comparison", "p50_ratio"), None, ""),
    ("baseline p99 / showfacts p99", ("comparison", "p99_ratio"), None, ""),
)


def dig(results: dict[str, Any] | None, path: tuple[str, ...]) -> Any:
    value: Any = results
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def cell(value: Any, target: float | None, sense: str) -> str:
    if value is None:
        return "not run"
    text = f"{value:,}" if isinstance(value, int | float) else str(value)
    if target is None or not sense:
        return text
    met = value <= target if sense == "max" else value >= target
    bound = "≤" if sense == "max" else "≥"
    return f"{text} ({'meets' if met else 'MISSES'} {bound} {target:,})"


def scale_table() -> str:
    results = {n: _load(OUT / f"results-{n}.json") for n in SIZES}
    lines = ["| measure | " + " | ".join(f"{n:,} titles" for n in SIZES) + " |", "|---|---|---|"]
    for label, path, targets, sense in ROWS:
        cells = [cell(dig(results[n], path), (targets or {}).get(n), sense) for n in SIZES]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    started = [
        f"{n:,}: {dig(results[n], ('started',))}, load {dig(results[n], ('load_average_at_start',))}"
        f" → {dig(results[n], ('load_average_at_end',))}"
        for n in SIZES
    ]
    return "\n".join(lines) + "\n\nRuns (UTC, load average 1/5/15 min at start → end): " + "; ".join(started)


def _load(path: Path) -> dict[str, Any] | None:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def load_table() -> str:
    load = _load(OUT / "load-slack.json")
    if load is None:
        return "not run"
    keys = (
        "requests",
        "concurrency",
        "acknowledged",
        "ack_p50_ms",
        "ack_p99_ms",
        "ack_max_ms",
        "answered",
        "answer_p50_ms",
        "answer_p99_ms",
        "startup_seconds",
        "load_average_before_after",
    )
    return "\n".join(["| measure | value |", "|---|---|", *(f"| {k} | {load.get(k)} |" for k in keys)])


if __name__ == "__main__":
    print(scale_table())
    print()
    print(load_table())
