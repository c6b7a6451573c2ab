"""Reading a restoration case's records: its measures, follow-ups and linked cases."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session, col, or_, select

from ethicsflow.models.cases.tables import Case, CaseLink
from ethicsflow.models.deadlines.tables import Deadline, DeadlineStatus
from ethicsflow.models.lifecycle.context import LIVE
from ethicsflow.models.restoration.tables import FOLLOW_UPS, FollowUp, Measure, MeasureStatus

MEASURE_PREFIX = "measure:"


def measure_deadline_name(seq: int) -> str:
    return f"{MEASURE_PREFIX}{seq}"


def measures_of(session: Session, case: Case) -> list[Measure]:
    """The case's measures in the order proposed."""
    return list(
        session.exec(
            select(Measure).where(Measure.case_id == case.id).order_by(col(Measure.seq))
        ).all()
    )


def is_overdue(session: Session, measure: Measure, today: date) -> bool:
    """An open measure whose due date has passed (or whose deadline the sweep missed)."""
    if measure.status != MeasureStatus.open:
        return False
    if measure.due < today:
        return True
    deadline = session.get(Deadline, measure.deadline_id) if measure.deadline_id else None
    return deadline is not None and deadline.status == DeadlineStatus.missed


def pending_follow_ups(session: Session, case: Case) -> list[Deadline]:
    """Follow-up deadlines not yet checked (open, or missed by the sweep), earliest first."""
    done = set(
        session.exec(select(FollowUp.deadline_name).where(FollowUp.case_id == case.id)).all()
    )
    rows = session.exec(
        select(Deadline)
        .where(Deadline.case_id == case.id, col(Deadline.name).in_(FOLLOW_UPS))
        .where(col(Deadline.status).in_([*(s.value for s in LIVE), DeadlineStatus.missed]))
        .order_by(col(Deadline.due), col(Deadline.id))
    ).all()
    return [d for d in rows if d.name not in done]


def linked_cases(session: Session, case: Case) -> list[Case]:
    """Cases linked to ``case`` in either direction."""
    links = session.exec(
        select(CaseLink).where(or_(CaseLink.case_id == case.id, CaseLink.related_id == case.id))
    ).all()
    ids = {link.related_id if link.case_id == case.id else link.case_id for link in links}
    return [c for c in (session.get(Case, i) for i in sorted(ids)) if c is not None]


def restoration_view(session: Session, case: Case) -> dict[str, Any]:
    """Measures and follow-ups of a restoration case, JSON-ready (for `case show`)."""
    follow_ups = session.exec(
        select(FollowUp).where(FollowUp.case_id == case.id).order_by(col(FollowUp.id))
    ).all()
    return {
        "measures": [
            {
                "measure": m.seq,
                "what": m.what,
                "responsible": m.responsible_email,
                "due": m.due.isoformat(),
                "evidence_expected": m.evidence_expected,
                "status": m.status,
                "evidence": m.evidence,
                "evidence_document_id": m.evidence_document_id,
                "reason": m.reason,
                "closed_on": m.closed_on.isoformat() if m.closed_on else None,
            }
            for m in measures_of(session, case)
        ],
        "follow_ups": [
            {
                "deadline": f.deadline_name,
                "checked_on": f.checked_on.isoformat(),
                "retaliation": f.retaliation,
                "reason": f.reason,
                "new_case": _number(session, f.new_case_id),
                "by": f.by,
            }
            for f in follow_ups
        ],
    }


def _number(session: Session, case_id: int | None) -> str | None:
    case = session.get(Case, case_id) if case_id is not None else None
    return case.number if case else None
