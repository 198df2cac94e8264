"""The naive baseline: the whole question against every name with rapidfuzz ``extractOne`` and ``WRatio``.

Every name in the database's name index (titles, aliases, people, organisations, characters) is a
choice, preprocessed once with ``rapidfuzz.utils.default_process``; each question is preprocessed the
same way and matched with ``process.extractOne(..., scorer=WRatio, processor=None)``. Top-1 counts a
hit when the best name is the expected entity's name (a character with the same name as the expected
person does not count).

    python bench/baseline.py bench/out/n100000/bench.db bench/out/n100000/questions.jsonl --limit 200
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process, utils

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from facts.normalize import normalize_name  # noqa: E402
from facts.store import FactStore  # noqa: E402

# The base kind each expected-entity kind of questions.jsonl may be matched by.
KINDS = {"show": ("show", "show_alias"), "person": ("person", "person_alias")}


def load_names(db: Path) -> tuple[list[str], list[str], list[str]]:
    """Return every name's text, kind and preprocessed text from the database's name index."""
    store = FactStore.open(db)
    try:
        with store.read():
            rows = store.conn.execute("SELECT text, kind FROM names").fetchall()
    finally:
        store.close()
    texts = [r[0] for r in rows]
    return texts, [r[1] for r in rows], [utils.default_process(t) for t in texts]


def nearest_rank(values: list[float], share: float) -> float:
    """Return the nearest-rank percentile (``share`` in 0..1) of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(share * len(ordered) + 0.5)) - 1))]


def run_baseline(db: Path, questions: list[dict[str, Any]]) -> dict[str, Any]:
    """Answer ``questions`` with the naive matcher; return load time, p50/p99 and top-1."""
    started = time.perf_counter()
    texts, kinds, choices = load_names(db)
    load_seconds = time.perf_counter() - started
    times, hits = [], []
    for question in questions:
        began = time.perf_counter()
        best = process.extractOne(
            utils.default_process(question["question"]), choices, scorer=fuzz.WRatio, processor=None
        )
        times.append((time.perf_counter() - began) * 1000)
        hits.append(best is not None and _is_expected(texts[best[2]], kinds[best[2]], question))
    return {
        "method": "rapidfuzz process.extractOne(question, every name, scorer=WRatio)",
        "names": len(texts),
        "load_seconds": round(load_seconds, 2),
        "questions": len(questions),
        "p50_ms": round(nearest_rank(times, 0.50), 2),
        "p99_ms": round(nearest_rank(times, 0.99), 2),
        "max_ms": round(max(times), 2),
        "mean_ms": round(statistics.fmean(times), 2),
        "top1": round(sum(hits) / len(hits), 4),
    }


def _is_expected(text: str, kind: str, question: dict[str, Any]) -> bool:
    allowed = KINDS.get(question["expected_kind"], (question["expected_kind"],))
    return kind in allowed and normalize_name(text) == normalize_name(question["expected"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("db", type=Path)
    parser.add_argument("questions", type=Path)
    parser.add_argument("--limit", type=int, default=200)
    args = parser.parse_args()
    with args.questions.open(encoding="utf-8") as handle:
        questions = [json.loads(line) for line in handle if line.strip()][: args.limit]
    print(json.dumps(run_baseline(args.db, questions), indent=2))


if __name__ == "__main__":
    main()
