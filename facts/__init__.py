"""showfacts' domain: the fact store, CSV import/export, the name index, question answering.

Nothing in this package knows about Slack.
"""

from facts.answer import Answer, Bar, Choice, Context, EntityMatch, Field, Source
from facts.errors import FactsError
from facts.normalize import normalize_name
from facts.store import FactStore

__all__ = [
    "Answer",
    "Bar",
    "Choice",
    "Context",
    "EntityMatch",
    "FactStore",
    "FactsError",
    "Field",
    "Source",
    "normalize_name",
]
