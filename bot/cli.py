"""The ``showfacts`` command line.

Sub-commands live beside this module, one module per concern: ``cli_admin`` (import, export,
history, undo, migrate), ``cli_ask`` (ask), ``cli_slack`` (chat, serve). Each defines click
commands that the group loads when one of them is run (:data:`COMMAND_MODULES`).
"""

from __future__ import annotations

from importlib import import_module

import click

from bot.settings import Settings, load_settings, make_db_folder, parse_db_location, with_database
from facts.errors import FactsError
from facts.importing import DEFAULT_TUNING, ImportTuning
from facts.opening import open_store, seed_new_store
from facts.store import Store


class CliState:
    """What every sub-command gets: the settings, how imports run, and a lazily opened store."""

    def __init__(self, settings: Settings, tuning: ImportTuning = DEFAULT_TUNING) -> None:
        self.settings = settings
        self.tuning = tuning
        self._store: Store | None = None

    def store(self, *, pooled: bool = False) -> Store:
        """Open the fact database (creating and seeding it on first use).

        Args:
            pooled: on PostgreSQL, share SHOWFACTS_PG_POOL_SIZE connections among this process's
                threads (serving Slack) instead of using one (every other command).
        """
        if self._store is None:
            try:
                make_db_folder(self.settings)
                self._store = open_store(
                    self.settings.database,
                    busy_timeout=self.settings.busy_timeout_seconds,
                    pool_size=self.settings.pg_pool_size if pooled else 0,
                )
                seed_new_store(self._store, self.tuning)
            except FactsError as error:
                raise click.ClickException(str(error)) from error
        return self._store


# Where each sub-command is defined. A module is imported when one of its commands runs (or
# --help lists them), click's pattern for lazy sub-commands: an import need not load the
# answering and Slack modules (about 0.1 s of a one-row import's start).
COMMAND_MODULES = {
    "import": "bot.cli_admin",
    "export": "bot.cli_admin",
    "history": "bot.cli_admin",
    "undo": "bot.cli_admin",
    "migrate": "bot.cli_admin",
    "ask": "bot.cli_ask",
    "chat": "bot.cli_slack",
    "serve": "bot.cli_slack",
}


class LazyGroup(click.Group):
    """A group that imports a sub-command's module (:data:`COMMAND_MODULES`) when it is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMAND_MODULES})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMAND_MODULES:
            self.load_module(COMMAND_MODULES[cmd_name])
        return super().get_command(ctx, cmd_name)

    def load_module(self, name: str) -> None:
        """Add the commands of module ``name`` (its ``COMMANDS``)."""
        for command in import_module(name).COMMANDS:
            self.add_command(command)


@click.group(cls=LazyGroup, invoke_without_command=True)
@click.option(
    "--db",
    help="Fact database: a SQLite file or a postgresql:// URL (default: $SHOWFACTS_DB, else $DATABASE_URL,"
    " else ~/.local/share/showfacts/showfacts.db).",
)
@click.version_option(package_name="showfacts")
@click.pass_context
def cli(ctx: click.Context, db: str | None) -> None:
    """Answer questions about TV shows, their people and their audiences.

    With no sub-command: serve Slack when Slack tokens are set, else open a console chat.
    """
    try:
        settings = load_settings()
        if db is not None:
            settings = with_database(settings, parse_db_location(db, "--db"))
    except FactsError as error:
        raise click.ClickException(str(error)) from error
    ctx.obj = CliState(settings, ctx.find_object(ImportTuning) or DEFAULT_TUNING)
    if ctx.invoked_subcommand is None:
        default = "serve" if settings.bot_token else "chat"
        command = cli.get_command(ctx, default)
        if command is None:
            raise click.ClickException(f"The {default!r} command is not available in this build.")
        ctx.invoke(command)


def _register_commands() -> None:
    """Load every sub-command now (tests invoke ``cli`` with all of them there)."""
    for name in sorted(set(COMMAND_MODULES.values())):
        cli.load_module(name)


def main(tuning: ImportTuning = DEFAULT_TUNING) -> None:
    """Entry point of the ``showfacts`` console script (``tuning``: how its imports run)."""
    cli(prog_name="showfacts", obj=tuning)


if __name__ == "__main__":
    main()
