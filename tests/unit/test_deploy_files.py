"""The deployment files are checked, offline: every compose file is valid against the Compose
specification's JSON schema (``tests/deploy/compose-spec.json``), and every ``frenchnovel``
command that a compose file, ``deploy/start-worker.sh`` or a systemd unit runs exists in the CLI
with the options it is given (``--help`` after them: click parses them all first)."""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import validators
from typer.testing import CliRunner

from frenchnovel.cli import app

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
SCHEMA = REPO / "tests" / "deploy" / "compose-spec.json"
COMPOSE_FILES = sorted(path for path in DEPLOY.rglob("*.y*ml") if "compose" in path.name)


def _compose(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return loaded


def _compose_commands() -> list[tuple[str, list[str]]]:
    found = []
    for path in COMPOSE_FILES:
        for name, service in _compose(path)["services"].items():
            command = service.get("command")
            if isinstance(command, str):
                command = shlex.split(command)
            if "build" in service:
                # Our own image: it runs nothing but the CLI.
                assert command and command[0] == "frenchnovel", (path.name, name, command)
            if command and command[0] == "frenchnovel":
                found.append((f"{path.name}:{name}", command[1:]))
    return found


def _unit_commands() -> list[tuple[str, list[str]]]:
    found = []
    for unit in sorted((DEPLOY / "systemd").glob("*.service")):
        for line in unit.read_text(encoding="utf-8").splitlines():
            key, _, value = line.partition("=")
            if key.strip() in {"ExecStart", "ExecStartPre", "ExecStartPost", "ExecReload"}:
                words = shlex.split(value.lstrip("-@:+!"))
                assert Path(words[0]).name == "frenchnovel", (unit.name, line)
                found.append((unit.name, words[1:]))
    return found


def _script_commands() -> list[tuple[str, list[str]]]:
    found = []
    for script in sorted(DEPLOY.glob("*.sh")):
        for line in script.read_text(encoding="utf-8").splitlines():
            words = shlex.split(line, comments=True)
            if words and words[0] == "exec":
                assert words[1].endswith("/frenchnovel"), (script.name, line)
                found.append((script.name, words[2:]))
    return found


COMMANDS = _compose_commands() + _unit_commands() + _script_commands()


def test_there_are_compose_files_and_commands_to_check() -> None:
    assert [path.name for path in COMPOSE_FILES] == ["docker-compose.yml"]
    runs = {" ".join(args[:1]) for _, args in COMMANDS}
    assert {"serve", "worker", "beat", "flower", "db"} <= runs


@pytest.mark.parametrize("path", COMPOSE_FILES, ids=lambda path: path.name)
def test_a_compose_file_is_valid_against_the_compose_specification(path: Path) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = validators.validator_for(schema)(schema)

    errors = [
        f"{list(error.absolute_path)}: {error.message}"
        for error in validator.iter_errors(_compose(path))
    ]

    assert errors == []


def test_a_broken_compose_file_is_caught_by_the_schema() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    broken = {"services": {"api": {"command": ["frenchnovel"], "restart_policy": "always"}}}
    assert list(validators.validator_for(schema)(schema).iter_errors(broken))


@pytest.mark.parametrize(("where", "args"), COMMANDS, ids=[where for where, _ in COMMANDS])
def test_every_command_the_deploy_files_run_exists_in_the_cli(where: str, args: list[str]) -> None:
    answer = CliRunner().invoke(app, [*args, "--help"], prog_name="frenchnovel")

    assert answer.exit_code == 0, f"{where}: frenchnovel {' '.join(args)}: {answer.output}"


def test_a_command_the_cli_does_not_have_would_be_caught() -> None:
    answer = CliRunner().invoke(app, ["worker", "--queues", "x", "--help"])
    assert answer.exit_code != 0


def test_the_compose_file_has_the_object_store_and_the_metrics_of_every_process() -> None:
    services = _compose(DEPLOY / "docker-compose.yml")["services"]
    api, worker = services["api"]["environment"], services["celery-worker"]["environment"]

    assert api["STORAGE_URL"] == worker["STORAGE_URL"] == "s3://frenchnovel/jobs"
    assert api["S3_ENDPOINT_URL"] == "http://minio:9000"
    assert "minio" in services and worker["WORKER_METRICS_PORT"] == "9101"
    scrape = yaml.safe_load((DEPLOY / "prometheus.yml").read_text(encoding="utf-8"))
    jobs = {job["job_name"]: job for job in scrape["scrape_configs"]}
    assert jobs["frenchnovel-api"]["static_configs"][0]["targets"] == ["api:5000"]
    assert jobs["frenchnovel-worker"]["dns_sd_configs"][0]["port"] == 9101
