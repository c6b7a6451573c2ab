"""`deployments/prefect.yaml` is valid for Prefect and says what `deployments/__init__.py`
and the packaged policy say.

Prefect's own models and loaders judge the file: ``PrefectYamlModel`` (what ``prefect
deploy`` validates it with; it ignores unknown keys and ``prefect deploy`` skips an
invalid file with a yellow warning, so the keys are checked against its fields here
too), ``CronSchedule`` for each schedule with its zone, the templating that resolves the
pull step's ``{{ $ETHICSFLOW_SOURCE }}`` on the worker, and
``load_flow_from_entrypoint`` from the repository root, as a worker does.
"""

from __future__ import annotations

import asyncio
import inspect
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import prefect
import pytest
import yaml
from prefect import Flow
from prefect.cli.deploy._models import (
    DeploymentConfig,
    PrefectYamlModel,
    RawScheduleConfig,
    WorkPoolConfig,
)
from prefect.client.schemas.schedules import CronSchedule
from prefect.flows import load_flow_from_entrypoint
from prefect.server.schemas.schedules import CronSchedule as ServerCronSchedule
from prefect.utilities.templating import PlaceholderType, apply_values, find_placeholders

from ethicsflow.deployments import DEPLOYMENTS, WORK_POOL, load_flow, schedules_of
from ethicsflow.models.policy import load_policy, packaged_policy_path

ROOT = Path(__file__).resolve().parents[2]
PREFECT_YAML = ROOT / "deployments" / "prefect.yaml"


def prefect_yaml() -> dict[str, Any]:
    """The file as ``prefect deploy`` reads it (``yaml.safe_load``: aliases resolved)."""
    data = yaml.safe_load(PREFECT_YAML.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def by_name(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {d["name"]: d for d in data["deployments"]}


def field_names(model: type[Any]) -> set[str]:
    return {f.alias or name for name, f in model.model_fields.items()}


def test_prefect_yaml_validates_against_prefects_schema() -> None:
    data = prefect_yaml()

    model = PrefectYamlModel.model_validate(data)

    assert set(data) - field_names(PrefectYamlModel) == {"definitions"}
    assert (model.name, model.build, model.push) == ("ethicsflow", None, None)
    assert len(model.deployments) == len(data["deployments"]) == len(DEPLOYMENTS)
    for raw, deployment in zip(data["deployments"], model.deployments, strict=True):
        assert set(raw) <= field_names(DeploymentConfig), raw["name"]
        assert set(raw["work_pool"]) <= field_names(WorkPoolConfig), raw["name"]
        assert deployment.schedules, raw["name"]
        assert all(isinstance(s, RawScheduleConfig) for s in deployment.schedules), raw["name"]
        assert deployment.tags and deployment.description, raw["name"]


def test_prefect_yaml_pins_the_installed_prefect_minor_version() -> None:
    declared = str(prefect_yaml()["prefect-version"]).split(".")[:2]

    assert declared == prefect.__version__.split(".")[:2]


def test_prefect_yaml_deploys_exactly_the_deployments_of_the_package() -> None:
    declared = [
        (d["name"], d["entrypoint"], d["description"]) for d in prefect_yaml()["deployments"]
    ]

    assert declared == [(d.name, d.entrypoint, d.description) for d in DEPLOYMENTS]


def test_prefect_yaml_uses_the_work_pool_of_the_package_by_alias() -> None:
    data = prefect_yaml()
    pools = data["definitions"]["work_pools"]

    assert [d["work_pool"]["name"] for d in data["deployments"]] == [WORK_POOL] * len(DEPLOYMENTS)
    # safe_load turns an alias into the very object of its anchor
    assert all(any(d["work_pool"] is p for p in pools.values()) for d in data["deployments"])


def test_prefect_yaml_schedules_equal_the_packaged_policy_schedules() -> None:
    data = prefect_yaml()
    policy = load_policy(packaged_policy_path())
    anchors = data["definitions"]["schedules"].values()

    crons = {name: tuple(s["cron"] for s in d["schedules"]) for name, d in by_name(data).items()}

    assert crons == schedules_of(policy)
    for d in data["deployments"]:
        assert all(any(s is a for a in anchors) for s in d["schedules"]), d["name"]
        assert {s["timezone"] for s in d["schedules"]} == {policy.zone}, d["name"]


def test_prefect_yaml_schedules_parse_as_cron_in_the_almaty_zone() -> None:
    for anchor, config in prefect_yaml()["definitions"]["schedules"].items():
        schedule = CronSchedule(**config)
        assert (schedule.cron, schedule.timezone) == (config["cron"], "Asia/Almaty"), anchor

    nightly = prefect_yaml()["definitions"]["schedules"]["sweep_nightly"]
    start = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)

    (first,) = asyncio.run(ServerCronSchedule(**nightly).get_dates(n=1, start=start))

    # 02:00 in Almaty (UTC+5) is 21:00 UTC of the day before
    assert first == datetime(2026, 11, 23, 21, 0, tzinfo=UTC)


def test_prefect_yaml_pull_step_takes_the_checkout_from_the_worker_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = prefect_yaml()
    (step,) = data["pull"]
    ((name, inputs),) = step.items()
    (placeholder,) = find_placeholders(inputs)

    assert name == "prefect.deployments.steps.set_working_directory"
    assert placeholder.type is PlaceholderType.ENV_VAR
    assert all("pull" not in d for d in data["deployments"])

    # what prefect.deployments.steps.core.run_step does on the worker
    monkeypatch.setenv("ETHICSFLOW_SOURCE", str(ROOT))
    assert apply_values(inputs, {}) == {"directory": str(ROOT)}


@pytest.fixture
def repository_root(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The worker's working directory; Prefect's script loader leaves ``sys.path``
    entries and bare module names (``sweep``) behind, removed again afterwards."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(sys, "path", list(sys.path))
    before = set(sys.modules)
    yield ROOT
    for name in set(sys.modules) - before:
        module_file = getattr(sys.modules[name], "__file__", None) or "/"
        if not name.startswith("ethicsflow.") and Path(module_file).parent == ROOT / "flows":
            del sys.modules[name]  # the script's copy (``sweep``), not the package's module


@pytest.mark.parametrize("deployment", DEPLOYMENTS, ids=lambda d: d.name)
def test_entrypoint_loads_the_flow_of_the_package(deployment: Any, repository_root: Path) -> None:
    flow: Flow[..., Any] = load_flow_from_entrypoint(
        deployment.entrypoint, use_placeholder_flow=False
    )
    package_flow = load_flow(deployment)

    path = Path(inspect.getsourcefile(flow.fn) or "")
    assert path == repository_root / deployment.entrypoint.split(":")[0]
    assert (flow.name, flow.fn.__name__) == (package_flow.name, package_flow.fn.__name__)
    assert inspect.getsource(flow.fn) == inspect.getsource(package_flow.fn)
    assert flow.parameters == package_flow.parameters
