"""Read models: what `case show`, `case list`, `case history` and `case status` print.

Table rows never leave this module; callers get plain dicts (JSON-ready). ``viewer``
is the signed-in person reading (the API): the read is refused unless the table of
``models/permissions/`` allows it, a list keeps the cases they may see, and a
confidential filer's identity is redacted for them. None is the operator (the CLI):
everything, as it is.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlmodel import Session, col, or_, select

from ethicsflow.models.audit.chain import verify_chain
from ethicsflow.models.audit.tables import Event
from ethicsflow.models.boards.tables import Board, Decision, Hearing, Recusal, Vote
from ethicsflow.models.cases.access import actor_tokens, allowed_actions, email_of, get_case
from ethicsflow.models.cases.intake import hash_receipt
from ethicsflow.models.cases.listing import case_filters, listed
from ethicsflow.models.cases.tables import Case, CaseLink, Party
from ethicsflow.models.deadlines.tables import Deadline, DeadlineStatus
from ethicsflow.models.errors import InvalidInput, NotFound, option
from ethicsflow.models.lifecycle.fields import describe
from ethicsflow.models.lifecycle.kinds import LIFECYCLES
from ethicsflow.models.people.tables import Organization, Person
from ethicsflow.models.permissions.decide import require, visible_cases
from ethicsflow.models.permissions.redaction import redact_for
from ethicsflow.models.permissions.table import Operation
from ethicsflow.models.restoration.records import restoration_view


def _deadlines(session: Session, case: Case) -> list[Deadline]:
    return list(
        session.exec(
            select(Deadline).where(Deadline.case_id == case.id).order_by(col(Deadline.id))
        ).all()
    )


def case_view(session: Session, number: str, *, viewer: Person | None = None) -> dict[str, Any]:
    case = get_case(session, number)
    if viewer is not None:
        require(session, viewer, Operation.case_show, case)
    org = session.get(Organization, case.organization_id)
    lifecycle = LIFECYCLES[case.kind]
    parties = session.exec(select(Party).where(Party.case_id == case.id)).all()
    links = session.exec(
        select(CaseLink).where(or_(CaseLink.case_id == case.id, CaseLink.related_id == case.id))
    ).all()
    related = []
    for link in links:
        other_id = link.related_id if link.case_id == case.id else link.case_id
        other = session.get(Case, other_id)
        if other is not None:
            related.append(
                {"number": other.number, "direction": "to" if link.case_id == case.id else "from"}
            )
    deadlines = _deadlines(session, case)
    limitation = next((d for d in reversed(deadlines) if d.name == "limitation"), None)
    tokens = None if viewer is None else actor_tokens(session, case, viewer)
    view = {
        "number": case.number,
        "kind": case.kind,
        "status": case.status,
        "org": org.code if org else None,
        "assignee": email_of(session, case.assignee_id),
        "assignment_note": case.assignment_note,
        "received_at": case.received_at.isoformat(),
        "registered_on": case.registered_on.isoformat(),
        "language": case.language,
        "anonymous": case.anonymous,
        "confidential": case.confidential,
        "summary": case.summary,
        "committed_on": case.committed_on.isoformat() if case.committed_on else None,
        "offence_category": case.offence_category,
        "category": case.category,
        "risk": case.risk,
        "missing_requisites": list(case.missing_requisites),
        "parties": [{"role": p.role, "email": p.email, "name": p.name} for p in parties],
        "related": related,
        "deadlines": [
            {
                "name": d.name,
                "due": d.due.isoformat(),
                "status": d.status,
                "rule": d.rule,
                "basis": d.basis,
                "policy_version": d.policy_version,
            }
            for d in deadlines
        ],
        "limitation_date": limitation.due.isoformat() if limitation else None,
        "board": board_view(session, case),
        "restoration": restoration_view(session, case) if case.kind == "restoration" else None,
        "allowed_actions": allowed_actions(lifecycle, case, tokens),
        "version": case.version,
    }
    return redact_for(session, view, case, viewer)


def board_view(session: Session, case: Case) -> dict[str, Any] | None:
    """The case's current Board hearing and decision, or None before any hearing."""
    hearing = session.exec(
        select(Hearing)
        .where(Hearing.case_id == case.id, Hearing.status != "rescheduled")
        .order_by(col(Hearing.id).desc())
    ).first()
    if hearing is None:
        return None
    board = session.get(Board, hearing.board_id)
    recusals = session.exec(
        select(Recusal).where(Recusal.hearing_id == hearing.id).order_by(col(Recusal.id))
    ).all()
    votes = session.exec(select(Vote).where(Vote.hearing_id == hearing.id)).all()
    decision = session.exec(select(Decision).where(Decision.case_id == case.id)).first()
    return {
        "board": board.code if board else None,
        "name": board.name if board else None,
        "hearing": {
            "date": hearing.date.isoformat(),
            "time": hearing.time,
            "place": hearing.place,
            "status": hearing.status,
            "after_limitation": hearing.after_limitation,
        },
        "present": (
            None if hearing.present is None else [email_of(session, i) for i in hearing.present]
        ),
        "recused": [
            {
                "member": email_of(session, r.person_id),
                "ground": r.ground,
                "raised_by": r.raised_by,
                "upheld": r.upheld,
            }
            for r in recusals
        ],
        "votes": sorted(
            ({"member": email_of(session, v.person_id), "vote": v.vote} for v in votes),
            key=lambda v: str(v["member"]),
        ),
        "decision": (
            None
            if decision is None
            else {
                "outcome": decision.outcome,
                "standards": list(decision.standards),
                "penalty": decision.penalty,
                "penalty_note": decision.penalty_note,
                "votes": {
                    "for": decision.votes_for,
                    "against": decision.votes_against,
                    "abstain": decision.votes_abstain,
                },
                "decided_on": decision.decided_on.isoformat(),
            }
        ),
    }


def case_actions(session: Session, number: str) -> dict[str, Any]:
    case = get_case(session, number)
    lifecycle = LIFECYCLES[case.kind]
    return {
        "number": case.number,
        "status": case.status,
        "version": case.version,
        "actions": [
            {
                "name": a.name,
                "description": a.description,
                "roles": list(a.roles),
                "to": a.dest or case.status,
                "fields": describe(a.payload),
            }
            for a in lifecycle.from_state(case.status)
        ],
    }


def list_cases(
    session: Session,
    *,
    status: str | None = None,
    org: str | None = None,
    assignee: str | None = None,
    overdue_on: date | None = None,
    limit: int = 1000,
    viewer: Person | None = None,
) -> list[dict[str, Any]]:
    """Cases with their next deadline, in filing order; ``viewer`` (a signed-in person)
    lists only those they may see, None (the operator) every case."""
    visible = visible_cases(session, viewer) if viewer is not None else None
    filters = case_filters(
        session,
        visible=visible,
        status=status,
        org=org,
        assignee=assignee,
        overdue_on=overdue_on,
    )
    return listed(session, filters, sort="filed", limit=limit)


def history(
    session: Session, number: str, verify: bool = False, *, viewer: Person | None = None
) -> dict[str, Any]:
    case = get_case(session, number)
    if viewer is not None:
        require(session, viewer, Operation.case_history, case)
    events = session.exec(
        select(Event).where(Event.case_id == case.id).order_by(col(Event.seq))
    ).all()
    out: dict[str, Any] = {
        "number": case.number,
        "events": [
            {
                "seq": e.seq,
                "at": e.at.isoformat(),
                "actor": e.actor,
                "action": e.action,
                "from": e.from_status,
                "to": e.to_status,
                "payload": json.loads(e.payload),
                "hash": e.hash,
            }
            for e in events
        ],
    }
    if verify:
        report = verify_chain(session, case)
        out["verified"] = report.ok
        out["problem"] = report.problem
        out["first_bad_seq"] = report.first_bad_seq
    return redact_for(session, out, case, viewer)


def status_by_receipt(session: Session, code: str) -> dict[str, Any]:
    """What an anonymous filer may see: status and the next deadline, nothing personal."""
    if not code or len(code.strip()) < 10:
        raise InvalidInput("case.receipt_malformed", option("receipt"))
    case = session.exec(select(Case).where(Case.receipt_hash == hash_receipt(code))).first()
    if case is None:
        raise NotFound("case.receipt_unknown", option("receipt"))
    next_due = session.exec(
        select(Deadline)
        .where(Deadline.case_id == case.id, Deadline.status == DeadlineStatus.open)
        .where(Deadline.name == "answer")
        .order_by(col(Deadline.id))
    ).first()
    return {
        "number": case.number,
        "status": case.status,
        "registered_on": case.registered_on.isoformat(),
        "next_deadline": (
            {"name": next_due.name, "due": next_due.due.isoformat()} if next_due else None
        ),
    }
