"""``/api/v1`` for running the installation: notifications (list, re-queue, deliver, one's
own), the policy in force, recounting deadlines and the deadline sweep.

Lists are filtered by the access table (``models/permissions``): the notifications
addressed to the reader (every one for the installation administrator), a confidential
filer redacted where due. Operations on the whole installation are the installation
administrator's and the operator's; each is one flow run with the parameters the CLI
sends.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import Field, field_validator

from ethicsflow.app.api import operations
from ethicsflow.app.api.admin import Command, checked, masked
from ethicsflow.app.api.auth import Principal, SignedIn
from ethicsflow.app.api.threads import reads
from ethicsflow.models.db import session_scope
from ethicsflow.models.errors import NotPermitted, rule
from ethicsflow.models.notifications.listing import list_notifications, seen_by
from ethicsflow.models.people.tables import Person
from ethicsflow.models.permissions.decide import require, require_org
from ethicsflow.models.permissions.table import Operation
from ethicsflow.models.policy import load_policy, policy_summary

router = APIRouter(prefix="/api/v1")
Status = Annotated[
    str | None, Query(max_length=16, description="queued, sending, sent, failed or dead")
]
CaseNumber = Annotated[str | None, Query(max_length=40, description="a case's number")]
Limit = Annotated[int, Query(ge=1, le=1000, description="at most this many, newest first")]


class DispatchIn(Command):
    limit: int | None = Field(default=None, ge=1, description="send at most this many")
    recover_now: bool = Field(
        default=False,
        description="take notifications still `sending` for abandoned now: marked dead"
        " with an unknown outcome, never re-sent (only when no other dispatcher runs)",
    )


class SweepIn(Command):
    now: dt.datetime | None = Field(
        default=None, description="the moment to sweep, ISO 8601 with offset (default: now)"
    )

    @field_validator("now")
    @classmethod
    def _with_offset(cls, value: dt.datetime | None) -> dt.datetime | None:
        if value is not None and value.utcoffset() is None:
            raise rule("sweep.now_no_offset")
        return value


def _installation(who: Principal, operation: Operation) -> None:
    """Refuse unless the reader may do ``operation`` on the whole installation."""
    with session_scope() as session:
        require_org(session, who.person, None, operation, operator=who.operator)


# --- notifications --------------------------------------------------------------------


@router.get("/notifications", tags=["notifications"])
@reads
def notifications(
    who: SignedIn,
    status: Status = None,
    case: CaseNumber = None,
    limit: Limit = 100,
) -> list[dict[str, Any]]:
    """Notifications with their delivery state, newest first, as ``notify list`` shows
    them: those addressed to the reader (every one for the installation administrator
    and the operator), URLs with their secrets hidden."""
    viewer = None if who.operator else who.person
    with session_scope() as session:
        require(session, who.person, Operation.notifications_list, operator=who.operator)
        return list_notifications(
            session, status=status, case=case, limit=limit, mask=masked, viewer=viewer
        )


@router.get("/me/notifications", tags=["notifications"])
@reads
def my_notifications(
    who: SignedIn,
    status: Status = None,
    case: CaseNumber = None,
    limit: Limit = 100,
) -> list[dict[str, Any]]:
    """The notifications addressed to the signed-in person (the operator: the person they
    act for), a confidential filer redacted as that person may read the case."""
    person = _person(who)
    with session_scope() as session:
        require(session, person, Operation.notifications_list, operator=who.operator)
        return list_notifications(
            session, status=status, case=case, limit=limit, mask=masked, viewer=person, own=True
        )


def _person(who: Principal) -> Person:
    if who.person is None:
        raise NotPermitted("auth.required")
    return who.person


@router.post("/notifications/{notification_id}/retry", tags=["notifications"])
def retry(notification_id: int, who: SignedIn) -> dict[str, Any]:
    """Re-queue a dead or failed notification (attempts start at 0; one flow run)."""
    _installation(who, Operation.notifications_retry)
    row = operations.run("notify_retry", {"id": notification_id})
    with session_scope() as session:
        return seen_by(session, row, None if who.operator else who.person)


@router.post("/notifications/dispatch", tags=["notifications"])
def dispatch(body: DispatchIn, who: SignedIn) -> dict[str, Any]:
    """Deliver the due notifications now (one flow run): how many were claimed, sent,
    failed (to retry) and dead."""
    values = checked(body, who)
    _installation(who, Operation.notifications_dispatch)
    return operations.run("notify_dispatch", values)


# --- policy and deadlines -------------------------------------------------------------


@router.get("/policy", tags=["platform"])
@reads
def policy(who: SignedIn) -> dict[str, Any]:
    """The policy in force, as ``policy show`` prints it: file, version, zone, each rule
    with its legal basis, the calendar overrides."""
    with session_scope() as session:
        require(session, who.person, Operation.policy_read, operator=who.operator)
    return policy_summary()


@router.post("/deadlines/recompute", tags=["platform"])
def recompute_deadlines(who: SignedIn) -> dict[str, Any]:
    """Count the open deadlines again after the calendar overrides changed (one flow
    run, audited per case); a broken policy file is refused first."""
    _installation(who, Operation.platform_recompute_deadlines)
    load_policy()
    return operations.run("recompute_deadlines", {})


@router.post("/sweep", tags=["platform"])
def sweep(body: SweepIn, who: SignedIn) -> dict[str, Any]:
    """The deadline sweep (one flow run, idempotent): reminders, overdue and escalation,
    auto-close, digests. Items that failed are in ``errors``; the rest is done."""
    checked(body, who)
    _installation(who, Operation.platform_sweep)
    return operations.run("sweep", {"now": body.now.isoformat()} if body.now is not None else {})
