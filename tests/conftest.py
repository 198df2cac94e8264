"""Shared fixtures. Helpers that build facts for one area live in that area's test package."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from facts.importing import open_seeded
from facts.store import FactStore, Store
from tests.backends import BACKENDS, Backend, PostgresServer, start_postgres

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


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server for this test session (skips, saying why, where it cannot start)."""
    yield from start_postgres()


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> Backend:
    """Each backend in turn: tests taking it run on SQLite and on PostgreSQL."""
    return Backend(request.param, request)


@pytest.fixture
def backend_store(backend: Backend, tmp_path: Path) -> Iterator[Store]:
    """A new, empty store on each backend."""
    store = backend.empty(tmp_path)
    yield store
    store.close()


@pytest.fixture
def backend_seeded_store(backend: Backend, tmp_path: Path) -> Iterator[Store]:
    """A new store holding the bundled seed facts, on each backend."""
    store = backend.seeded(tmp_path)
    yield store
    store.close()
