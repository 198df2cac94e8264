"""A large import's new rows, written into files by a second process: the store ends up the same."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest

from facts import importer, prepared_rows
from facts.store import FactStore
from tests.facts.test_import import BULK_FILES, dump, in_bulk, run_import, schema

# With batches of 20 rows (the first of 3), the bulk files make 8 batches: shows 3, people 1,
# figures 2, credits 2. One more than fits beside SQLite's attached-database limit is 10.
BATCH_ROWS = 20
BULK_BATCHES = 8


class Handover:
    """The second process's runs: their batch files' folders, and which batches were copied or bound."""

    def __init__(self) -> None:
        self.runs: list[prepared_rows.PreparedRows] = []
        self.folders: list[Path] = []

    @property
    def copied(self) -> list[int]:
        return [number for run in self.runs for number in run.copied]

    @property
    def bound(self) -> list[int]:
        return [number for run in self.runs for number in run.bound]


def hand_over(monkeypatch: pytest.MonkeyPatch, *, taking: bool = False) -> Handover:
    """Make tiny imports hand their rows to a second process, as large ones do; record how it went.

    Unless ``taking``, this process never takes a batch from the second one, which would make which
    batches are copied depend on timing.
    """
    in_bulk(monkeypatch)
    monkeypatch.setattr(importer, "PREPARED_ROWS_MIN_ROWS", 0)
    monkeypatch.setattr(importer, "BATCH_ROWS", BATCH_ROWS)
    monkeypatch.setattr(importer, "FIRST_BATCH_ROWS", 3)
    monkeypatch.setattr(prepared_rows, "can_fork", lambda: True)  # pytest may run helper threads
    if not taking:
        monkeypatch.setattr(prepared_rows.PreparedRows, "_claim", lambda self, number: False)
    seen = Handover()
    start = prepared_rows.PreparedRows.start

    def recorded_start(self: prepared_rows.PreparedRows, batches: Any) -> None:
        start(self, batches)
        seen.runs.append(self)
        if self.directory is not None:
            seen.folders.append(self.directory)

    monkeypatch.setattr(prepared_rows.PreparedRows, "start", recorded_start)
    return seen


def attached(store: FactStore) -> list[str]:
    with store.lock:
        return [row[1] for row in store.conn.execute("PRAGMA database_list")]


def reference_dump(tmp_path: Path, seeded: bool) -> dict[str, list[Any]]:
    """The bulk files imported without a second process (call before :func:`hand_over`)."""
    with FactStore.open(tmp_path / "reference.db", seed=seeded) as store:
        run_import(store, *BULK_FILES)
        return dump(store)


def failing_on(call: int, failure: Any) -> Any:
    """Wrap the second process's batch writer so that its call number ``call`` (from 0) fails."""
    write_batch = prepared_rows._write_batch
    calls = [0]

    def wrapper(path: Path, batch: prepared_rows.Batch) -> None:
        calls[0] += 1
        if calls[0] > call:
            failure()
        write_batch(path, batch)

    return wrapper


@pytest.mark.parametrize("store_name", ["empty_store", "seeded_store"])
def test_rows_written_by_a_second_process_are_the_rows_written_here(
    store_name: str, request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store: FactStore = request.getfixturevalue(store_name)
    before, indexes = dump(store), schema(store)
    expected = reference_dump(tmp_path, seeded=store_name == "seeded_store")
    handover = hand_over(monkeypatch)

    run_import(store, *BULK_FILES)

    assert handover.copied == list(range(BULK_BATCHES))
    assert handover.bound == []
    assert dump(store) == expected
    assert schema(store) == indexes
    assert attached(store) == ["main"]
    assert not any(folder.exists() for folder in handover.folders)
    importer.undo_last_import(store, user="ana")
    assert dump(store) == before


def disk_full() -> None:
    raise OSError("disk full (injected)")


@pytest.mark.parametrize(
    ("failing_call", "failure"),
    [(3, disk_full), (1, lambda: os._exit(9))],
    ids=["a-batch-it-cannot-write", "it-dies"],
)
def test_batches_the_second_process_does_not_write_are_written_here(
    seeded_store: FactStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing_call: int, failure: Any
) -> None:
    expected = reference_dump(tmp_path, seeded=True)
    handover = hand_over(monkeypatch)
    monkeypatch.setattr(prepared_rows, "_write_batch", failing_on(failing_call, failure))

    run_import(seeded_store, *BULK_FILES)

    assert handover.copied == list(range(failing_call))
    assert handover.bound == list(range(failing_call, BULK_BATCHES))
    assert dump(seeded_store) == expected
    assert attached(seeded_store) == ["main"]


def test_more_batches_than_can_be_attached_are_all_written_here(
    seeded_store: FactStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = reference_dump(tmp_path, seeded=True)
    handover = hand_over(monkeypatch)
    monkeypatch.setattr(importer, "BATCH_ROWS", 2)

    run_import(seeded_store, *BULK_FILES)

    assert handover.folders == []
    assert handover.copied == []
    assert dump(seeded_store) == expected


def wait_for(path: Path) -> None:
    deadline = time.monotonic() + 10
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.01)


def claim_file(directory: Path | None, number: int) -> Path:
    assert directory is not None
    return directory / f"batch-{number}.claimed"


def test_rather_than_wait_for_a_batch_it_binds_the_last_one_not_begun(
    seeded_store: FactStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = reference_dump(tmp_path, seeded=True)
    handover = hand_over(monkeypatch, taking=True)
    first_credits, last = BULK_BATCHES - 2, BULK_BATCHES - 1
    write_batch, insert = prepared_rows._write_batch, prepared_rows.PreparedRows.insert

    # The second process writes the first batch of credits only once this one has taken the last,
    # and this one begins the credits only once the second process has begun their first batch.
    def write_slowly(path: Path, batch: prepared_rows.Batch) -> None:
        if path.name == f"batch-{first_credits}.db":
            wait_for(claim_file(path.parent, last))
        write_batch(path, batch)

    def insert_once_begun(self: prepared_rows.PreparedRows, batches: Any) -> None:
        if batches[0].table == "credits":
            wait_for(claim_file(self.directory, first_credits))
        insert(self, batches)

    monkeypatch.setattr(prepared_rows, "_write_batch", write_slowly)
    monkeypatch.setattr(prepared_rows.PreparedRows, "insert", insert_once_begun)

    run_import(seeded_store, *BULK_FILES)

    assert last in handover.bound
    assert first_credits in handover.copied
    assert sorted(handover.copied + handover.bound) == list(range(BULK_BATCHES))
    assert dump(seeded_store) == expected
    assert attached(seeded_store) == ["main"]
    assert not any(folder.exists() for folder in handover.folders)


def test_a_fault_after_the_copies_changes_nothing_and_detaches_every_file(
    seeded_store: FactStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    before, indexes = dump(seeded_store), schema(seeded_store)
    handover = hand_over(monkeypatch)

    def failing(*args: Any) -> Any:
        raise OSError("disk full (injected)")

    # The character names are written once the credits are copied.
    monkeypatch.setitem(importer._NAME_ROWS, "credits", failing)
    with pytest.raises(OSError, match="injected"):
        run_import(seeded_store, *BULK_FILES)

    assert any(handover.copied)
    assert dump(seeded_store) == before
    assert schema(seeded_store) == indexes
    assert attached(seeded_store) == ["main"]
    assert not any(folder.exists() for folder in handover.folders)
