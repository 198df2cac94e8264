"""Write ``all-weeks-countries.tsv``: an excerpt of Netflix's published per-country weekly Top 10 file.

The tests need real rows, not the whole file. The copy in the shared development data
(``shared/data/netflix_top10/variants/all-weeks-countries.tsv``, see its README for where it was
copied from: the 5,000 newest rows of the 2022-03-02 version) is cut to a few countries here, every
row of theirs kept, in the file's own order. To regenerate (SHARED being that shared folder):
``python tests/data/netflix_countries/make_excerpt.py SHARED/data/netflix_top10/variants/X``, X being
``all-weeks-countries.tsv``.
"""

from __future__ import annotations

import sys
from pathlib import Path

COUNTRIES = ("Brazil", "France", "Japan", "South Korea", "United States")


def keep(line: str) -> bool:
    return line.split("\t", 1)[0] in COUNTRIES


def main(source: Path) -> None:
    # Bytes in, bytes out: the excerpt keeps Netflix's line endings and encoding exactly.
    header, *rows = source.read_bytes().decode("utf-8").splitlines(keepends=True)
    excerpt = Path(__file__).with_name("all-weeks-countries.tsv")
    excerpt.write_bytes((header + "".join(row for row in rows if keep(row))).encode("utf-8"))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
