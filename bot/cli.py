"""The ``showfacts`` command line.

Sub-commands live beside this module, one module per concern: ``cli_admin`` (import, export,
history, undo), ``cli_ask`` (ask), ``cli_slack`` (chat, serve). Each defines click commands
that :func:`main` registers here.
"""

from __future__ import annotations

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


@click.group(invoke_without_command=True)
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
    # Imported here, not at the top: the sub-command modules import CliState from this module.
    from bot import cli_admin, cli_ask, cli_slack

    for module in (cli_admin, cli_ask, cli_slack):
        for command in module.COMMANDS:
            cli.add_command(command)


def main(tuning: ImportTuning = DEFAULT_TUNING) -> None:
    """Entry point of the ``showfacts`` console script (``tuning``: how its imports run)."""
    _register_commands()
    cli(prog_name="showfacts", obj=tuning)


if __name__ == "__main__":
    main()
