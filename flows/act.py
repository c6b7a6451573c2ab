"""`act-on-case`: apply one lifecycle action to a case."""

from __future__ import annotations

from typing import Any

from prefect import flow, task

from ethicsflow.models import operations


@task(name="apply-action")
def apply_action(
    number: str, action: str, by: str, values: dict[str, Any], if_version: int | None
) -> dict[str, Any]:
    return operations.act(number, action, by, values, if_version=if_version)


@flow(name="act-on-case")
def act_on_case_flow(
    number: str, action: str, by: str, values: dict[str, Any], if_version: int | None = None
) -> dict[str, Any]:
    """Validate and apply the action, its deadlines and its audit event, in one transaction."""
    return apply_action(number, action, by, values, if_version)
