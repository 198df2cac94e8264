"""The staging database of a SIGKILLed import is removed by the next import, never one still in use.

``showfacts import`` processes sharing one staging directory (an injected tuning value) are paused
inside their write transaction, where their staging database exists (see
:mod:`tests.reliability.pausing`); one is killed there, the other stays alive while this process
imports.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from facts.importing import ImportFile, ImportTuning, open_seeded, plan_import
from tests.reliability.pausing import kill, start_paused

# ``showfacts ARGS`` with its staging databases in the directory given first.
STAGING_CLI = """
from dataclasses import replace
tuning = replace(tuning, staging_dir=Path(args[0]))
sys.argv = ["showfacts", *args[1:]]
from bot.cli import main
main(tuning)
"""
FIGURES = "show,viewers,window,platform\nLupin,99M,first 28 days,Netflix\n"


def staged(directory: Path) -> set[str]:
    """The names of the files in the staging directory."""
    return set(os.listdir(directory)) if directory.exists() else set()


def start_import(tmp_path: Path, name: str, directory: Path) -> subprocess.Popen[bytes]:
    """Start ``showfacts import`` on a database of its own; return it paused before its commit."""
    db = tmp_path / f"{name}.db"
    open_seeded(db).close()
    figures = tmp_path / "figures.csv"
    figures.write_text(FIGURES)
    marker = tmp_path / f"{name}.paused"
    return start_paused(
        STAGING_CLI, marker, "commit", 0, str(directory), "--db", str(db), "import", str(figures)
    )


def test_a_killed_imports_staging_is_removed_by_the_next_import_and_a_live_ones_is_kept(
    tmp_path: Path,
) -> None:
    directory = tmp_path / "staging"
    tuning = ImportTuning(staging_dir=directory)
    killed = start_import(tmp_path, "killed", directory)
    orphan = staged(directory)
    assert len(orphan) == 2 and {Path(name).suffix for name in orphan} == {".db", ".lock"}
    assert all(f"-{killed.pid}-" in name for name in orphan)
    kill(killed)
    assert staged(directory) == orphan  # nothing removes it by itself

    live = start_import(tmp_path, "live", directory)
    try:
        in_use = staged(directory) - orphan
        assert len(in_use) == 2
        with open_seeded(tmp_path / "facts.db") as store:
            plan = plan_import(store, [ImportFile("figures.csv", FIGURES.encode())], tuning=tuning)
            assert plan.staging is not None
            mine = {plan.staging.path.name, plan.staging.path.with_suffix(".lock").name}
            assert staged(directory) == in_use | mine  # the orphan is gone, the live process's kept
            plan.close()
            assert staged(directory) == in_use
    finally:
        kill(live)

    with open_seeded(tmp_path / "facts.db") as store:
        plan_import(store, [ImportFile("figures.csv", FIGURES.encode())], tuning=tuning).close()
    assert staged(directory) == set()
