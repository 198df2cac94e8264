"""What the bot does, independent of how a request arrived (Slack or the console).

Slack listeners and the console both call :class:`Handlers` and render the :class:`Reply` it
returns, so the two behave the same. Nothing here knows about Slack payloads.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from bot import replies
from bot.buttons import Ask
from bot.conversations import Conversations
from facts import importing
from facts.answer import Answer
from facts.answering import Answerer
from facts.errors import FactsError
from facts.exporter import export_facts
from facts.opening import as_import_store, import_beside_answers, imports_supported
from facts.store import Store

SLASH_INTENTS = {"/viewers": "audience", "/cast": "cast", "/whois": "whois"}
HISTORY_LIMIT = 10
HOME_TOP_SHOWS = 5
HOME_IMPORTS = 5
HELP_EXAMPLE_SHOWS = 2
_TOP = re.compile(r"^top(?:\s+(\d{1,3}))?(?:\s+shows?)?$", re.IGNORECASE)
ADMIN_WORDS = ("history", "undo", "export")


class AdminCheck(Protocol):
    """Tells whether ``user``, acting from workspace ``team`` ("" where there are none), is an admin."""

    def __call__(self, user: str, team: str = "") -> bool: ...


@dataclass(frozen=True)
class Reply:
    """An answer plus what the renderer needs to offer follow-up buttons.

    Args:
        answer: what to show.
        ask: how to ask it again (pages, sharing); None for admin reports.
        staging_token: a staged import awaiting Apply / Cancel.
        files: files to hand over (an export).
    """

    answer: Answer
    ask: Ask | None = None
    staging_token: str = ""
    files: tuple[Path, ...] = ()


class Handlers:
    """The bot's behaviour over one fact store.

    Args:
        store: the open fact store.
        answerer: answers questions over ``store``.
        is_admin: tells whether a user may change the facts.
        tuning: how uploads are imported (tests pass a fault or pause hook).
    """

    def __init__(
        self,
        store: Store,
        answerer: Answerer,
        is_admin: AdminCheck,
        tuning: importing.ImportTuning = importing.DEFAULT_TUNING,
    ) -> None:
        self.store = store
        self.answerer = answerer
        self.is_admin = is_admin
        self.tuning = tuning
        self.conversations = Conversations(store)

    def ask(
        self, question: str, *, conversation: str, intent: str = "", user: str = "", team: str = ""
    ) -> Reply:
        """Answer a question in a conversation, remembering its context for follow-ups.

        "help", a greeting or thanks from ``user`` (of workspace ``team``) get the bot's own reply
        instead of an answer.
        """
        talk = "" if intent else replies.small_talk(question)
        if talk:
            return Reply(self.help(user, team=team) if talk == "help" else replies.thanks_answer())
        context = self.conversations.context_for(conversation)
        reply = self.ask_again(Ask(question, intent=intent, context=context))
        self.conversations.remember(conversation, reply.answer.context)
        return reply

    def ask_again(self, ask: Ask, *, conversation: str = "") -> Reply:
        """Answer a question carried by a button (a choice, a page, a share).

        With ``conversation``, its context becomes the one follow-ups in that conversation use.
        """
        answer = self.answerer.answer(ask.question, context=ask.context, intent=ask.intent or None)
        if conversation:
            self.conversations.remember(conversation, answer.context)
        return Reply(answer, ask=ask)

    def command(self, command: str, text: str, *, user: str, conversation: str, team: str = "") -> Reply:
        """Run a slash command (``/viewers``, ``/cast``, ``/whois``, ``/showfacts``)."""
        text = text.strip()
        if command == "/showfacts":
            return self.showfacts(text, user=user, conversation=conversation, team=team)
        if not text:
            return Reply(replies.usage_answer(command))
        return self.ask(text, conversation=conversation, intent=SLASH_INTENTS[command])

    def showfacts(self, text: str, *, user: str, conversation: str, team: str = "") -> Reply:
        """Run ``/showfacts``: help, ``top [N]``, a question, or an admin word."""
        word = text.lower()
        if _TOP.match(text):
            return self.ask_again(Ask(text, intent="top"))
        if word in ADMIN_WORDS:
            return self.admin(word, user=user, team=team)
        return self.ask(text, conversation=conversation, user=user, team=team)

    def admin(self, word: str, *, user: str, team: str = "", export_dir: Path | None = None) -> Reply:
        """Run an admin word (``history``, ``undo``, ``export``) for ``user``, if they are an admin."""
        if not self.is_admin(user, team):
            return Reply(replies.admins_only_answer())
        try:
            return self._run_admin(word, user, export_dir)
        except FactsError as error:
            return Reply(error_answer(error))

    def _run_admin(self, word: str, user: str, export_dir: Path | None) -> Reply:
        if word == "history":
            store = as_import_store(self.store)
            return Reply(importing.history_answer(importing.list_imports(store, HISTORY_LIMIT)))
        if word == "undo":
            store = as_import_store(self.store)
            return Reply(importing.undo_last_import(store, user=user).to_answer())
        return self.export(export_dir)

    def export(self, directory: Path | None) -> Reply:
        """Write every fact as CSV files into ``directory`` (a new temporary one if None)."""
        target = directory or Path(tempfile.mkdtemp(prefix="showfacts-export-"))
        paths = export_facts(self.store, target)
        return Reply(replies.exported_answer([path.name for path in paths]), files=tuple(paths))

    def stage_upload(
        self, files: Sequence[importing.ImportFile], *, user: str, team: str = "", conversation: str = ""
    ) -> Reply:
        """Validate uploaded fact files and stage them; the preview carries Apply / Cancel.

        The import can then be applied or cancelled from ``conversation`` only (where it was sent).
        """
        if not self.is_admin(user, team):
            return Reply(replies.admins_only_answer())
        try:
            with import_beside_answers(self.store) as store:
                token, plan = importing.stage_import(store, files, user=user, tuning=self.tuning)
        except FactsError as error:
            return Reply(error_answer(error))
        self.conversations.remember_upload(token, conversation)
        return Reply(plan.to_answer(staged=True), staging_token=token)

    def apply_upload(self, token: str, *, user: str, team: str = "", conversation: str = "") -> Reply:
        """Apply a staged import for ``user`` (an admin, the one who staged it, where it was staged)."""
        refusal = self._upload_refusal(token, user, team, conversation)
        if refusal is not None:
            return refusal
        try:
            # On a connection of its own: the process's answers read on while the import writes.
            with import_beside_answers(self.store) as store:
                record = importing.apply_staged(store, token, user=user, tuning=self.tuning)
            return Reply(record.to_answer())
        except FactsError as error:
            return Reply(error_answer(error))

    def cancel_upload(self, token: str, *, user: str, team: str = "", conversation: str = "") -> Reply:
        """Drop a staged import without applying it."""
        refusal = self._upload_refusal(token, user, team, conversation)
        if refusal is not None:
            return refusal
        try:
            importing.discard_staged(as_import_store(self.store), token, user=user)
        except FactsError as error:
            return Reply(error_answer(error))
        return Reply(replies.cancelled_answer())

    def _upload_refusal(self, token: str, user: str, team: str, conversation: str) -> Reply | None:
        if not self.is_admin(user, team):
            return Reply(replies.admins_only_answer())
        staged_in = self.conversations.upload_conversation(token)
        if staged_in and staged_in != conversation:
            return Reply(replies.elsewhere_answer())
        return None

    def help(self, user: str, *, team: str = "", admin: bool | None = None) -> Answer:
        """Return the help for ``user``, its examples naming the most watched shows in the facts."""
        shows = [bar.label for bar in self.answerer.top_shows(HELP_EXAMPLE_SHOWS).bars]
        return replies.help_answer(admin=self.is_admin(user, team) if admin is None else admin, shows=shows)

    def home(self, user: str, *, team: str = "") -> list[Answer]:
        """Return the App Home sections for ``user``: how to ask, top shows, recent imports (admins)."""
        admin = self.is_admin(user, team)
        sections = [self.help(user, admin=admin), self.answerer.top_shows(HOME_TOP_SHOWS)]
        if admin and imports_supported(self.store):
            sections.append(importing.history_answer(importing.list_imports(self.store, HOME_IMPORTS)))
        return sections


def error_answer(error: FactsError) -> Answer:
    """Turn a :class:`FactsError` into the answer shown to the user (message, then every detail)."""
    return Answer(kind="error", headline=str(error), notes=error.details)
