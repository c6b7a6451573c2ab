"""``/bodies``: every state body at a glance for those who see every case (the Agency):
open cases, overdue ones, escalated restoration requests, each linking to the queue."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import case as when
from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from ethicsflow.app.api.threads import reads
from ethicsflow.app.web.pages import refused, to_sign_in
from ethicsflow.app.web.render import page
from ethicsflow.app.web.visit import visit
from ethicsflow.models.cases.tables import Case
from ethicsflow.models.db import session_scope
from ethicsflow.models.deadlines.rules import local_date
from ethicsflow.models.deadlines.tables import Deadline, DeadlineStatus
from ethicsflow.models.errors import NotPermitted
from ethicsflow.models.lifecycle.kinds import CLOSED_STATES
from ethicsflow.models.people.tables import Organization
from ethicsflow.models.permissions.decide import sees_every_case
from ethicsflow.models.policy import load_policy
from ethicsflow.models.types import utcnow

router = APIRouter(include_in_schema=False)


def bodies(session: Session, today: dt.date) -> list[dict[str, Any]]:
    """Per organization: open cases, overdue (as the queue's filter counts them), and
    restoration requests escalated to the Agency; one grouped query."""
    missed = select(Deadline.case_id).where(col(Deadline.status) == DeadlineStatus.missed)
    is_open = col(Case.status).not_in(sorted(CLOSED_STATES))
    late = (col(Case.next_due) < today) | col(Case.id).in_(missed)
    rows = session.execute(  # seven columns: SQLAlchemy's select (sqlmodel's types stop at 4)
        sa_select(
            col(Organization.code),
            col(Organization.name),
            col(Organization.region),
            func.count(col(Case.id)),
            func.sum(when((is_open, 1), else_=0)),
            func.sum(when((is_open & late, 1), else_=0)),
            func.sum(when((col(Case.status) == "escalated", 1), else_=0)),
        )
        .join(Case, col(Case.organization_id) == Organization.id, isouter=True)
        .group_by(
            col(Organization.id),
            col(Organization.code),
            col(Organization.name),
            col(Organization.region),
        )
        .order_by(col(Organization.region), col(Organization.name))
    ).all()
    return [
        {
            "code": code,
            "name": name,
            "region": region or "",
            "total": int(total or 0),
            "open": int(open_ or 0),
            "overdue": int(overdue or 0),
            "escalated": int(escalated or 0),
        }
        for code, name, region, total, open_, overdue, escalated in rows
    ]


@router.get("/bodies")
@reads
def overview(request: Request) -> Response:
    v = visit(request)
    if v.person is None:
        return to_sign_in(request, v)
    if not sees_every_case(v.person):
        return refused(request, v, NotPermitted("permission.every_body_only", email=v.person.email))
    today = local_date(utcnow(), load_policy().zone)
    with session_scope() as session:
        rows = bodies(session, today)
    totals = {k: sum(r[k] for r in rows) for k in ("total", "open", "overdue", "escalated")}
    return page(request, "bodies.html", v.words, v=v, rows=rows, totals=totals)
