"""The manifest, the Procfile and `showfacts serve` agree with what the app handles."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from slack_sdk.http_retry import RateLimitErrorRetryHandler

from bot.app import create_web_client
from bot.listeners.commands import COMMANDS
from bot.settings import Settings
from tests.bot.conftest import open_seeded
from tests.bot.fakeslack import FakeSlack
from tests.conftest import REPO_ROOT

SCOPES = {
    "commands",
    "app_mentions:read",
    "chat:write",
    "im:history",
    "files:read",
    "files:write",
    "users:read",
}
EVENTS = {"app_mention", "message.im", "file_shared", "app_home_opened"}


def yaml_list(text: str, key: str) -> list[str]:
    """The items of the block list under ``key:`` (the manifest is plain YAML; no parser is installed)."""
    lines = text.splitlines()
    start = next(n for n, line in enumerate(lines) if line.strip() == f"{key}:")
    indent = len(lines[start]) - len(lines[start].lstrip())
    items = []
    for line in lines[start + 1 :]:
        if line.strip() and len(line) - len(line.lstrip()) <= indent:
            break
        if line.strip().startswith("- "):
            items.append(line.strip()[2:])
    return items


def test_the_manifest_declares_every_command_scope_and_event() -> None:
    text = (REPO_ROOT / "manifest.yml").read_text(encoding="utf-8")
    commands = [item.removeprefix("command: ") for item in yaml_list(text, "slash_commands")]
    assert commands == list(COMMANDS)
    assert set(yaml_list(text, "bot")) == SCOPES
    assert set(yaml_list(text, "bot_events")) == EVENTS
    for setting in (
        "home_tab_enabled: true",
        "messages_tab_enabled: true",
        "messages_tab_read_only_enabled: false",
    ):
        assert f"    {setting}\n" in text
    assert "  interactivity:\n    is_enabled: true\n" in text
    urls = {
        line.split(": ", 1)[1]
        for line in text.splitlines()
        if line.strip().startswith(("url:", "request_url:"))
    }
    assert {url.split("/", 3)[3] for url in urls} == {"slack/events"}


def test_the_procfile_runs_uvicorn_and_socket_mode() -> None:
    lines = dict(line.split(": ", 1) for line in (REPO_ROOT / "Procfile").read_text().splitlines())
    assert lines["web"] == (
        "uvicorn --host 0.0.0.0 --port $PORT --workers 2 --no-access-log --factory bot.server:create_asgi_app"
    )
    assert lines["worker"] == "showfacts serve --socket-mode"


def test_the_web_client_retries_rate_limited_calls() -> None:
    client = create_web_client(
        Settings(db_path=Path("x.db"), bot_token="xoxb-1", api_base_url="http://127.0.0.1:9/api/")
    )
    assert client.base_url == "http://127.0.0.1:9/api/"
    assert any(isinstance(handler, RateLimitErrorRetryHandler) for handler in client.retry_handlers)


@pytest.mark.parametrize(
    ("environ", "args", "transport"),
    [
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"}, ["serve"], "socket"),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}, ["serve"], "http"),
        (
            {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1", "SLACK_SIGNING_SECRET": "s"},
            ["serve", "--http"],
            "http",
        ),
    ],
)
def test_serve_picks_the_transport_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, environ: dict[str, str], args: list[str], transport: str
) -> None:
    chosen: list[str] = []
    monkeypatch.setattr("bot.socket_mode.serve_socket_mode", lambda app, settings: chosen.append("socket"))
    monkeypatch.setattr("bot.server.serve_http", lambda app, settings, host, port: chosen.append("http"))
    monkeypatch.setattr("bot.app.create_app", lambda settings, store, answerer: object())
    result = invoke(tmp_path, environ, args)
    assert result.exit_code == 0, result.output
    assert chosen == [transport]


def test_serve_names_the_missing_variable(tmp_path: Path) -> None:
    result = invoke(tmp_path, {"SLACK_BOT_TOKEN": "xoxb-secret-value"}, ["serve"])
    assert result.exit_code == 1
    assert result.output == (
        "Error: Cannot serve Slack in HTTP mode: SLACK_SIGNING_SECRET is not set. Copy the values from your "
        "Slack app's settings page (see README.md, Running in Slack).\n"
    )
    assert "xoxb-secret-value" not in result.output


def test_the_asgi_factory_refuses_to_start_without_a_signing_secret() -> None:
    from bot.server import create_asgi_app
    from facts.errors import FactsError

    with pytest.raises(FactsError) as raised:
        create_asgi_app({"SLACK_BOT_TOKEN": "xoxb-1"})
    assert raised.value.message == "Cannot serve Slack in HTTP mode: SLACK_SIGNING_SECRET is not set."


def invoke(tmp_path: Path, environ: dict[str, str], args: list[str]) -> object:
    from bot.cli import _register_commands, cli

    _register_commands()
    open_seeded(tmp_path / "facts.db").close()
    env = {
        "SHOWFACTS_DB": str(tmp_path / "facts.db"),
        "SLACK_APP_TOKEN": "",
        "SLACK_SIGNING_SECRET": "",
        **environ,
    }
    return CliRunner().invoke(cli, args, env=env)


def test_serve_explains_a_refused_token(tmp_path: Path, fake: FakeSlack) -> None:
    environ = {
        "SLACK_BOT_TOKEN": "xoxb-wrong",
        "SLACK_SIGNING_SECRET": "s",
        "SLACK_API_BASE_URL": fake.api_url,
    }
    result = invoke(tmp_path, environ, ["serve", "--http"])
    assert result.exit_code == 1
    assert result.output == (
        "Error: Slack refused SLACK_BOT_TOKEN. "
        "Copy the Bot User OAuth Token (xoxb-...) from your Slack app.\n"
    )


def test_serve_explains_an_unreachable_slack(tmp_path: Path) -> None:
    environ = {
        "SLACK_BOT_TOKEN": "xoxb-1",
        "SLACK_SIGNING_SECRET": "s",
        "SLACK_API_BASE_URL": "http://127.0.0.1:9/api/",
    }
    result = invoke(tmp_path, environ, ["serve", "--http"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: Cannot reach Slack at http://127.0.0.1:9/api/ (")
    assert "Traceback" not in result.output
