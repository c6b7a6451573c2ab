"""One page of the case list: filters, the total, sorted by the next due date.

The query does the work: the filters, ``COUNT`` for the total, ``LIMIT``/``OFFSET`` on
an index in the page's order. The next due date is the case's ``next_due`` column (kept
by the database, migration 0010); cases without an open deadline come last, read by a
second query only when the page reaches them, so both orders walk an index. A page costs
five queries whatever its size. ``visible`` is the caller's visibility clause (who may
see which cases): a list never shows what its reader may not see.
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
    total, dated = session.exec(
        select(func.count(), func.count(col(Case.next_due))).select_from(Case).where(*filters)
    ).one()
    items = listed(
        session, filters, sort=sort, offset=(page - 1) * per_page, limit=per_page, dated=dated
    )
    return {"items": items, "total": int(total), "page": page, "per_page": per_page}


def count_cases(session: Session, **filters: Any) -> int:
    """How many cases match ``filters`` (:func:`case_filters`' arguments): the count
    alone, without reading a page."""
    where = case_filters(session, **filters)
    return int(session.exec(select(func.count()).select_from(Case).where(*where)).one())


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
        filters.append(col(Case.organization_id) == organization_id(session, org))
    if assignee:
        person = session.exec(select(Person).where(Person.email == assignee.lower())).first()
        if person is None:
            raise NotFound("person.not_found", option("assignee"), email=assignee)
        filters.append(col(Case.assignee_id) == person.id)
    if overdue_on is not None:
        # Past due and still open (the sweep has not run yet: the case's next open
        # deadline, ``next_due``, is before the day), or already marked missed by the
        # sweep, on a case that is not closed. (Asking the deadlines for both cost the
        # overdue list 0.2-0.4 s at 100,000 cases; next_due is the case's own index.)
        missed = select(Deadline.case_id).where(col(Deadline.status) == DeadlineStatus.missed)
        filters.append(or_(col(Case.next_due) < overdue_on, col(Case.id).in_(missed)))
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


def organization_id(session: Session, code: str) -> int:
    """The id of the organization a list's ``org`` filter names (unknown: refused); looked
    up once per session (the API's visibility and the filters both ask)."""
    known: dict[str, int] = session.info.setdefault("ethicsflow.organization_ids", {})
    if code.upper() not in known:
        found = session.exec(select(Organization.id).where(Organization.code == code.upper()))
        first = found.first()
        if first is None:
            raise NotFound("org.not_found", option("org"), code=code)
        known[code.upper()] = first
    return known[code.upper()]


def listed(
    session: Session,
    filters: list[ColumnElement[bool]],
    *,
    sort: str,
    offset: int = 0,
    limit: int,
    dated: int | None = None,
) -> list[dict[str, Any]]:
    """The list items of the cases matching ``filters``, in ``sort`` order (one of
    :data:`SORTS`), each with its next open deadline.

    ``dated``: how many of them have an open deadline, when the caller counted them (the
    ``due`` order reads those first, then the others in filing order).
    """
    columns: list[Any] = [
        col(Case.id),
        col(Case.number),
        col(Case.kind),
        col(Case.status),
        col(Case.assignee_id),
        col(Case.registered_on),
        col(Organization.code),
    ]
    query = (
        sa_select(*columns)
        .join(Organization, col(Organization.id) == col(Case.organization_id))
        .where(*filters)
    )

    def page(where: list[Any], order: list[Any], skip: int, take: int) -> list[Any]:
        chosen = query.where(*where).order_by(*order).offset(skip).limit(take)
        return list(session.connection().execute(chosen).all())

    if sort == "due":
        if dated is None:
            dated = session.exec(
                select(func.count(col(Case.next_due))).select_from(Case).where(*filters)
            ).one()
        due = col(Case.next_due)
        rows = []
        if offset < dated:
            rows = page([due.is_not(None)], [due, col(Case.id)], offset, limit)
        if len(rows) < limit:
            skip = max(0, offset - dated)
            rows += page([due.is_(None)], [col(Case.id)], skip, limit - len(rows))
    else:
        orders: dict[str, list[Any]] = {
            "number": [col(Case.number)],
            "registered": [col(Case.registered_on).desc(), col(Case.id).desc()],
            "filed": [col(Case.id)],
        }
        rows = page([], orders[sort], offset, limit)
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
