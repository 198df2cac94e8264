"""Importing fact files: plan (stage, validate, diff), apply (journaled, all or nothing), undo, history.

Admins keep the facts current by importing CSV files (see :mod:`facts.csvformat`) or the Netflix
Top 10 lists as published (see :mod:`facts.netflix`). Every import goes through two steps:

1. :func:`plan_import` streams every file into a staging database, validates it there with SQL and
   computes the difference against the store. Any bad row anywhere refuses the whole import,
   naming the problems. Nothing changes.
2. :func:`apply_import` writes the plan in one transaction and journals the previous state of
   every row it touches, so that :func:`undo_last_import` can put the store back exactly.

Memory stays bounded whatever the size of the files: rows live in the staging database, never
as Python objects. Slack uploads are staged between the two steps (:func:`stage_import`,
:func:`apply_staged`). One module per step:

* :mod:`.files` — where a file's bytes come from and how they are decoded;
* :mod:`.staging` — each file parsed in one pass into the typed table of its kind (a Netflix list
  into raw cells);
* :mod:`.cells` — the SQL functions that fold and type cells as they are staged;
* :mod:`.validation` — typed, required and key checks in SQL;
* :mod:`.rows` — the typed staged rows of each kind, and the INSERT that stages them;
* :mod:`.diff` and :mod:`.plan` — the difference against the store and its summary;
* :mod:`.numbering` — the shows and people an import adds, numbered;
* :mod:`.apply` — the one write transaction;
* :mod:`.journal` — the journal, undo and history;
* :mod:`.uploads` — Slack uploads waiting for Apply;
* :mod:`.report` — how it is all written for people.
"""

from __future__ import annotations

from pathlib import Path

from facts.csvformat import KINDS
from facts.errors import FactsError
from facts.importing.apply import apply_import
from facts.importing.files import ImportFile, read_paths, seed_files
from facts.importing.journal import (
    SEED_USER,
    ImportRecord,
    history_answer,
    last_undoable_import,
    list_imports,
    undo_last_import,
)
from facts.importing.plan import ImportPlan, plan_import
from facts.importing.report import MAX_REPORTED_PROBLEMS, format_figure
from facts.importing.target import ImportStore
from facts.importing.tuning import DEFAULT_TUNING, ImportTuning
from facts.importing.uploads import apply_staged, discard_staged, stage_import
from facts.store import DEFAULT_BUSY_TIMEOUT_SECONDS, MEMORY, FactStore


def load_seed(
    store: ImportStore, tuning: ImportTuning = DEFAULT_TUNING, *, first: bool = False
) -> ImportRecord:
    """Import the bundled seed facts as one import by "showfacts (bundled seed)".

    Args:
        first: load it only as the store's first import (see :func:`apply_import`).
    """
    return apply_import(store, plan_import(store, seed_files(), tuning=tuning), user=SEED_USER, first=first)


def seed_if_new(store: ImportStore, tuning: ImportTuning = DEFAULT_TUNING) -> bool:
    """Load the bundled seed into a database that has never had an import; return whether it did.

    A new database, or one whose first start was killed while loading the seed, has none.
    """
    if store.has_imports():
        return False
    try:
        load_seed(store, tuning, first=True)
    except FactsError:
        if store.has_imports():  # another process seeded it meanwhile
            return False
        raise
    return True


def open_seeded(
    path: str | Path = MEMORY,
    tuning: ImportTuning = DEFAULT_TUNING,
    *,
    busy_timeout: float = DEFAULT_BUSY_TIMEOUT_SECONDS,
) -> FactStore:
    """Open the fact database at ``path``, loading the bundled seed into it if it is new.

    ``busy_timeout`` is how long its writes wait for another process's (see :class:`FactStore`).
    """
    store = FactStore.open(path, busy_timeout=busy_timeout)
    try:
        seed_if_new(store, tuning)
    except BaseException:
        store.close()
        raise
    return store


__all__ = [
    "DEFAULT_TUNING",
    "KINDS",
    "MAX_REPORTED_PROBLEMS",
    "SEED_USER",
    "FactsError",
    "ImportFile",
    "ImportPlan",
    "ImportRecord",
    "ImportStore",
    "ImportTuning",
    "apply_import",
    "apply_staged",
    "discard_staged",
    "format_figure",
    "history_answer",
    "last_undoable_import",
    "list_imports",
    "load_seed",
    "plan_import",
    "read_paths",
    "seed_files",
    "open_seeded",
    "seed_if_new",
    "stage_import",
    "undo_last_import",
]
