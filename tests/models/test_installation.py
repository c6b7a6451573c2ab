"""Where an installation lives, read without pydantic (``models/installation.py``), agrees
with Settings; a setting that is not valid is an error naming its variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from ethicsflow.app.client import installation
from ethicsflow.app.errors import exit_code, message
from ethicsflow.models.errors import InvalidInput
from ethicsflow.models.installation import Located, locate
from ethicsflow.models.settings import Settings, get_settings


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    import os

    for name in list(os.environ):
        if name.upper().startswith("ETHICSFLOW_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    return monkeypatch


CASES: list[dict[str, str]] = [
    {},
    {"ETHICSFLOW_HOME": "relative/home"},
    {"ETHICSFLOW_HOME": "~/eth"},
    {"ETHICSFLOW_HOME": "/srv/ethicsflow/../ethicsflow", "ETHICSFLOW_ENGINE": "auto"},
    {"ETHICSFLOW_DATABASE_URL": "postgresql+psycopg://u@127.0.0.1/test"},
    {"ETHICSFLOW_POLICY_FILE": "policy/2027.yaml", "ETHICSFLOW_NOTIFY_WORKERS": "4"},
]


@pytest.mark.parametrize("env", CASES, ids=lambda env: ",".join(env) or "nothing set")
def test_located_as_settings_reads_it(environment: pytest.MonkeyPatch, env: dict[str, str]) -> None:
    for name, value in env.items():
        environment.setenv(name, value)
    located, settings = locate(), Settings()
    assert isinstance(located, Located)  # read without pydantic
    assert (located.home, located.url, located.policy_file, located.engine) == (
        settings.home,
        settings.url,
        settings.policy_file,
        settings.engine,
    )


@pytest.mark.parametrize(
    "env",
    [
        {"ETHICSFLOW_ENGINE": "inprocess"},  # this process is the engine: all settings
        {"ethicsflow_home": "lower"},  # pydantic-settings reads names in any case
        {"ETHICSFLOW_HOME": ""},
    ],
    ids=["inprocess", "lower case", "empty"],
)
def test_anything_else_is_left_to_settings(
    environment: pytest.MonkeyPatch, env: dict[str, str]
) -> None:
    for name, value in env.items():
        environment.setenv(name, value)
    assert locate() is None
    assert isinstance(installation(), Settings)  # what the CLI's client then reads


@pytest.mark.parametrize(
    ("name", "value", "said"),
    [
        ("ETHICSFLOW_ENGINE", "bogus", "ETHICSFLOW_ENGINE: Input should be 'auto' or 'inprocess'"),
        (
            "ETHICSFLOW_NOTIFY_WORKERS",
            "many",
            "ETHICSFLOW_NOTIFY_WORKERS: Input should be a valid integer",
        ),
        ("ETHICSFLOW_WEB_PORT", "70000", "ETHICSFLOW_WEB_PORT: "),
    ],
)
def test_a_setting_that_is_not_valid_names_its_variable(
    environment: pytest.MonkeyPatch, name: str, value: str, said: str
) -> None:
    environment.setenv(name, value)
    with pytest.raises(InvalidInput) as raised:
        get_settings()
    assert message(raised.value).startswith(said)
    assert exit_code(raised.value) == 2
