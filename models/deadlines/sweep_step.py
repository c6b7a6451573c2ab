"""One step of the deadline sweep: the moment it looks at, what it did, its transaction.

Every step (``sweep.py``, ``digest.py``) is a function of a session and a :class:`Moment`
that returns a :class:`Step`; :func:`in_transaction` runs it as one write transaction of
its own and returns the step's counts, JSON-ready.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from ethicsflow.models.db import require_schema, session_scope
from ethicsflow.models.deadlines.calendar import WorkCalendar, calendar_for
from ethicsflow.models.deadlines.rules import local_date
from ethicsflow.models.errors import EthicsflowError, InvalidInput, option
from ethicsflow.models.lifecycle.kinds import CLOSED_STATES, LIFECYCLES
from ethicsflow.models.policy import Policy, load_policy

APPEAL_WINDOW = "appeal_window"
"""The filer's deadline: it ends in ``close``, not in a reminder or an escalation."""

OPEN_STATES = sorted({s for lc in LIFECYCLES.values() for s in lc.states} - CLOSED_STATES)
"""Statuses of a case still being worked on (an ``IN`` list can use the status index)."""


@dataclass(frozen=True)
class Moment:
    """The moment swept: ``now``, its local day and the calendar it is counted in."""

    now: datetime
    today: date
    policy: Policy
    cal: WorkCalendar

    @classmethod
    def of(cls, now: datetime, policy: Policy | None = None) -> Moment:
        if now.utcoffset() is None:
            raise InvalidInput("sweep.now_no_offset", option("now"))
        policy = policy or load_policy()
        return cls(now, local_date(now, policy.zone), policy, calendar_for(policy))


@dataclass
class Step:
    """What one step did: rows changed, notifications queued per event, failed cases."""

    name: str
    changed: int = 0
    queued: Counter[str] = field(default_factory=Counter)
    errors: list[dict[str, str]] = field(default_factory=list)

    def fail(self, what: str, exc: EthicsflowError) -> None:
        """Report a case number (or, for a digest, a person) left out by a domain error."""
        self.errors.append({"step": self.name, "number": what, "error": exc.message})

    def as_dict(self) -> dict[str, Any]:
        return {
            "step": self.name,
            "changed": self.changed,
            "queued": dict(self.queued),
            "errors": self.errors,
        }


def in_transaction(
    step: Callable[[Session, Moment], Step], now: datetime, policy: Policy | None
) -> dict[str, Any]:
    moment = Moment.of(now, policy)
    require_schema()
    with session_scope(write=True) as session:
        return step(session, moment).as_dict()
