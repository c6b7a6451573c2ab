"""A sitting of the Board as it stands: who sits, who is present, recused and has voted,
and the count by the policy's rule, the same count ``decide`` makes before it decides.

``count_sitting`` is that count (``decide`` refuses on it); ``sitting_state`` is what the
hearing screen shows of the case's current hearing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from ethicsflow.models.boards.quorum import Tally, tally
from ethicsflow.models.boards.records import current_hearing, recusals, votes
from ethicsflow.models.boards.roster import Seat, roster
from ethicsflow.models.boards.tables import Board, Hearing
from ethicsflow.models.cases.tables import Case
from ethicsflow.models.policy import Board as BoardRule


@dataclass(frozen=True)
class Count:
    """A sitting's count: the tally, and the members present (not recused) yet to vote."""

    tally: Tally
    missing: list[str]
    recorded: bool  # attendance has been recorded
    recused: int  # members whose recusal was upheld


def count_sitting(session: Session, hearing: Hearing, seats: list[Seat], rule: BoardRule) -> Count:
    """Count the hearing's sitting by ``rule`` (before attendance: nobody present)."""
    member_ids = {s.person.id for s in seats}
    out = {r.person_id for r in recusals(session, hearing) if r.upheld} & member_ids
    present = [pid for pid in (hearing.present or []) if pid in member_ids and pid not in out]
    cast = votes(session, hearing)
    counts = {"for": 0, "against": 0, "abstain": 0}
    for pid in present:
        if pid in cast:
            counts[cast[pid].vote] += 1
    chair = next((s for s in seats if s.chair), None)
    chair_vote = None
    if chair is not None and chair.person.id in present and chair.person.id in cast:
        chair_vote = cast[chair.person.id].vote
    result = tally(len(seats), len(out), len(present), counts, chair_vote, rule)
    emails = {s.person.id: s.person.email for s in seats}
    missing = sorted(emails[pid] for pid in present if pid not in cast)
    return Count(result, missing, hearing.present is not None, len(out))


def sitting_state(session: Session, case: Case, rule: BoardRule) -> dict[str, Any] | None:
    """The case's current hearing with each member's place in it and the count; None
    when no hearing was scheduled."""
    hearing = current_hearing(session, case)
    if hearing is None:
        return None
    board = session.get(Board, hearing.board_id)
    assert board is not None
    seats = roster(session, board)
    upheld = {r.person_id: r for r in recusals(session, hearing) if r.upheld}
    cast = votes(session, hearing)
    present = set(hearing.present or [])
    count = count_sitting(session, hearing, seats, rule)
    return {
        "board": board.code,
        "name": board.name,
        "hearing": {
            "date": hearing.date.isoformat(),
            "time": hearing.time,
            "place": hearing.place,
            "status": hearing.status,
        },
        "members": [
            {
                "email": s.person.email,
                "name": s.person.name,
                "chair": s.chair,
                "present": s.person.id in present if hearing.present is not None else None,
                "recused": upheld[s.person.id].ground if s.person.id in upheld else None,
                "vote": cast[s.person.id].vote if s.person.id in cast else None,
            }
            for s in seats
        ],
        "count": {
            "attendance_recorded": count.recorded,
            "members": len(seats),
            "quorum_needed": count.tally.quorum_needed,
            "quorum_met": count.tally.quorum_met,
            "eligible": count.tally.eligible,
            "for": count.tally.for_,
            "against": count.tally.against,
            "abstain": count.tally.abstain,
            "missing": count.missing,
            "adopted": count.tally.adopted,
        },
    }
