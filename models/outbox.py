"""Queueing notifications in the same transaction as the change that causes them.

Each message is one :class:`Notification` row per notification URL of the recipient,
rendered now (the text is what the recipient was meant to read at that moment) in
the recipient's language, with a ``dedup_key`` that makes queueing idempotent: the
same event for the same person and URL is inserted once (``ON CONFLICT DO NOTHING``),
however often a sweep or a retried transaction runs. A refused action rolls back its
transaction, so it queues nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from ethicsflow.models.case import Case, Party, PartyRole
from ethicsflow.models.db import insert_for
from ethicsflow.models.deadline import Deadline, DeadlineStatus
from ethicsflow.models.deadlines import local_date
from ethicsflow.models.messages import (
    DEADLINE_LABELS,
    GROUND_LABELS,
    KIND_LABELS,
    POST_LABELS,
    format_date,
    label,
    render,
    resolve_language,
)
from ethicsflow.models.notification import Notification
from ethicsflow.models.people import Organization, Person
from ethicsflow.models.settings import get_settings
from ethicsflow.models.types import utcnow


def _url_tag(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()[:12]


def queue(
    session: Session,
    *,
    event: str,
    person: Person,
    key: str,
    context: Any,
    case: Case | None = None,
    attachments: Iterable[str] = (),
    meets_deadline_id: int | None = None,
    now: datetime | None = None,
) -> int:
    """Queue ``event`` to every notification URL of ``person``; returns rows inserted.

    ``context`` is a callable ``(language) -> dict`` so that dates and labels are
    formatted in the language whose template is used.
    """
    if not person.notify_urls:
        return 0
    settings = get_settings()
    fallback = settings.fallback_languages
    lang = resolve_language(event, person.language, fallback)
    values = context(lang)
    used, subject, body = render(event, lang, values, fallback)
    insert = insert_for(session)
    table = Notification.__table__  # type: ignore[attr-defined]
    # A Core insert executed with parameters: the ORM-entity insert with .values() took
    # ~0.7 ms more a row in the sweep. (SQLAlchemy compiles an ON CONFLICT insert on every
    # call either way: it does not cache it.) RETURNING counts what was inserted;
    # rowcount is -1 on PostgreSQL here.
    statement = (
        insert(table).on_conflict_do_nothing(index_elements=["dedup_key"]).returning(table.c.id)
    )
    added = 0
    now = now or utcnow()
    for url in person.notify_urls:
        result = session.execute(
            statement,
            {
                "case_id": case.id if case else None,
                "person_id": person.id,
                "recipient": person.email,
                "url": url,
                "event": event,
                "language": used,
                "subject": subject,
                "body": body,
                "body_format": "text",
                "attachments": list(attachments),
                "status": "queued",
                "attempts": 0,
                "next_attempt_at": now,
                "dedup_key": f"{key}:{person.id}:{_url_tag(url)}",
                "meets_deadline_id": meets_deadline_id,
                "created_at": now,
            },
        )
        added += len(result.all())
    return added


def common(session: Session, case: Case, person: Person, lang: str) -> dict[str, Any]:
    org = session.get(Organization, case.organization_id)
    return {
        "recipient_name": person.name,
        "case_number": case.number,
        "case_kind": label(KIND_LABELS, case.kind, lang),
        "org_name": org.name if org else "",
    }


def party(session: Session, case: Case, role: PartyRole) -> Person | None:
    row = session.exec(select(Party).where(Party.case_id == case.id, Party.role == role)).first()
    if row is None or row.person_id is None:
        return None
    return session.get(Person, row.person_id)


def live_due(session: Session, case: Case, name: str) -> Deadline | None:
    return session.exec(
        select(Deadline)
        .where(Deadline.case_id == case.id, Deadline.name == name)
        .where(col(Deadline.status).in_([DeadlineStatus.open, DeadlineStatus.suspended]))
        .order_by(col(Deadline.id).desc())
    ).first()


def _due_text(deadline: Deadline | None, lang: str) -> str:
    return format_date(deadline.due, lang) if deadline else "—"


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
                "answer_due": _due_text(answer, lang),
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
            "answer_due": _due_text(answer, lang),
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


def on_action(
    session: Session,
    case: Case,
    action: str,
    payload: dict[str, Any],
    today: date,
    zone: str,
    now: datetime,
) -> None:
    """Queue what an applied action tells people (see EVENT_FIELDS in messages.py)."""
    key = f"{case.number}:v{case.version}"
    filer = party(session, case, PartyRole.complainant)
    reason = str(payload.get("reason") or "")

    def to_filer(event: str, extra: Any, meets: int | None = None) -> None:
        if filer is None:
            return
        person = filer
        queue(
            session,
            event=event,
            person=person,
            key=f"{key}:{event}",
            case=case,
            now=now,
            meets_deadline_id=meets,
            context=lambda lang: {**common(session, case, person, lang), **extra(lang)},
        )

    if action == "assign" and case.assignee_id:
        assignee = session.get(Person, case.assignee_id)
        if assignee is not None:
            notify_assignment(session, case, assignee, reason or "assigned", zone, now)
    elif action == "request_explanation":
        respondent = party(session, case, PartyRole.respondent)
        commissioner = session.get(Person, case.assignee_id) if case.assignee_id else None
        due = live_due(session, case, "explanation")
        if respondent is not None:
            person = respondent
            queue(
                session,
                event="explanation_request",
                person=person,
                key=f"{key}:explanation_request",
                case=case,
                now=now,
                context=lambda lang: {
                    **common(session, case, person, lang),
                    "questions": str(payload.get("questions", "")),
                    "explanation_due": _due_text(due, lang),
                    "commissioner_name": commissioner.name if commissioner else "",
                },
            )
    elif action == "extend":
        answers = session.exec(
            select(Deadline)
            .where(Deadline.case_id == case.id, Deadline.name == "answer")
            .order_by(col(Deadline.id).desc())
        ).all()
        new, old = [*answers, None, None][:2]
        notice = live_due(session, case, "extension_notice")
        to_filer(
            "extension_notice",
            lambda lang: {
                "old_due": _due_text(old, lang),
                "new_due": _due_text(new, lang),
                "reason": reason,
            },
            meets=notice.id if notice else None,
        )
    elif action == "forward" and payload.get("ground", "not_competent") == "not_competent":
        # APPK Art. 65(1) notice; an Art. 88 forward (crime report, security threat) of an
        # anonymous appeal has nobody to tell, and its text would cite the wrong article.
        to_filer(
            "forwarding_notice",
            lambda lang: {"to_body": str(payload.get("to_body", "")), "reason": reason},
        )
    elif action in ("find_no_violation", "answer"):
        window = live_due(session, case, "appeal_window")
        to_filer("answer", lambda lang: {"reason": reason, "appeal_until": _due_text(window, lang)})
    elif action == "request_correction":
        due = live_due(session, case, "correction")
        to_filer(
            "correction_request",
            lambda lang: {
                "missing": [str(m) for m in payload.get("missing", [])],
                "correction_due": _due_text(due, lang),
                "note": reason,
            },
        )
    elif action == "dismiss":
        ground = str(payload.get("ground", ""))
        to_filer(
            "dismissal",
            lambda lang: {"ground": label(GROUND_LABELS, ground, lang), "reason": reason},
        )
    elif action == "return":
        to_filer("returned", lambda lang: {"reason": reason})
    elif action == "close":
        to_filer("closed", lambda lang: {"closed_on": format_date(today, lang)})


def deadline_label(name: str, lang: str) -> str:
    return label(DEADLINE_LABELS, name, lang)
