"""``POST /api/v1/operations/{op}``: the local operator's way to run one named operation
of ``flows/commands.py`` (one flow run) with the parameters the CLI sends.

Served only on the home's Unix socket (anyone else gets 404, and the route is not in the
OpenAPI document). The CLI's commands reach the REST resources where those exist; this
route carries the rest.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException

from ethicsflow.app.api.auth import OPERATOR_MARK
from ethicsflow.models.errors import EthicsflowError

router = APIRouter(prefix="/api/v1", include_in_schema=False)

log = logging.getLogger("ethicsflow.engine")


class Call(BaseModel):
    model_config = ConfigDict(extra="forbid")
    params: dict[str, Any] = Field(default_factory=dict)


@router.post("/operations/{op}")
def run_operation(op: str, body: Call, request: Request) -> Any:
    if not request.scope.get("state", {}).get(OPERATOR_MARK):
        raise HTTPException(404, "Not Found")
    # imported here (import time): the flows load Prefect
    from ethicsflow.flows.commands import OPERATIONS

    if op not in OPERATIONS:
        raise HTTPException(404, f"no operation {op!r}")
    return run(op, body.params)


def run(op: str, params: dict[str, Any], progress: Any = None) -> dict[str, Any]:
    """Run ``op`` in this thread, with one line in the engine's log (names no person)."""
    # imported here (import time): the flows load Prefect
    from ethicsflow.flows.commands import execute
    from ethicsflow.models.cases.operations import PROGRESS

    started = time.perf_counter()
    what = f"{op} {params['number']}" if params.get("number") else op
    token = PROGRESS.set(progress)
    try:
        result = execute(op, params)
    except EthicsflowError as exc:
        log.info("%s: %s %s %.0f ms", what, type(exc).__name__, exc.code, _ms(started))
        raise
    except Exception:
        log.exception("%s: internal error %.0f ms", what, _ms(started))
        raise
    finally:
        PROGRESS.reset(token)
    if isinstance(result, dict) and result.get("number") and not params.get("number"):
        what = f"{op} {result['number']}"
    counts = ""
    if isinstance(result, dict) and "filed" in result:
        counts = f" filed={result['filed']} existing={result['existing']} failed={result['failed']}"
    log.info("%s: ok%s %.0f ms", what, counts, _ms(started))
    return result


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000
