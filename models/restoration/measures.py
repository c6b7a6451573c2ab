"""Effects of the restoration actions: category, links, measures, the ends, follow-ups.

Each effect refuses with a domain error naming the field and the rule (the engine's
transaction then writes nothing), or writes the rows of ``restoration/tables.py`` and
records what it did in ``ctx.notes``. A measure's deadline is a ``Deadline`` row named
``measure:<n>`` (rule ``measure``, basis from ``restoration.measures`` of the policy), so
the sweep reminds the person responsible and reports it overdue. What the actions tell
people is in ``notices.py``, from the rows written here.
"""

from __future__ import annotations

import json
from datetime import date

from sqlmodel import col, select

from ethicsflow.models.audit.tables import Event
from ethicsflow.models.boards.hearing import schedule_hearing
from ethicsflow.models.boards.roster import board_of_case
from ethicsflow.models.cases.access import party_person
from ethicsflow.models.cases.filing import FileCase
from ethicsflow.models.cases.tables import Case, CaseLink, PartyRole
from ethicsflow.models.deadlines.rules import Due
from ethicsflow.models.deadlines.tables import Deadline, DeadlineStatus
from ethicsflow.models.errors import Conflict, InvalidInput, NotFound, operation, option
from ethicsflow.models.errors import payload as payload_field
from ethicsflow.models.lifecycle import payloads as p
from ethicsflow.models.lifecycle.context import LIVE, Context
from ethicsflow.models.people.tables import Organization, Person
from ethicsflow.models.restoration.evidence import store_evidence
from ethicsflow.models.restoration.records import (
    is_overdue,
    linked_cases,
    measure_deadline_name,
    measures_of,
    pending_follow_ups,
)
from ethicsflow.models.restoration.tables import FollowUp, Measure, MeasureStatus

MEASURE_RULE = "measure"
"""``Deadline.rule`` of a measure's deadline (not a rule of ``policy.rules``)."""


def _measure(ctx: Context[p.Payload], seq: int) -> Measure:
    measures = measures_of(ctx.session, ctx.case)
    found = next((m for m in measures if m.seq == seq), None)
    number = ctx.case.number
    if found is None and not measures:
        raise InvalidInput(
            "measure.none_proposed", payload_field("measure"), number=number, seq=seq
        )
    if found is None:
        known = [m.seq for m in measures]
        raise InvalidInput(
            "measure.unknown", payload_field("measure"), number=number, seq=seq, known=known
        )
    if found.status != MeasureStatus.open:
        status = str(found.status)
        if found.closed_on:
            raise InvalidInput(
                "measure.already_closed_on",
                payload_field("measure"),
                seq=seq,
                status=status,
                day=found.closed_on,
            )
        raise InvalidInput(
            "measure.already_closed", payload_field("measure"), seq=seq, status=status
        )
    return found


def _close_measure(ctx: Context[p.Payload], measure: Measure, status: MeasureStatus) -> bool:
    """Set the measure's status; meet or cancel its deadline. True when it is late."""
    measure.status = status
    measure.closed_on = ctx.today
    ctx.session.add(measure)
    deadline = ctx.session.get(Deadline, measure.deadline_id) if measure.deadline_id else None
    late = ctx.today > measure.due
    if deadline is not None and deadline.status in LIVE:
        done = status == MeasureStatus.completed
        ctx.close(deadline, DeadlineStatus.met if done else DeadlineStatus.cancelled)
    return late


def _cancel_open_measures(ctx: Context[p.Payload], why: str) -> None:
    cancelled = []
    for measure in measures_of(ctx.session, ctx.case):
        if measure.status == MeasureStatus.open:
            measure.reason = why
            _close_measure(ctx, measure, MeasureStatus.cancelled)
            cancelled.append(measure.seq)
    if cancelled:
        ctx.notes["measures_cancelled"] = cancelled


def _not_a_working_day(ctx: Context[p.Payload], day: date, where: str) -> InvalidInput:
    name = ctx.cal.holiday_name(day, "en")
    if name:
        return InvalidInput("measure.due_on_holiday", payload_field(where), due=day, holiday=name)
    weekday = day.strftime("%A")
    return InvalidInput("measure.due_on_weekend", payload_field(where), due=day, weekday=weekday)


# --- accept, link ---------------------------------------------------------------------------


def _earlier_links(ctx: Context[p.Payload]) -> list[Case]:
    return [c for c in linked_cases(ctx.session, ctx.case) if c.received_at <= ctx.case.received_at]


def accept_restoration(ctx: Context[p.AcceptRestoration]) -> None:
    payload = ctx.payload
    categories = ctx.policy.restoration.categories
    code = payload.category.lower()
    category = categories.get(code)
    if category is None:
        raise InvalidInput(
            "restoration.unknown_category",
            payload_field("category"),
            category=payload.category,
            known=list(categories),
        )
    if category.requires_link and not _earlier_links(ctx):
        raise InvalidInput(
            "restoration.category_needs_link",
            payload_field("category"),
            category=code,
            link=payload_field("related", "NUMBER"),
            related=option("related", "NUMBER"),
        )
    ctx.case.category = code
    ctx.case.risk = payload.risk.value


def link(ctx: Context[p.Link]) -> None:
    payload = ctx.payload
    number = payload.related.strip().upper()
    other = ctx.session.exec(select(Case).where(Case.number == number)).first()
    field = payload_field("related")
    if other is None:
        raise NotFound("case.not_found", field, number=payload.related)
    if other.id == ctx.case.id:
        raise InvalidInput("restoration.link_self", field, number=number)
    if other.received_at > ctx.case.received_at:
        raise InvalidInput("restoration.link_later", field, related=number, number=ctx.case.number)
    if any(c.id == other.id for c in linked_cases(ctx.session, ctx.case)):
        raise Conflict("restoration.already_linked", field, number=ctx.case.number, related=number)
    ctx.session.add(CaseLink(case_id=ctx.case.id or 0, related_id=other.id or 0))
    ctx.notes["related"] = number


# --- measures -------------------------------------------------------------------------------


def propose_measures(ctx: Context[p.ProposeMeasures]) -> None:
    payload = ctx.payload
    planned: list[tuple[p.ProposedMeasure, Person, date, int, str]] = []
    for i, item in enumerate(payload.measures):
        where = f"measures.{i}"
        person = ctx.session.exec(select(Person).where(Person.email == item.responsible)).first()
        if person is None:
            raise NotFound(
                "person.not_found", payload_field(f"{where}.responsible"), email=item.responsible
            )
        if item.due is not None:
            day = item.due
            if day <= ctx.today:
                raise InvalidInput(
                    "measure.due_not_after_today",
                    payload_field(f"{where}.due"),
                    due=day,
                    today=ctx.today,
                )
            if not ctx.cal.is_working_day(day):
                raise _not_a_working_day(ctx, day, f"{where}.due")
            planned.append((item, person, day, 0, "date"))
        else:
            n = item.due_working_days or 0
            day = ctx.cal.add_working_days(ctx.today, n)
            planned.append((item, person, day, n, "working_days"))
    existing = measures_of(ctx.session, ctx.case)
    seq = max((m.seq for m in existing), default=0)
    rule = ctx.policy.restoration.measures
    added = []
    for item, person, day, amount, unit in planned:
        seq += 1
        deadline = ctx.start(
            Due(
                name=measure_deadline_name(seq),
                due=day,
                rule=MEASURE_RULE,
                basis=rule.basis,
                policy_version=ctx.policy.version,
                anchor=ctx.today,
                amount=amount,
                unit=unit,
            )
        )
        ctx.session.flush()
        ctx.session.add(
            Measure(
                case_id=ctx.case.id or 0,
                seq=seq,
                what=item.what,
                responsible_id=person.id,
                responsible_email=person.email,
                due=day,
                evidence_expected=item.evidence,
                deadline_id=deadline.id,
                created_at=ctx.at,
            )
        )
        added.append({"measure": seq, "responsible": person.email, "due": day.isoformat()})
    ctx.notes["measures"] = added


def complete_measure(ctx: Context[p.CompleteMeasure]) -> None:
    payload = ctx.payload
    measure = _measure(ctx, payload.measure)
    if payload.evidence_file:
        document = store_evidence(ctx, measure, payload.evidence_file)
        measure.evidence_document_id = document.id
    measure.evidence = payload.evidence
    late = _close_measure(ctx, measure, MeasureStatus.completed)
    ctx.notes["measure"] = {"measure": measure.seq, "status": "completed"}
    if late:
        ctx.notes["late"] = f"due {measure.due.isoformat()}"


def reject_measure(ctx: Context[p.RejectMeasure]) -> None:
    payload = ctx.payload
    measure = _measure(ctx, payload.measure)
    measure.reason = payload.reason
    _close_measure(ctx, measure, MeasureStatus.rejected)
    ctx.notes["measure"] = {"measure": measure.seq, "status": "rejected"}


# --- the ends: confirm_restored, escalate, not_confirmed -------------------------------------


def confirm_restored(ctx: Context[p.ConfirmRestored]) -> None:
    payload = ctx.payload
    still_open = [m for m in measures_of(ctx.session, ctx.case) if m.status == MeasureStatus.open]
    if still_open and not payload.servant_confirmed:
        listed = "; ".join(
            f"{m.seq} ({m.what}, {m.responsible_email}, due {m.due.isoformat()})"
            for m in still_open
        )
        raise InvalidInput(
            "restoration.measures_still_open",
            action="confirm_restored",
            listed=listed,
            confirmed=payload_field("servant_confirmed", "true"),
        )
    if payload.servant_confirmed:
        ctx.notes["servant_confirmed"] = True
    _cancel_open_measures(ctx, "the servant confirmed the rights restored")


def escalate(ctx: Context[p.Escalate]) -> None:
    payload = ctx.payload
    measures = measures_of(ctx.session, ctx.case)
    failed = [
        {"measure": m.seq, "state": "rejected"}
        if m.status == MeasureStatus.rejected
        else {"measure": m.seq, "state": "overdue"}
        for m in measures
        if m.status == MeasureStatus.rejected or is_overdue(ctx.session, m, ctx.today)
    ]
    if not failed and not measures:
        raise InvalidInput("restoration.no_measures_to_escalate", action="escalate")
    if not failed:
        listed = [f"{m.seq} {m.status} due {m.due.isoformat()}" for m in measures]
        raise InvalidInput("restoration.nothing_to_escalate", action="escalate", listed=listed)
    ctx.notes["escalated_to"] = payload.to.value
    ctx.notes["measures"] = failed
    if payload.to == p.EscalateTo.board:
        try:
            board = board_of_case(ctx.session, ctx.case)
        except InvalidInput as exc:  # no Board for the case's region: the choice is wrong
            raise InvalidInput(exc.code, payload_field("to"), **exc.params) from None
        ctx.notes["board"] = board.code


def not_confirmed(ctx: Context[p.Payload]) -> None:
    _cancel_open_measures(ctx, "the violation was not confirmed")


# --- follow-ups -----------------------------------------------------------------------------


def _open_retaliation_case(ctx: Context[p.Payload], deadline: Deadline, reason: str) -> Case:
    """File a new restoration request of the servant, linked to this case (same transaction)."""
    filer = party_person(ctx.session, ctx.case, PartyRole.complainant)
    if filer is None:
        number = ctx.case.number
        raise InvalidInput(
            "restoration.no_filer_for_new_case",
            payload_field("retaliation"),
            number=number,
            file=operation("case file", kind="restoration", related=number),
        )
    org = ctx.session.get(Organization, ctx.case.organization_id)
    assert org is not None
    filing = FileCase(
        kind="restoration",
        org=org.code,
        by=filer.email,
        summary=(
            f"Suspected retaliation found at the follow-up check {deadline.name} of"
            f" {ctx.case.number}: {reason}"
        ),
        received_at=ctx.at,
        key=f"follow-up:{ctx.case.number}:{deadline.name}",
        related=ctx.case.number,
        confidential=ctx.case.confidential,  # the same servant, the same protection
    )
    number = ctx.open_case(filing)
    new = ctx.session.exec(select(Case).where(Case.number == number)).one()
    new.category = "retaliation"
    ctx.session.add(new)
    return new


def follow_up(ctx: Context[p.FollowUpCheck]) -> None:
    payload = ctx.payload
    pending = pending_follow_ups(ctx.session, ctx.case)
    if not pending:
        raise InvalidInput(
            "restoration.no_follow_up_pending", action="follow_up", number=ctx.case.number
        )
    deadline = pending[0]
    if deadline.status == DeadlineStatus.missed:
        ctx.notes["late"] = f"due {deadline.due.isoformat()}"
    else:
        ctx.close(deadline, DeadlineStatus.met)
    new = None
    if payload.retaliation == p.Retaliation.suspected:
        new = _open_retaliation_case(ctx, deadline, payload.reason)
        ctx.notes["new_case"] = new.number
    ctx.session.add(
        FollowUp(
            case_id=ctx.case.id or 0,
            deadline_name=deadline.name,
            checked_on=ctx.today,
            retaliation=payload.retaliation.value,
            reason=payload.reason,
            new_case_id=new.id if new else None,
            by=ctx.actor_label,
            created_at=ctx.at,
        )
    )
    ctx.notes["follow_up"] = deadline.name
    last = len(pending) == 1
    for other in ctx.live():
        if other.name == "appeal_window" and other.due < ctx.today:
            ctx.close(other, DeadlineStatus.met)  # the window passed without an appeal
        elif last:
            ctx.close(other, DeadlineStatus.cancelled)
    if last:
        ctx.case.status = "closed"


def schedule_restoration_hearing(ctx: Context[p.ScheduleHearing]) -> None:
    """The Board hears a restoration case only when it was escalated to the Board."""
    event = ctx.session.exec(
        select(Event)
        .where(Event.case_id == ctx.case.id, Event.action == "escalate")
        .order_by(col(Event.id).desc())
    ).first()
    to = json.loads(event.payload).get("to") if event is not None else None
    if to != p.EscalateTo.board:
        hint = {
            "action": "schedule_hearing",
            "number": ctx.case.number,
            "escalate": "escalate",
            "to": payload_field("to", p.EscalateTo.board.value),
        }
        if not to:
            raise InvalidInput("restoration.never_escalated", **hint)
        raise InvalidInput("restoration.not_escalated_to_board", target=str(to), **hint)
    schedule_hearing(ctx)
