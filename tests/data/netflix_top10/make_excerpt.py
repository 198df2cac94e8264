"""Write ``all-weeks-global.tsv``: an excerpt of Netflix's published weekly Top 10 file.

The tests need real rows, not the whole 10,560-row file, which lives in the shared development data
(``shared/data/netflix_top10``, see its README for where it was copied from). To regenerate:
``python tests/data/netflix_top10/make_excerpt.py /path/to/shared/data/netflix_top10/all-weeks-global.tsv``.
The two most-popular files beside this one are Netflix's own, copied whole (40 rows each).

Kept, in the file's own order: every row of three whole weeks (the newest, one in 2023, one in
2025) and every row of the titles the answering tests ask about.
"""

from __future__ import annotations

import sys
from pathlib import Path

WEEKS = ("2026-07-19", "2025-09-21", "2023-12-31")
TITLES = ("Wednesday", "Squid Game", "Stranger Things", "Red Notice", "Bridgerton", "KPop Demon Hunters")


def keep(line: str) -> bool:
    week, _category, _rank, title, *_rest = line.split("\t")
    return week in WEEKS or title.startswith(TITLES)


def main(source: Path) -> None:
    header, *rows = source.read_text(encoding="utf-8").splitlines(keepends=True)
    excerpt = Path(__file__).with_name("all-weeks-global.tsv")
    excerpt.write_text(header + "".join(row for row in rows if keep(row)), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
