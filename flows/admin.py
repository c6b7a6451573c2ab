"""Directory flows: `add-organization`, `add-person`."""

from __future__ import annotations

from typing import Any

from prefect import flow

from ethicsflow.models import operations


@flow(name="add-organization")
def add_organization_flow(values: dict[str, Any]) -> dict[str, Any]:
    return operations.add_org(values)


@flow(name="recompute-deadlines")
def recompute_deadlines_flow() -> dict[str, Any]:
    """Count open deadlines again after the policy's calendar overrides changed."""
    return operations.recompute_deadlines()


@flow(name="add-person")
def add_person_flow(values: dict[str, Any]) -> dict[str, Any]:
    return operations.add_person(values)
