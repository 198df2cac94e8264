"""The one exception type of showfacts.

Every expected failure (a bad CSV row, an unknown database file, nothing to undo)
raises :class:`FactsError`. Its message is safe to show to any user, in a terminal or
in Slack, and says how to fix the problem. Anything else that escapes is a bug.

    FactsError
"""

from __future__ import annotations


class FactsError(Exception):
    """A problem the user can fix; ``str(error)`` names it and says how.

    Args:
        message: what went wrong, naming the file, line, column or value involved.
        hint: how to fix it; appended to the message.
        details: further lines, one per problem (e.g. every bad row of a CSV file).
    """

    def __init__(self, message: str, hint: str = "", details: tuple[str, ...] = ()) -> None:
        self.message = message
        self.hint = hint
        self.details = tuple(details)
        super().__init__(f"{message} {hint}".strip() if hint else message)

    def full_text(self) -> str:
        """Return the message followed by its detail lines."""
        return "\n".join([str(self), *self.details])
