"""Rules of the code base that a reviewer would otherwise have to remember."""

from __future__ import annotations

import ast
import subprocess
import sys
from importlib import import_module
from pathlib import Path

import facts

FACTS_DIR = Path(facts.__file__).parent
BOT_DIR = FACTS_DIR.parent / "bot"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_facts_never_imports_slack_or_bot() -> None:
    for path in FACTS_DIR.rglob("*.py"):
        for module in imported_modules(path):
            top = module.split(".")[0]
            assert top not in {"slack_bolt", "slack_sdk", "bot"}, f"{path.name} imports {module}"


def test_only_settings_reads_the_environment() -> None:
    for path in [*FACTS_DIR.rglob("*.py"), *BOT_DIR.rglob("*.py")]:
        if path.name == "settings.py":
            continue
        assert "os.environ" not in path.read_text(encoding="utf-8"), f"{path} reads os.environ"


def test_public_api_is_exported() -> None:
    for name in facts.__all__:
        assert hasattr(facts, name), name


def test_the_store_does_not_build_on_the_importer() -> None:
    # Seeding a new database is a step of its own (facts.importing.seed_if_new).
    for name in ("store.py", "schema.py", "postgres.py", "pgschema.py"):
        modules = imported_modules(FACTS_DIR / name)
        assert not any(module.startswith("facts.importing") for module in modules), name


def test_each_step_of_an_import_is_a_small_module() -> None:
    for path in (FACTS_DIR / "importing").glob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 310, (
            f"{path.name} has grown past one step"
        )


def test_each_command_is_loaded_from_the_module_that_defines_it() -> None:
    from bot.cli import COMMAND_MODULES

    defined = {
        command.name: module
        for module in set(COMMAND_MODULES.values())
        for command in import_module(module).COMMANDS
    }
    assert defined == COMMAND_MODULES


def test_an_import_into_sqlite_loads_only_what_it_runs(tmp_path: Path) -> None:
    # psycopg is optional (pip install 'showfacts[postgres]') and, like the answering and Slack
    # modules, slow to import: a command loads what it runs. importlib.metadata would mean that
    # sqlite-utils looked for plugins (every installed package's entry points read). A fresh
    # interpreter, because this one has loaded them all for other tests.
    (tmp_path / "shows.csv").write_text("title\nX\n", encoding="utf-8")
    not_needed = (
        "psycopg",
        "facts.postgres",
        "facts.answering",
        "bot.cli_ask",
        "bot.cli_slack",
        "importlib.metadata",
    )
    script = (
        "import atexit, sys\n"
        "from bot.cli import main\n"
        f"atexit.register(lambda: print(sorted(m for m in sys.modules if m.startswith({not_needed!r}))))\n"
        "main()\n"
    )
    ran = subprocess.run(
        [
            sys.executable,
            "-c",
            script,
            "--db",
            str(tmp_path / "facts.db"),
            "import",
            str(tmp_path / "shows.csv"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert ran.stdout.splitlines()[-1] == "[]"
