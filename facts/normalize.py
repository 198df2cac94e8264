"""Text normalisation shared by the fact store, the name index and question parsing.

Names and questions go through the same function, so "Émily in Paris", "emily in paris!"
and "EMILY-IN-PARIS" all become ``emily in paris`` and compare equal.
"""

from __future__ import annotations

import re
import unicodedata

# "Bridgerton's" -> "Bridgerton": possessives never change which thing is meant.
_POSSESSIVE = re.compile(r"(\w)['\u2019\u02bc]s\b")
_APOSTROPHES = re.compile(r"['\u2019\u02bc`\u00b4]")
_AMPERSAND = re.compile(r"&")
_NON_WORD = re.compile(r"[\W_]+")


def fold_accents(text: str) -> str:
    """Return ``text`` without diacritics ("Émily" -> "Emily", "Grégoire" -> "Gregoire")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalize_name(text: str) -> str:
    """Return the matching key of a name or question: case-folded words without accents, one space apart.

    >>> normalize_name("Philippine Leroy-Beaulieu")
    'philippine leroy beaulieu'
    >>> normalize_name("  Bridgerton's AUDIENCE?! \U0001f440")
    'bridgerton audience'
    """
    text = fold_accents(text).casefold()
    text = _POSSESSIVE.sub(r"\1", text)
    text = _APOSTROPHES.sub("", text)
    text = _AMPERSAND.sub(" and ", text)
    return _NON_WORD.sub(" ", text).strip()


def name_tokens(text: str) -> list[str]:
    """Return the words of ``normalize_name(text)``."""
    return normalize_name(text).split()
