"""`deployments/systemd/ethicsflow-serve.service` says what serve needs to stop cleanly.

No systemd here: the unit is read as the INI file it is and held to the code's own
numbers (the grace period, the CLI's commands, the settings' variable names).
"""

from __future__ import annotations

import configparser
import shlex
from pathlib import Path

import typer

from ethicsflow.app.cli import app
from ethicsflow.models.settings import Settings

UNIT = Path(__file__).resolve().parents[2] / "deployments" / "systemd" / "ethicsflow-serve.service"


def unit() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys keep their case
    parser.read_string(UNIT.read_text(encoding="utf-8"))
    return parser


def test_only_serve_gets_sigterm_and_has_time_for_its_grace_period() -> None:
    service = unit()["Service"]
    # KillMode=control-group (the default) would SIGTERM the scheduled runs in flight too
    assert service["KillMode"] == "mixed" and service["KillSignal"] == "SIGTERM"
    grace = Settings.model_fields["serve_grace_seconds"].default
    assert float(service["TimeoutStopSec"]) >= grace + 60
    assert service["Restart"] == "on-failure"


def test_it_runs_the_serve_command_with_settings_ethicsflow_knows() -> None:
    service = unit()["Service"]
    argv = shlex.split(service["ExecStart"])
    assert Path(argv[0]).name == "ethicsflow" and argv[1:] == ["serve"]
    commands = {c.name for c in typer.main.get_command(app).commands.values()}
    assert "serve" in commands
    for assignment in shlex.split(service["Environment"]):
        name, _, value = assignment.partition("=")
        assert name.startswith("ETHICSFLOW_") and value
        assert name.removeprefix("ETHICSFLOW_").lower() in Settings.model_fields, name
    assert unit()["Install"]["WantedBy"] == "multi-user.target"
