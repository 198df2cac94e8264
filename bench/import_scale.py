"""Import speed at scale: N titles, 3N credits and N viewership rows through the admin importer.

    python -m bench.import_scale --titles 100000     # target <= 20 s
    python -m bench.import_scale --titles 1000000    # target <= 120 s
    python -m bench.import_scale --titles 100000 --postgres postgresql://...   # an empty database

Writes synthetic CSV files (made-up names) into a temporary folder, imports them into a new
database (a SQLite file, or with ``--postgres`` the empty PostgreSQL database at that URL), then
imports the same files again (all unchanged) and undoes the first import. On PostgreSQL the CPU
time printed is this process's only: the server's is not in it.
"""

from __future__ import annotations

import argparse
import csv
import random
import tempfile
import time
from pathlib import Path

from facts.importing import apply_import, plan_import, read_paths, undo_last_import
from facts.opening import as_import_store, open_store

SYLLABLES = ("ka", "lo", "mi", "ra", "ne", "to", "su", "vi", "de", "po", "zan", "quel", "bri", "hon")
ROLES = ("cast", "creator", "writer", "director", "executive producer")
CREDITS_PER_TITLE = 3


def made_up_name(rng: random.Random, words: int) -> str:
    """Return a random name of ``words`` capitalised made-up words."""
    return " ".join(
        "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize() for _ in range(words)
    )


def write_files(folder: Path, titles: int, seed: int = 7) -> list[Path]:
    """Write shows.csv, credits.csv and viewership.csv for ``titles`` titles."""
    rng = random.Random(seed)
    names = [f"{made_up_name(rng, 2)} {index}" for index in range(titles)]
    people = [f"{made_up_name(rng, 2)} {index}" for index in range(titles)]
    paths = [folder / "shows.csv", folder / "credits.csv", folder / "viewership.csv"]
    with paths[0].open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["title", "network", "premiere_date", "source", "as_of"])
        writer.writerows(
            [name, "Netflix", f"20{index % 25:02d}-01-15", "bench", "2026"]
            for index, name in enumerate(names)
        )
    with paths[1].open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["show", "name", "role", "source", "as_of"])
        for index, name in enumerate(names):
            for offset in range(CREDITS_PER_TITLE):
                writer.writerow(
                    [name, people[(index + offset * 7919) % titles], ROLES[offset], "bench", "2026"]
                )
    with paths[2].open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["show", "viewers", "window", "platform", "source", "as_of"])
        writer.writerows(
            [name, f"{rng.randint(1, 900)}M", "first 28 days", "Netflix", "bench", "2026"] for name in names
        )
    return paths


def timed(label: str, action):  # type: ignore[no-untyped-def]
    started, cpu = time.perf_counter(), time.process_time()
    result = action()
    wall, used = time.perf_counter() - started, time.process_time() - cpu
    # On a shared machine the CPU time says more than the wall clock.
    print(f"{label}: {wall:.1f} s wall, {used:.1f} s CPU", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--titles", type=int, default=100_000)
    parser.add_argument("--postgres", metavar="URL", help="import into this empty PostgreSQL database")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        paths = timed("write files", lambda: write_files(Path(folder), args.titles))
        store = as_import_store(open_store(args.postgres or Path(folder) / "bench.db"))
        files = read_paths(paths)
        started, cpu = time.perf_counter(), time.process_time()
        plan = timed("plan (empty store)", lambda: plan_import(store, files))
        timed("apply", lambda: apply_import(store, plan, user="bench"))
        wall, used = time.perf_counter() - started, time.process_time() - cpu
        print(f"first import total: {wall:.1f} s wall, {used:.1f} s CPU")
        timed("re-import, all unchanged (plan)", lambda: plan_import(store, files))
        timed("undo", lambda: undo_last_import(store, user="bench"))


if __name__ == "__main__":
    main()
