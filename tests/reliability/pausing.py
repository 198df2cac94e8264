"""Processes paused inside a write, to be killed there: the import's step hook is the seam.

A script starts with :data:`PAUSE_HOOK`, which reads ``MARKER STEP CALLS`` from its arguments and
defines ``tuning``, an :class:`~facts.importing.ImportTuning` whose step hook pauses (for ten
minutes) after ``CALLS`` write steps whose names begin with ``STEP``, announcing the pause by
writing ``MARKER``. ``args`` holds the script's remaining arguments. :func:`start_paused` runs a
script (:data:`PAUSING_CLI`: the command line) until it pauses there, inside the import's transaction;
:func:`kill` then SIGKILLs it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

PAUSE_WAIT_S = 120.0
POLL_S = 0.02
REAP_TIMEOUT_S = 120
PAUSE_HOOK = """
import sys, time
from pathlib import Path
from facts.importing import ImportTuning
marker, step, calls, args = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
seen = [0]
def pausing(name):
    if not name.startswith(step):
        return
    seen[0] += 1
    if seen[0] > calls:
        Path(marker).write_text("paused")
        time.sleep(600)
tuning = ImportTuning(before_step=pausing)
"""
# The real command line (import, undo, ask...) run with that tuning.
PAUSING_CLI = """
sys.argv = ["showfacts", *args]
from bot.cli import main
main(tuning)
"""


def start_paused(script: str, marker: Path, step: str, calls: int, *args: str) -> subprocess.Popen[bytes]:
    """Run ``PAUSE_HOOK + script`` with ``args``; return once it has paused after a write step."""
    process = subprocess.Popen(
        [sys.executable, "-c", PAUSE_HOOK + script, str(marker), step, str(calls), *args],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + PAUSE_WAIT_S
    while not marker.exists():
        if process.poll() is not None:
            out, err = process.communicate()
            pytest.fail(f"the process ended before the pause: {(out + err).decode()}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail("the process never reached the write step")
        time.sleep(POLL_S)
    return process


def kill(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL ``process`` and reap it."""
    os.kill(process.pid, signal.SIGKILL)
    process.communicate(timeout=REAP_TIMEOUT_S)
    assert process.returncode == -signal.SIGKILL


def start_paused_cli(
    db: Path | str, marker: Path, step: str, calls: int, *args: str
) -> subprocess.Popen[bytes]:
    """Start ``showfacts --db DB ARGS``; return once it has paused after a write step."""
    return start_paused(PAUSING_CLI, marker, step, calls, "--db", str(db), *args)
