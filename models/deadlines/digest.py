"""The daily digest: one message per commissioner with open cases, on working days.

From :data:`DIGEST_AT` local time on a working day of the calendar, each commissioner
with open cases (and a notification URL) gets one ``digest``: how many cases are open,
the deadlines due this week and the missed ones. It is the sweep's last step and the
``send-digest`` flow's only one; its dedup key (``digest:<person id>:<day>``) queues it
once a day however often it runs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, col, select

from ethicsflow.models.cases.tables import Case
from ethicsflow.models.deadlines.sweep_batches import each, load_cases, people_by_id
from ethicsflow.models.deadlines.sweep_step import (
    APPEAL_WINDOW,
    OPEN_STATES,
    Moment,
    Step,
    in_transaction,
)
from ethicsflow.models.deadlines.tables import Deadline, DeadlineStatus
from ethicsflow.models.lifecycle.kinds import CLOSED_STATES
from ethicsflow.models.notifications import outbox
from ethicsflow.models.notifications.texts import format_date
from ethicsflow.models.people.tables import Person
from ethicsflow.models.policy import Policy

DIGEST_AT = time(9, 0)
"""Local time from which the day's digest goes out (on working days only)."""


def queue_digests(now: datetime, policy: Policy | None = None) -> dict[str, Any]:
    """Queue the day's digest to each commissioner (from 09:00 on working days)."""
    return in_transaction(_queue_digests, now, policy)


def _queue_digests(session: Session, m: Moment) -> Step:
    step = Step("queue-digests")
    local = m.now.astimezone(ZoneInfo(m.policy.zone))
    if local.time() < DIGEST_AT or not m.cal.is_working_day(m.today):
        return step
    # From the index on case (status, assignee_id) alone: O(open cases), no table rows.
    open_count = {
        int(pid): int(n)
        for pid, n in session.exec(
            select(Case.assignee_id, func.count())
            .where(col(Case.status).in_(OPEN_STATES), col(Case.assignee_id).is_not(None))
            .group_by(col(Case.assignee_id))
        ).all()
        if pid is not None
    }
    people = {pid: p for pid, p in people_by_id(session, open_count).items() if p.notify_urls}
    if not people:
        return step
    week_end = m.today + timedelta(days=6 - m.today.weekday())
    this_week = session.exec(
        select(Deadline)
        .where(Deadline.status == DeadlineStatus.open)
        .where(col(Deadline.due) >= m.today, col(Deadline.due) <= week_end)
        .where(Deadline.name != APPEAL_WINDOW)
    ).all()
    # Missed deadlines stay missed after their case closes: join to keep open cases only.
    missed = session.exec(
        select(Deadline, Case)
        .join(Case, col(Case.id) == col(Deadline.case_id))
        .where(Deadline.status == DeadlineStatus.missed, col(Case.status).in_(OPEN_STATES))
    ).all()
    cases = load_cases(session, [d.case_id for d in this_week]).cases
    due_by = _by_assignee([(d, cases[d.case_id]) for d in this_week], people)
    missed_by = _by_assignee(missed, people)

    def digest(pid: int) -> Counter[str]:
        person = people[pid]

        def context(lang: str) -> dict[str, Any]:
            return {
                "recipient_name": person.name,
                "date": format_date(m.today, lang),
                "open_count": open_count[pid],
                "due_this_week": _items(due_by.get(pid, []), lang),
                "overdue": _items(missed_by.get(pid, []), lang),
            }

        queued = outbox.queue(
            session,
            event="digest",
            person=person,
            key=f"digest:{pid}:{m.today.isoformat()}",
            now=m.now,
            context=context,
        )
        return Counter(digest=queued)

    step.queued.update(
        each(session, sorted(people), digest, lambda pid, exc: step.fail(people[pid].email, exc))
    )
    return step


def _items(rows: list[tuple[Deadline, Case]], lang: str) -> list[dict[str, str]]:
    return [
        {
            "number": case.number,
            "deadline_label": outbox.deadline_label(d.name, lang),
            "due": format_date(d.due, lang),
        }
        for d, case in rows
    ]


def _by_assignee(
    rows: Iterable[tuple[Deadline, Case]], people: dict[int, Person]
) -> dict[int, list[tuple[Deadline, Case]]]:
    """Deadlines of the open cases of each of ``people``, by due date."""
    out: dict[int, list[tuple[Deadline, Case]]] = {}
    for d, case in sorted(rows, key=lambda row: (row[0].due, row[1].number, row[0].id or 0)):
        if case.assignee_id in people and case.status not in CLOSED_STATES:
            out.setdefault(case.assignee_id, []).append((d, case))
    return out
