"""What filing a case and the complaint actions tell people (queued in the outbox).

The filer gets the acknowledgment with the coupon when the case is registered and a
letter at each step that concerns them (a correction request, an extension, a
forwarding, the answer, a dismissal, the return, the closing); the commissioner gets
the assignment; the respondent the request for an explanation. Each notice is a
callable of the action's context, named by the action in the lifecycle tables.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from ethicsflow.models.cases.access import party_person
from ethicsflow.models.cases.tables import Case, PartyRole
from ethicsflow.models.deadlines.rules import local_date
from ethicsflow.models.deadlines.tables import Deadline
from ethicsflow.models.lifecycle import payloads as p
from ethicsflow.models.lifecycle.context import Context
from ethicsflow.models.notifications.outbox import common, due_text, live_due, queue
from ethicsflow.models.notifications.texts import GROUND_LABELS, POST_LABELS, format_date, label
from ethicsflow.models.people.tables import Person

Extra = Callable[[str], dict[str, Any]]
"""The event's own values in a language, besides :func:`outbox.common`'s."""


def on_filed(
    session: Session,
    case: Case,
    zone: str,
    now: datetime,
    filer: Person | None,
    assignee: Person | None,
) -> None:
    """Acknowledgment (the coupon, APPK Art. 64(2)) to the filer; assignment to the assignee."""
    if not (filer and filer.notify_urls) and not (assignee and assignee.notify_urls):
        return  # nobody to tell: skip the queries (a bulk import of paper appeals)
    answer = live_due(session, case, "answer")
    local = case.received_at.astimezone(ZoneInfo(zone))
    if filer is not None:
        filer_ = filer

        def ack(lang: str) -> dict[str, Any]:
            return {
                **common(session, case, filer_, lang),
                "received_date": format_date(local.date(), lang),
                "received_time": local.strftime("%H:%M"),
                "registered_on": format_date(case.registered_on, lang),
                "registering_officer": assignee.name if assignee else "ethicsflow",
                "registering_post": label(
                    POST_LABELS, "commissioner" if assignee else "system", lang
                ),
                "answer_due": due_text(answer, lang),
            }

        queue(
            session,
            event="acknowledgment",
            person=filer,
            key=f"{case.number}:filed",
            context=ack,
            case=case,
            now=now,
        )
    if assignee is not None:
        notify_assignment(session, case, assignee, case.assignment_note or "", zone, now)


def notify_assignment(
    session: Session, case: Case, assignee: Person, reason: str, zone: str, now: datetime
) -> None:
    answer = live_due(session, case, "answer")
    received = local_date(case.received_at, zone)

    def ctx(lang: str) -> dict[str, Any]:
        return {
            **common(session, case, assignee, lang),
            "summary": case.summary,
            "received_date": format_date(received, lang),
            "answer_due": due_text(answer, lang),
            "assignment_reason": reason,
        }

    queue(
        session,
        event="assignment",
        person=assignee,
        key=f"{case.number}:v{case.version}:assignment",
        context=ctx,
        case=case,
        now=now,
    )


def action_key(ctx: Context[p.Payload]) -> str:
    """The dedup key prefix of what one applied action queues."""
    return f"{ctx.case.number}:v{ctx.case.version}"


def to_filer(ctx: Context[p.Payload], event: str, extra: Extra, meets: int | None = None) -> None:
    """Queue ``event`` to the case's filer (a complainant with a person), if there is one."""
    filer = party_person(ctx.session, ctx.case, PartyRole.complainant)
    if filer is None:
        return
    session, case = ctx.session, ctx.case
    queue(
        session,
        event=event,
        person=filer,
        key=f"{action_key(ctx)}:{event}",
        case=case,
        now=ctx.at,
        meets_deadline_id=meets,
        context=lambda lang: {**common(session, case, filer, lang), **extra(lang)},
    )


# --- the notices of the actions ---------------------------------------------------------------


def assigned(ctx: Context[p.Assign]) -> None:
    if not ctx.case.assignee_id:
        return
    assignee = ctx.session.get(Person, ctx.case.assignee_id)
    if assignee is not None:
        reason = ctx.payload.note() or "assigned"
        notify_assignment(ctx.session, ctx.case, assignee, reason, ctx.policy.zone, ctx.at)


def explanation_requested(ctx: Context[p.RequestExplanation]) -> None:
    session, case = ctx.session, ctx.case
    respondent = party_person(session, case, PartyRole.respondent)
    if respondent is None:
        return
    commissioner = session.get(Person, case.assignee_id) if case.assignee_id else None
    due = live_due(session, case, "explanation")
    questions = str(ctx.payload.questions)
    queue(
        session,
        event="explanation_request",
        person=respondent,
        key=f"{action_key(ctx)}:explanation_request",
        case=case,
        now=ctx.at,
        context=lambda lang: {
            **common(session, case, respondent, lang),
            "questions": questions,
            "explanation_due": due_text(due, lang),
            "commissioner_name": commissioner.name if commissioner else "",
        },
    )


def extended(ctx: Context[p.Extend]) -> None:
    answers = ctx.session.exec(
        select(Deadline)
        .where(Deadline.case_id == ctx.case.id, Deadline.name == "answer")
        .order_by(col(Deadline.id).desc())
    ).all()
    new, old = [*answers, None, None][:2]
    notice = live_due(ctx.session, ctx.case, "extension_notice")
    reason = ctx.payload.note()
    to_filer(
        ctx,
        "extension_notice",
        lambda lang: {
            "old_due": due_text(old, lang),
            "new_due": due_text(new, lang),
            "reason": reason,
        },
        meets=notice.id if notice else None,
    )


def forwarded(ctx: Context[p.Forward]) -> None:
    # APPK Art. 65(1) notice; an Art. 88 forward (crime report, security threat) of an
    # anonymous appeal has nobody to tell, and its text would cite the wrong article.
    if ctx.payload.ground != p.ForwardGround.not_competent:
        return
    to_body, reason = str(ctx.payload.to_body), ctx.payload.note()
    to_filer(ctx, "forwarding_notice", lambda lang: {"to_body": to_body, "reason": reason})


def answered(ctx: Context[p.Payload]) -> None:
    """The reasoned answer with the appeal window (also restoration's ``not_confirmed``)."""
    window = live_due(ctx.session, ctx.case, "appeal_window")
    reason = ctx.payload.note()
    to_filer(ctx, "answer", lambda lang: {"reason": reason, "appeal_until": due_text(window, lang)})


def correction_requested(ctx: Context[p.RequestCorrection]) -> None:
    due = live_due(ctx.session, ctx.case, "correction")
    missing, note = [str(m) for m in ctx.payload.missing], ctx.payload.note()
    to_filer(
        ctx,
        "correction_request",
        lambda lang: {
            "missing": missing,
            "correction_due": due_text(due, lang),
            "note": note,
        },
    )


def dismissed(ctx: Context[p.Dismiss]) -> None:
    ground, reason = str(ctx.payload.ground), ctx.payload.note()
    to_filer(
        ctx,
        "dismissal",
        lambda lang: {"ground": label(GROUND_LABELS, ground, lang), "reason": reason},
    )


def returned(ctx: Context[p.Payload]) -> None:
    reason = ctx.payload.note()
    to_filer(ctx, "returned", lambda lang: {"reason": reason})


def closed(ctx: Context[p.Payload]) -> None:
    today = ctx.today
    to_filer(ctx, "closed", lambda lang: {"closed_on": format_date(today, lang)})
