"""``/api/v1/receipts/{code}`` and the ratings: what an anonymous filer follows their case
by, and the filer's rating of a closed case.

A receipt code is its own key (no sign-in, access table ``receipt.show``): its lookups
are throttled per client address as sign-ins are (``models/cases/receipts.py``: after 5
failed lookups in 15 minutes, 429 with ``Retry-After``), and a rating by receipt code
looks the code up the same way first. A named filer rates their case signed in
(``case.rate``). Each rating is one ``rate-case`` flow run, once per case.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from ethicsflow.app.api import operations
from ethicsflow.app.api.auth import SignedIn, client_address
from ethicsflow.app.api.threads import reads
from ethicsflow.models.cases.access import get_case
from ethicsflow.models.cases.receipts import lookup_receipt
from ethicsflow.models.db import session_scope
from ethicsflow.models.errors import NotPermitted
from ethicsflow.models.permissions.decide import require
from ethicsflow.models.permissions.table import Operation
from ethicsflow.models.ratings.rate import COMMENT_MAX

router = APIRouter(prefix="/api/v1")


class Rate(BaseModel):
    """A rating: ``case rate``'s score and comment (the filer is who asks)."""

    model_config = ConfigDict(extra="forbid")
    score: int = Field(description="satisfaction, 1 (worst) to 5 (best)")
    comment: str | None = Field(
        default=None, description=f"a comment on the handling (at most {COMMENT_MAX})"
    )


@router.get("/receipts/{code}", tags=["receipts"])
@reads
def receipt_status(code: str, request: Request) -> dict[str, Any]:
    """What the anonymous filer of ``code`` may see: the case's number, status and next
    deadline. No sign-in; 5 failed lookups from one address in 15 minutes: 429."""
    return lookup_receipt(code, address=client_address(request))


def _rate(values: dict[str, Any]) -> dict[str, Any]:

    return operations.run("rate_case", {"values": values})


@router.post("/receipts/{code}/rating", status_code=201, tags=["receipts"])
def rate_by_receipt(code: str, body: Rate, request: Request) -> dict[str, Any]:
    """Rate the closed case of ``code`` (once); the code is looked up, and throttled, as
    by ``GET /receipts/{code}``."""
    number = lookup_receipt(code, address=client_address(request))["number"]
    return _rate({"number": number, "score": body.score, "comment": body.comment, "receipt": code})


@router.post("/cases/{number}/rating", status_code=201, tags=["cases"])
def rate_case(number: str, body: Rate, who: SignedIn) -> dict[str, Any]:
    """Rate a closed case as its signed-in filer (once)."""
    if who.person is None:
        raise NotPermitted("auth.required")
    with session_scope() as session:
        case = get_case(session, number.strip().upper())
        require(session, who.person, Operation.case_rate, case, operator=who.operator)
    return _rate(
        {"number": case.number, "score": body.score, "comment": body.comment, "by": who.actor}
    )
