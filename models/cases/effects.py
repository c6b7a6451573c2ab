"""Effects of the complaint actions whose rules go beyond starting and stopping deadlines.

Each effect gets the action's :class:`Context` (typed by its payload), may refuse with a
domain error (nothing is written then: the caller's transaction rolls back) and records
what it did in ``ctx.changes`` / ``ctx.notes`` for the audit event. What the actions tell
people is in ``notices.py``; the Board's steps are in ``models/boards/``, the
restoration actions in ``models/restoration/``.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import col, select

from ethicsflow.models.cases.access import party_person
from ethicsflow.models.cases.assignment import conflicts
from ethicsflow.models.cases.tables import Case, Party, PartyRole, Suspension
from ethicsflow.models.deadlines.rules import (
    extension_limit,
    limitation_due,
    remaining_working_days,
)
from ethicsflow.models.deadlines.tables import Deadline, DeadlineStatus
from ethicsflow.models.errors import FieldRef, InvalidInput, NotFound
from ethicsflow.models.errors import payload as payload_field
from ethicsflow.models.lifecycle import payloads as p
from ethicsflow.models.lifecycle.context import Context
from ethicsflow.models.people.tables import Person

CONFLICTS = {
    "is the complainant": "case.commissioner_is_complainant",
    "is the respondent": "case.commissioner_is_respondent",
    "is the respondent's line manager": "case.commissioner_manages_respondent",
    "reports to the respondent": "case.commissioner_reports_to_respondent",
}
"""The error code of each reason :func:`conflicts` gives."""


def person_by_email(ctx: Context[p.Payload], email: str, field: FieldRef) -> Person:
    person = ctx.session.exec(select(Person).where(Person.email == email.strip().lower())).first()
    if person is None:
        raise NotFound("person.not_found", field, email=email)
    return person


def assign(ctx: Context[p.Assign]) -> None:
    payload = ctx.payload
    person = person_by_email(ctx, payload.commissioner, payload_field("commissioner"))
    if not person.has_role("commissioner") or person.organization_id != ctx.case.organization_id:
        raise InvalidInput(
            "case.not_org_commissioner", payload_field("commissioner"), email=person.email
        )
    why = conflicts(
        person,
        party_person(ctx.session, ctx.case, PartyRole.complainant),
        party_person(ctx.session, ctx.case, PartyRole.respondent),
    )
    if why:
        field = payload_field("commissioner")
        if why in CONFLICTS:
            raise InvalidInput(CONFLICTS[why], field, email=person.email)
        raise InvalidInput("case.commissioner_conflict", field, email=person.email, why=why)
    ctx.case.assignee_id = person.id
    ctx.case.assignment_note = payload.reason or f"assigned by {ctx.actor_label}"
    ctx.notes["assignee"] = person.email


def _limitation(ctx: Context[p.Payload], suspended_days: int) -> None:
    case = ctx.case
    due = limitation_due(
        detected_on=ctx.receipt(),
        committed_on=case.committed_on,
        category=case.offence_category,
        policy=ctx.policy,
        suspended_days=suspended_days,
    )
    ctx.start(due)


def accept(ctx: Context[p.AcceptComplaint]) -> None:
    payload = ctx.payload
    if payload.committed_on is not None:
        if payload.committed_on > ctx.receipt():  # as at filing (intake.file_case)
            raise InvalidInput("case.conduct_after_receipt", payload_field("committed_on"))
        ctx.case.committed_on = payload.committed_on
    if payload.offence_category is not None:
        ctx.case.offence_category = payload.offence_category
    _limitation(ctx, suspended_days=0)


def dismiss(ctx: Context[p.Dismiss]) -> None:
    payload = ctx.payload
    if payload.ground == p.DismissGround.anonymous and not ctx.case.anonymous:
        raise InvalidInput("case.ground_anonymous_only", payload_field("ground"))
    if payload.ground == p.DismissGround.duplicate:
        if not payload.duplicate_of:
            raise InvalidInput("case.duplicate_of_required", payload_field("duplicate_of"))
        other = ctx.session.exec(select(Case).where(Case.number == payload.duplicate_of)).first()
        if other is None or other.id == ctx.case.id:
            raise InvalidInput(
                "case.duplicate_of_unknown",
                payload_field("duplicate_of"),
                number=payload.duplicate_of,
            )


def return_appeal(ctx: Context[p.Payload]) -> None:
    for deadline in ctx.live("correction"):
        if deadline.due >= ctx.today:
            raise InvalidInput("case.correction_running", action="return", due=deadline.due)
        ctx.close(deadline, DeadlineStatus.missed)


def request_explanation(ctx: Context[p.RequestExplanation]) -> None:
    payload = ctx.payload
    respondent = ctx.session.exec(
        select(Party).where(Party.case_id == ctx.case.id, Party.role == PartyRole.respondent)
    ).first()
    if payload.respondent:
        email = payload.respondent.strip().lower()
        if respondent is None or (respondent.email or "") != email:
            person = ctx.session.exec(select(Person).where(Person.email == email)).first()
            ctx.session.add(
                Party(
                    case_id=ctx.case.id or 0,
                    role=PartyRole.respondent,
                    person_id=person.id if person else None,
                    email=email,
                    name=person.name if person else None,
                )
            )
            ctx.notes["respondent_added"] = email
    elif respondent is None:
        raise InvalidInput("case.no_respondent", payload_field("respondent"))


def suspend(ctx: Context[p.Suspend]) -> None:
    payload = ctx.payload
    grounds = ctx.policy.suspension_grounds
    if payload.ground not in grounds:
        raise InvalidInput(
            "case.suspension_ground_unknown", payload_field("ground"), grounds=sorted(grounds)
        )
    start = payload.start or ctx.today
    if start > ctx.today:
        raise InvalidInput("case.suspension_start_future", payload_field("start"))
    stops: list[str] = [str(s) for s in grounds[payload.ground].stops]
    for deadline in ctx.live():
        if deadline.name in stops and deadline.status == DeadlineStatus.open:
            # An extended answer (unit "date") is a working-day clock as well: its
            # remaining working days carry over like those of a counted period.
            left = (
                remaining_working_days(start, deadline.due, ctx.cal)
                if deadline.unit in ("working_days", "date")
                else None
            )
            ctx.move(deadline, deadline.due, DeadlineStatus.suspended, remaining=left)
    ctx.session.add(
        Suspension(
            case_id=ctx.case.id or 0,
            ground=payload.ground,
            start=start,
            reason=payload.reason,
            stops=stops,
        )
    )
    ctx.notes["stops"] = stops


def _suspended_days(ctx: Context[p.Payload], clock: str, until: date) -> int:
    total = 0
    for row in ctx.session.exec(select(Suspension).where(Suspension.case_id == ctx.case.id)):
        if clock in row.stops:
            total += max(0, ((row.end or until) - row.start).days)
    return total


def resume(ctx: Context[p.Payload]) -> None:
    for row in ctx.session.exec(
        select(Suspension).where(Suspension.case_id == ctx.case.id, col(Suspension.end).is_(None))
    ):
        row.end = ctx.today
        ctx.session.add(row)
    for deadline in ctx.live():
        if deadline.status != DeadlineStatus.suspended:
            continue
        if deadline.name == "limitation":
            base = limitation_due(
                detected_on=ctx.receipt(),
                committed_on=ctx.case.committed_on,
                category=ctx.case.offence_category,
                policy=ctx.policy,
                suspended_days=_suspended_days(ctx, "limitation", ctx.today),
            )
            ctx.move(deadline, base.due, DeadlineStatus.open, remaining=None)
        elif deadline.remaining is not None:
            due = ctx.cal.add_working_days(ctx.today, max(deadline.remaining, 1))
            ctx.move(
                deadline,
                due,
                DeadlineStatus.open,
                anchor=ctx.today,
                amount=deadline.remaining,
                unit="working_days",
                remaining=None,
            )
        else:
            ctx.move(deadline, deadline.due, DeadlineStatus.open, remaining=None)


def _first_answer(ctx: Context[p.Payload]) -> Deadline | None:
    return ctx.session.exec(
        select(Deadline)
        .where(Deadline.case_id == ctx.case.id, Deadline.name == "answer")
        .order_by(col(Deadline.id))
    ).first()


def extend(ctx: Context[p.Extend]) -> None:
    payload = ctx.payload
    current = [d for d in ctx.live("answer")]
    if not current:
        raise InvalidInput("case.no_open_answer", action="extend")
    answer = current[-1]
    if answer.status == DeadlineStatus.suspended:
        raise InvalidInput("case.answer_suspended", action="extend")
    first = _first_answer(ctx) or answer
    receipt = ctx.receipt()
    limit = extension_limit(receipt, first.due, ctx.policy, ctx.cal)
    until = payload.until or limit
    rule = ctx.policy.extension
    if until > limit:
        raise InvalidInput(
            "case.extension_past_limit",
            payload_field("until"),
            limit=limit,
            months=rule.max_months,
            basis=rule.basis,
        )
    if until <= answer.due:
        raise InvalidInput("case.extension_not_later", payload_field("until"), due=answer.due)
    if not ctx.cal.is_working_day(until):
        raise InvalidInput("case.until_not_working_day", payload_field("until"), until=until)
    ctx.close(answer, DeadlineStatus.extended)
    ctx.session.add(
        Deadline(
            case_id=ctx.case.id or 0,
            name="answer",
            due=until,
            rule="extension",
            basis=rule.basis,
            policy_version=ctx.policy.version,
            anchor=ctx.today,
            amount=0,
            unit="date",
        )
    )
    ctx.changes.append({"deadline": "answer", "due": until.isoformat(), "status": "open"})
    ctx.notes["limit"] = limit.isoformat()


def _window(ctx: Context[p.Payload]) -> Deadline | None:
    rows = ctx.live("appeal_window")
    return rows[-1] if rows else None


def appeal(ctx: Context[p.Payload]) -> None:
    window = _window(ctx)
    if window is not None and ctx.today > window.due:
        raise InvalidInput("case.appeal_window_closed", action="appeal", due=window.due)


def close(ctx: Context[p.Payload]) -> None:
    window = _window(ctx)
    if window is not None and ctx.today <= window.due:
        raise InvalidInput("case.appeal_window_open", action="close", due=window.due)
