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
# In ASCII text without apostrophes or ampersands, every character but a letter or digit
# separates words: one translation (which also lowers the letters) and a split do what the
# regular expressions below do. Bytes are translated several times faster than text.
_ASCII_WORDS = bytes(
    ord(chr(code).lower()) if chr(code).isalnum() and code < 128 else 32 for code in range(256)
)


class _CombiningMarks(dict[int, int | None]):
    """A translation table that deletes combining marks, filled as code points are first met."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


_WITHOUT_MARKS = _CombiningMarks()


def fold_accents(text: str) -> str:
    """Return ``text`` without diacritics ("Émily" -> "Emily", "Grégoire" -> "Gregoire")."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFKD", text).translate(_WITHOUT_MARKS)


def normalize_name(text: str) -> str:
    """Return the matching key of a name or question: case-folded words without accents, one space apart.

    >>> normalize_name("Philippine Leroy-Beaulieu")
    'philippine leroy beaulieu'
    >>> normalize_name("  Bridgerton's AUDIENCE?! \U0001f440")
    'bridgerton audience'
    """
    if not text.isascii():
        text = fold_accents(text)
    if text.isascii() and "'" not in text and "&" not in text and "`" not in text:
        # Most names: millions of them in a large import.
        return b" ".join(text.encode().translate(_ASCII_WORDS).split()).decode()
    text = text.casefold()
    text = _POSSESSIVE.sub(r"\1", text)
    text = _APOSTROPHES.sub("", text)
    text = _AMPERSAND.sub(" and ", text)
    return _NON_WORD.sub(" ", text).strip()


def name_tokens(text: str) -> list[str]:
    """Return the words of ``normalize_name(text)``."""
    return normalize_name(text).split()
