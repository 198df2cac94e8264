"""The Console section of README.md shows what showfacts really prints and sends."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

from click.testing import CliRunner

from bot.blocks import answer_message
from bot.buttons import Ask
from facts.answering import Answerer
from tests.bot.conftest import open_seeded
from tests.conftest import REPO_ROOT

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
CONSOLE = README[README.index("## Console") :]


def test_the_console_transcript_is_real(tmp_path: Path) -> None:
    from bot.cli import _register_commands, cli

    transcript = re.search(r"```text\n\$ printf (.+?) \| showfacts chat\n(.*?)```", CONSOLE, re.S)
    assert transcript is not None
    typed = shlex.split(transcript.group(1))[0].replace("\\n", "\n")
    _register_commands()
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "facts.db"), "chat"], input=typed)
    assert result.output.rstrip("\n") == transcript.group(2).rstrip("\n")


def test_the_slack_card_is_real(tmp_path: Path) -> None:
    card = re.search(r"```json\n(.*?)```", CONSOLE, re.S)
    assert card is not None
    store = open_seeded(tmp_path / "facts.db")
    answer = Answerer(store).answer("Lupin, Bridgerton", intent="audience")
    message = answer_message(answer, ask=Ask("Lupin, Bridgerton", intent="audience"), shareable=True)
    assert json.loads(card.group(1)) == message
