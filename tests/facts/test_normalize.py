from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


def reference_normalize(text: str) -> str:
    """normalize_name without its fast paths: the rules written out one by one."""
    folded = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    folded = re.sub(r"(\w)['\u2019\u02bc]s\b", r"\1", folded.casefold())
    folded = re.sub(r"['\u2019\u02bc`\u00b4]", "", folded).replace("&", " and ")
    return re.sub(r"[\W_]+", " ", folded).strip()


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.characters(codec="ascii"), max_size=40) | st.text(max_size=40))
def test_the_fast_paths_agree_with_the_rules(text: str) -> None:
    assert normalize_name(text) == reference_normalize(text)
    assert fold_accents(text) == "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from("=+-@"),
    st.text(alphabet=st.characters(codec="ascii"), max_size=30) | st.text(max_size=30),
)
def test_the_apostrophe_export_puts_before_a_formula_changes_no_key(start: str, text: str) -> None:
    # Imports key the names of cells as they are read, before that apostrophe is taken off.
    assert normalize_name(f"'{start}{text}") == normalize_name(f"{start}{text}")
