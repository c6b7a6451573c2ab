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
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from ethicsflow.models.boards.hearing import (
    current_hearing,
    decision_of,
    limitation_deadline,
    recused_ids,
)
from ethicsflow.models.boards.roster import roster
from ethicsflow.models.boards.tables import Board, Decision, Hearing
from ethicsflow.models.cases.access import party_person
from ethicsflow.models.cases.tables import Case, PartyRole
from ethicsflow.models.db import insert_for
from ethicsflow.models.deadlines.rules import local_date
from ethicsflow.models.deadlines.tables import Deadline, DeadlineStatus
from ethicsflow.models.notifications.tables import Notification
from ethicsflow.models.notifications.texts import (
    DEADLINE_LABELS,
    ESCALATED_TO_LABELS,
    GROUND_LABELS,
    INVITED_AS_LABELS,
    KIND_LABELS,
    MEASURE_STATE_LABELS,
    OUTCOME_LABELS,
    POST_LABELS,
    cite_standard,
    format_date,
    label,
    render,
    resolve_language,
)
from ethicsflow.models.people.tables import Organization, Person
from ethicsflow.models.policy import Policy, load_policy
from ethicsflow.models.restoration.tables import Measure
from ethicsflow.models.settings import get_settings
from ethicsflow.models.types import utcnow

Attachments = Iterable[str] | Callable[[str], Iterable[str]]
"""File paths sent with a message, or a function of the message's language giving them."""


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
    attachments: Attachments = (),
    meets_deadline_id: int | None = None,
    now: datetime | None = None,
) -> int:
    """Queue ``event`` to every notification URL of ``person``; returns rows inserted.

    ``context`` is a callable ``(language) -> dict`` so that dates and labels are
    formatted in the language whose template is used; ``attachments`` are file paths,
    or a callable ``(language) -> paths`` (a document in the recipient's language).
    """
    if not person.notify_urls:
        return 0
    settings = get_settings()
    fallback = settings.fallback_languages
    lang = resolve_language(event, person.language, fallback)
    values = context(lang)
    used, subject, body = render(event, lang, values, fallback)
    files = list(attachments(used) if callable(attachments) else attachments)
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
                "attachments": files,
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
    filer = party_person(session, case, PartyRole.complainant)
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
        respondent = party_person(session, case, PartyRole.respondent)
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
    elif action in ("find_no_violation", "answer", "not_confirmed"):
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
    elif action == "schedule_hearing":
        hearing = current_hearing(session, case)
        if hearing is not None:
            notify_hearing_invitations(session, case, hearing, now)
    elif action == "decide":
        decision = decision_of(session, case)
        if decision is not None:
            notify_decision(
                session, case, decision, now, attachments=_decision_document(session, case, now)
            )
    elif action == "propose_measures":
        notify_measures_assigned(session, case, len(payload.get("measures", [])), key, now)
    elif action == "complete_measure":
        done = _measure(session, case, int(payload.get("measure", 0)))
        if done is not None:
            to_filer(
                "measure_completed",
                lambda lang: {
                    "measure_what": done.what,
                    "completed_on": format_date(done.closed_on or today, lang),
                    "evidence": done.evidence or "",
                },
            )
    elif action == "confirm_restored":
        checks = sorted(
            (d for d in _live(session, case) if d.name.startswith("follow_up_")),
            key=lambda d: d.due,
        )
        to_filer(
            "restored",
            lambda lang: {
                "restored_on": format_date(today, lang),
                "follow_ups": [format_date(d.due, lang) for d in checks],
            },
        )
    elif action == "escalate":
        notify_escalation(session, case, str(payload.get("to", "")), reason, today, key, now)


def _decision_document(session: Session, case: Case, now: datetime) -> Callable[[str], list[str]]:
    """The decision .docx in a language, issued once per language in this transaction."""
    from ethicsflow.models.documents.store import documents_dir, issue_document

    issued: dict[str, list[str]] = {}
    decision = decision_of(session, case)
    author = decision.decided_by if decision else "system"

    def document(lang: str) -> list[str]:
        if lang not in issued:
            row = issue_document(session, case, "board_decision", lang, author, at=now)
            issued[lang] = [str(documents_dir() / row.path)]
        return issued[lang]

    return document


def notify_hearing_invitations(
    session: Session, case: Case, hearing: Hearing, now: datetime
) -> None:
    """Invite the board members not recused and the parties (with a person) to ``hearing``.

    One message per recipient and hearing (the dedup key holds the hearing id, so a
    rescheduled hearing invites again).
    """
    board = session.get(Board, hearing.board_id)
    if board is None:
        return
    out = recused_ids(session, hearing)
    invited: list[tuple[Person, str]] = [
        (seat.person, "chair" if seat.chair else "member")
        for seat in roster(session, board)
        if seat.person.id not in out
    ]
    for role in (PartyRole.complainant, PartyRole.respondent):
        person = party_person(session, case, role)
        if person is not None and all(person.id != p.id for p, _ in invited):
            invited.append((person, str(role)))
    limitation = limitation_deadline(session, case)
    for person, invited_as in invited:

        def ctx(lang: str, person: Person = person, invited_as: str = invited_as) -> dict[str, Any]:
            return {
                **common(session, case, person, lang),
                "board_name": board.name,
                "invited_as": label(INVITED_AS_LABELS, invited_as, lang),
                "hearing_date": format_date(hearing.date, lang),
                "hearing_time": hearing.time,
                "place": hearing.place,
                "limitation_due": _due_text(limitation, lang),
            }

        queue(
            session,
            event="hearing_invitation",
            person=person,
            key=f"{case.number}:hearing{hearing.id}:hearing_invitation",
            context=ctx,
            case=case,
            now=now,
        )


def notify_decision(
    session: Session,
    case: Case,
    decision: Decision,
    now: datetime,
    attachments: Attachments = (),
    policy: Policy | None = None,
) -> None:
    """Tell the complainant and the respondent (those with a person) the Board's decision.

    ``attachments`` (paths of the decision document, or a callable giving them for the
    recipient's language) go with every message.
    """
    policy = policy or load_policy()
    hearing = session.get(Hearing, decision.hearing_id)
    board = session.get(Board, hearing.board_id) if hearing else None
    code = next(
        (v for v in policy.ethical_code.versions if v.version == decision.code_version),
        None,
    )
    penalty = next((i for i in policy.penalties.items if i.code == decision.penalty), None)
    recipients: list[Person] = []
    for role in (PartyRole.complainant, PartyRole.respondent):
        person = party_person(session, case, role)
        if person is not None and all(person.id != p.id for p in recipients):
            recipients.append(person)
    for person in recipients:

        def ctx(lang: str, person: Person = person) -> dict[str, Any]:
            standards = []
            for ref in decision.standards:
                item = code.standard(ref) if code else None
                standards.append(
                    cite_standard(
                        item.paragraph, item.subparagraph, getattr(item, f"text_{lang}"), lang
                    )
                    if item
                    else ref
                )
            return {
                **common(session, case, person, lang),
                "board_name": board.name if board else "",
                "decided_on": format_date(decision.decided_on, lang),
                "outcome": label(OUTCOME_LABELS, decision.outcome, lang),
                "standards": standards,
                "code_title": getattr(code, f"title_{lang}") if code else "",
                "penalty": getattr(penalty, f"label_{lang}") if penalty else None,
                "reason": decision.reasoning,
            }

        queue(
            session,
            event="decision",
            person=person,
            key=f"{case.number}:decision{decision.id}:decision",
            context=ctx,
            case=case,
            attachments=attachments,
            now=now,
        )


def deadline_label(name: str, lang: str) -> str:
    """A deadline's name for people; ``measure:2`` is "measure 2" in the language."""
    kind, _, seq = name.partition(":")
    if kind == "measure" and seq:
        return f"{label(DEADLINE_LABELS, kind, lang)} {seq}"
    return label(DEADLINE_LABELS, name, lang)


# --- restoration ----------------------------------------------------------------------------


def _live(session: Session, case: Case) -> list[Deadline]:
    return list(
        session.exec(
            select(Deadline)
            .where(Deadline.case_id == case.id)
            .where(col(Deadline.status).in_([DeadlineStatus.open, DeadlineStatus.suspended]))
            .order_by(col(Deadline.id))
        ).all()
    )


def _measure(session: Session, case: Case, seq: int) -> Measure | None:
    return session.exec(
        select(Measure).where(Measure.case_id == case.id, Measure.seq == seq)
    ).first()


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
        p
        for p in session.exec(
            select(Person).where(Person.organization_id == case.organization_id)
        ).all()
        if p.has_role("head")
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
        people += [p for p in agency if p.has_role("agency")]
    unique: dict[int, Person] = {}
    for person in people:
        if person.id is not None:
            unique.setdefault(person.id, person)
    return list(unique.values())


def notify_escalation(
    session: Session, case: Case, to: str, reason: str, today: date, key: str, now: datetime
) -> None:
    from ethicsflow.models.restoration.measures import is_overdue

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
