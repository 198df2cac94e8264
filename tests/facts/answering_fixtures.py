"""Building answerers over the seed store and the extra test catalogue."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from facts.answering import Answerer
from facts.store import FactStore
from tests.facts.answering_support import load_csv_dir

QUESTIONS_DIR = Path(__file__).resolve().parent.parent / "data" / "questions"
EXTRA_CATALOGUE = QUESTIONS_DIR / "extra"
SEED_DIR = Path(__file__).resolve().parent.parent.parent / "facts" / "seed"
CATALOGUES = ("seed", "extra")


def open_catalogue(path: Path, catalogue: str) -> FactStore:
    """Open a store holding the seed facts, plus the extra catalogue when asked."""
    if importlib.util.find_spec("facts.importer") is not None:
        store = FactStore.open(path)
    else:
        store = FactStore.open(path, seed=False)
        load_csv_dir(store, SEED_DIR)
    if catalogue == "extra":
        import_folder(store, EXTRA_CATALOGUE)
    return store


def import_folder(store: FactStore, folder: Path) -> None:
    """Import every CSV file of ``folder`` through the admin importer (plain SQL until it lands)."""
    if importlib.util.find_spec("facts.importer") is None:
        load_csv_dir(store, folder)
        return
    from facts.importer import apply_import, plan_import, read_paths

    plan = plan_import(store, read_paths(sorted(folder.glob("*.csv"))))
    apply_import(store, plan, user="tests")


def make_answerer(store: FactStore) -> Answerer:
    """Return an answerer over ``store`` with the real linker."""
    return Answerer(store)
