"""What the Ethics Board's steps tell people: hearing invitations and the decision.

``schedule_hearing`` invites the members not recused and the parties; ``decide`` tells
the complainant and the respondent the decision, with the decision document in their
language attached (issued by ``decision.decision_documents``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from ethicsflow.models.boards.decision import decision_documents
from ethicsflow.models.boards.records import (
    current_hearing,
    decision_of,
    limitation_deadline,
    recused_ids,
)
from ethicsflow.models.boards.roster import roster
from ethicsflow.models.boards.tables import Board, Decision, Hearing
from ethicsflow.models.cases.access import party_person
from ethicsflow.models.cases.tables import Case, PartyRole
from ethicsflow.models.lifecycle import payloads as p
from ethicsflow.models.lifecycle.context import Context
from ethicsflow.models.notifications.outbox import Attachments, common, due_text, queue
from ethicsflow.models.notifications.texts import (
    INVITED_AS_LABELS,
    OUTCOME_LABELS,
    cite_standard,
    format_date,
    label,
)
from ethicsflow.models.people.tables import Person
from ethicsflow.models.policy import Policy, load_policy


def invited(ctx: Context[p.ScheduleHearing]) -> None:
    """The notice of ``schedule_hearing``."""
    hearing = current_hearing(ctx.session, ctx.case)
    if hearing is not None:
        notify_hearing_invitations(ctx.session, ctx.case, hearing, ctx.at)


def decided(ctx: Context[p.Decide]) -> None:
    """The notice of ``decide``."""
    decision = decision_of(ctx.session, ctx.case)
    if decision is not None:
        notify_decision(
            ctx.session, ctx.case, decision, ctx.at, attachments=decision_documents(ctx)
        )


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
    invitees: list[tuple[Person, str]] = [
        (seat.person, "chair" if seat.chair else "member")
        for seat in roster(session, board)
        if seat.person.id not in out
    ]
    for role in (PartyRole.complainant, PartyRole.respondent):
        person = party_person(session, case, role)
        if person is not None and all(person.id != other.id for other, _ in invitees):
            invitees.append((person, str(role)))
    limitation = limitation_deadline(session, case)
    for person, invited_as in invitees:

        def ctx(lang: str, person: Person = person, invited_as: str = invited_as) -> dict[str, Any]:
            return {
                **common(session, case, person, lang),
                "board_name": board.name,
                "invited_as": label(INVITED_AS_LABELS, invited_as, lang),
                "hearing_date": format_date(hearing.date, lang),
                "hearing_time": hearing.time,
                "place": hearing.place,
                "limitation_due": due_text(limitation, lang),
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
        if person is not None and all(person.id != other.id for other in recipients):
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
