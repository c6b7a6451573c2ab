"""The deadline sweep: auto-close, missed deadlines, reminders and daily digests.

One sweep looks at one moment ``now`` (``ethicsflow sweep --now`` replays any moment).
Its steps run in this order, each as one write transaction of its own (``sweep_step.py``):

1. :func:`close_expired_cases` — an ``answered`` case whose appeal window ended before
   today is closed by the ``system`` actor through the lifecycle's ``close`` (it meets
   the window, cancels live clocks and queues the ``closed`` notice to the filer). Only
   kinds whose lifecycle lets ``system`` close an answered case (complaints): a
   restoration case stays ``answered`` until its last retaliation follow-up.
2. :func:`mark_missed_deadlines` — an open deadline whose last day has passed becomes
   ``missed`` (audit event ``deadline_missed``); ``overdue`` goes to the assignee and
   ``escalation`` to every head of the body, once per deadline.
3. :func:`queue_reminders` — a ``reminder`` to the assignee N working days before each
   open deadline, N from the policy's ``reminders.days_before``. A sweep day that was
   skipped catches up with the nearest reminder only. A restoration measure's deadline
   (``measure:<n>``) reminds the person responsible instead (``measure_reminder``); when
   it is missed, step 2 tells them too (``measure_overdue``), besides the assignee and
   the heads.
4. :func:`queue_digests` (``digest.py``) — from 09:00 on a working day, one ``digest``
   per commissioner with open cases: their open cases, the deadlines due this week, the
   missed ones.

The sweep is set-based: each step starts from one range query on ``deadline (status,
due)`` (migration 0003) and loads what hangs on the rows it found by primary key, so its
cost grows with the number of due deadlines, not with the number of open cases. The
digest alone counts open cases per commissioner (one GROUP BY). Everything queued
carries a dedup key (``overdue:<deadline id>``, ``reminder:<deadline id>:<N>``,
``digest:<person id>:<day>``), so sweeping the same moment twice queues nothing new,
and a deadline that is no longer open is not selected again.

A domain error on one case (a close the lifecycle refuses, a template that cannot be
rendered) leaves that case out: it is reported in ``errors`` and the step goes on with
the other cases (savepoints in batches: ``sweep_batches.py``, which also loads what hangs
on the rows found).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from datetime import datetime
from itertools import groupby
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from ethicsflow.models.audit.chain import append_event
from ethicsflow.models.cases.tables import Case
from ethicsflow.models.db import refresh_statistics
from ethicsflow.models.deadlines.digest import queue_digests
from ethicsflow.models.deadlines.sweep_batches import (
    each,
    heads_of,
    in_chunks,
    load_cases,
    measure_owners,
)
from ethicsflow.models.deadlines.sweep_step import APPEAL_WINDOW, Moment, Step, in_transaction
from ethicsflow.models.deadlines.tables import Deadline, DeadlineStatus
from ethicsflow.models.lifecycle.base import SYSTEM
from ethicsflow.models.lifecycle.engine import apply_action
from ethicsflow.models.lifecycle.kinds import LIFECYCLES
from ethicsflow.models.notifications import outbox
from ethicsflow.models.notifications.tables import Notification
from ethicsflow.models.notifications.texts import format_date
from ethicsflow.models.people.tables import Person
from ethicsflow.models.policy import Policy
from ethicsflow.models.restoration.notices import measure_context
from ethicsflow.models.restoration.tables import Measure
from ethicsflow.models.types import utcnow

CLOSED_BY_SWEEP = sorted(
    kind
    for kind, lc in LIFECYCLES.items()
    if any(a.name == "close" and "answered" in a.source and SYSTEM in a.roles for a in lc.actions)
)
"""Case kinds whose ``answered`` cases the sweep closes after the appeal window (a
restoration case stays ``answered`` until its last retaliation follow-up)."""


# --- the operations (one transaction each) ----------------------------------------


def sweep(now: datetime | None = None, policy: Policy | None = None) -> dict[str, Any]:
    """Run every step for the moment ``now`` (default: now); returns the counts."""
    moment = Moment.of(now or utcnow(), policy)
    steps = [
        step(moment.now, moment.policy)
        for step in (close_expired_cases, mark_missed_deadlines, queue_reminders, queue_digests)
    ]
    refresh_statistics()  # the day's changes, for the lists' query plans (a few ms)
    return summary(moment.now, steps, moment.policy)


def close_expired_cases(now: datetime, policy: Policy | None = None) -> dict[str, Any]:
    """Close ``answered`` cases whose appeal window ended before ``now``'s day."""
    return in_transaction(_close_expired, now, policy)


def mark_missed_deadlines(now: datetime, policy: Policy | None = None) -> dict[str, Any]:
    """Mark past open deadlines missed; overdue to the assignee, escalation to the heads."""
    return in_transaction(_mark_missed, now, policy)


def queue_reminders(now: datetime, policy: Policy | None = None) -> dict[str, Any]:
    """Queue the reminders due at ``now`` (policy ``reminders.days_before``)."""
    return in_transaction(_queue_reminders, now, policy)


def summary(
    now: datetime, steps: Sequence[dict[str, Any]], policy: Policy | None = None
) -> dict[str, Any]:
    """One result for the whole sweep from the results of its steps."""
    moment = Moment.of(now, policy)
    by_name = {s["step"]: s for s in steps}
    queued: Counter[str] = Counter()
    for s in steps:
        queued.update(s["queued"])
    return {
        "now": moment.now.isoformat(),
        "today": moment.today.isoformat(),
        "closed": by_name.get("close-expired-cases", {}).get("changed", 0),
        "missed": by_name.get("mark-missed-deadlines", {}).get("changed", 0),
        "queued": {
            event: queued[event]
            for event in ("closed", "overdue", "escalation", "reminder", "digest")
        },
        "errors": [e for s in steps for e in s["errors"]],
    }


# --- the steps --------------------------------------------------------------------


def _close_expired(session: Session, m: Moment) -> Step:
    step = Step("close-expired-cases")
    windows = session.exec(
        select(Deadline.case_id)
        .where(Deadline.status == DeadlineStatus.open, col(Deadline.due) < m.today)
        .where(Deadline.name == APPEAL_WINDOW)
    ).all()
    # Numbers only (no Case objects): apply_action reads and locks each case afresh.
    numbers = in_chunks(
        session,
        lambda ids: (
            select(Case.number)
            .where(col(Case.id).in_(ids), Case.status == "answered")
            .where(col(Case.kind).in_(CLOSED_BY_SWEEP))
            .order_by(col(Case.id))
        ),
        windows,
    )

    def close(number: str) -> Counter[str]:
        apply_action(
            session,
            number=number,
            action="close",
            actor_email=SYSTEM,
            values={},
            at=m.now,
            policy=m.policy,
        )
        return Counter(changed=1)

    step.changed = each(session, numbers, close, step.fail)["changed"]
    failed = {e["number"] for e in step.errors}
    closed = [n for n in numbers if n not in failed]
    if closed:  # the notice is queued by the lifecycle (the close action's notice): count it
        step.queued["closed"] = sum(
            in_chunks(
                session,
                lambda part: (
                    select(func.count())
                    .select_from(Notification)
                    .join(Case, col(Case.id) == col(Notification.case_id))
                    .where(col(Case.number).in_(part), Notification.event == "closed")
                ),
                closed,
            )
        )
    return step


def _mark_missed(session: Session, m: Moment) -> Step:
    step = Step("mark-missed-deadlines")
    late = session.exec(
        select(Deadline.case_id)
        .where(Deadline.status == DeadlineStatus.open, col(Deadline.due) < m.today)
        .where(Deadline.name != APPEAL_WINDOW)
    ).all()
    if not late:
        return step
    # Lock the cases first (as apply_action does), then read their deadlines again:
    # an action that met one meanwhile has committed by now and is seen.
    loaded = load_cases(session, late, lock=True)
    deadlines = in_chunks(
        session,
        lambda ids: (
            select(Deadline)
            .where(col(Deadline.case_id).in_(ids), Deadline.status == DeadlineStatus.open)
            .where(col(Deadline.due) < m.today, Deadline.name != APPEAL_WINDOW)
        ),
        loaded.cases,
    )
    deadlines.sort(key=lambda d: (d.case_id, d.due, d.id or 0))
    heads = heads_of(session, loaded.orgs)
    owners = measure_owners(session, deadlines)
    per_case = [
        (loaded.cases[case_id], list(group))
        for case_id, group in groupby(deadlines, key=lambda d: d.case_id)
    ]

    def miss(item: tuple[Case, list[Deadline]]) -> Counter[str]:
        case, rows = item
        return _miss(
            session,
            m,
            case,
            rows,
            loaded.assignee(case),
            heads.get(case.organization_id, []),
            owners,
        )

    done = each(session, per_case, miss, lambda item, exc: step.fail(item[0].number, exc))
    step.changed = done.pop("changed", 0)
    step.queued.update(done)
    return step


def _miss(
    session: Session,
    m: Moment,
    case: Case,
    deadlines: list[Deadline],
    assignee: Person | None,
    heads: list[Person],
    owners: dict[int, tuple[Measure, Person]] | None = None,
) -> Counter[str]:
    """Mark the case's late deadlines missed, each with an audit event and its notices
    (a measure's also to the person responsible for it)."""
    done: Counter[str] = Counter(changed=len(deadlines))
    case.bump()
    for deadline in deadlines:
        deadline.status = DeadlineStatus.missed
        deadline.closed_on = m.today
        session.add(deadline)
        append_event(
            session,
            case,
            actor=SYSTEM,
            action="deadline_missed",
            from_status=case.status,
            to_status=case.status,
            payload={"deadline": deadline.name, "due": deadline.due.isoformat()},
            at=m.now,
        )
        if assignee is not None:
            done["overdue"] += outbox.queue(
                session,
                event="overdue",
                person=assignee,
                key=f"overdue:{deadline.id}",
                case=case,
                now=m.now,
                context=_deadline_context(session, case, assignee, deadline),
            )
        owner = (owners or {}).get(deadline.id or 0)
        if owner is not None:
            measure, person = owner
            done["measure_overdue"] += outbox.queue(
                session,
                event="measure_overdue",
                person=person,
                key=f"measure_overdue:{deadline.id}",
                case=case,
                now=m.now,
                context=measure_context(session, case, person, measure),
            )
        for head in heads:
            done["escalation"] += outbox.queue(
                session,
                event="escalation",
                person=head,
                key=f"escalation:{deadline.id}",
                case=case,
                now=m.now,
                context=_deadline_context(
                    session, case, head, deadline, assignee_name=assignee.name if assignee else "—"
                ),
            )
    session.add(case)
    return done


def _queue_reminders(session: Session, m: Moment) -> Step:
    step = Step("queue-reminders")
    days = sorted(set(m.policy.reminders.days_before))
    if not days:
        return step
    reach = {n: m.cal.add_working_days(m.today, n) for n in days}
    deadlines = session.exec(
        select(Deadline)
        .where(Deadline.status == DeadlineStatus.open)
        .where(col(Deadline.due) > m.today, col(Deadline.due) <= reach[days[-1]])
        .where(Deadline.name != APPEAL_WINDOW)
        .order_by(col(Deadline.due), col(Deadline.id))
    ).all()
    loaded = load_cases(session, [d.case_id for d in deadlines])
    owners = measure_owners(session, deadlines)

    def remind(deadline: Deadline) -> Counter[str]:
        case = loaded.cases[deadline.case_id]
        # The nearest reminder whose day has come: a skipped sweep day catches up once.
        n = next(n for n in days if deadline.due <= reach[n])
        left = m.cal.working_days_between(m.today, deadline.due)
        owner = owners.get(deadline.id or 0)
        if owner is not None:  # a measure: the person responsible is reminded
            measure, person = owner
            return Counter(
                measure_reminder=outbox.queue(
                    session,
                    event="measure_reminder",
                    person=person,
                    key=f"measure_reminder:{deadline.id}:{n}",
                    case=case,
                    now=m.now,
                    context=measure_context(session, case, person, measure, days_left=left),
                )
            )
        assignee = loaded.assignee(case)
        if assignee is None:
            return Counter()
        queued = outbox.queue(
            session,
            event="reminder",
            person=assignee,
            key=f"reminder:{deadline.id}:{n}",
            case=case,
            now=m.now,
            context=_deadline_context(session, case, assignee, deadline, days_left=left),
        )
        return Counter(reminder=queued)

    step.queued.update(
        each(
            session,
            deadlines,
            remind,
            lambda d, exc: step.fail(loaded.cases[d.case_id].number, exc),
        )
    )
    return step


# --- helpers ----------------------------------------------------------------------


def _deadline_context(
    session: Session, case: Case, person: Person, deadline: Deadline, **extra: Any
) -> Callable[[str], dict[str, Any]]:
    """Context of ``reminder``, ``overdue`` and ``escalation`` in the recipient's language."""

    def context(lang: str) -> dict[str, Any]:
        return {
            **outbox.common(session, case, person, lang),
            "deadline_label": outbox.deadline_label(deadline.name, lang),
            "due": format_date(deadline.due, lang),
            "basis": deadline.basis,
            **extra,
        }

    return context
