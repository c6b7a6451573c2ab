"""Reading a case's Board records: its hearings, recusals, votes and decision."""

from __future__ import annotations

from sqlmodel import Session, col, select

from ethicsflow.models.boards.tables import Decision, Hearing, HearingStatus, Recusal, Vote
from ethicsflow.models.cases.tables import Case
from ethicsflow.models.deadlines.tables import Deadline, DeadlineStatus

LIMITATION_BASIS = "Law 416-V Art. 45"
"""Where the disciplinary limitation comes from (cited in refusals and decisions)."""


def current_hearing(session: Session, case: Case) -> Hearing | None:
    """The case's latest hearing that is not rescheduled (scheduled, or held)."""
    return session.exec(
        select(Hearing)
        .where(Hearing.case_id == case.id, Hearing.status != HearingStatus.rescheduled)
        .order_by(col(Hearing.id).desc())
    ).first()


def recusals(session: Session, hearing: Hearing) -> list[Recusal]:
    """Every recusal recorded on the hearing (upheld or rejected), oldest first."""
    return list(
        session.exec(
            select(Recusal).where(Recusal.hearing_id == hearing.id).order_by(col(Recusal.id))
        ).all()
    )


def recused_ids(session: Session, hearing: Hearing) -> set[int]:
    """Person ids of the members whose recusal on the hearing was upheld."""
    return {r.person_id for r in recusals(session, hearing) if r.upheld}


def votes(session: Session, hearing: Hearing) -> dict[int, Vote]:
    """The hearing's votes by person id."""
    rows = session.exec(select(Vote).where(Vote.hearing_id == hearing.id)).all()
    return {v.person_id: v for v in rows}


def limitation_deadline(session: Session, case: Case) -> Deadline | None:
    """The case's current disciplinary limitation deadline (open, suspended or missed).

    A ``missed`` one counts too: the sweep marks it so once its day passed, and the
    hearing rules care about exactly that day.
    """
    return session.exec(
        select(Deadline)
        .where(Deadline.case_id == case.id, Deadline.name == "limitation")
        .where(
            col(Deadline.status).in_(
                [DeadlineStatus.open, DeadlineStatus.suspended, DeadlineStatus.missed]
            )
        )
        .order_by(col(Deadline.id).desc())
    ).first()


def decision_of(session: Session, case: Case) -> Decision | None:
    """The case's Board decision, if taken."""
    return session.exec(select(Decision).where(Decision.case_id == case.id)).first()
