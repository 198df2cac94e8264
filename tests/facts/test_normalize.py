from __future__ import annotations

import pytest

from facts.normalize import fold_accents, normalize_name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Émily in Paris", "emily in paris"),
        ("Philippine Leroy-Beaulieu", "philippine leroy beaulieu"),
        ("Bridgerton's audience?!", "bridgerton audience"),
        ("Grey\u2019s Anatomy", "grey anatomy"),
        ("Law & Order", "law and order"),
        ("  THE   WITCHER  ", "the witcher"),
        ("\U0001f4fa Lupin \U0001f440", "lupin"),
        ("\uff2c\uff55\uff50\uff49\uff4e", "lupin"),  # full-width letters
        ("Кухня 2", "кухня 2"),  # other scripts keep their letters
        ("under_score", "under score"),
        ("", ""),
    ],
)
def test_normalize_name(text: str, expected: str) -> None:
    assert normalize_name(text) == expected


def test_fold_accents_keeps_base_letters() -> None:
    assert fold_accents("Grégoire Colin") == "Gregoire Colin"
