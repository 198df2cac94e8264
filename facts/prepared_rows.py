"""Rows for a bulk insert, written into SQLite files by a second process and copied in by SQLite.

Binding Python values one by one is most of what a large insert costs: ``executemany`` of three
million rows takes 12 s on the benchmark machine, copying the same rows from an attached
database with ``INSERT … SELECT`` 3 s. So a large import forks a process that writes each batch
of rows into a file of its own while this one copies the batches already written, and the two
cores share the work.

Each batch has its own file because this process's transaction keeps reading the snapshot of an
attached database it first read: rows committed to that file later would stay invisible. SQLite
attaches only a few databases at once, so a plan with more batches than that, or a batch whose file
never comes (the process failed or died), is written here as before: nothing depends on the second
process but the time. Nor does this process wait for a batch that is still being written: it takes
the last one of the table that the second process has not begun and binds it itself.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing import get_context
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

# SQLite's default limit on attached databases is 10; one is left for anyone else.
MAX_BATCHES = 9
_WRITTEN = b"written"


@dataclass(frozen=True)
class Batch:
    """Rows for one table: its columns, in order, and what makes their values.

    ``values`` is called once, in the second process if there is one, or here.
    """

    table: str
    columns: tuple[str, ...]
    values: Callable[[], Iterable[tuple[Any, ...]]]

    @property
    def names(self) -> str:
        return ", ".join(f'"{column}"' for column in self.columns)

    @property
    def placeholders(self) -> str:
        return ", ".join("?" * len(self.columns))

    def insert_sql(self, source: str) -> str:
        return f'INSERT INTO "{self.table}"({self.names}) {source}'


class PreparedRows:
    """Inserts batches of rows, written by a second process when :meth:`start` could fork one.

    Use as a context manager around the transaction that inserts: the files are attached inside
    it and can only be detached once it has ended. ``copied`` and ``bound`` list the numbers of the
    batches copied from files and bound here, in the order they went in.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.directory: Path | None = None
        self.worker: BaseProcess | None = None
        self.receiving: Connection | None = None
        self.written: set[int] = set()
        self.given = 0
        self.copied: list[int] = []
        self.bound: list[int] = []
        self.attached: list[str] = []

    def start(self, batches: Sequence[Batch]) -> None:
        """Fork the process that writes ``batches``, when it is worth it and safe.

        :meth:`insert` must then be given the same batches, in the same order.
        """
        if not 1 < len(batches) <= MAX_BATCHES or not can_fork():
            return
        self.directory = Path(tempfile.mkdtemp(prefix="showfacts-import-"))
        context = get_context("fork")
        self.receiving, sending = context.Pipe(duplex=False)
        self.worker = context.Process(
            target=_write_batches, args=(batches, self.directory, sending), daemon=True
        )
        self.worker.start()
        sending.close()

    def insert(self, batches: Sequence[Batch]) -> None:
        """Insert the next batches (of one table) in whichever order is quickest: each row has its id.

        A batch the second process has written is copied from its file. Rather than wait for one it
        is still writing, this process binds the last batch that it has not begun.
        """
        pending = dict(enumerate(batches, self.given))
        self.given += len(batches)
        while pending:
            number = min(pending)
            if not self._is_written(number, wait=False):
                taken = self._take_last(pending)
                if taken is not None:
                    self._bind(taken, pending.pop(taken))
                    continue
            batch = pending.pop(number)
            if self._is_written(number, wait=True):
                self._copy(number, batch)
            else:
                self._bind(number, batch)

    def _copy(self, number: int, batch: Batch) -> None:
        schema = f"showfacts_batch_{number}"
        self.conn.execute(f"ATTACH DATABASE ? AS {schema}", (str(_batch_path(self.directory, number)),))
        self.attached.append(schema)
        self.conn.execute(batch.insert_sql(f"SELECT * FROM {schema}.rows"))
        self.copied.append(number)

    def _bind(self, number: int, batch: Batch) -> None:
        self.conn.executemany(batch.insert_sql(f"VALUES ({batch.placeholders})"), batch.values())
        self.bound.append(number)

    def _take_last(self, pending: dict[int, Batch]) -> int | None:
        """Take the last of ``pending`` that the second process has not begun, and return its number."""
        return next((number for number in sorted(pending, reverse=True) if self._claim(number)), None)

    def _claim(self, number: int) -> bool:
        """Take batch ``number`` from the second process, unless it has begun it (or there is none)."""
        return self.receiving is not None and _claim_file(self.directory, number)

    def _is_written(self, number: int, *, wait: bool) -> bool:
        """Return whether the second process has written batch ``number``, waiting for it if asked."""
        while number not in self.written and self.receiving is not None:
            if not wait and not self.receiving.poll():
                return False
            try:
                message = self.receiving.recv_bytes()
            except (EOFError, OSError):
                message = b""
            if not message.startswith(_WRITTEN):
                self._stop()  # a failed batch: it and the rest not yet written are written here
                return False
            self.written.add(int(message[len(_WRITTEN) :]))
        return number in self.written

    def _stop(self) -> None:
        if self.receiving is not None:
            self.receiving.close()
            self.receiving = None
        if self.worker is not None:
            self.worker.kill()
            self.worker.join()
            self.worker = None

    def close(self) -> None:
        """Stop the second process, detach the files and remove them; call after the transaction."""
        self._stop()
        for schema in self.attached:
            self.conn.execute(f"DETACH DATABASE {schema}")
        self.attached.clear()
        if self.directory is not None:
            shutil.rmtree(self.directory, ignore_errors=True)
            self.directory = None

    def __enter__(self) -> PreparedRows:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def can_fork() -> bool:
    """Return whether a second process can share the work: two cores, and no other thread to copy."""
    return (os.cpu_count() or 1) >= 2 and threading.active_count() == 1


def _batch_path(directory: Path | None, number: int) -> Path:
    assert directory is not None
    return directory / f"batch-{number}.db"


def _claim_file(directory: Path | None, number: int) -> bool:
    """Take batch ``number`` for the calling process; False if the other one took it first.

    Creating a file that must not exist is atomic, and unlike a lock it cannot stay held by a
    process that died.
    """
    try:
        os.close(os.open(_batch_path(directory, number).with_suffix(".claimed"), os.O_CREAT | os.O_EXCL))
    except FileExistsError:
        return False
    return True


def _write_batches(batches: Sequence[Batch], directory: Path, sending: Connection) -> None:
    try:
        for number, batch in enumerate(batches):
            if _claim_file(directory, number):
                _write_batch(_batch_path(directory, number), batch)
                sending.send_bytes(_WRITTEN + b"%d" % number)
    except Exception as error:  # noqa: BLE001 - reported to the parent, which writes the rest itself
        sending.send_bytes(repr(error).encode())
    finally:
        sending.close()
        # The inherited connections belong to the parent: leave without running any clean-up.
        os._exit(0)


def _write_batch(path: Path, batch: Batch) -> None:
    with _scratch(path) as conn:
        conn.execute(f"CREATE TABLE rows({batch.names})")
        conn.executemany(f"INSERT INTO rows VALUES ({batch.placeholders})", batch.values())


@contextmanager
def _scratch(path: Path) -> Iterator[sqlite3.Connection]:
    # A file read once, right away, and removed afterwards: no journal, no syncing.
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("BEGIN")
        yield conn
        conn.execute("COMMIT")
    finally:
        conn.close()
