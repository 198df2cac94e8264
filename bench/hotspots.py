"""Where the time goes: cProfile of an import and of answering, on a generated catalogue.

    python bench/hotspots.py import bench/out/n100000            # plan_import + apply_import into /tmp
    python bench/hotspots.py answer bench/out/n100000 --limit 300 # Answerer.answer on the questions

Prints the functions with the most cumulative and the most own time.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from facts.answering import Answerer  # noqa: E402
from facts.importing import apply_import, open_seeded, plan_import, read_paths  # noqa: E402
from facts.store import FactStore  # noqa: E402

CSV_FILES = ("shows.csv", "credits.csv", "viewership.csv")
TOP = 25


def profile_import(directory: Path) -> cProfile.Profile:
    """Profile planning and applying the catalogue's import into a new database."""
    db = Path(tempfile.mkdtemp(prefix="showfacts-profile-")) / "facts.db"
    store = open_seeded(db)
    files = read_paths([directory / name for name in CSV_FILES])
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    plan = plan_import(store, files)
    planned = time.perf_counter()
    apply_import(store, plan, user="profile")
    profiler.disable()
    print(f"plan {planned - started:.1f} s, apply {time.perf_counter() - planned:.1f} s (under the profiler)")
    store.close()
    return profiler


def profile_answers(directory: Path, limit: int) -> cProfile.Profile:
    """Profile answering the first ``limit`` questions (after one warm-up question)."""
    store = FactStore.open(directory / "bench.db")
    answerer = Answerer(store)
    answerer.answer("how many people watched it?")
    with (directory / "questions.jsonl").open(encoding="utf-8") as handle:
        questions = [json.loads(line)["question"] for line in handle][:limit]
    profiler = cProfile.Profile()
    profiler.enable()
    for question in questions:
        answerer.answer(question)
    profiler.disable()
    return profiler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("what", choices=("import", "answer"))
    parser.add_argument("directory", type=Path)
    parser.add_argument("--limit", type=int, default=300)
    args = parser.parse_args()
    if args.what == "import":
        profiler = profile_import(args.directory)
    else:
        profiler = profile_answers(args.directory, args.limit)
    stats = pstats.Stats(profiler).strip_dirs()
    stats.sort_stats("cumulative").print_stats(TOP)
    stats.sort_stats("tottime").print_stats(TOP)


if __name__ == "__main__":
    main()
