"""Start-up of a process that answers questions for a long time (the Slack server, the console).

The first questions would otherwise wait for what the linker builds on first use (the common
words, the sound-alike map: 0.1 s at 40,000 names, more at a million) and for what answers keep
until the facts change (the figures' measures, platforms and chart categories, the shows' genres,
the charts' countries), and every full garbage
collection would walk the tens of thousands of objects made at start-up (modules, functions, the
linker's vocabulary and caches): 30-40 ms, landing on whichever question is being answered.
"""

from __future__ import annotations

import gc
import time

from facts.answering import Answerer


def warm_up(answerer: Answerer) -> float:
    """Build what the first questions would wait for, then set the objects made so far aside from
    garbage collection (:func:`gc.freeze`); return the seconds it took.

    Objects set aside are still freed when nothing refers to them (as the vocabulary is when an
    import replaces it); only the search for reference cycles skips them.
    """
    started = time.perf_counter()
    warm_linker = getattr(answerer.linker, "warm_up", None)
    if warm_linker is not None:
        warm_linker()
    answerer.read_kept_facts()
    gc.collect()
    gc.freeze()
    return time.perf_counter() - started
