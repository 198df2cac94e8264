"""The deploy files (app.json, render.yaml, fly.toml, Dockerfile) parse, run what the Procfile runs, and
name only commands and variables that showfacts has; README's Deploying section likewise."""

from __future__ import annotations

import json
import re
import shlex
import tomllib

import click
import yaml

from bot.cli import _register_commands, cli
from bot.server import HEALTH_PATH
from tests.conftest import REPO_ROOT

SETTINGS = (REPO_ROOT / "bot" / "settings.py").read_text(encoding="utf-8")
README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
DEPLOYING = README[README.index("## Deploying") : README.index("## Console")]
# Set by the hosts themselves, not by people deploying.
HOST_VARIABLES = {"PORT", "DATABASE_URL"}


def procfile() -> dict[str, str]:
    lines = (REPO_ROOT / "Procfile").read_text(encoding="utf-8").splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


def variables_read() -> set[str]:
    """Every environment variable bot/settings.py reads (the only module that reads any)."""
    return set(re.findall(r'"((?:SLACK|SHOWFACTS|DATABASE)_[A-Z_]+|PORT|XDG_DATA_HOME)"', SETTINGS))


def test_app_json_runs_the_web_process_on_heroku_postgres() -> None:
    app = json.loads((REPO_ROOT / "app.json").read_text(encoding="utf-8"))
    assert [addon["plan"].split(":")[0] for addon in app["addons"]] == ["heroku-postgresql"]
    assert app["addons"][0]["as"] == "DATABASE"  # so that Heroku sets DATABASE_URL
    assert set(app["formation"]) == {"web"} <= set(procfile())
    assert set(app["env"]) <= variables_read() - HOST_VARIABLES
    assert {name for name, spec in app["env"].items() if spec["required"]} == {
        "SLACK_BOT_TOKEN",
        "SLACK_SIGNING_SECRET",
    }


def test_requirements_install_showfacts_with_its_postgresql_extra() -> None:
    lines = (REPO_ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert [line for line in lines if line and not line.startswith("#")] == [".[postgres]"]
    extras = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert any(
        dependency.startswith("psycopg[") for dependency in extras["optional-dependencies"]["postgres"]
    )


def test_render_yaml_runs_the_web_process_on_its_database() -> None:
    blueprint = yaml.safe_load((REPO_ROOT / "render.yaml").read_text(encoding="utf-8"))
    (service,) = blueprint["services"]
    assert (service["type"], service["runtime"]) == ("web", "python")
    assert service["buildCommand"] == "pip install -r requirements.txt"
    assert service["startCommand"] == procfile()["web"]
    assert service["healthCheckPath"] == HEALTH_PATH
    env = {variable["key"]: variable for variable in service["envVars"]}
    assert set(env) <= variables_read()
    assert env["DATABASE_URL"]["fromDatabase"] == {
        "name": blueprint["databases"][0]["name"],
        "property": "connectionString",
    }
    secrets = {key for key, variable in env.items() if variable.get("sync") is False}
    assert secrets == {"SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SHOWFACTS_ADMINS"}


def test_fly_toml_runs_the_web_process_with_its_health_check() -> None:
    fly = tomllib.loads((REPO_ROOT / "fly.toml").read_text(encoding="utf-8"))
    port = fly["http_service"]["internal_port"]
    assert fly["env"]["PORT"] == str(port)
    # Fly runs process commands without a shell: the Procfile's $PORT is written out.
    assert fly["processes"]["web"] == procfile()["web"].replace("$PORT", str(port))
    assert fly["http_service"]["processes"] == ["web"]
    (check,) = fly["http_service"]["checks"]
    assert (check["method"], check["path"]) == ("GET", HEALTH_PATH)
    assert fly["build"]["dockerfile"] == "Dockerfile"
    assert set(fly["env"]) <= variables_read()


def test_the_dockerfile_installs_the_requirements_and_runs_the_web_process() -> None:
    lines = (REPO_ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines()
    assert "RUN pip install --no-cache-dir -r requirements.txt" in lines
    command = json.loads(next(line for line in lines if line.startswith("CMD ")).removeprefix("CMD "))
    assert command == ["sh", "-c", procfile()["web"]]


def split_command(line: str) -> tuple[list[str], str, list[str]]:
    """A showfacts command line as (the group's options, the sub-command, its arguments)."""
    args = shlex.split(line)
    taking_values = {opt for param in cli.params if isinstance(param, click.Option) for opt in param.opts}
    position = 0
    while args[position].startswith("--"):
        position += 2 if args[position] in taking_values else 1
    return args[:position], args[position], args[position + 1 :]


def test_the_deploying_section_names_real_commands_and_variables() -> None:
    _register_commands()
    lines = re.findall(r"^showfacts (.+?)(?:\s+#.*)?$", DEPLOYING, re.M)
    assert lines, "the section shows how to run showfacts"
    group_options = {opt for param in cli.params for opt in param.opts}
    for line in lines:
        before, name, after = split_command(line)
        command = cli.commands[name]
        options = {opt for param in command.params for opt in param.opts}
        assert {arg for arg in before if arg.startswith("--")} <= group_options, line
        assert {arg for arg in after if arg.startswith("--")} <= options, line
    named = set(re.findall(r"\b((?:SLACK|SHOWFACTS)_[A-Z_]+|DATABASE_URL)\b", DEPLOYING))
    assert named <= variables_read()


def test_every_variable_showfacts_reads_is_in_the_readme_table() -> None:
    table = set(re.findall(r"^\| `([A-Z_]+)` \|", README, re.M))
    assert variables_read() - {"DATABASE_URL", "XDG_DATA_HOME"} <= table
