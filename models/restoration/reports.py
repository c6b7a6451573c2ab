"""Reports over many cases (read-only): `report restoration`.

The restoration report covers the restoration requests registered in a window
(``registered_on`` from/to, both inclusive), of one organization or of all: how many by
category of the violation and by outcome (the status now), how the measures went, how
long restoration took, what the retaliation follow-ups found and how satisfied the
filers were. Counts are SQL aggregates; the median is taken in Python.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import statistics
from typing import Any

import sqlalchemy as sa
from sqlalchemy import and_, func
from sqlalchemy import case as when
from sqlmodel import Session, col, select

from ethicsflow.models.audit.tables import Event
from ethicsflow.models.cases.filing import CaseKind
from ethicsflow.models.cases.tables import Case
from ethicsflow.models.db import require_schema, session_scope
from ethicsflow.models.deadlines.rules import local_date
from ethicsflow.models.errors import FieldRef, InvalidInput, NotFound, option
from ethicsflow.models.people.tables import Organization
from ethicsflow.models.policy import load_policy
from ethicsflow.models.ratings.tables import Rating
from ethicsflow.models.restoration.tables import FollowUp, Measure, MeasureStatus
from ethicsflow.models.types import utcnow

RESTORED_ACTION = "confirm_restored"
"""The action whose date ends the time to restoration."""

UNCATEGORISED = "uncategorised"
"""Category key of requests not accepted yet (no category recorded)."""


def _day(value: Any, field: FieldRef) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        given = value if isinstance(value, str | int | float) else str(value)
        raise InvalidInput("report.not_a_date", field, value=given) from None


def restoration_report(
    org: str | None = None,
    date_from: dt.date | str | None = None,
    date_to: dt.date | str | None = None,
    *,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """The restoration report (see the module docstring) as one JSON-able dict.

    ``org`` is an organization code (unknown: NotFound naming ``--org``); ``date_from``
    and ``date_to`` bound ``registered_on`` (ISO dates; from after to: InvalidInput).
    ``today`` (default: the local day) decides which open measures are overdue.
    """
    start = _day(date_from, option("from"))
    end = _day(date_to, option("to"))
    if start and end and start > end:
        raise InvalidInput(
            "report.from_after_to", option("from"), start=start, to=option("to"), end=end
        )
    require_schema()
    policy = load_policy()
    today = today or local_date(utcnow(), policy.zone)
    with session_scope() as session:
        org_row = None
        if org:
            org_row = session.exec(
                select(Organization).where(Organization.code == org.strip().upper())
            ).first()
            if org_row is None:
                raise NotFound("org.not_found", option("org"), code=org)
        cases = select(Case.id).where(Case.kind == CaseKind.restoration)
        if org_row is not None:
            cases = cases.where(Case.organization_id == org_row.id)
        if start:
            cases = cases.where(col(Case.registered_on) >= start)
        if end:
            cases = cases.where(col(Case.registered_on) <= end)
        ids = cases.scalar_subquery()
        return {
            "org": org_row.code if org_row else None,
            "from": start.isoformat() if start else None,
            "to": end.isoformat() if end else None,
            "cases": int(
                session.exec(
                    select(func.count()).select_from(Case).where(col(Case.id).in_(ids))
                ).one()
            ),
            "by_category": _counts(session, Case.category, ids, UNCATEGORISED),
            "by_outcome": _counts(session, Case.status, ids, "unknown"),
            "measures": _measures(session, ids, today),
            "restoration": _restoration(session, ids, policy.zone),
            "follow_ups": _follow_ups(session, ids),
            "satisfaction": _satisfaction(session, ids),
        }


def _counts(session: Session, column: Any, ids: Any, missing: str) -> dict[str, int]:
    rows = session.exec(
        select(column, func.count()).where(col(Case.id).in_(ids)).group_by(column).order_by(column)
    ).all()
    out: dict[str, int] = {}
    for key, count in rows:
        name = key or missing
        out[name] = out.get(name, 0) + int(count)
    return dict(sorted(out.items()))


def _measures(session: Session, ids: Any, today: dt.date) -> dict[str, int]:
    """On time: completed on or before its due date; late: completed after it (or with no
    completion date recorded); open, of which overdue (due before ``today``); rejected."""
    status = col(Measure.status)
    completed = status == MeasureStatus.completed
    on_time = and_(
        completed, col(Measure.closed_on).is_not(None), col(Measure.closed_on) <= Measure.due
    )
    is_open = status == MeasureStatus.open

    def total(condition: Any) -> Any:
        return func.coalesce(func.sum(when((condition, 1), else_=0)), 0)

    row = session.execute(
        sa.select(
            func.count(),
            total(on_time),
            total(completed),
            total(is_open),
            total(and_(is_open, col(Measure.due) < today)),
            total(status == MeasureStatus.rejected),
        ).where(col(Measure.case_id).in_(ids))
    ).one()
    count, timely, done, still_open, overdue, rejected = (int(v) for v in row)
    return {
        "total": count,
        "on_time": timely,
        "late": done - timely,
        "open": still_open,
        "overdue": overdue,
        "rejected": rejected,
    }


def _restoration(session: Session, ids: Any, zone: str) -> dict[str, Any]:
    """Calendar days from receipt (local day) to the first ``confirm_restored`` event."""
    rows = session.exec(
        select(Case.received_at, func.min(Event.at))
        .join(Event, col(Event.case_id) == Case.id)
        .where(col(Case.id).in_(ids), Event.action == RESTORED_ACTION)
        .group_by(col(Case.id), col(Case.received_at))
    ).all()
    days = [(local_date(done, zone) - local_date(received, zone)).days for received, done in rows]
    median: float | None = statistics.median(days) if days else None
    return {
        "restored": len(days),
        "median_days": (
            int(median) if median is not None and float(median).is_integer() else median
        ),
    }


def _follow_ups(session: Session, ids: Any) -> dict[str, int]:
    suspected = col(FollowUp.retaliation) == "suspected"
    row = session.execute(
        sa.select(
            func.count(),
            func.coalesce(func.sum(when((suspected, 1), else_=0)), 0),
            func.count(func.distinct(when((suspected, FollowUp.case_id), else_=None))),
        ).where(col(FollowUp.case_id).in_(ids))
    ).one()
    done, found, cases = (int(v) for v in row)
    return {"done": done, "retaliation_suspected": found, "cases_with_retaliation": cases}


def _satisfaction(session: Session, ids: Any) -> dict[str, Any]:
    count, average = session.exec(
        select(func.count(), func.avg(Rating.score)).where(col(Rating.case_id).in_(ids))
    ).one()
    return {
        "ratings": int(count),
        "average": round(float(average), 2) if average is not None else None,
    }


def report_csv(report: dict[str, Any]) -> str:
    """The report as a flat CSV: a header ``section,key,value``, then one row per number
    (UTF-8 text, comma-separated, CRLF line ends as RFC 4180; a missing value is empty)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "key", "value"])
    for key in ("org", "from", "to"):
        writer.writerow(["filter", key, _cell(report.get(key))])
    writer.writerow(["cases", "total", report["cases"]])
    for section, name in (("category", "by_category"), ("outcome", "by_outcome")):
        for key, value in report[name].items():
            writer.writerow([section, key, value])
    for section in ("measures", "restoration", "follow_ups", "satisfaction"):
        for key, value in report[section].items():
            writer.writerow([section, key, _cell(value)])
    return out.getvalue()


def _cell(value: Any) -> Any:
    return "" if value is None else value
