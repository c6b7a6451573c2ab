"""Restoration flows: `rate-case` records the filer's satisfaction with a closed case."""

from __future__ import annotations

from typing import Any

from prefect import flow

from ethicsflow.flows.runtime import private_parameters
from ethicsflow.models.ratings.rate import rate_case


@private_parameters("values")
@flow(name="rate-case")
def rate_case_flow(values: dict[str, Any]) -> dict[str, Any]:
    return rate_case(values)
