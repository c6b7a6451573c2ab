"""``/board``: the hearings calendar of the Boards a person is the secretary or a member
of, nearest first, each linking to its case page (the hearing screen)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session, col, or_, select

from ethicsflow.app.api.threads import reads
from ethicsflow.app.web.labels import humanize
from ethicsflow.app.web.pages import to_sign_in
from ethicsflow.app.web.render import page
from ethicsflow.app.web.visit import visit
from ethicsflow.models.boards.tables import Board, BoardMember, Hearing, HearingStatus
from ethicsflow.models.cases.tables import Case
from ethicsflow.models.db import session_scope
from ethicsflow.models.deadlines.rules import local_date
from ethicsflow.models.people.tables import Person
from ethicsflow.models.policy import load_policy
from ethicsflow.models.types import utcnow

router = APIRouter(include_in_schema=False)

LIMIT = 200


def hearings(session: Session, person: Person) -> list[dict[str, Any]]:
    """The hearings (not rescheduled) of the person's Boards, by date and time."""
    seats = select(BoardMember.board_id).where(BoardMember.person_id == person.id)
    rows = session.exec(
        select(Hearing, Board, Case)
        .join(Board, col(Board.id) == Hearing.board_id)
        .join(Case, col(Case.id) == Hearing.case_id)
        .where(
            Hearing.status != HearingStatus.rescheduled,
            or_(Board.secretary_id == person.id, col(Board.id).in_(seats)),
        )
        .order_by(col(Hearing.date), col(Hearing.time), col(Hearing.id))
        .limit(LIMIT)
    ).all()
    return [
        {
            "date": hearing.date.isoformat(),
            "time": hearing.time,
            "place": hearing.place,
            "status": hearing.status,
            "board": board.name,
            "number": case.number,
            "case_status": case.status,
        }
        for hearing, board, case in rows
    ]


@router.get("/board")
@reads
def calendar(request: Request) -> Response:
    v = visit(request)
    if v.person is None:
        return to_sign_in(request, v)
    today = local_date(utcnow(), load_policy().zone).isoformat()
    with session_scope() as session:
        listed = hearings(session, v.person)
    coming = [h for h in listed if h["date"] >= today and h["status"] == HearingStatus.scheduled]
    past = [h for h in listed if h not in coming]
    return page(
        request, "board.html", v.words, v=v, coming=coming, past=past[::-1], humanize=humanize
    )
