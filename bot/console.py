"""The terminal chat: the same handlers as Slack, read from a stream, rendered as text.

Reads lines until end of input, so it works on a terminal and with piped input (CI) alike:

    $ printf 'how many people watched Lupin?\\nwho created it?\\n' | showfacts chat
"""

from __future__ import annotations

import glob
import os
import shlex
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from bot import replies
from bot.blocks import draw_bar
from bot.charts import chart_path, draw_chart
from bot.handlers import Handlers, Reply, error_answer
from facts.answer import Answer
from facts.errors import FactsError
from facts.importing import ImportFile
from facts.plaintext import render_sources, render_sparkline

CONSOLE_USER = "console"
PROMPT = "> "
BANNER = "showfacts: ask about TV shows, their people and their audiences. /help for help; Ctrl-D to quit."
QUIT_WORDS = frozenset({"quit", "exit", "/quit", "/exit"})
YES = frozenset({"y", "yes"})
MAX_ITEMS = 40
INDENT = "  "
DEFAULT_EXPORT_DIR = "showfacts-export"


def render_answer(answer: Answer) -> str:
    """Render ``answer`` for a terminal: title, headline, fields, bars, items, notes, choices, sources."""
    if answer.parts:
        return "\n\n".join(render_answer(part) for part in answer.parts)
    lines: list[str] = []
    if answer.title:
        lines += [answer.title, "=" * min(len(answer.title), 60)]
    lines.append(answer.headline)
    lines += [f"{INDENT}{field.label}: {field.value}" for field in answer.fields]
    top = max((bar.value for bar in answer.bars), default=0)
    lines += [f"{INDENT}{draw_bar(bar.value, top)} {bar.display}  {bar.label}" for bar in answer.bars]
    lines += [f"{INDENT}{render_sparkline(series, answer.series)}" for series in answer.series]
    lines += [f"{INDENT}- {item}" for item in answer.items[:MAX_ITEMS]]
    if len(answer.items) > MAX_ITEMS:
        lines.append(f"{INDENT}... and {len(answer.items) - MAX_ITEMS} more")
    lines += [f"{INDENT}{note}" for note in answer.notes]
    if answer.choices:
        lines.append("Type a number to choose:")
        lines += [f"{INDENT}{n}. {choice.label}" for n, choice in enumerate(answer.choices, start=1)]
    if answer.sources:
        lines.append(render_sources(answer.sources))
    return "\n".join(lines)


class Console:
    """A conversation on a terminal (or any pair of text streams).

    Args:
        handlers: the bot's behaviour (the console user is an admin: it has the database file).
        stdin: where lines are read from.
        stdout: where answers are written.
        interactive: print prompts (for a terminal).
        chart_dir: where charts of answers over time are saved (default: a new temporary folder each).
    """

    def __init__(
        self,
        handlers: Handlers,
        stdin: TextIO,
        stdout: TextIO,
        *,
        interactive: bool = False,
        chart_dir: Path | None = None,
    ) -> None:
        self.handlers = handlers
        self.stdin = stdin
        self.stdout = stdout
        self.interactive = interactive
        self.chart_dir = chart_dir
        self.last: Answer | None = None
        # Each run is its own conversation: "what about her?" never reaches back into yesterday's.
        self.conversation = f"console-{uuid.uuid4().hex}"

    def run(self) -> None:
        """Answer every line until end of input (or quit)."""
        self.write(BANNER)
        for line in self._lines(PROMPT):
            if line.lower() in QUIT_WORDS:
                break
            if line:
                self.show(self.respond(line))

    def respond(self, line: str) -> Reply:
        """Answer one line: a choice number, a slash command or a question."""
        if line.isdigit() and self.last and 1 <= int(line) <= len(self.last.choices):
            line = self.last.choices[int(line) - 1].question
        if line.startswith("/"):
            return self.command(line)
        return self.handlers.ask(line, conversation=self.conversation, user=CONSOLE_USER)

    def command(self, line: str) -> Reply:
        """Run a slash command typed as in Slack (``/viewers Lupin``, ``/showfacts import FILE``)."""
        name, _, rest = line.partition(" ")
        name, rest = name.lower(), rest.strip()
        if name == "/help":
            return Reply(self.handlers.help(CONSOLE_USER))
        if name not in replies.COMMAND_USAGE:
            return Reply(replies.unknown_command_answer(name))
        word, _, argument = rest.partition(" ")
        if name == "/showfacts" and word.lower() == "import":
            return self.import_files(argument)
        if name == "/showfacts" and word.lower() == "export":
            return self.handlers.admin(
                "export", user=CONSOLE_USER, export_dir=Path(argument or DEFAULT_EXPORT_DIR)
            )
        return self.handlers.command(name, rest, user=CONSOLE_USER, conversation=self.conversation)

    def import_files(self, argument: str) -> Reply:
        """Preview the named files, ask "Apply?", and apply or cancel."""
        try:
            files = [ImportFile(path.name, _read(path)) for path in shell_paths(argument)]
        except (ValueError, FactsError) as error:
            return Reply(error_answer(error if isinstance(error, FactsError) else FactsError(str(error))))
        if not files:
            return Reply(replies.import_usage_answer())
        staged = self.handlers.stage_upload(files, user=CONSOLE_USER)
        if not staged.staging_token:
            return staged
        self.show(staged)
        answer = next(self._lines("Apply? [y/N] "), "")
        if answer.lower() in YES:
            return self.handlers.apply_upload(staged.staging_token, user=CONSOLE_USER)
        return self.handlers.cancel_upload(staged.staging_token, user=CONSOLE_USER)

    def show(self, reply: Reply) -> None:
        """Write a reply, remembering it so that a typed number picks one of its choices."""
        self.last = reply.answer
        text = render_answer(reply.answer)
        if reply.files:
            text += f"\n{INDENT}Written to {reply.files[0].parent}"
        if reply.answer.series:
            text += f"\n{INDENT}Chart: {draw_chart(reply.answer, chart_path(reply.answer, self.chart_dir))}"
        self.write(text + "\n")

    def write(self, text: str) -> None:
        self.stdout.write(text + "\n")
        self.stdout.flush()

    def _lines(self, prompt: str) -> Iterator[str]:
        while True:
            if self.interactive:
                self.stdout.write(prompt)
                self.stdout.flush()
            line = self.stdin.readline()
            if not line:
                return
            yield line.strip()


def shell_paths(argument: str) -> list[Path]:
    """Return the files ``argument`` names as a POSIX shell would: quotes, ``~``, ``$VAR``, globs.

    A pattern that matches nothing stays as written (and is then reported as missing), as in sh.

    Raises:
        ValueError: unbalanced quotes.
    """
    paths: list[Path] = []
    for word in shlex.split(argument):
        expanded = os.path.expandvars(os.path.expanduser(word))
        matches = sorted(glob.glob(expanded)) if glob.has_magic(expanded) else []
        paths.extend(Path(match) for match in matches or [expanded])
    return paths


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise FactsError(f"Cannot read {path}: {error.strerror}.", "Check the file name.") from error
