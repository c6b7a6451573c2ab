"""Recomputing open deadlines after the calendar changed (DESIGN §4).

The government moves days off by a yearly decree that the ``holidays`` package
learns only later, so the policy file carries calendar overrides. When an
administrator changes them, every open deadline whose date comes from the
calendar is counted again from its recorded anchor and amount (the rule as it
was when the deadline started: a changed *period* is not applied backwards),
and each case whose date moved gets an audit event saying from what to what.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from ethicsflow.models.audit.chain import append_event
from ethicsflow.models.cases.tables import Case
from ethicsflow.models.deadlines.calendar import calendar_for
from ethicsflow.models.deadlines.rules import rule_due
from ethicsflow.models.deadlines.tables import Deadline, DeadlineStatus
from ethicsflow.models.policy import Policy
from ethicsflow.models.types import utcnow


@dataclass
class Recomputed:
    checked: int = 0
    moved: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"checked": self.checked, "moved": self.moved, "cases": len(self.moved)}


def recompute_open_deadlines(
    session: Session, policy: Policy, at: datetime | None = None
) -> Recomputed:
    """Count open calendar-based deadlines again; audit each case that changed."""
    cal = calendar_for(policy)
    at = at or utcnow()
    result = Recomputed()
    rows = session.exec(
        select(Deadline)
        .where(Deadline.status == DeadlineStatus.open)
        .where(col(Deadline.rule).startswith("rules."))
        .order_by(col(Deadline.case_id), col(Deadline.id))
    ).all()
    by_case: dict[int, list[dict[str, Any]]] = {}
    for deadline in rows:
        result.checked += 1
        name = deadline.rule.removeprefix("rules.")
        if name not in policy.rules:
            continue
        due = rule_due(name, deadline.anchor, policy, cal, amount=deadline.amount).due
        if due != deadline.due:
            by_case.setdefault(deadline.case_id, []).append(
                {"deadline": deadline.name, "from": deadline.due.isoformat(), "to": due.isoformat()}
            )
            deadline.due = due
            session.add(deadline)
    for case_id, changes in by_case.items():
        case = session.get(Case, case_id)
        if case is None:
            continue
        case.bump()
        append_event(
            session,
            case,
            actor="system",
            action="recompute_deadlines",
            from_status=case.status,
            to_status=case.status,
            at=at,
            payload={"policy_version": policy.version, "deadlines": changes},
        )
        session.add(case)
        result.moved.append({"number": case.number, "deadlines": changes})
    session.flush()
    return result
