"""Reading what a document reports: events, parties, deadlines, the board's records.

Small lookups shared by the context builders; they read, never write.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlmodel import Session, col, select

from ethicsflow.models.audit.tables import Event
from ethicsflow.models.boards.records import current_hearing
from ethicsflow.models.boards.tables import Board, Decision, Hearing, HearingStatus
from ethicsflow.models.cases.tables import Case, Party, PartyRole
from ethicsflow.models.deadlines.rules import local_date
from ethicsflow.models.deadlines.tables import Deadline
from ethicsflow.models.documents.formatting import clean, date_in_words, text
from ethicsflow.models.errors import InvalidInput, Param
from ethicsflow.models.notifications.texts import KIND_LABELS, POST_LABELS, label
from ethicsflow.models.people.tables import Organization, Person
from ethicsflow.models.policy import CodeVersion, Policy
from ethicsflow.models.types import utcnow


def refuse(kind: str, case: Case, code: str, /, **params: Param) -> InvalidInput:
    """The error for a document whose data does not exist yet, naming the missing step.

    ``code`` is a ``document.*`` catalogue entry worded ``{kind}: case {number} <what is
    missing> (<the step that makes it> first)``; ``params`` are its other placeholders.
    """
    return InvalidInput(code, kind=kind, number=case.number, **params)


def events(session: Session, case: Case, *actions: str) -> list[Event]:
    """The case's events with one of ``actions``, oldest first."""
    query = select(Event).where(Event.case_id == case.id).order_by(col(Event.seq))
    if actions:
        query = query.where(col(Event.action).in_(actions))
    return list(session.exec(query).all())


def last_event(session: Session, case: Case, *actions: str) -> Event | None:
    found = events(session, case, *actions)
    return found[-1] if found else None


def payload(event: Event | None) -> dict[str, Any]:
    if event is None:
        return {}
    value = json.loads(event.payload)
    return value if isinstance(value, dict) else {}


def day_of(at: dt.datetime, policy: Policy) -> dt.date:
    return local_date(at, policy.zone)


def today_or(today: dt.date | None, policy: Policy) -> dt.date:
    """The document's date when it has none of its own: ``today``, else the local day."""
    return today or local_date(utcnow(), policy.zone)


def person(session: Session, person_id: int | None) -> Person | None:
    return session.get(Person, person_id) if person_id is not None else None


def commissioner(session: Session, case: Case, language: str) -> tuple[str, str]:
    """Name and post of the case's commissioner ('ethicsflow' when none is assigned)."""
    who = person(session, case.assignee_id)
    if who is None:
        return "ethicsflow", label(POST_LABELS, "system", language)
    return clean(who.name), label(POST_LABELS, "commissioner", language)


def person_by_email(session: Session, email: str | None) -> Person | None:
    if not email:
        return None
    return session.exec(select(Person).where(Person.email == email.strip().lower())).first()


def party(session: Session, case: Case, role: PartyRole) -> Party | None:
    """The latest party in ``role`` (a respondent may be named later)."""
    return session.exec(
        select(Party)
        .where(Party.case_id == case.id, Party.role == role)
        .order_by(col(Party.id).desc())
    ).first()


def party_name(session: Session, row: Party | None, language: str) -> str:
    if row is None:
        return text("unknown_person", language)
    who = person(session, row.person_id)
    return clean(who.name if who else row.name) or text("unknown_person", language)


def filer_name(session: Session, case: Case, language: str) -> str:
    if case.anonymous:
        return text("anonymous_filer", language)
    return party_name(session, party(session, case, PartyRole.complainant), language)


def org_name(session: Session, org_id: int | None) -> str:
    org = session.get(Organization, org_id) if org_id is not None else None
    return clean(org.name) if org else ""


def respondent_of(session: Session, case: Case) -> tuple[Party | None, Person | None]:
    row = party(session, case, PartyRole.respondent)
    return row, person(session, row.person_id) if row else None


def deadline(session: Session, case: Case, name: str, *, first: bool = False) -> Deadline | None:
    """The first (as set at filing) or the latest deadline called ``name``."""
    order = col(Deadline.id) if first else col(Deadline.id).desc()
    return session.exec(
        select(Deadline).where(Deadline.case_id == case.id, Deadline.name == name).order_by(order)
    ).first()


def due_text(row: Deadline | None, language: str) -> str | None:
    return date_in_words(row.due, language) if row else None


def receipt_day(case: Case, policy: Policy) -> dt.date:
    return day_of(case.received_at, policy)


def conduct_date(case: Case, policy: Policy) -> dt.date:
    """The date of the conduct: ``committed_on``, else the local day of receipt."""
    return case.committed_on or receipt_day(case, policy)


def code_version(policy: Policy, case: Case, decision: Decision | None) -> CodeVersion:
    """The Code version a decision cites: the one it names, else the one in force on the
    date of the conduct (DESIGN §7)."""
    code = policy.ethical_code
    if decision is not None and decision.code_version:
        named = next((v for v in code.versions if v.version == decision.code_version), None)
        if named is not None:
            return named
    return code.in_force(conduct_date(case, policy))


def common(session: Session, case: Case, language: str, doc_date: dt.date) -> dict[str, Any]:
    return {
        "case_number": case.number,
        "case_kind": label(KIND_LABELS, case.kind, language),
        "org_name": org_name(session, case.organization_id),
        "doc_date": date_in_words(doc_date, language),
    }


def hearing_of(session: Session, case: Case, decision: Decision | None) -> Hearing | None:
    """The hearing of the decision, else the case's current (latest, not replaced) one."""
    if decision is not None:
        return session.get(Hearing, decision.hearing_id)
    return current_hearing(session, case)


def board(session: Session, board_id: int) -> Board | None:
    return session.get(Board, board_id)


def sitting(session: Session, hearing: Hearing) -> list[Case]:
    """Cases heard by the same board on the same day and place (the agenda)."""
    rows = session.exec(
        select(Case)
        .join(Hearing, col(Hearing.case_id) == Case.id)
        .where(
            Hearing.board_id == hearing.board_id,
            Hearing.date == hearing.date,
            Hearing.place == hearing.place,
            Hearing.status != HearingStatus.rescheduled,
        )
        .order_by(col(Hearing.time), col(Case.number))
    ).all()
    seen: dict[str, Case] = {}
    for row in rows:
        seen.setdefault(row.number, row)
    return list(seen.values())
