"""``showfacts chat`` (the console) and ``showfacts serve`` (Slack over HTTP or Socket Mode)."""

from __future__ import annotations

import sys

import click

from bot.cli import CliState
from bot.console import CONSOLE_USER, Console
from bot.handlers import Handlers
from bot.settings import check_slack_settings
from facts.answering import Answerer
from facts.errors import FactsError
from facts.startup import warm_up


def console_is_admin(user: str, team: str = "") -> bool:
    """Whoever runs the console has the database file, so they are its admin."""
    return user == CONSOLE_USER


@click.command()
@click.pass_obj
def chat(state: CliState) -> None:
    """Chat with showfacts in the terminal; reads questions until end of input.

    Type questions, slash commands (/viewers Lupin, /cast, /whois, /showfacts top 5) or
    /showfacts import FILE to preview and apply a fact file.
    """
    store = state.store()
    answerer = Answerer(store)
    warm_up(answerer)
    handlers = Handlers(store, answerer, console_is_admin)
    Console(handlers, sys.stdin, sys.stdout, interactive=sys.stdin.isatty()).run()


@click.command()
@click.option(
    "--socket-mode/--http",
    "socket_mode",
    default=None,
    help="Transport (default: Socket Mode when SLACK_APP_TOKEN is set, else HTTP).",
)
@click.option("--host", default="0.0.0.0", show_default=True, help="HTTP address to listen on.")
@click.option("--port", type=int, default=None, help="HTTP port (default: $PORT, else 3000).")
@click.pass_obj
def serve(state: CliState, socket_mode: bool | None, host: str, port: int | None) -> None:
    """Serve Slack: HTTP at /slack/events, or Socket Mode."""
    from bot.app import create_app
    from bot.server import serve_http
    from bot.socket_mode import serve_socket_mode

    settings = state.settings
    use_socket = settings.socket_mode if socket_mode is None else socket_mode
    try:
        check_slack_settings(settings, socket_mode=use_socket)
        store = state.store(pooled=True)
        answerer = Answerer(store)
        warm_up(answerer)
        app = create_app(settings, store, answerer)
    except FactsError as error:
        raise click.ClickException(str(error)) from error
    if use_socket:
        serve_socket_mode(app, settings)
    else:
        serve_http(app, settings, host=host, port=port or settings.port)


COMMANDS = [chat, serve]
