"""``POST /api/v1/operations/{op}``: the local operator's way to run one named operation
of ``flows/commands.py`` (one flow run) with the parameters the CLI sends.

Served only on the home's Unix socket (anyone else gets 404, and the route is not in the
OpenAPI document). The CLI's commands reach the REST resources where those exist; this
route carries the rest. ``case import`` streams its progress: ``application/x-ndjson``
lines ``{"progress": n}``, then ``{"ok": result}`` or ``{"error": problem}``.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException

from ethicsflow.app.api.auth import OPERATOR_MARK
from ethicsflow.app.api.language import negotiate
from ethicsflow.app.api.problems import problem
from ethicsflow.models.errors import EthicsflowError

router = APIRouter(prefix="/api/v1", include_in_schema=False)
STREAMED = frozenset({"import_cases"})

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
    if op in STREAMED:
        language = negotiate(request.headers.get("accept-language"), None)
        return StreamingResponse(
            _streamed(op, body.params, language), media_type="application/x-ndjson"
        )
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


def _streamed(op: str, params: dict[str, Any], language: str) -> Iterator[bytes]:
    """The operation runs in its own thread to its end, even when the client goes away;
    this generator (iterated in Starlette's thread pool) sends what it reports."""
    lines: queue.Queue[dict[str, Any] | None] = queue.Queue()

    def work() -> None:
        try:
            lines.put({"ok": run(op, params, lambda n: lines.put({"progress": int(n)}))})
        except EthicsflowError as exc:
            lines.put({"error": problem(exc, language)[1]})
        except Exception as exc:  # logged by run(); the operator hears what it was
            text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            detail = f"internal error: {type(exc).__name__}: {text} (see the engine's log)"
            body = {"type": "about:blank", "title": "Internal error", "status": 500}
            lines.put({"error": {**body, "detail": detail}})
        finally:
            lines.put(None)
            # imported here: the engine host's memory hand-back (ctypes) after a bulk import
            from ethicsflow.app.engine_host import give_back_memory

            give_back_memory()

    threading.Thread(target=work, name=f"operation-{op}", daemon=True).start()
    while (line := lines.get()) is not None:
        yield json.dumps(line, default=str).encode() + b"\n"
