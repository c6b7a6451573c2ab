"""What the restoration actions tell people, and the measure notices of the sweep.

``propose_measures`` tells each person responsible which measures are theirs;
``complete_measure`` and ``confirm_restored`` tell the servant; ``escalate`` tells the
heads of the body (and the Board's secretary or the Agency's people of the region) which
measures failed. The sweep's reminders and overdue notices of a measure use
:func:`measure_context`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from ethicsflow.models.boards.tables import Board
from ethicsflow.models.cases.notices import action_key, to_filer
from ethicsflow.models.cases.tables import Case
from ethicsflow.models.lifecycle import payloads as p
from ethicsflow.models.lifecycle.context import Context
from ethicsflow.models.notifications.outbox import common, queue
from ethicsflow.models.notifications.texts import (
    ESCALATED_TO_LABELS,
    MEASURE_STATE_LABELS,
    format_date,
    label,
)
from ethicsflow.models.people.tables import Organization, Person
from ethicsflow.models.restoration.records import is_overdue
from ethicsflow.models.restoration.tables import Measure

# --- the notices of the actions ---------------------------------------------------------------


def measures_assigned(ctx: Context[p.ProposeMeasures]) -> None:
    notify_measures_assigned(
        ctx.session, ctx.case, len(ctx.payload.measures), action_key(ctx), ctx.at
    )


def measure_completed(ctx: Context[p.CompleteMeasure]) -> None:
    done = ctx.session.exec(
        select(Measure).where(Measure.case_id == ctx.case.id, Measure.seq == ctx.payload.measure)
    ).first()
    if done is None:
        return
    today = ctx.today
    to_filer(
        ctx,
        "measure_completed",
        lambda lang: {
            "measure_what": done.what,
            "completed_on": format_date(done.closed_on or today, lang),
            "evidence": done.evidence or "",
        },
    )


def restored(ctx: Context[p.ConfirmRestored]) -> None:
    checks = sorted((d for d in ctx.live() if d.name.startswith("follow_up_")), key=lambda d: d.due)
    today = ctx.today
    to_filer(
        ctx,
        "restored",
        lambda lang: {
            "restored_on": format_date(today, lang),
            "follow_ups": [format_date(d.due, lang) for d in checks],
        },
    )


def escalated(ctx: Context[p.Escalate]) -> None:
    notify_escalation(
        ctx.session,
        ctx.case,
        str(ctx.payload.to),
        ctx.payload.note(),
        ctx.today,
        action_key(ctx),
        ctx.at,
    )


# --- the messages -------------------------------------------------------------------------


def _commissioner_name(session: Session, case: Case) -> str:
    person = session.get(Person, case.assignee_id) if case.assignee_id else None
    return person.name if person else "—"


def notify_measures_assigned(
    session: Session, case: Case, count: int, key: str, now: datetime
) -> None:
    """Tell each person responsible for one of the ``count`` measures just proposed which
    ones are theirs (one message per person)."""
    if count < 1:
        return
    added = session.exec(
        select(Measure).where(Measure.case_id == case.id).order_by(col(Measure.seq).desc())
    ).all()[:count]
    by_person: dict[int, list[Measure]] = {}
    for measure in sorted(added, key=lambda m: m.seq):
        if measure.responsible_id is not None:
            by_person.setdefault(measure.responsible_id, []).append(measure)
    commissioner = _commissioner_name(session, case)
    for person_id, measures in by_person.items():
        person = session.get(Person, person_id)
        if person is None:
            continue

        def ctx(
            lang: str, person: Person = person, rows: list[Measure] = measures
        ) -> dict[str, Any]:
            return {
                **common(session, case, person, lang),
                "measures": [
                    {
                        "seq": m.seq,
                        "what": m.what,
                        "due": format_date(m.due, lang),
                        "evidence": m.evidence_expected,
                    }
                    for m in rows
                ],
                "commissioner_name": commissioner,
            }

        queue(
            session,
            event="measure_assigned",
            person=person,
            key=f"{key}:measure_assigned",
            context=ctx,
            case=case,
            now=now,
        )


def measure_context(
    session: Session, case: Case, person: Person, measure: Measure, **extra: Any
) -> Callable[[str], dict[str, Any]]:
    """Context of ``measure_reminder`` and ``measure_overdue``."""
    commissioner = _commissioner_name(session, case)

    def ctx(lang: str) -> dict[str, Any]:
        return {
            **common(session, case, person, lang),
            "measure_what": measure.what,
            "due": format_date(measure.due, lang),
            "evidence_expected": measure.evidence_expected,
            "commissioner_name": commissioner,
            **extra,
        }

    return ctx


def escalation_recipients(session: Session, case: Case, to: str) -> list[Person]:
    """The heads of the case's body; with ``to=board`` the secretary of the region's Ethics
    Board, with ``to=agency`` the people of the Agency (role ``agency``) of the region."""
    org = session.get(Organization, case.organization_id)
    people = [
        person
        for person in session.exec(
            select(Person).where(Person.organization_id == case.organization_id)
        ).all()
        if person.has_role("head")
    ]
    region = org.region if org else None
    if region and to == "board":
        board = session.exec(select(Board).where(Board.region == region)).first()
        secretary = session.get(Person, board.secretary_id) if board else None
        if secretary is not None:
            people.append(secretary)
    elif region and to == "agency":
        agency = session.exec(
            select(Person)
            .join(Organization, col(Organization.id) == col(Person.organization_id))
            .where(Organization.region == region)
        ).all()
        people += [person for person in agency if person.has_role("agency")]
    unique: dict[int, Person] = {}
    for person in people:
        if person.id is not None:
            unique.setdefault(person.id, person)
    return list(unique.values())


def notify_escalation(
    session: Session, case: Case, to: str, reason: str, today: date, key: str, now: datetime
) -> None:
    failed = [
        (m, "rejected" if m.status == "rejected" else "overdue")
        for m in session.exec(
            select(Measure).where(Measure.case_id == case.id).order_by(col(Measure.seq))
        ).all()
        if m.status == "rejected" or is_overdue(session, m, today)
    ]
    commissioner = _commissioner_name(session, case)
    for person in escalation_recipients(session, case, to):

        def ctx(lang: str, person: Person = person) -> dict[str, Any]:
            return {
                **common(session, case, person, lang),
                "escalated_to": label(ESCALATED_TO_LABELS, to, lang),
                "failed_measures": [
                    {
                        "seq": m.seq,
                        "what": m.what,
                        "responsible": m.responsible_email,
                        "due": format_date(m.due, lang),
                        "state": label(MEASURE_STATE_LABELS, state, lang),
                    }
                    for m, state in failed
                ],
                "reason": reason,
                "commissioner_name": commissioner,
            }

        queue(
            session,
            event="restoration_escalated",
            person=person,
            key=f"{key}:restoration_escalated",
            context=ctx,
            case=case,
            now=now,
        )
