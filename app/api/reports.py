"""``GET /api/v1/reports/restoration``: the restoration report (``report restoration``).

Access is the table's ``report.restoration`` in the organization reported on: a head
of a body gets their body's report (the default when they name none), the agency any
body's or all of them (the default), the operator anything. JSON by default;
``?format=csv`` gives the CLI's CSV.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response
from sqlmodel import Session, select

from ethicsflow.app.api.auth import Principal, SignedIn
from ethicsflow.app.api.threads import reads
from ethicsflow.models.db import session_scope
from ethicsflow.models.errors import ACTOR, NotFound, NotPermitted, option
from ethicsflow.models.people.tables import Organization
from ethicsflow.models.permissions.decide import target_org_allowed
from ethicsflow.models.permissions.table import Operation
from ethicsflow.models.restoration.reports import report_csv, restoration_report

router = APIRouter(prefix="/api/v1")
REPORT = Operation.report_restoration


def reported_org(session: Session, who: Principal, org: str | None) -> str | None:
    """The organization the report covers (None: all of them), refused unless the access
    table lets ``who`` read it; with none named, all if they may, else their own."""
    target: Organization | None
    if org:
        target = session.exec(
            select(Organization).where(Organization.code == org.strip().upper())
        ).first()
        if target is None:
            raise NotFound("org.not_found", option("org"), code=org)
    elif target_org_allowed(who.person, None, REPORT, operator=who.operator):
        return None
    else:
        own = who.person.organization_id if who.person is not None else None
        target = session.get(Organization, own) if own is not None else None
    allowed = target is not None and target_org_allowed(
        who.person, target.id, REPORT, operator=who.operator
    )
    if target is None or not allowed:
        raise NotPermitted(
            "permission.denied_organization",
            ACTOR,
            operation=REPORT.value,
            email=who.actor or "-",
            org=target.code if target is not None else "-",
        )
    return target.code


@router.get(
    "/reports/restoration",
    tags=["reports"],
    responses={200: {"content": {"text/csv": {}}, "description": "JSON, or CSV"}},
)
@reads
def restoration(
    who: SignedIn,
    org: str | None = None,
    date_from: Annotated[str | None, Query(alias="from", description="registered from")] = None,
    date_to: Annotated[str | None, Query(alias="to", description="registered up to")] = None,
    format: Literal["json", "csv"] = "json",
) -> Any:
    """Restoration cases registered in a window: by category and outcome, measures on
    time, days to restoration, follow-ups and retaliation found, satisfaction."""
    with session_scope() as session:
        code = reported_org(session, who, org)
    data = restoration_report(org=code, date_from=date_from, date_to=date_to)
    if format == "csv":
        return Response(report_csv(data), media_type="text/csv; charset=utf-8")
    return data
