"""`act-on-case`: apply one lifecycle action to a case.

The flow is a single step, so it calls the operation directly rather than
through a task: a task run costs a good part of one action's time budget
(docs/internals.md, "flows").
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from prefect import flow

from ethicsflow.flows.runtime import private_parameters
from ethicsflow.models.cases import operations


@private_parameters("by", "values")
@flow(name="act-on-case", flow_run_name="{number} {action}")
def act_on_case_flow(
    number: str,
    action: str,
    by: str,
    values: dict[str, Any],
    if_version: int | None = None,
    at: str | None = None,
    operator: str | None = None,
    literal: bool = False,
) -> dict[str, Any]:
    """Validate and apply the action, its deadlines and its audit event, in one transaction.

    ``at`` (ISO moment) replays the action at another moment; only the scripted demo
    uses it (the CLI always acts now). ``operator``: the server's operator who acted for
    ``by`` (recorded in the audit event). ``literal``: values sent over HTTP by a person
    (not the operator), taken as typed: no ``@PATH`` file of the server, no JSON.
    """
    moment = datetime.fromisoformat(at) if at else None
    return operations.act(
        number,
        action,
        by,
        values,
        if_version=if_version,
        at=moment,
        operator=operator,
        literal=literal,
    )
