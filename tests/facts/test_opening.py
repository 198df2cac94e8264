"""An import run beside answering gets a connection of its own, so answers never wait for its diff."""

from __future__ import annotations

import threading
from pathlib import Path

from facts.answering import Answerer
from facts.importing import open_seeded
from facts.opening import import_beside_answers
from facts.store import MEMORY

WAIT_SECONDS = 5.0
LUPIN = "Lupin had 70M viewers in its first 28 days on Netflix."


def test_answers_go_on_while_an_import_beside_them_holds_its_store(tmp_path: Path) -> None:
    store = open_seeded(tmp_path / "facts.db")
    answerer = Answerer(store)
    headlines: list[str] = []
    try:
        with import_beside_answers(store) as importing, importing.read():  # what a diff holds throughout
            asker = threading.Thread(
                daemon=True,
                target=lambda: headlines.append(answerer.answer("how many people watched lupin?").headline),
            )
            asker.start()
            asker.join(WAIT_SECONDS)
            assert headlines == [LUPIN]
    finally:
        store.close()


def test_an_import_beside_answers_leaves_the_store_open(tmp_path: Path) -> None:
    store = open_seeded(tmp_path / "facts.db")
    try:
        with import_beside_answers(store) as importing:
            assert importing.has_imports()
        assert Answerer(store).answer("how many people watched lupin?").headline == LUPIN
    finally:
        store.close()


def test_a_private_database_is_imported_into_on_its_one_connection() -> None:
    store = open_seeded(MEMORY)
    try:
        with import_beside_answers(store) as importing:
            assert importing is store
    finally:
        store.close()
