"""Write the real Netflix rows the question set (``questions.jsonl``) is asked about.

Cut from the shared development data (``shared/data/netflix_top10``, see its README), unchanged and
in each file's own order:

- ``all-weeks-global.tsv``: every row of the weeks that start in 2024 (Netflix's weeks end on a
  Sunday, so the week ending 2025-01-05, which starts on 2024-12-30, is 2024's), every row of the
  newest week, and every row of :data:`TITLES` (all their weeks);
- ``most-popular_91days.tsv`` and ``most-popular_28days.tsv``: whole (40 rows each).

Run ``python tests/data/netflix_questions/make_subset.py SHARED/data/netflix_top10`` and then
``make_expected.py``, which reads only these files.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).parent
YEAR = 2024
TITLES = (
    "Wednesday", "Squid Game", "Bridgerton", "The Witcher", "Stranger Things", "Lupin", "Money Heist",
    "The Night Agent", "Emily in Paris", "Baby Reindeer", "Adolescence", "Fool Me Once",
    "Love, Death & Robots", "Unsolved Mysteries", "Red Notice", "Glass Onion: A Knives Out Mystery",
    "Extraction 2", "KPop Demon Hunters",
)  # fmt: skip


def week_start(week: str) -> dt.date:
    return dt.date.fromisoformat(week) - dt.timedelta(days=6)


def main(source: Path) -> None:
    header, *rows = (source / "all-weeks-global.tsv").read_bytes().decode("utf-8").splitlines(keepends=True)
    newest = max(row.split("\t", 1)[0] for row in rows)

    def keep(row: str) -> bool:
        week, _category, _rank, title, *_rest = row.split("\t")
        return week_start(week).year == YEAR or week == newest or title in TITLES

    (HERE / "all-weeks-global.tsv").write_bytes((header + "".join(filter(keep, rows))).encode("utf-8"))
    for name in ("most-popular_91days.tsv", "most-popular_28days.tsv"):
        shutil.copyfile(source / name, HERE / name)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
