"""Citing sources: every fact shown in an answer names where it comes from and when it was true."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from facts.answer import Source


def sources_of(records: Sequence[Any]) -> tuple[Source, ...]:
    """Return the distinct sources of ``records`` (any rows with ``source`` and ``as_of``), in order."""
    found: dict[Source, None] = {}
    for record in records:
        if getattr(record, "source", ""):
            found.setdefault(Source(name=record.source, as_of=record.as_of))
    return tuple(found)
