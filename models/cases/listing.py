"""One page of the case list: filters, the total, sorted by the next due date.

The query does the work (a grouped subquery for each case's next open deadline, the
filters, ``COUNT`` for the total, ``LIMIT``/``OFFSET``); a page costs four queries
whatever its size. ``visible`` is the caller's visibility clause (who may see which
cases): a list never shows what its reader may not see.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, func, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from ethicsflow.models.cases.tables import Case
from ethicsflow.models.deadlines.tables import Deadline, DeadlineStatus
from ethicsflow.models.errors import InvalidInput, NotFound, option
from ethicsflow.models.lifecycle.kinds import CLOSED_STATES
from ethicsflow.models.people.tables import Organization, Person

MAX_PER_PAGE = 200
MAX_PAGE = 1_000_000
"""``(page - 1) * per_page`` is the query's OFFSET, a 64-bit integer in SQLite and
PostgreSQL (a larger page was a 500); no list reaches 200 million cases."""
SORTS = ("due", "number", "registered", "filed")


def page_cases(
    session: Session,
    *,
    visible: ColumnElement[bool] | None = None,
    status: str | None = None,
    org: str | None = None,
    assignee: str | None = None,
    overdue_on: date | None = None,
    q: str | None = None,
    sort: str = "due",
    page: int = 1,
    per_page: int = 50,
) -> dict[str, Any]:
    """``{"items", "total", "page", "per_page"}``: the cases matching every filter given.

    ``sort``: ``due`` (next open deadline first, cases without one last), ``number``,
    ``registered`` (newest first) or ``filed`` (filing order). ``q`` matches the number or
    the summary, any case.
    """
    if not 1 <= page <= MAX_PAGE:
        raise InvalidInput("list.page", option("page"), page=page, most=MAX_PAGE)
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise InvalidInput(
            "list.per_page", option("per_page"), per_page=per_page, most=MAX_PER_PAGE
        )
    if sort not in SORTS:
        raise InvalidInput("list.sort", option("sort"), sort=sort, allowed=list(SORTS))
    filters = case_filters(
        session,
        visible=visible,
        status=status,
        org=org,
        assignee=assignee,
        overdue_on=overdue_on,
        q=q,
    )
    total = session.exec(select(func.count()).select_from(Case).where(*filters)).one()
    items = listed(session, filters, sort=sort, offset=(page - 1) * per_page, limit=per_page)
    return {"items": items, "total": int(total), "page": page, "per_page": per_page}


def case_filters(
    session: Session,
    *,
    visible: ColumnElement[bool] | None = None,
    status: str | None = None,
    org: str | None = None,
    assignee: str | None = None,
    overdue_on: date | None = None,
    q: str | None = None,
) -> list[ColumnElement[bool]]:
    """The where-clauses on :class:`Case` of a list's filters (an unknown organization or
    assignee is refused, naming the input)."""
    filters: list[ColumnElement[bool]] = [] if visible is None else [visible]
    if status:
        filters.append(col(Case.status) == status)
    if org:
        found = session.exec(select(Organization).where(Organization.code == org.upper())).first()
        if found is None:
            raise NotFound("org.not_found", option("org"), code=org)
        filters.append(col(Case.organization_id) == found.id)
    if assignee:
        person = session.exec(select(Person).where(Person.email == assignee.lower())).first()
        if person is None:
            raise NotFound("person.not_found", option("assignee"), email=assignee)
        filters.append(col(Case.assignee_id) == person.id)
    if overdue_on is not None:
        # Past due and still open (the sweep has not run yet), or already marked missed
        # by the sweep, on a case that is not closed.
        late = select(Deadline.case_id).where(
            or_(
                (col(Deadline.status) == DeadlineStatus.open) & (col(Deadline.due) < overdue_on),
                col(Deadline.status) == DeadlineStatus.missed,
            )
        )
        filters.append(col(Case.id).in_(late))
        filters.append(col(Case.status).not_in(sorted(CLOSED_STATES)))
    if q and q.strip():
        pattern = "%" + q.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern += "%"
        filters.append(
            or_(
                col(Case.number).ilike(pattern, escape="\\"),
                col(Case.summary).ilike(pattern, escape="\\"),
            )
        )
    return filters


def listed(
    session: Session,
    filters: list[ColumnElement[bool]],
    *,
    sort: str,
    offset: int = 0,
    limit: int,
) -> list[dict[str, Any]]:
    """The list items of the cases matching ``filters``, in ``sort`` order (one of
    :data:`SORTS`), each with its next open deadline."""
    orders: dict[str, list[Any]] = {
        "number": [col(Case.number)],
        "registered": [col(Case.registered_on).desc(), col(Case.id).desc()],
        "filed": [col(Case.id)],
    }
    columns: list[Any] = [
        col(Case.id),
        col(Case.number),
        col(Case.kind),
        col(Case.status),
        col(Case.assignee_id),
        col(Case.registered_on),
        col(Organization.code),
    ]
    query = sa_select(*columns).join(
        Organization, col(Organization.id) == col(Case.organization_id)
    )
    if sort == "due":  # only this order needs every case's next deadline
        next_due = (
            select(col(Deadline.case_id).label("case_id"), func.min(Deadline.due).label("due"))
            .where(Deadline.status == DeadlineStatus.open)
            .group_by(col(Deadline.case_id))
            .subquery()
        )
        query = query.outerjoin(next_due, next_due.c.case_id == col(Case.id))
        order: list[Any] = [next_due.c.due.is_(None), next_due.c.due, col(Case.id)]
    else:
        order = orders[sort]
    rows = (
        session.connection()
        .execute(query.where(*filters).order_by(*order).offset(offset).limit(limit))
        .all()
    )
    ids = [row[0] for row in rows]
    nearest: dict[int, Deadline] = {}
    # sorted here, not by the query: ORDER BY due would make the database walk its
    # (status, due) index over every open deadline instead of looking up these cases'
    for deadline in session.exec(
        select(Deadline).where(
            col(Deadline.case_id).in_(ids), Deadline.status == DeadlineStatus.open
        )
    ):
        known = nearest.get(deadline.case_id)
        if known is None or (deadline.due, deadline.id or 0) < (known.due, known.id or 0):
            nearest[deadline.case_id] = deadline
    people = {row[4] for row in rows if row[4] is not None}
    emails = dict(
        session.exec(select(Person.id, Person.email).where(col(Person.id).in_(people))).all()
        if people
        else []
    )
    items = [
        {
            "number": number,
            "kind": kind,
            "status": status_,
            "org": org_code,
            "assignee": emails.get(assignee_id) if assignee_id is not None else None,
            "registered_on": registered.isoformat(),
            "next_deadline": (
                {"name": nearest[case_id].name, "due": nearest[case_id].due.isoformat()}
                if case_id in nearest
                else None
            ),
        }
        for case_id, number, kind, status_, assignee_id, registered, org_code in rows
    ]
    return items
