"""Admin sub-commands: ``showfacts import``, ``export``, ``history``, ``undo`` and ``migrate``.

Every refusal is a :class:`~facts.errors.FactsError`, printed as ``Error: ...`` with one line per
problem, and exits with status 1; nothing is ever half-imported.
"""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from bot.cli import CliState
from bot.settings import parse_db_location
from facts import importing
from facts.errors import FactsError
from facts.exporter import export_facts
from facts.opening import as_import_store
from facts.plaintext import render_text
from facts.store import FactStore


def default_user() -> str:
    """Return the OS user name, for the import history."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers) and no LOGNAME/USER set
        return "unknown"


@contextmanager
def facts_errors() -> Iterator[None]:
    """Turn a FactsError into click's ``Error: ...`` output (exit status 1), details included."""
    try:
        yield
    except FactsError as error:
        raise click.ClickException(error.full_text()) from error


@contextmanager
def progress(steps: int) -> Iterator[Callable[[], None]]:
    """Yield a function that advances a progress bar on stderr (only when stderr is a terminal)."""
    if not sys.stderr.isatty():
        yield lambda: None
        return
    with click.progressbar(length=steps, label="Importing", file=sys.stderr) as bar:
        yield lambda: bar.update(1)


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--replace", is_flag=True, help="Remove the facts of these kinds that the files do not list.")
@click.option("--dry-run", is_flag=True, help="Show what would change; change nothing.")
@click.option("--user", default=None, help="Name recorded in the history (default: your OS user).")
@click.pass_obj
def import_command(
    state: CliState, files: tuple[Path, ...], replace: bool, dry_run: bool, user: str | None
) -> None:
    """Import fact CSV files (or Netflix Top 10 files as published), all or nothing.

    \b
    Example:
      showfacts import shows.csv viewership.csv --dry-run
      showfacts import all-weeks-global.tsv --user ana
    """
    with facts_errors(), progress(len(files) + 2) as advance:
        store = as_import_store(state.store())
        loaded = []
        for path in files:  # one step per file, then checking, then applying
            loaded += importing.read_paths([path])
            advance()
        plan = importing.plan_import(store, loaded, replace=replace, tuning=state.tuning)
        advance()
        if dry_run:
            click.echo(render_text(plan.to_answer()))
            return
        record = importing.apply_import(store, plan, user=user or default_user())
        advance()
    click.echo(render_text(record.to_answer()))


@click.command("export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.pass_obj
def export_command(state: CliState, directory: Path) -> None:
    """Write every fact into DIRECTORY as CSV files (one per kind) in the import format.

    \b
    Example:
      showfacts export backup/
    """
    with facts_errors():
        paths = export_facts(state.store(), directory)
    click.echo(f"Exported {len(paths)} files to {directory}: {', '.join(path.name for path in paths)}")


@click.command("history")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1), help="How many imports.")
@click.pass_obj
def history_command(state: CliState, limit: int) -> None:
    """List the latest imports: who, when, which files, what changed.

    \b
    Example:
      showfacts history --limit 5
    """
    with facts_errors():
        store = as_import_store(state.store())
        click.echo(render_text(importing.history_answer(importing.list_imports(store, limit))))


@click.command("undo")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--seed", is_flag=True, help="Undo the bundled seed too, if it is the last import left.")
@click.option("--user", default=None, help="Name recorded in the history (default: your OS user).")
@click.pass_obj
def undo_command(state: CliState, yes: bool, seed: bool, user: str | None) -> None:
    """Undo the last import that is not undone yet, restoring the facts exactly.

    Without --yes it asks first, and changes nothing when there is no terminal to ask on. The
    bundled seed is only undone with --seed: that leaves no facts at all.

    \b
    Example:
      showfacts undo --yes
    """
    with facts_errors():
        store = as_import_store(state.store())
        pending = importing.last_undoable_import(store)
        if not yes and pending and not (pending.is_seed and not seed):
            if not sys.stdin.isatty():
                raise click.ClickException(
                    f"Nothing was undone: undo asks before it undoes import {pending.describe()}, and there"
                    " is no terminal to ask on. Pass --yes to undo it."
                )
            emptied = " This leaves no facts at all." if pending.is_seed else ""
            click.confirm(f"Undo import {pending.describe()}?{emptied}", abort=True)
        record = importing.undo_last_import(
            store, user=user or default_user(), seed_too=seed, tuning=state.tuning
        )
    click.echo(render_text(record.to_answer()))


@click.command("migrate")
@click.option(
    "--to", "target", required=True, help="The PostgreSQL database: postgresql://USER:PASSWORD@HOST/DB."
)
@click.option("--replace", is_flag=True, help="Replace the facts the PostgreSQL database already holds.")
@click.pass_obj
def migrate_command(state: CliState, target: str, replace: bool) -> None:
    """Copy the SQLite fact database (--db, else $SHOWFACTS_DB) into PostgreSQL: every fact, the
    import history and the name index, in one transaction.

    A PostgreSQL database that already holds facts is left alone unless --replace is given. Other
    processes on it answer from the old facts until the copy commits, then from the new ones.

    \b
    Example:
      showfacts --db /data/showfacts.db migrate --to "$DATABASE_URL"
    """
    from facts.postgres import PostgresStore, copy_facts, describe_url

    with facts_errors():
        url = parse_db_location(target, "--to")
        if not isinstance(url, str):
            raise FactsError(
                f"--to names the file {url}; migrate copies into PostgreSQL.",
                "Give it a postgresql:// URL (to copy between SQLite files, copy the file itself).",
            )
        with (
            _open_source(state) as source,
            PostgresStore.open(url, busy_timeout=state.settings.busy_timeout_seconds) as pg,
        ):
            copied = copy_facts(source, pg, replace=replace)
    into = describe_url(url)
    click.echo(
        f"Copied {copied:,} rows from {state.settings.db_path} into the PostgreSQL database {into}:"
        " the facts, their import history and the name index."
    )


def _open_source(state: CliState) -> FactStore:
    """Open the SQLite store to copy from, which must exist already (it is never created here)."""
    settings = state.settings
    if settings.db_url:
        raise FactsError(
            "migrate copies a SQLite store, and the fact database configured is a PostgreSQL one.",
            "Name the SQLite file with --db: showfacts --db /data/showfacts.db migrate --to URL",
        )
    if not settings.db_path.expanduser().is_file():
        raise FactsError(
            f"There is no fact database at {settings.db_path} to copy.",
            "Name the SQLite file with --db: showfacts --db /data/showfacts.db migrate --to URL",
        )
    return FactStore.open(settings.db_path, busy_timeout=settings.busy_timeout_seconds)


COMMANDS = [import_command, export_command, history_command, undo_command, migrate_command]
