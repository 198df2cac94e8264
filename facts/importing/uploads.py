"""Slack uploads staged between preview and Apply: kept under a token until applied, cancelled or expired."""

from __future__ import annotations

import gzip
import io
import secrets
import shutil
import sqlite3
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import IO, Any

from facts.dialect import Connection
from facts.errors import FactsError
from facts.importing.apply import write_plan
from facts.importing.files import ImportFile
from facts.importing.journal import ImportRecord, now
from facts.importing.plan import ImportPlan, plan_import, prepare
from facts.importing.target import ImportStore, writing
from facts.importing.tuning import DEFAULT_TUNING, ImportTuning

COPY_CHUNK_BYTES = 1 << 20
# Staged copies are kept gzipped: a CSV shrinks five to ten times, and so does the transaction that
# stores it, whose write lock every other writer of the store waits for (a Slack answer's
# conversation: 0.5-2 s for a 93 MB upload kept as it came). Level 1 packs about 200 MB/s.
GZIP_LEVEL = 1
GZIP_MAGIC = b"\x1f\x8b"


def stage_import(
    store: ImportStore,
    files: Sequence[ImportFile],
    *,
    user: str,
    replace: bool = False,
    tuning: ImportTuning = DEFAULT_TUNING,
) -> tuple[str, ImportPlan]:
    """Validate and plan ``files``, keep them under a new token until applied or discarded.

    Raises:
        FactsError: the files are invalid (nothing is staged).
    """
    plan = plan_import(store, files, replace=replace, tuning=tuning)
    plan.close()  # applied from the files kept here, by a later click
    token = secrets.token_urlsafe(16)
    packed = [_packed(file, tuning) for file in files]  # before the write lock is taken
    try:
        with store.transaction(bump_generation=False) as db:
            _forget_expired(db.conn, tuning)
            db.execute(
                'INSERT INTO staged_imports(token, "user", created_at, replace_mode, status)'
                " VALUES (?, ?, ?, ?, 'staged')",
                [token, user, now(), int(replace)],
            )
            for position, (file, data) in enumerate(zip(files, packed, strict=True)):
                if isinstance(db.conn, sqlite3.Connection):
                    _keep_file(db.conn, token, position, file.name, data)
                else:  # PostgreSQL has no incremental blob writes
                    _keep_file_whole(db, token, position, file.name, data)
    finally:
        for data in packed:
            data.close()
    return token, plan


def _packed(file: ImportFile, tuning: ImportTuning) -> IO[bytes]:
    """Return ``file``'s bytes gzipped, in an anonymous temporary file read from its start."""
    packed = tempfile.TemporaryFile(dir=tuning.staging_dir)
    try:
        with (
            file.open_bytes() as stream,
            gzip.GzipFile(fileobj=packed, mode="wb", compresslevel=GZIP_LEVEL, mtime=0) as gz,
        ):
            shutil.copyfileobj(stream, gz, COPY_CHUNK_BYTES)
    except BaseException:
        packed.close()
        raise
    packed.seek(0)
    return packed


def _unpacked(data: bytes) -> bytes:
    """Return a staged file's bytes as uploaded.

    Copies staged before they were gzipped are kept as they came (until they expire); a staged file
    always decoded as text, so it never begins with gzip's magic number.
    """
    return gzip.decompress(data) if data.startswith(GZIP_MAGIC) else data


def _keep_file(conn: sqlite3.Connection, token: str, position: int, name: str, stream: IO[bytes]) -> None:
    """Store one staged file's bytes, copied in chunks (an upload is never held in memory)."""
    size = stream.seek(0, io.SEEK_END)
    stream.seek(0)
    cursor = conn.execute(
        "INSERT INTO staged_import_files(token, position, name, data) VALUES (?, ?, ?, zeroblob(?))",
        (token, position, name, size),
    )
    with conn.blobopen("staged_import_files", "data", int(cursor.lastrowid or 0)) as blob:
        while chunk := stream.read(COPY_CHUNK_BYTES):
            blob.write(chunk)


def _keep_file_whole(conn: Any, token: str, position: int, name: str, stream: IO[bytes]) -> None:
    """Store one staged file's bytes in one piece."""
    conn.execute(
        "INSERT INTO staged_import_files(token, position, name, data) VALUES (?, ?, ?, ?)",
        (token, position, name, stream.read()),
    )


def _forget_expired(conn: Connection, tuning: ImportTuning) -> None:
    # Uploads nobody applied or cancelled would otherwise keep their files forever.
    cutoff = (datetime.now(UTC) - tuning.staged_ttl).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    conn.execute(
        "DELETE FROM staged_import_files WHERE token IN "
        "(SELECT token FROM staged_imports WHERE created_at < ? AND status = 'staged')",
        (cutoff,),
    )
    conn.execute(
        "UPDATE staged_imports SET status = 'expired' WHERE created_at < ? AND status = 'staged'", (cutoff,)
    )


def apply_staged(
    store: ImportStore, token: str, *, user: str, tuning: ImportTuning = DEFAULT_TUNING
) -> ImportRecord:
    """Apply the staged import ``token`` once, for the user who staged it.

    The files are validated again outside the store's lock (questions keep being answered), then
    claimed, diffed and written in one transaction.

    Raises:
        FactsError: unknown, expired, already applied or discarded token, or another user.
    """
    with store.read() as db:
        replace = _check_staged(db.conn, token, user, tuning)
        files = tuple(
            ImportFile(name, _unpacked(bytes(data)))
            for name, data in db.execute(
                "SELECT name, data FROM staged_import_files WHERE token = ? ORDER BY position", [token]
            )
        )
    staging, notes = prepare(files, tuning)
    try:
        with writing(store, staging, replace=replace) as conn:
            _check_staged(conn, token, user, tuning)
            conn.execute("UPDATE staged_imports SET status = 'applied' WHERE token = ?", (token,))
            conn.execute("DELETE FROM staged_import_files WHERE token = ?", (token,))
            plan = ImportPlan(files, replace, -1, (), {}, parse_notes=notes, tuning=tuning, staging=staging)
            return write_plan(store, conn, plan, user)
    finally:
        staging.close()


def discard_staged(
    store: ImportStore, token: str, *, user: str, tuning: ImportTuning = DEFAULT_TUNING
) -> None:
    """Drop a staged import without applying it.

    Raises:
        FactsError: unknown, expired or already used token, or another user.
    """
    with store.transaction(bump_generation=False) as db:
        _check_staged(db.conn, token, user, tuning)
        db.execute("UPDATE staged_imports SET status = 'discarded' WHERE token = ?", [token])
        db.execute("DELETE FROM staged_import_files WHERE token = ?", [token])


def _check_staged(conn: Connection, token: str, user: str, tuning: ImportTuning) -> bool:
    """Return whether the staged import ``token`` replaces, if ``user`` may apply or cancel it now.

    Raises:
        FactsError: why not.
    """
    row = conn.execute(
        'SELECT "user", created_at, replace_mode, status FROM staged_imports WHERE token = ?', (token,)
    ).fetchone()
    if row is None:
        raise FactsError("That import is no longer waiting to be applied.", "Upload the files again.")
    staged_by, created_at, replace_mode, current = row
    created = datetime.fromisoformat(created_at.replace("Z", "+00:00"))
    if current == "expired" or (current == "staged" and datetime.now(UTC) - created > tuning.staged_ttl):
        raise FactsError(
            "That import waited too long (over 24 hours) and expired.", "Upload the files again."
        )
    if current != "staged":
        raise FactsError(f"That import was already {current}.", "Upload the files again to import them anew.")
    if staged_by != user:
        raise FactsError("Only the admin who uploaded these files can apply or cancel them.")
    return bool(replace_mode)
