"""``/api/v1/session``, ``/api/v1/me`` and ``/api/v1/cases``: signing in and out, who I
am, the cases I may see, one case, its history, its actions, and acting on it.

Every read is filtered by the access table (``models/permissions``): a case the reader
may not see is 404, an action they may not take 403. Every change is one flow run.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from ethicsflow.app.api import operations
from ethicsflow.app.api.auth import (
    COOKIE,
    Principal,
    SignedIn,
    client_address,
    operator_label,
)
from ethicsflow.app.api.threads import reads
from ethicsflow.models.accounts.operations import authenticate_password
from ethicsflow.models.accounts.sessions import LIFETIME, end_session, start_session
from ethicsflow.models.cases.access import get_case
from ethicsflow.models.cases.listing import organization_id, page_cases
from ethicsflow.models.cases.views import case_actions, case_view, history
from ethicsflow.models.db import session_scope
from ethicsflow.models.deadlines.rules import local_date
from ethicsflow.models.errors import Conflict, InvalidInput, NotPermitted
from ethicsflow.models.people.tables import Organization, Person
from ethicsflow.models.permissions.decide import require, visible_cases
from ethicsflow.models.permissions.table import Operation
from ethicsflow.models.policy import load_policy
from ethicsflow.models.types import utcnow

router = APIRouter(prefix="/api/v1")


class SignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: str = Field(min_length=3, max_length=254)
    password: str = Field(min_length=1, max_length=4096)


class Act(BaseModel):
    """An action on a case: its reason, its payload's fields, the version it acts on."""

    model_config = ConfigDict(extra="forbid")
    reason: str | None = None
    fields: dict[str, Any] = Field(default_factory=dict)
    if_version: int | None = Field(default=None, ge=0)


def person_json(person: Person) -> dict[str, Any]:
    with session_scope() as session:
        org = session.get(Organization, person.organization_id) if person.organization_id else None
    return {
        "email": person.email,
        "name": person.name,
        "org": org.code if org else None,
        "roles": list(person.roles),
        "language": person.language,
    }


@router.post("/session", tags=["session"])
def sign_in(body: SignIn, request: Request, response: Response) -> dict[str, Any]:
    """Sign in with e-mail and password: sets the session cookie (HttpOnly, SameSite=Lax,
    Secure over HTTPS) and returns the person and the session's CSRF token."""
    address = client_address(request)
    person = authenticate_password(body.email, body.password, address=address)
    raw, csrf = start_session(person, address=address)
    response.set_cookie(
        COOKIE,
        raw,
        max_age=int(LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )
    return {"person": person_json(person), "csrf_token": csrf}


@router.delete("/session", status_code=204, tags=["session"])
def sign_out(request: Request, response: Response, who: SignedIn) -> Response:
    """Sign out: the session ends and its cookie is cleared."""
    raw = request.cookies.get(COOKIE)
    if raw:
        end_session(raw, address=client_address(request))
    response = Response(status_code=204)
    response.delete_cookie(COOKIE, path="/")
    return response


@router.get("/me", tags=["session"])
@reads
def me(who: SignedIn) -> dict[str, Any]:
    """The signed-in person (the operator alone: ``{"operator": true}``)."""
    if who.person is None:
        return {"operator": True}
    return {**person_json(who.person), "operator": who.operator}


@router.get("/cases", tags=["cases"])
@reads
def list_cases(
    who: SignedIn,
    status: str | None = None,
    org: str | None = None,
    assignee: str | None = None,
    overdue: bool = False,
    q: Annotated[str | None, Query(max_length=200)] = None,
    sort: str = "due",
    page: int = 1,
    per_page: int = 50,
) -> dict[str, Any]:
    """The cases the reader may see, a page at a time, nearest deadline first."""
    overdue_on: date | None = local_date(utcnow(), load_policy().zone) if overdue else None
    with session_scope() as session:
        within = organization_id(session, org) if org else None
        visible = visible_cases(session, who.person, operator=who.operator, organization_id=within)
        return page_cases(
            session,
            visible=visible,
            status=status,
            org=org,
            assignee=assignee,
            overdue_on=overdue_on,
            q=q,
            sort=sort,
            page=page,
            per_page=per_page,
        )


def _viewer(who: Principal) -> Person | None:
    """Whose eyes a read is through: the operator reads as themselves (everything)."""
    return None if who.operator else who.person


@router.get("/cases/{number}", tags=["cases"])
@reads
def show_case(number: str, who: SignedIn) -> dict[str, Any]:
    """One case as the reader may see it (a confidential filer redacted where due)."""
    with session_scope() as session:
        return case_view(session, number.upper(), viewer=_viewer(who))


@router.get("/cases/{number}/history", tags=["cases"])
@reads
def case_history(number: str, who: SignedIn, verify: bool = False) -> dict[str, Any]:
    """The case's audit events, oldest first; ``verify`` checks the chain."""
    with session_scope() as session:
        return history(session, number.upper(), verify, viewer=_viewer(who))


@router.get("/cases/{number}/actions", tags=["cases"])
@reads
def actions(number: str, who: SignedIn) -> dict[str, Any]:
    """The actions allowed now, each with the JSON schema of its fields."""
    with session_scope() as session:
        case = get_case(session, number.upper())
        if not who.operator:
            require(session, who.person, Operation.case_show, case)
        return case_actions(session, case.number)


@router.post("/cases/{number}/actions/{action}", tags=["cases"])
def act(number: str, action: str, body: Act, who: SignedIn) -> dict[str, Any]:
    """Take ``action`` on the case as the signed-in person (one flow run); 409 when the
    case changed since ``if_version``."""
    if who.person is None:
        raise NotPermitted("auth.required")
    if {"by", "actor"} & set(body.fields):
        raise InvalidInput("auth.actor_is_the_signed_in_person")
    with session_scope() as session:
        case = get_case(session, number.upper())
        if not who.operator:
            require(session, who.person, Operation.case_act, case)
    if body.if_version is not None and case.version != body.if_version:
        # stale already: refused without a flow run (the flow checks again under its lock)
        raise Conflict(
            "action.version_mismatch",
            number=case.number,
            version=case.version,
            expected=body.if_version,
        )
    values = dict(body.fields)
    if body.reason is not None:
        values["reason"] = body.reason
    params: dict[str, Any] = {
        "number": case.number,
        "action": action,
        "by": who.person.email,
        "values": values,
    }
    if who.operator:  # the operator acted for the person: the audit records both
        params["operator"] = operator_label()
    else:  # a person over HTTP: "@PATH" is text, not a file of the server
        params["literal"] = True
    return operations.run("act", {**params, "if_version": body.if_version})
