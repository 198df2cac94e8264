"""Citing sources: every fact shown in an answer names where it comes from and when it was true."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from facts.answer import Source


def sources_of(records: Sequence[Any]) -> tuple[Source, ...]:
    """Return the distinct sources of ``records`` (any rows with ``source`` and ``as_of``), in order
    of first mention, each once with its newest date (a weekly chart is one source, not one a week)."""
    newest: dict[str, str] = {}
    for record in records:
        name = getattr(record, "source", "")
        if name and (name not in newest or record.as_of > newest[name]):
            newest[name] = record.as_of
    return tuple(Source(name=name, as_of=as_of) for name, as_of in newest.items())
