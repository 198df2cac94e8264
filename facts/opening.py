"""Opening the fact store wherever it lives: a SQLite file, or a PostgreSQL database named by URL.

Everything that opens a store from configuration (the CLI, the web and Socket Mode processes,
health checks) comes through here, so that a ``postgresql://`` location reaches PostgreSQL and
never becomes a file name.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypeGuard

from facts.errors import FactsError
from facts.store import DEFAULT_BUSY_TIMEOUT_SECONDS, MEMORY, FactStore, Store, check_readable

if TYPE_CHECKING:
    from facts.importing import ImportStore, ImportTuning

# What libpq (and so psycopg) takes; Heroku's DATABASE_URL says postgres://.
POSTGRES_URL_PREFIXES = ("postgresql://", "postgres://")


def is_postgres_url(location: str | Path) -> bool:
    """Return whether ``location`` is a PostgreSQL URL rather than a SQLite file."""
    return isinstance(location, str) and location.lower().startswith(POSTGRES_URL_PREFIXES)


def open_store(
    location: str | Path, *, busy_timeout: float = DEFAULT_BUSY_TIMEOUT_SECONDS, pool_size: int = 0
) -> Store:
    """Open (creating and migrating if needed) the fact store at ``location``, without facts if new.

    Args:
        location: a SQLite file, or a ``postgresql://`` (``postgres://``) URL.
        busy_timeout: seconds a write waits for another process's write (an import) to end.
        pool_size: PostgreSQL only: share up to this many connections among this process's
            threads (the web process); 0 for one connection (the CLI).

    Raises:
        FactsError: the store cannot be opened; the message says why and what to change.
    """
    if not is_postgres_url(location):
        return FactStore.open(location, busy_timeout=busy_timeout)
    from facts.postgres import PostgresStore  # psycopg is needed only here

    return PostgresStore.open(str(location), busy_timeout=busy_timeout, pool_size=pool_size)


def open_seeded_store(
    location: str | Path,
    tuning: ImportTuning | None = None,
    *,
    busy_timeout: float = DEFAULT_BUSY_TIMEOUT_SECONDS,
    pool_size: int = 0,
) -> Store:
    """Open the fact store at ``location`` (see :func:`open_store`), loading the bundled seed if new."""
    store = open_store(location, busy_timeout=busy_timeout, pool_size=pool_size)
    try:
        seed_new_store(store, tuning)
    except BaseException:
        store.close()
        raise
    return store


def seed_new_store(store: Store, tuning: ImportTuning | None = None) -> bool:
    """Load the bundled seed into a store that has never had an import; return whether it did.

    Of several processes starting on a new database at once, one seeds it (the others find an
    import there once they have the write lock). ``tuning`` is how the import runs (default:
    :data:`facts.importing.DEFAULT_TUNING`).
    """
    # Here, not at the top: only opening from configuration seeds, and the importer is large.
    from facts.importing import DEFAULT_TUNING, seed_if_new

    return seed_if_new(as_import_store(store), tuning or DEFAULT_TUNING)


def check_readable_at(location: str | Path) -> None:
    """Check, on a connection of its own and within about a second, that the facts can be read now.

    Raises:
        FactsError: the database is unreachable or unreadable, saying why.
    """
    if not is_postgres_url(location):
        check_readable(location)
        return
    from facts.postgres import check_reachable

    check_reachable(str(location))


def imports_supported(store: Store) -> TypeGuard[ImportStore]:
    """Return whether ``store`` runs the import pipeline (import, undo, uploads): both backends do."""
    if isinstance(store, FactStore):
        return True
    from facts.postgres import PostgresStore  # only a store not on SQLite needs psycopg

    return isinstance(store, PostgresStore)


def as_import_store(store: Store) -> ImportStore:
    """Return ``store`` as the import pipeline takes it.

    Raises:
        FactsError: ``store`` is neither a SQLite nor a PostgreSQL fact store.
    """
    if imports_supported(store):
        return store
    raise FactsError(
        f"Facts cannot be imported into a store of type {type(store).__name__}.",
        "Open the fact store with SHOWFACTS_DB (a SQLite file or a PostgreSQL URL).",
    )


@contextmanager
def import_beside_answers(store: Store) -> Iterator[ImportStore]:
    """``store`` as an import that runs while the same process answers takes it, for the block.

    A SQLite store has one connection, and an import holds it (and its lock) for the whole of its
    diff against the facts: every answer of the process would wait for it. The import gets a
    connection of its own instead (WAL lets answers read meanwhile), closed after the block. A
    PostgreSQL store already gives each thread a connection of its pool; a private in-memory
    database cannot be opened twice.

    Raises:
        FactsError: ``store`` cannot run imports, or its database cannot be opened again.
    """
    if not isinstance(store, FactStore) or store.path == MEMORY:
        yield as_import_store(store)
        return
    own = FactStore.open(store.path, busy_timeout=store.busy_timeout)
    try:
        yield own
    finally:
        own.close()
