"""The settings an import runs with, passed in rather than read from module constants.

Tests and benchmarks pass their own :class:`ImportTuning` (a small row limit, a fault hook that
fails the N-th write step); everything else uses :data:`DEFAULT_TUNING`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

MAX_IMPORT_ROWS = 6_000_000
# Rows are inserted into the staging tables this many in one statement (a multi-row VALUES): a
# statement a row cost 30% more CPU for the 300k rows of 100k titles' credits (0.53 s against 0.41 s
# at 64; 256 is no faster). Fewer where so many would bind more values than SQLite takes.
BATCH_ROWS = 64
# The page cache of the staging database, in KiB; sorting for an index takes up to as much again.
# 32 MB keeps a 2M-row upload's preview under 256 MB (64 MB took it to 290 MB, no faster).
CACHE_KIB = 32 * 1024
# The page cache of the staging database while an import is written, in KiB: the key indexes of the
# shows and people it adds (34 MB each at 1M titles) stay cached while every credit looks its show
# and person up in them, instead of being read again from the file for most lookups.
WRITE_CACHE_KIB = 96 * 1024
# The page size of the staging database, in bytes: its tables are read whole, several times, and
# 16 KiB pages read them in a quarter of the calls (6-13% less CPU than 4 KiB at 100k titles and
# for a 2M-row upload, in paired runs; 10 MB less memory).
PAGE_BYTES = 16 * 1024
# An import that adds at least this many rows per row a table holds builds that table's secondary
# indexes anew after its inserts, instead of writing every row into them.
REBUILD_INDEXES_AT = 1.0
STAGED_IMPORT_TTL = timedelta(hours=24)


def _no_fault(step: str) -> None:
    """The default write-step hook: does nothing."""


@dataclass(frozen=True)
class ImportTuning:
    """How an import runs.

    Attributes:
        max_rows: more rows than this in one import are refused.
        batch_rows: rows inserted into the staging tables by one statement.
        cache_kib: page cache of the staging database.
        write_cache_kib: page cache of the staging database while the import is written.
        page_bytes: page size of the staging database (a power of two from 512 to 65536).
        rebuild_indexes_at: rows added per row held from which a table's secondary indexes are
            dropped before the inserts and built again after them (0: always).
        staged_ttl: how long a Slack upload waits for Apply before it expires.
        before_step: called with a step's name before each statement-level write of an import or
            an undo; a fault test makes it raise, a crash test makes it pause.
        staging_dir: where staging databases are made (None: a directory in the system's temp
            directory); those of killed imports there are removed as the next import starts.
    """

    max_rows: int = MAX_IMPORT_ROWS
    batch_rows: int = BATCH_ROWS
    cache_kib: int = CACHE_KIB
    write_cache_kib: int = WRITE_CACHE_KIB
    page_bytes: int = PAGE_BYTES
    rebuild_indexes_at: float = REBUILD_INDEXES_AT
    staged_ttl: timedelta = STAGED_IMPORT_TTL
    before_step: Callable[[str], None] = _no_fault
    staging_dir: Path | None = None


DEFAULT_TUNING = ImportTuning()
