"""The Ethics Board's hearing steps, shared by the lifecycles the Board hears.

A complaint reaches them by ``refer_to_board``, a restoration case by ``escalate --set
to=board``; from ``hearing_scheduled`` on the steps are the same rows in both tables.
"""

from __future__ import annotations

from collections.abc import Callable

from ethicsflow.models.boards import decision, hearing
from ethicsflow.models.boards import notices as board_notices
from ethicsflow.models.lifecycle import payloads as p
from ethicsflow.models.lifecycle.base import SECRETARY, Action
from ethicsflow.models.lifecycle.context import Context


def schedule_hearing(
    source: str, effect: Callable[[Context[p.ScheduleHearing]], None]
) -> Action[p.ScheduleHearing]:
    """``schedule_hearing`` from ``source`` (or again, to move the hearing), with the
    ``effect`` of the case kind (a restoration case checks where it was escalated to)."""
    return Action(
        "schedule_hearing",
        (source, "hearing_scheduled"),
        "hearing_scheduled",
        (SECRETARY,),
        p.ScheduleHearing,
        "schedule (or reschedule) the Ethics Board hearing; invites the members and the"
        " parties, recuses members with a conflict of interest",
        effect=effect,
        notices=(board_notices.invited,),
    )


HEARING_STEPS = (
    Action(
        "record_attendance",
        ("hearing_scheduled",),
        None,
        (SECRETARY,),
        p.RecordAttendance,
        "record the board members present at the hearing (on or after its day)",
        effect=hearing.record_attendance,
    ),
    Action(
        "recuse",
        ("hearing_scheduled",),
        None,
        (SECRETARY,),
        p.Recuse,
        "record a member's recusal and the other members' decision on it (APPK Art. 67)",
        effect=hearing.recuse,
    ),
    Action(
        "record_vote",
        ("hearing_scheduled",),
        None,
        (SECRETARY,),
        p.RecordVote,
        "record a present member's vote on the proposed decision",
        effect=hearing.record_vote,
    ),
    Action(
        "decide",
        ("hearing_scheduled",),
        "decided",
        (SECRETARY,),
        p.Decide,
        "record the Board's decision (needs the quorum and the majority of the policy)",
        effect=decision.decide,
        notices=(board_notices.decided,),
    ),
)
"""Attendance, recusal, votes and the decision (to ``decided``)."""
