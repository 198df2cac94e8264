"""Planning an import: the files staged and validated, diffed against the store, summarised.

:func:`plan_import` changes nothing in the store. The plan keeps its staging database, so that
:func:`facts.importing.apply.apply_import` writes exactly what was previewed (or diffs again if the
store changed in between), and only small summaries in memory.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from facts.answer import Answer
from facts.csvformat import KIND_BY_NAME
from facts.dialect import Connection
from facts.importing.diff import diff
from facts.importing.duplicates import check_duplicates
from facts.importing.files import ImportFile
from facts.importing.report import (
    capped,
    count_fields,
    describe_totals,
    sum_counts,
)
from facts.importing.rows import APPLY_ORDER, staged_table
from facts.importing.staging import Staging, stage_files
from facts.importing.summary import changed_lines, created_counts, created_lines
from facts.importing.target import ImportStore, diff_kept, planning
from facts.importing.tuning import DEFAULT_TUNING, ImportTuning
from facts.importing.validation import check_files, raise_problems

Counts = dict[str, dict[str, int]]


@dataclass
class ImportPlan:
    """The validated files of one import and their difference against the store at ``generation``."""

    files: tuple[ImportFile, ...]
    replace: bool
    generation: int
    kinds_in_files: tuple[str, ...]
    kind_counts: Counts
    changed_lines: tuple[str, ...] = ()
    created_lines: tuple[str, ...] = ()
    parse_notes: tuple[str, ...] = ()
    tuning: ImportTuning = DEFAULT_TUNING
    staging: Staging | None = field(default=None, repr=False, compare=False)

    @property
    def file_names(self) -> tuple[str, ...]:
        return tuple(file.name for file in self.files)

    def counts(self) -> Counts:
        """Return added/changed/unchanged/removed per kind that the import touches."""
        return {name: counts for name, counts in self.kind_counts.items() if any(counts.values())}

    def totals(self) -> dict[str, int]:
        """Return added/changed/unchanged/removed summed over kinds."""
        return sum_counts(self.counts())

    def row_count(self) -> int:
        """Return how many rows the plan writes (added, changed, removed)."""
        totals = self.totals()
        return totals["added"] + totals["changed"] + totals["removed"]

    def to_answer(self, *, staged: bool = False) -> Answer:
        """Return the report of what the import would do: totals, counts per kind, the changed rows.

        Args:
            staged: the plan waits for an admin's Apply (a Slack or console preview), rather than
                being a dry run that will never be applied.
        """
        totals = describe_totals(self.totals())
        headline = (
            f"Preview: {totals}. Nothing changes until you apply it."
            if staged
            else f"Dry run: {totals} — nothing applied"
        )
        return Answer(
            kind="report",
            headline=headline,
            fields=count_fields(self.counts()),
            items=self.changed_lines,
            notes=(*self.created_lines, *self.parse_notes, f"Files: {', '.join(self.file_names)}."),
        )

    def close(self) -> None:
        """Delete the plan's staging database (also done when the plan is garbage-collected)."""
        if self.staging is not None:
            self.staging.close()


def plan_import(
    store: ImportStore,
    files: Sequence[ImportFile],
    *,
    replace: bool = False,
    tuning: ImportTuning = DEFAULT_TUNING,
) -> ImportPlan:
    """Validate ``files`` and compute what importing them would change; change nothing.

    Args:
        store: the fact store to compare with.
        files: the files of one import (all or nothing).
        replace: remove the facts of the kinds in the files that the files do not list.
        tuning: row limit, batch and cache sizes, fault hook.

    Raises:
        FactsError: any problem in any file, every one listed in ``details`` (the first 50).
    """
    staging, notes = prepare(files, tuning)
    try:
        with planning(store, staging, replace=replace) as conn:
            return summarise(conn, staging, tuple(files), replace, store.generation(), notes)
    except BaseException:
        staging.close()
        raise


def prepare(files: Sequence[ImportFile], tuning: ImportTuning) -> tuple[Staging, tuple[str, ...]]:
    """Stage and validate ``files``; return the staging and the notes on what was read.

    Raises:
        FactsError: any problem in any file.
    """
    staging = stage_files(files, tuning)
    try:
        conn = staging.conn
        conn.execute("BEGIN")
        check_files(staging)
        raise_problems(staging)
        notes = check_duplicates(staging)
        raise_problems(staging)
        conn.execute("COMMIT")
    except BaseException:
        staging.close()
        raise
    return staging, tuple(capped(notes, len(notes)))


def summarise(
    conn: Connection,
    staging: Staging,
    files: tuple[ImportFile, ...],
    replace: bool,
    generation: int,
    notes: tuple[str, ...],
) -> ImportPlan:
    """Diff the staged rows against the store and return the plan (on a connection with them attached)."""
    kinds = tuple(
        name
        for name in APPLY_ORDER
        if conn.execute(f"SELECT EXISTS (SELECT 1 FROM stage.{staged_table(KIND_BY_NAME[name])})").fetchone()[
            0
        ]
    )
    kept = diff_kept(conn)  # else (PostgreSQL) diffed in temporary tables that start anew each time
    diff(conn, staging.files, kinds, replace, again=staging.diffed and kept)
    staging.diffed = kept
    counts = {name: _counts(conn, name) for name in APPLY_ORDER}
    created = created_counts(conn)
    return ImportPlan(
        files=files,
        replace=replace,
        generation=generation,
        kinds_in_files=kinds,
        kind_counts=counts,
        changed_lines=tuple(changed_lines(conn, staging, counts, sum(created.values()))),
        created_lines=tuple(created_lines(conn, replace, created)),
        parse_notes=notes,
        tuning=staging.tuning,
        staging=staging,
    )


def _counts(conn: Connection, name: str) -> dict[str, int]:
    table = staged_table(KIND_BY_NAME[name])
    new = {"shows": "stage.new_shows", "people": "stage.new_people"}.get(name)
    added = f"(SELECT COUNT(*) FROM {new})" if new else "COUNT(CASE WHEN store_id IS NULL THEN 1 END)"
    row = conn.execute(
        f"SELECT {added}, COUNT(CASE WHEN changed = 1 THEN 1 END),"
        " COUNT(CASE WHEN store_id IS NOT NULL AND changed = 0 THEN 1 END),"
        " (SELECT COUNT(*) FROM stage.removed WHERE kind = ?)"
        f" FROM stage.{table}",
        (name,),
    ).fetchone()
    return dict(zip(("added", "changed", "unchanged", "removed"), map(int, row), strict=True))
