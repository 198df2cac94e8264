"""Common English words: a question word that is one is a word, not a typo of a name.

"what was the best rank of lupin" says "best", not "The Beast"; "ending" is not "Happy Ending".
The list comes from :mod:`wordfreq` (frequencies from many corpora, maintained upstream) rather than
from a hand list, read once on first use.
"""

from __future__ import annotations

from functools import cache

from wordfreq import get_frequency_dict

from facts.normalize import normalize_name

# Zipf frequency (log10 of uses per billion words) from which a word is common: about the 3,000
# most used English words ("best" 5.8, "ending" 4.7, "paris" 4.8; "collins" 4.2, "karate" 3.6).
COMMON_MIN_ZIPF = 4.5
_ZIPF_PER_FREQUENCY = 9  # zipf = log10(frequency) + 9


@cache
def common_words() -> frozenset[str]:
    """Return the common English words, normalised like names (lower case, no accents)."""
    minimum = 10 ** (COMMON_MIN_ZIPF - _ZIPF_PER_FREQUENCY)
    words = (
        normalize_name(word)
        for word, freq in get_frequency_dict("en", wordlist="small").items()
        if freq >= minimum
    )
    return frozenset(word for word in words if word.isalpha())


def is_common_word(word: str) -> bool:
    """Return whether the normalised ``word`` is a common English word (numbers count as common)."""
    return word.isdigit() or word in common_words()
