"""What an action sees while it runs, and the deadline bookkeeping it does.

A :class:`Context` is typed by the action's payload: an effect or a notice of an
action whose payload is ``Decide`` takes a ``Context[Decide]`` and reads
``ctx.payload.outcome`` without checks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from sqlmodel import Session, col, select

from ethicsflow.models.cases.filing import FileCase
from ethicsflow.models.cases.tables import Case
from ethicsflow.models.deadlines.calendar import WorkCalendar
from ethicsflow.models.deadlines.rules import Due, local_date
from ethicsflow.models.deadlines.tables import Deadline, DeadlineStatus
from ethicsflow.models.lifecycle.payloads import Payload
from ethicsflow.models.people.tables import Person
from ethicsflow.models.policy import Policy

LIVE = (DeadlineStatus.open, DeadlineStatus.suspended)

P_co = TypeVar("P_co", bound=Payload, covariant=True)


@dataclass(frozen=True)
class Context(Generic[P_co]):
    session: Session
    case: Case
    actor: Person | None
    actor_label: str
    action: str  # the action's name
    payload: P_co
    at: datetime
    today: date
    policy: Policy
    cal: WorkCalendar
    open_case: Callable[[FileCase], str]
    """Register a new case in this transaction (a follow-up's retaliation case); returns
    its number. Given by the engine, which owns intake."""
    changes: list[dict[str, Any]] = field(default_factory=list)
    notes: dict[str, Any] = field(default_factory=dict)

    def receipt(self) -> date:
        """The local day the appeal was received (clocks count from it)."""
        return local_date(self.case.received_at, self.policy.zone)

    def live(self, name: str | None = None) -> list[Deadline]:
        """The case's open or suspended deadlines (optionally of one name)."""
        return live_deadlines(self.session, self.case, name)

    def start(self, due: Due) -> Deadline:
        deadline = Deadline(
            case_id=self.case.id or 0,
            name=due.name,
            due=due.due,
            rule=due.rule,
            basis=due.basis,
            policy_version=due.policy_version,
            anchor=due.anchor,
            amount=due.amount,
            unit=due.unit,
        )
        self.session.add(deadline)
        self.changes.append({"deadline": due.name, "due": due.due.isoformat(), "status": "open"})
        return deadline

    def close(self, deadline: Deadline, status: DeadlineStatus) -> None:
        deadline.status = status
        deadline.closed_on = self.today
        self.session.add(deadline)
        self.changes.append(
            {"deadline": deadline.name, "due": deadline.due.isoformat(), "status": str(status)}
        )

    def move(self, deadline: Deadline, due: date, status: DeadlineStatus, **fields: Any) -> None:
        deadline.due = due
        deadline.status = status
        for key, value in fields.items():
            setattr(deadline, key, value)
        self.session.add(deadline)
        self.changes.append(
            {"deadline": deadline.name, "due": due.isoformat(), "status": str(status)}
        )


def live_deadlines(session: Session, case: Case, name: str | None = None) -> list[Deadline]:
    query = (
        select(Deadline)
        .where(Deadline.case_id == case.id)
        .where(col(Deadline.status).in_([s.value for s in LIVE]))
        .order_by(col(Deadline.id))
    )
    if name is not None:
        query = query.where(Deadline.name == name)
    return list(session.exec(query).all())
