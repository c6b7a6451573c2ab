"""``POST /api/v1/cases`` and ``POST /api/v1/cases/import``: filing one case, and many.

Filing is the CLI's ``case file`` over HTTP: the same values, checked by the same
``validate_filing`` before the flow runs, and one ``file-case`` flow run. The filer is
the signed-in person (the operator on the socket: the person of
``X-Ethicsflow-Act-For``, or nobody for an anonymous appeal); ``anonymous: true`` files
with no filer at all. The same idempotency key again returns the case already filed
(200, ``created: false``) to whoever may see it, and is refused (409) to anyone else:
a key is no way to read another's case.

An import is ``case import``'s rows in one ``import-cases`` flow run, each row naming its
own filer; the access table (``case.import``) gives it to the operator only. The answer
is a stream of NDJSON lines: ``{"progress": n}`` as each batch is committed, then
``{"ok": report}`` or ``{"error": problem}``.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import json
import logging
import threading
from collections.abc import AsyncIterator, Callable
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from ethicsflow.app.api import operations
from ethicsflow.app.api.auth import Principal, SignedIn, operator_label
from ethicsflow.app.api.host import give_back_memory
from ethicsflow.app.api.language import negotiate
from ethicsflow.app.api.problems import problem
from ethicsflow.models.cases.access import get_case
from ethicsflow.models.cases.filing import validate_filing
from ethicsflow.models.db import session_scope
from ethicsflow.models.errors import (
    ACTOR,
    Conflict,
    EthicsflowError,
    InvalidInput,
    from_dict,
    option,
)
from ethicsflow.models.permissions.decide import may, require
from ethicsflow.models.permissions.table import Operation

router = APIRouter(prefix="/api/v1")
NDJSON = "application/x-ndjson"

log = logging.getLogger("ethicsflow.api")


class Filing(BaseModel):
    """What ``case file`` carries; ``by`` may only name the signed-in person."""

    model_config = ConfigDict(extra="forbid")
    kind: str = Field(description="complaint | restoration")
    org: str = Field(description="code of the organization")
    summary: str = Field(description="what happened")
    by: str | None = Field(
        default=None, description="the filer: the signed-in person (leave it out)"
    )
    against: str | None = Field(default=None, description="e-mail of the respondent")
    received_at: str | None = Field(default=None, description="ISO 8601 with offset")
    anonymous: bool = Field(default=False, description="an anonymous appeal: no filer")
    confidential: bool = Field(
        default=False, description="the filer's identity only to those who need it"
    )
    key: str | None = Field(default=None, description="idempotency key")
    related: str | None = Field(default=None, description="number of a related case")
    committed_on: str | None = Field(default=None, description="date of the conduct")


class Import(BaseModel):
    """``case import``'s rows: ``[line, row]``, a row being ``case file``'s values or
    the reason it could not be read."""

    model_config = ConfigDict(extra="forbid")
    rows: list[tuple[int, dict[str, Any] | str]]


def filer_values(body: Filing, who: Principal) -> dict[str, Any]:
    """The values ``case file`` sends, with the filer taken from the principal."""
    actor = who.actor
    if body.by is not None and (actor is None or body.by.strip().lower() != actor):
        raise InvalidInput("auth.actor_is_the_signed_in_person", ACTOR)
    values = body.model_dump(exclude_none=True)
    values["by"] = None if body.anonymous else actor
    return {k: v for k, v in values.items() if v is not None}


@router.post("/cases", status_code=201, tags=["cases"])
def file_case(body: Filing, who: SignedIn, response: Response) -> dict[str, Any]:
    """File a complaint or a restoration request as the signed-in person (one flow run):
    201 with its number, status, assignee and deadlines (an anonymous appeal: its
    receipt code, shown once); the same ``key`` again: 200, ``created: false``."""
    values = filer_values(body, who)
    validate_filing(values)  # refuse bad input before a flow runs
    with session_scope() as session:
        require(session, who.person, Operation.case_file, operator=who.operator)

    params: dict[str, Any] = {"values": values}
    if who.operator:  # filed at the server's console (for the person, if any): recorded
        params["operator"] = operator_label()
    result = operations.run("file_case", params)
    if not result["created"]:
        with session_scope() as session:
            case = get_case(session, result["number"])
            if not may(session, who.person, Operation.case_show, case, operator=who.operator):
                raise Conflict("case.key_taken", option("key"))
        response.status_code = 200
    else:
        response.headers["Location"] = f"{router.prefix}/cases/{result['number']}"
    return result


@router.post(
    "/cases/import",
    tags=["cases"],
    response_class=StreamingResponse,
    responses={200: {"content": {NDJSON: {}}, "description": "progress, then the report"}},
)
def import_cases(body: Import, who: SignedIn, request: Request) -> StreamingResponse:
    """File many cases in one flow run (the operator only). NDJSON: ``{"progress": n}``
    per committed batch, then ``{"ok": {"filed", "existing", "failed", "cases",
    "errors"}}`` (each failed row's error a problem document) or ``{"error": problem}``."""
    with session_scope() as session:
        require(session, who.person, Operation.case_import, operator=who.operator)
    language = negotiate(request.headers.get("accept-language"), request.query_params.get("lang"))
    params = {"rows": [[line, row] for line, row in body.rows]}
    return StreamingResponse(_streamed("import_cases", params, language), media_type=NDJSON)


async def _streamed(op: str, params: dict[str, Any], language: str) -> AsyncIterator[bytes]:
    """Run ``op`` in a thread of its own (a flow run blocks) and yield its lines as they
    come; a client that goes away leaves the run to finish."""
    loop = asyncio.get_running_loop()
    lines: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue()

    def put(line: dict[str, Any] | None) -> None:
        with contextlib.suppress(RuntimeError):  # the loop has closed: nobody listens
            loop.call_soon_threadsafe(lines.put_nowait, line)

    context = contextvars.copy_context()  # Prefect's settings live in context variables
    worker = threading.Thread(
        target=context.run, args=(_run, op, params, language, put), name=f"api-{op}"
    )
    worker.start()
    while (line := await lines.get()) is not None:
        yield json.dumps(line, default=str).encode() + b"\n"


def _run(
    op: str,
    params: dict[str, Any],
    language: str,
    put: Callable[[dict[str, Any] | None], None],
) -> None:
    try:
        report = operations.run(op, params, lambda n: put({"progress": n}))
        put({"ok": _report(report, language)})
    except EthicsflowError as exc:
        put({"error": problem(exc, language)[1]})
    except Exception:
        log.exception("%s: internal error", op)
        put({"error": {"type": "about:blank", "title": "Internal error", "status": 500}})
    finally:
        put(None)
        give_back_memory()  # a long-lived server would keep the import's peak otherwise


def _report(report: dict[str, Any], language: str) -> dict[str, Any]:
    """The import report with each failed row's error as a problem document."""
    errors = [
        {**entry, "error": problem(from_dict(entry["error"]), language)[1]}
        if isinstance(entry.get("error"), dict)
        else entry
        for entry in report["errors"]
    ]
    return {**report, "errors": errors}
