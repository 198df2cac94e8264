"""A large import's new rows, written into files by a second process: the store ends up the same."""

from __future__ import annotations

import os
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
    """What happened to each batch (copied from its file or bound here) and the files' folders."""

    def __init__(self) -> None:
        self.copied: list[bool] = []
        self.folders: list[Path] = []


def hand_over(monkeypatch: pytest.MonkeyPatch) -> Handover:
    """Make tiny imports hand their rows to a second process, as large ones do; record how it went."""
    in_bulk(monkeypatch)
    monkeypatch.setattr(importer, "PREPARED_ROWS_MIN_ROWS", 0)
    monkeypatch.setattr(importer, "BATCH_ROWS", BATCH_ROWS)
    monkeypatch.setattr(importer, "FIRST_BATCH_ROWS", 3)
    monkeypatch.setattr(prepared_rows, "can_fork", lambda: True)  # pytest may run helper threads
    seen = Handover()
    wait_for, start = prepared_rows.PreparedRows._wait_for, prepared_rows.PreparedRows.start

    def recorded_wait(self: prepared_rows.PreparedRows, number: int) -> bool:
        seen.copied.append(wait_for(self, number))
        return seen.copied[-1]

    def recorded_start(self: prepared_rows.PreparedRows, batches: Any) -> None:
        start(self, batches)
        if self.directory is not None:
            seen.folders.append(self.directory)

    monkeypatch.setattr(prepared_rows.PreparedRows, "_wait_for", recorded_wait)
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

    assert handover.copied == [True] * BULK_BATCHES
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

    assert handover.copied == [True] * failing_call + [False] * (BULK_BATCHES - failing_call)
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
    assert not any(handover.copied)
    assert dump(seeded_store) == expected


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
