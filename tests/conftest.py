"""Shared fixtures. Helpers that build facts for one area live in that area's test package."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from facts.importing import open_seeded
from facts.store import FactStore

REPO_ROOT = Path(__file__).resolve().parent.parent
# Real Netflix Top 10 files (two whole, one excerpt): see tests/data/netflix_top10/README.md.
NETFLIX = REPO_ROOT / "tests" / "data" / "netflix_top10"


@pytest.fixture
def empty_store(tmp_path: Path) -> Iterator[FactStore]:
    """A new database file with the schema and no facts."""
    store = FactStore.open(tmp_path / "facts.db")
    yield store
    store.close()


@pytest.fixture
def seeded_store(tmp_path: Path) -> Iterator[FactStore]:
    """A new database file holding the bundled seed facts."""
    store = open_seeded(tmp_path / "facts.db")
    yield store
    store.close()
