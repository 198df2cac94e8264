"""Slack uploads waiting for Apply are kept gzipped in the store, on both backends."""

from __future__ import annotations

import gzip

import pytest

from facts import importing
from facts.answering import Answerer
from facts.importing import ImportFile
from facts.store import Store

# Lupin's figure changes; the rows after it repeat, as a large upload's do, so the copy packs small.
UPLOAD = b"show,viewers,window,platform\nLupin,71M,first 28 days,Netflix\n" + b"".join(
    b"Upload Show %d,%dM,first 28 days,Netflix\n" % (n, n % 90 + 1) for n in range(2000)
)

LUPIN_AFTER = "Lupin had 71M viewers in its first 28 days on Netflix."


@pytest.fixture
def store(backend_seeded_store: Store) -> Store:
    """The bundled seed, on each backend."""
    return backend_seeded_store


def staged_copy(store: Store, token: str) -> bytes:
    with store.read() as db:
        (data,) = db.execute("SELECT data FROM staged_import_files WHERE token = ?", [token]).fetchone()
    return bytes(data)


def lupin(store: Store) -> str:
    return Answerer(store).answer("how many people watched lupin?").headline


def test_an_upload_waits_for_apply_gzipped_and_applies_as_it_came(store: Store) -> None:
    token, _plan = importing.stage_import(store, [ImportFile("figures.csv", UPLOAD)], user="U1")
    kept = staged_copy(store, token)
    assert gzip.decompress(kept) == UPLOAD
    assert len(kept) < len(UPLOAD) // 4
    importing.apply_staged(store, token, user="U1")
    assert lupin(store) == LUPIN_AFTER


def test_an_upload_staged_before_copies_were_gzipped_still_applies(store: Store) -> None:
    token, _plan = importing.stage_import(store, [ImportFile("figures.csv", UPLOAD)], user="U1")
    with store.transaction(bump_generation=False) as db:
        db.execute("UPDATE staged_import_files SET data = ? WHERE token = ?", [UPLOAD, token])
    importing.apply_staged(store, token, user="U1")
    assert lupin(store) == LUPIN_AFTER
