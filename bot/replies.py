"""Every sentence the bot says on its own behalf (help, usage, refusals, apologies), as Answers.

Answers to questions come from :mod:`facts.answering`; admin reports from :mod:`facts.importing`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from facts.answer import Answer, Field
from facts.questionwords import GREETINGS

BOT_NAME = "showfacts"
COMMAND_USAGE = {
    "/viewers": ("/viewers SHOW[, SHOW ...]", "how many people watched a show, or which of several won"),
    "/cast": ("/cast SHOW", "who is in a show's cast, and whom they play"),
    "/whois": ("/whois PERSON", "who someone is and what they worked on"),
    "/showfacts": ("/showfacts QUESTION", "ask anything; /showfacts top 5 for the most watched shows"),
}
ADMIN_USAGE = (
    "Send me a .csv or .tsv file in a direct message to update the facts (you see a preview first).",
    "/showfacts history lists recent imports; /showfacts undo reverts the last one.",
    "/showfacts export uploads every fact as CSV files.",
)
# Messages that ask how to use the bot rather than about a show, compared after normalising.
HELP_REQUESTS = frozenset({"", "help", "usage", "commands", "what can you do", "how does this work"})
THANKS = frozenset({"thanks", "thank you", "thx", "ty", "cheers", "thanks a lot", "thank you so much"})
_NOT_WORDS = re.compile(r"[^\w\s]+")
# Example questions, filled in with shows from the facts (no show is named in code).
EXAMPLE_QUESTIONS = (
    "how many people watched {first}?",
    "who is in the cast of {first}?",
    "which had more viewers, {first} or {second}?",
)
GENERIC_ERROR = "Sorry, something went wrong on my side. Please try again in a minute."


def help_answer(*, admin: bool = False, shows: Sequence[str] = ()) -> Answer:
    """Explain how to ask, listing the slash commands (and admin tools for admins).

    Args:
        admin: also explain the admin tools.
        shows: titles to use in the example questions (two or more; else no examples).
    """
    fields = tuple(Field(usage, purpose) for usage, purpose in COMMAND_USAGE.values())
    notes = ADMIN_USAGE if admin else ()
    examples: tuple[str, ...] = ()
    if len(shows) >= 2:
        examples = tuple(question.format(first=shows[0], second=shows[1]) for question in EXAMPLE_QUESTIONS)
    return Answer(
        kind="help",
        title=f"Asking {BOT_NAME}",
        headline=(
            "Ask me about TV shows, the people who make them and how many people watched them. "
            "Mention me, send me a direct message or use a slash command. Typos are fine."
        ),
        fields=fields,
        items=examples,
        notes=notes,
    )


def small_talk(text: str) -> str:
    """Return "help" or "thanks" when ``text`` is one of those rather than a question, else ""."""
    words = " ".join(_NOT_WORDS.sub(" ", text.lower()).split())
    if words in THANKS:
        return "thanks"
    if words in HELP_REQUESTS or set(words.split()) <= GREETINGS:  # also "?" alone
        return "help"
    return ""


def thanks_answer() -> Answer:
    """Acknowledge thanks, inviting the next question."""
    return Answer(kind="help", headline="You're welcome! Ask me about any show whenever you like.")


def usage_answer(command: str) -> Answer:
    """Say how a slash command is used, after it was sent with nothing to look up."""
    usage, purpose = COMMAND_USAGE[command]
    return Answer(kind="help", headline=f"Usage: {usage} ({purpose}).")


def admins_only_answer() -> Answer:
    """Politely refuse a fact change to someone who is not an admin."""
    return Answer(
        kind="error",
        headline="Only showfacts admins can change the facts, so I left them as they are.",
        notes=("Ask a workspace admin to add your user ID to SHOWFACTS_ADMINS if you should be one.",),
    )


def elsewhere_answer() -> Answer:
    """Refuse an Apply / Cancel click that did not come from the DM where the files were sent."""
    return Answer(
        kind="error",
        headline="That import can only be applied or cancelled in the direct message it was sent in.",
        notes=("Open your direct message with me and use the buttons there.",),
    )


def file_too_large_answer(name: str, size: int, limit: int) -> Answer:
    """Refuse an upload over the size limit (before downloading it)."""
    return Answer(
        kind="error",
        headline=f"{name} is {describe_size(size)}; I accept files of up to {describe_size(limit)}.",
        notes=("Split it into smaller CSV files and send them one at a time.",),
    )


def not_a_table_answer(name: str) -> Answer:
    """Refuse an upload that is not a CSV or TSV file."""
    return Answer(
        kind="error",
        headline=f"{name} is not a CSV or TSV file, so I did not import it.",
        notes=("Send fact files as .csv (or .tsv); README.md describes the columns.",),
    )


def cancelled_answer() -> Answer:
    """Confirm that a staged import was cancelled."""
    return Answer(kind="report", headline="Import cancelled; the facts are unchanged.")


def generic_error_answer() -> Answer:
    """Apologise for an unexpected failure (the details go to the log, never to Slack)."""
    return Answer(kind="error", headline=GENERIC_ERROR)


def stale_button_answer() -> Answer:
    """Answer a click on a button this version of the bot does not know."""
    return Answer(kind="error", headline="That button no longer works. Please ask your question again.")


def exported_answer(names: list[str]) -> Answer:
    """Report the exported files."""
    return Answer(kind="report", headline=f"Exported {len(names)} fact files.", items=tuple(names))


def upload_failed_answer(code: str) -> Answer:
    """Explain that Slack refused the exported files."""
    return Answer(
        kind="error",
        headline=f"Slack did not accept the exported files ({code or 'unknown error'}).",
        notes=("Invite me to this channel, or run /showfacts export in a direct message with me.",),
    )


def unknown_command_answer(name: str) -> Answer:
    """Answer a slash command the bot does not have."""
    known = ", ".join(COMMAND_USAGE)
    return Answer(kind="help", headline=f"There is no {name} command. Try {known} or /help.")


def import_usage_answer() -> Answer:
    """Say how to import files in the console."""
    return Answer(kind="help", headline="Usage: /showfacts import FILE [FILE ...] (CSV or TSV fact files).")


def describe_size(size: int) -> str:
    """Write a byte count for people: "585.9 KB", "50.0 MB"."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.1f} KB"
    return "1 byte" if size == 1 else f"{size} bytes"
