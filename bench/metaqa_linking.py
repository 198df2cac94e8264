"""Entity-linking accuracy on MetaQA: is the linker's top candidate the bracketed entity?

Builds a catalogue from the MetaQA 1-hop dev answers of the six credit question types (movies ->
shows, people -> people, credits with roles director / writer / cast; inserted with plain SQL so the
schema's triggers fill the name index), then links every question of those types with its brackets
removed. A question counts as linked when the first-ranked candidate of its main mention (the
longest, then best-scoring span) is the bracketed entity, of the right kind (show for movie_to_*,
person for *_to_movie). Prints accuracy per type and linking time per question (p50 / p99).

    python bench/metaqa_linking.py                  # all questions of the six types
    python bench/metaqa_linking.py --limit 300      # the first 300 of each type
    python bench/metaqa_linking.py --misses 20      # also print 20 misses
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from sqlite_utils import Database  # noqa: E402

from bench.metaqa_data import DATA, TYPES, Question, credits_of, percentile, read_questions  # noqa: E402
from facts.linking import Linker, Linking, Mention  # noqa: E402
from facts.normalize import normalize_name  # noqa: E402
from facts.store import FactStore  # noqa: E402


def build_store(path: Path, credits: set[tuple[str, str, str]]) -> FactStore:
    """Create a fact database holding the movies, people and credits."""
    store = FactStore.open(path)
    shows: dict[str, int] = {}
    people: dict[str, int] = {}
    with store.write() as db:
        for movie, person, role in sorted(credits):
            show_id = _ensure(db, shows, "shows", "title", movie)
            person_id = _ensure(db, people, "people", "name", person)
            db.execute(
                "INSERT OR IGNORE INTO credits(show_id, person_id, role) VALUES (?, ?, ?)",
                (show_id, person_id, role),
            )
    return store


def _ensure(db: Database, ids: dict[str, int], table: str, column: str, text: str) -> int:
    key = normalize_name(text)
    if key not in ids:
        sql = f"INSERT INTO {table}({column}, {column}_key) VALUES (?, ?)"
        ids[key] = int(db.execute(sql, (text, key)).lastrowid)
    return ids[key]


def main_mention(linking: Linking) -> Mention | None:
    """The mention a one-entity question is about: the longest span, then the best score."""
    if not linking.mentions:
        return None
    return max(linking.mentions, key=lambda m: (m.end - m.start, m.candidates[0].score, -m.start))


def is_linked(linking: Linking, q: Question) -> bool:
    mention = main_mention(linking)
    if mention is None:
        return False
    top = mention.candidates[0]
    kind = "show" if TYPES[q.qtype][1] else "person"
    return top.kind == kind and normalize_name(top.name) == normalize_name(q.entity)


def run(limit: int | None, misses: int, data: Path = DATA) -> None:
    questions = read_questions(data, limit)
    credits = credits_of(questions)
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        store = build_store(Path(folder) / "facts.db", credits)
        built = time.perf_counter() - started
        started = time.perf_counter()
        linker = Linker(store)
        cold = time.perf_counter() - started
        names = store.conn.execute("SELECT count(*) FROM names").fetchone()[0]
        print(f"catalogue: {len(credits):,} credits, {names:,} names; built in {built:.1f} s;")
        print(f"linker start (vocabulary load): {cold * 1000:.0f} ms, {len(linker.index.docs):,} words")
        by_type: dict[str, list[bool]] = defaultdict(list)
        times: dict[str, list[float]] = defaultdict(list)
        missed: list[tuple[Question, Linking]] = []
        for q in questions:
            started = time.perf_counter()
            linking = linker.link(q.text)
            times[q.qtype].append((time.perf_counter() - started) * 1000)
            ok = is_linked(linking, q)
            by_type[q.qtype].append(ok)
            if not ok:
                missed.append((q, linking))
        store.close()
    print_table(by_type, times)
    for q, linking in missed[:misses]:
        found = [(m.text, [c.name for c in m.candidates]) for m in linking.mentions]
        print(f"MISS {q.qtype}: {q.text!r} gold={q.entity!r} got={found} unknown={linking.unknown}")


def print_table(by_type: dict[str, list[bool]], times: dict[str, list[float]]) -> None:
    print(f"\n{'type':<20}{'questions':>10}{'linked':>9}{'accuracy':>10}{'p50 ms':>9}{'p99 ms':>9}")
    every: list[bool] = []
    all_times: list[float] = []
    for qtype in TYPES:
        oks, ms = by_type[qtype], times[qtype]
        if not oks:
            continue
        every += oks
        all_times += ms
        print(
            f"{qtype:<20}{len(oks):>10}{sum(oks):>9}{100 * sum(oks) / len(oks):>9.1f}%"
            f"{statistics.median(ms):>9.2f}{percentile(ms, 0.99):>9.2f}"
        )
    print(
        f"{'all':<20}{len(every):>10}{sum(every):>9}{100 * sum(every) / len(every):>9.1f}%"
        f"{statistics.median(all_times):>9.2f}{percentile(all_times, 0.99):>9.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--limit", type=int, default=None, help="questions per type (default: all)")
    parser.add_argument("--misses", type=int, default=0, help="print this many misses")
    parser.add_argument("--data", type=Path, default=DATA, help="folder with the MetaQA files")
    args = parser.parse_args()
    run(args.limit, args.misses, args.data)


if __name__ == "__main__":
    main()
