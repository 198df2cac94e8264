"""Building answerers over the seed store and the extra test catalogue."""

from __future__ import annotations

from pathlib import Path

from facts.answering import Answerer
from facts.importing import apply_import, open_seeded, plan_import, read_paths
from facts.store import FactStore

QUESTIONS_DIR = Path(__file__).resolve().parent.parent / "data" / "questions"
EXTRA_CATALOGUE = QUESTIONS_DIR / "extra"
CATALOGUES = ("seed", "extra")


def open_catalogue(path: Path, catalogue: str) -> FactStore:
    """Open a new store holding the seed facts, plus the extra catalogue when asked."""
    store = open_seeded(path)
    if catalogue == "extra":
        import_folder(store, EXTRA_CATALOGUE)
    return store


def catalogue_files(catalogue: str) -> list[list[Path]]:
    """The files imported on top of the seed for a catalogue (one batch, or none)."""
    return [sorted(EXTRA_CATALOGUE.glob("*.csv"))] if catalogue == "extra" else []


def import_folder(store: FactStore, folder: Path) -> None:
    """Import every CSV file of ``folder`` through the admin importer."""
    plan = plan_import(store, read_paths(sorted(folder.glob("*.csv"))))
    apply_import(store, plan, user="tests")


def make_answerer(store: FactStore) -> Answerer:
    """Return an answerer over ``store``."""
    return Answerer(store)
