"""The engine's entry point: one named operation = one flow run.

Both the in-process CLI and the engine process (app/engine_server.py) call
:func:`execute`; it returns the flow's JSON-ready result or raises the
domain error the flow raised.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from prefect import tags

from ethicsflow.flows.act import act_on_case_flow
from ethicsflow.flows.admin import (
    add_board_flow,
    add_board_member_flow,
    add_organization_flow,
    add_person_flow,
    recompute_deadlines_flow,
    update_profile_flow,
)
from ethicsflow.flows.documents import render_document_flow
from ethicsflow.flows.intake import file_case_flow, import_cases_flow
from ethicsflow.flows.restoration import rate_case_flow
from ethicsflow.flows.runtime import run_flow
from ethicsflow.flows.sweep import sweep_deadlines_flow
from ethicsflow.models.cases.intake import hash_receipt
from ethicsflow.models.settings import get_settings


def _file_case(params: dict[str, Any]) -> dict[str, Any]:
    return run_flow(file_case_flow, params["values"], params.get("operator"))


def _import_cases(params: dict[str, Any]) -> dict[str, Any]:
    """Stage the rows in a private file under the home and hand the flow its path."""
    staging = get_settings().home / "imports"
    staging.mkdir(parents=True, exist_ok=True)
    path = staging / f"{uuid.uuid4().hex}.json"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump([[int(line), row] for line, row in params["rows"]], out, ensure_ascii=False)
    try:
        return run_flow(import_cases_flow, str(path))
    finally:
        path.unlink(missing_ok=True)


def _act(params: dict[str, Any]) -> dict[str, Any]:
    number = str(params["number"]).upper()
    action = str(params["action"])
    with tags(f"case:{number}", f"action:{action}"):
        return run_flow(
            act_on_case_flow,
            number,
            action,
            params["by"],
            params.get("values") or {},
            params.get("if_version"),
            params.get("at"),
            params.get("operator"),
            bool(params.get("literal")),
        )


def _add_org(params: dict[str, Any]) -> dict[str, Any]:
    return run_flow(add_organization_flow, params["values"])


def _add_person(params: dict[str, Any]) -> dict[str, Any]:
    return run_flow(add_person_flow, params["values"])


def _update_profile(params: dict[str, Any]) -> dict[str, Any]:
    return run_flow(update_profile_flow, params["values"])


def _add_board(params: dict[str, Any]) -> dict[str, Any]:
    return run_flow(add_board_flow, params["values"])


def _add_board_member(params: dict[str, Any]) -> dict[str, Any]:
    return run_flow(add_board_member_flow, params["values"])


def _render_document(params: dict[str, Any]) -> dict[str, Any]:
    values = params["values"]
    with tags(f"case:{str(values.get('number', '')).upper()}", f"document:{values.get('kind')}"):
        return run_flow(render_document_flow, values)


def _rate_case(params: dict[str, Any]) -> dict[str, Any]:
    values = dict(params["values"])
    if values.get("receipt"):
        # Prefect stores a flow run's parameters: give it the code's hash, never the code.
        values["receipt_sha256"] = hash_receipt(str(values.pop("receipt")))
    with tags(f"case:{str(values.get('number', '')).upper()}"):
        return run_flow(rate_case_flow, values)


def _recompute(params: dict[str, Any]) -> dict[str, Any]:
    return run_flow(recompute_deadlines_flow)


def _sweep(params: dict[str, Any]) -> dict[str, Any]:
    now = params.get("now")
    return run_flow(sweep_deadlines_flow, datetime.fromisoformat(now) if now else None)


def _notify_dispatch(params: dict[str, Any]) -> dict[str, Any]:
    # imported here: apprise loads its plugins on import (measured: docs/internals.md)
    from ethicsflow.flows.dispatch import dispatch_notifications_flow

    limit = params.get("limit")
    return run_flow(
        dispatch_notifications_flow,
        int(limit) if limit is not None else None,
        bool(params.get("recover_now")),
    )


def _notify_retry(params: dict[str, Any]) -> dict[str, Any]:
    # imported here: apprise loads its plugins on import (measured: docs/internals.md)
    from ethicsflow.flows.dispatch import retry_notification_flow

    return run_flow(retry_notification_flow, int(params["id"]))


OPERATIONS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "file_case": _file_case,
    "import_cases": _import_cases,
    "act": _act,
    "add_org": _add_org,
    "add_person": _add_person,
    "add_board": _add_board,
    "update_profile": _update_profile,
    "add_board_member": _add_board_member,
    "render_document": _render_document,
    "rate_case": _rate_case,
    "recompute_deadlines": _recompute,
    "sweep": _sweep,
    "notify_dispatch": _notify_dispatch,
    "notify_retry": _notify_retry,
}


def execute(op: str, params: dict[str, Any]) -> dict[str, Any]:
    if op not in OPERATIONS:
        raise KeyError(op)
    return OPERATIONS[op](params)
