"""The Ethics Board steps of the complaint lifecycle: schedule, attend, recuse, vote, decide.

Dates are checked against the Kazakh calendar of 2026 (``holidays``): Republic Day Sun
25 October is moved to Mon 26 October; Independence Day is Wed 16 December; no other day
off falls in November or early December. Where a date follows from a rule the test asks
the calendar instead of hard-coding it.

The standard case: received Mon 2026-11-02, accepted Tue 11-03 (limitation: 1 month from
detection, Wed 2026-12-02), referred to the Board Wed 11-04; the secretary schedules on
Thu 11-05 for Mon 11-16 at 10:00.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from sqlmodel import col, select

from ethicsflow.models.boards import roster as boards
from ethicsflow.models.boards.tables import Decision, Hearing, Recusal, Vote
from ethicsflow.models.cases.access import actor_tokens, get_case, get_person
from ethicsflow.models.db import session_scope
from ethicsflow.models.errors import ActionNotAllowed, Conflict, InvalidInput, NotPermitted
from ethicsflow.models.lifecycle.base import SECRETARY
from ethicsflow.models.notifications.tables import Notification
from tests.support import factories as f
from tests.support.boards import (
    ACCEPTED,
    CAL,
    HEARING,
    PLACE,
    RECEIVED,
    REFERRED,
    SCHEDULED,
    Board,
    make_board,
    referred,
    schedule,
    scheduled,
)
from tests.support.cases import act, file_complaint, history, open_due, refused, show


def attend(board: Board, number: str, present: list[str], day: str = HEARING) -> dict[str, Any]:
    return act(number, "record_attendance", board.secretary, day, {"present": ",".join(present)})


def vote(
    board: Board, number: str, member: str, choice: str, day: str = HEARING, **values: Any
) -> dict[str, Any]:
    return act(
        number,
        "record_vote",
        board.secretary,
        day,
        {"member": member, "vote": choice, **values},
    )


def decide(
    board: Board, number: str, day: str = HEARING, by: str | None = None, **values: Any
) -> dict[str, Any]:
    payload = {
        "outcome": "violation",
        "standards": "3.1,3.4",
        "measure": "remark",
        "reason": "The remarks humiliated a subordinate at a staff meeting",
        **values,
    }
    return act(
        number, "decide", by or board.secretary, day, {k: v for k, v in payload.items() if v}
    )


def board_rows(number: str) -> tuple[Any, ...]:
    """The board rows of the case (hearings, recusals, votes, decisions), for no-write checks."""
    with session_scope() as session:
        case = get_case(session, number)
        hearings = session.exec(
            select(Hearing).where(Hearing.case_id == case.id).order_by(col(Hearing.id))
        ).all()
        ids = [h.id for h in hearings]
        recusals = session.exec(
            select(Recusal).where(col(Recusal.hearing_id).in_(ids)).order_by(col(Recusal.id))
        ).all()
        votes = session.exec(
            select(Vote).where(col(Vote.hearing_id).in_(ids)).order_by(col(Vote.id))
        ).all()
        decisions = session.exec(select(Decision).where(Decision.case_id == case.id)).all()
        return (
            tuple(
                (h.id, h.date, h.time, h.status, h.present, h.after_limitation) for h in hearings
            ),
            tuple((r.id, r.person_id, r.ground, r.upheld, r.raised_by) for r in recusals),
            tuple((v.id, v.person_id, v.vote, v.dissent) for v in votes),
            tuple(d.id for d in decisions),
        )


def refuse(
    number: str, error: type[Exception], match: str, attempt: Callable[[], object]
) -> pytest.ExceptionInfo[Exception]:
    """``helpers.refused`` plus: no board row changed, no decision exists afterwards."""
    before = board_rows(number)
    info = refused(number, error, match, attempt)
    after = board_rows(number)
    assert after == before
    return info


def hearings(number: str) -> list[Hearing]:
    with session_scope() as session:
        case = get_case(session, number)
        return list(
            session.exec(
                select(Hearing).where(Hearing.case_id == case.id).order_by(col(Hearing.id))
            ).all()
        )


def recusal_rows(number: str) -> list[tuple[str, str, str, str, bool]]:
    """(member e-mail, ground, reason, raised_by, upheld) on the current hearing."""
    with session_scope() as session:
        hearing_id = hearings(number)[-1].id
        rows = session.exec(select(Recusal).where(Recusal.hearing_id == hearing_id)).all()
        out = []
        for r in rows:
            person = get_person_by_id(session, r.person_id)
            out.append((person, r.ground, r.reason, r.raised_by, r.upheld))
        return out


def get_person_by_id(session: Any, person_id: int) -> str:
    from ethicsflow.models.people.tables import Person

    person = session.get(Person, person_id)
    assert person is not None
    return person.email


def decision(number: str) -> Decision | None:
    with session_scope() as session:
        case = get_case(session, number)
        return session.exec(select(Decision).where(Decision.case_id == case.id)).first()


def notifications(number: str, event: str) -> list[Notification]:
    with session_scope() as session:
        rows = session.exec(
            select(Notification).where(Notification.event == event).order_by(col(Notification.id))
        ).all()
    return [r for r in rows if number in r.dedup_key]


def hold(board: Board, number: str, day: str = HEARING, against: int = 0) -> None:
    """Record everyone present and their votes (the last ``against`` vote against)."""
    attend(board, number, board.members, day)
    for i, member in enumerate(board.members):
        choice = "against" if i >= len(board.members) - against else "for"
        vote(board, number, member, choice, day)


# --- the token --------------------------------------------------------------------------


def test_secretary_token_goes_to_the_secretary_of_the_regions_board(home: Path) -> None:
    board = make_board(3)
    number = referred(board)
    other = f.org(region="Almaty")
    other_secretary = f.person(other, "board_secretary")
    boards.add_board(
        {
            "code": "ALMATY",
            "name": "Board of Almaty",
            "region": "Almaty",
            "secretary": other_secretary,
        }
    )
    with session_scope() as session:
        case = get_case(session, number)
        tokens = {
            who: actor_tokens(session, case, get_person(session, who))
            for who in (board.secretary, other_secretary, board.chair, board.b.commissioner)
        }
    assert SECRETARY in tokens[board.secretary]  # though of another organization
    assert SECRETARY not in tokens[other_secretary]
    assert SECRETARY not in tokens[board.chair]
    assert SECRETARY not in tokens[board.b.commissioner]
    refuse(
        number,
        NotPermitted,
        "needs: secretary",
        lambda: act(
            number,
            "schedule_hearing",
            other_secretary,
            SCHEDULED,
            {"date": HEARING, "time": "10:00", "place": PLACE},
        ),
    )


# --- the whole way ----------------------------------------------------------------------


def test_hearing_happy_path_to_decided_then_answered(home: Path) -> None:
    board = make_board(5)
    number = referred(board)
    limitation = open_due(number, "limitation")
    assert limitation == "2026-12-02"

    result = schedule(board, number)
    assert result["status"] == "hearing_scheduled"
    assert result["notes"]["hearing"]["date"] == HEARING
    assert "recused" not in result["notes"]
    [hearing] = hearings(number)
    assert (hearing.date, hearing.time, hearing.place, hearing.status) == (
        dt.date(2026, 11, 16),
        "10:00",
        PLACE,
        "scheduled",
    )
    assert hearing.present is None and hearing.after_limitation is False

    invitations = notifications(number, "hearing_invitation")
    assert sorted(n.recipient for n in invitations) == sorted(
        [*board.members, board.b.filer, board.b.respondent]
    )
    kk = next(n for n in invitations if n.recipient == board.b.filer)
    assert kk.language == "kk" and "16.11.2026" in kk.body and "02.12.2026" in kk.body
    en = next(n for n in invitations if n.recipient == board.chair)
    assert en.language == "en" and "16 November 2026" in en.subject
    assert "chair of the Ethics Board" in en.body and "2 December 2026" in en.body
    assert "10:00" in en.body and PLACE in en.body and "Ethics Board of Astana" in en.body
    assert f"hearing{hearing.id}" in en.dedup_key

    attend(board, number, board.members)
    for member in board.members[:4]:
        vote(board, number, member, "for")
    vote(board, number, board.members[4], "against", dissent="The remarks were a joke")
    result = decide(board, number)
    assert (result["from"], result["status"]) == ("hearing_scheduled", "decided")
    assert "quorum met" in result["notes"]["tally"]

    row = decision(number)
    assert row is not None
    assert (row.outcome, row.standards, row.penalty, row.penalty_note) == (
        "violation",
        ["3.1", "3.4"],
        "remark",
        None,
    )
    assert (row.votes_for, row.votes_against, row.votes_abstain) == (4, 1, 0)
    assert (row.members, row.present, row.recused) == (5, 5, 0)
    assert row.code_version == "2023-11-02"  # in force on the receipt date
    assert "2/3" in row.quorum_rule and "assumption" in row.quorum_rule
    assert (row.decided_on, row.decided_by) == (dt.date(2026, 11, 16), board.secretary)
    assert hearings(number)[-1].status == "held"
    assert open_due(number, "limitation") == limitation  # a penalty may still follow

    sent = notifications(number, "decision")
    assert sorted(n.recipient for n in sent) == sorted([board.b.filer, board.b.respondent])
    # the decision document goes with it, issued in each recipient's language
    for n in sent:
        [path] = n.attachments
        assert path.endswith(f"{number}/board_decision-{n.language}-v1.docx"), path
        text = "\n".join(p.text for p in docx.Document(path).paragraphs)
        assert number in text
    assert {n.language for n in sent} == {"kk", "ru"}
    issued = [e for e in history(number)["events"] if e["action"] == "issue_document"]
    assert sorted(e["payload"]["language"] for e in issued) == ["kk", "ru"]
    kk = next(n for n in sent if n.recipient == board.b.filer)
    assert "Әдеп кодексінің бұзылуы анықталды" in kk.body and "Ескерту" in kk.body
    assert "8-тармақтың 1) тармақшасы" in kk.body
    assert "humiliated a subordinate" in kk.body
    shown = show(number)
    assert "answer" in shown["allowed_actions"]
    assert shown["board"]["hearing"] == {
        "date": HEARING,
        "time": "10:00",
        "place": PLACE,
        "status": "held",
        "after_limitation": False,
    }
    assert shown["board"]["present"] == board.members and shown["board"]["recused"] == []
    assert shown["board"]["decision"]["votes"] == {"for": 4, "against": 1, "abstain": 0}
    assert shown["board"]["decision"]["standards"] == ["3.1", "3.4"]

    result = act(number, "answer", board.b.commissioner, "2026-11-17", {"reason": "see decision"})
    assert result["status"] == "answered"
    assert history(number, verify=True)["verified"] is True


def test_decide_no_violation_cancels_limitation(home: Path) -> None:
    board = make_board(3)
    number = scheduled(board)
    hold(board, number)
    decide(board, number, outcome="no_violation", standards=None, measure=None)
    row = decision(number)
    assert row is not None and row.outcome == "no_violation" and row.standards == []
    assert [s for n, _, s in _deadlines(number) if n == "limitation"] == ["cancelled"]
    sent = notifications(number, "decision")
    assert {n.recipient for n in sent} == {board.b.filer, board.b.respondent}
    assert all("Ескерту" not in n.body for n in sent)


def _deadlines(number: str) -> list[tuple[str, str, str]]:
    return [(d["name"], d["due"], d["status"]) for d in show(number)["deadlines"]]


def test_hearing_steps_refused_from_board_referred(home: Path) -> None:
    board = make_board(3)
    number = referred(board)
    for action, values in (
        ("record_attendance", {"present": board.chair}),
        ("record_vote", {"member": board.chair, "vote": "for"}),
        ("decide", {"outcome": "no_violation", "reason": "nothing found"}),
    ):
        refuse(
            number,
            ActionNotAllowed,
            "not allowed from status board_referred",
            lambda a=action, v=values: act(number, a, board.secretary, HEARING, v),
        )


# --- schedule_hearing -------------------------------------------------------------------


def test_schedule_refused_on_a_holiday(home: Path) -> None:
    board = make_board(3)
    number = referred(board, category="discrediting")  # 3 months: 16 December is in time
    assert open_due(number, "limitation") > "2026-12-16"
    refuse(
        number,
        InvalidInput,
        r"--set date: 2026-12-16 is not a working day: it is a holiday \(Independence Day\)",
        lambda: schedule(board, number, date="2026-12-16"),
    )


def test_schedule_refused_on_a_weekend(home: Path) -> None:
    board = make_board(3)
    number = referred(board)
    refuse(
        number,
        InvalidInput,
        r"--set date: 2026-11-14 is not a working day: it is a weekend day \(Saturday\)",
        lambda: schedule(board, number, date="2026-11-14"),
    )


def test_schedule_refused_in_the_past(home: Path) -> None:
    board = make_board(3)
    number = referred(board)
    refuse(
        number,
        InvalidInput,
        r"--set date: 2026-11-04 is in the past \(today is 2026-11-05\)",
        lambda: schedule(board, number, date="2026-11-04"),
    )


def test_schedule_refused_with_notice_too_short(home: Path) -> None:
    board = make_board(3)
    number = referred(board)
    today = dt.date.fromisoformat(SCHEDULED)
    earliest = CAL.add_working_days(today, 3)
    too_soon = CAL.previous_working_day(earliest - dt.timedelta(days=1))
    assert (too_soon, earliest) == (dt.date(2026, 11, 9), dt.date(2026, 11, 10))
    info = refuse(
        number,
        InvalidInput,
        f"--set date: .* at least 3 working days .* is {earliest.isoformat()}",
        lambda: schedule(board, number, date=too_soon.isoformat()),
    )
    assert "APPK Art. 73(1)" in str(info.value) and "assumption" in str(info.value)
    assert schedule(board, number, date=earliest.isoformat())["status"] == "hearing_scheduled"


def test_schedule_refuses_bad_time_and_place(home: Path) -> None:
    board = make_board(3)
    number = referred(board)
    refuse(
        number,
        InvalidInput,
        "--set time: must be a time HH:MM",
        lambda: act(
            number,
            "schedule_hearing",
            board.secretary,
            SCHEDULED,
            {"date": HEARING, "time": "24:00", "place": PLACE},
        ),
    )
    refuse(
        number,
        InvalidInput,
        "--set place",
        lambda: act(
            number,
            "schedule_hearing",
            board.secretary,
            SCHEDULED,
            {"date": HEARING, "time": "10:00", "place": "x"},
        ),
    )


def test_schedule_after_limitation_needs_confirmation(home: Path) -> None:
    board = make_board(3)
    number = referred(board)
    limitation = dt.date.fromisoformat(open_due(number, "limitation"))
    late = CAL.add_working_days(limitation, 1)
    info = refuse(
        number,
        InvalidInput,
        f"--set date: {late.isoformat()} is after the disciplinary limitation date"
        f" {limitation.isoformat()}",
        lambda: schedule(board, number, date=late.isoformat()),
    )
    assert "confirm_after_limitation=true" in str(info.value)
    result = schedule(board, number, date=late.isoformat(), confirm_after_limitation="true")
    assert result["notes"]["after_limitation"] == limitation.isoformat()
    assert hearings(number)[-1].after_limitation is True
    # the limitation day itself needs no confirmation
    assert schedule(board, number, date=limitation.isoformat(), day="2026-11-06")
    assert hearings(number)[-1].after_limitation is False


def test_schedule_refused_without_board_members(home: Path) -> None:
    board = make_board(0)
    number = referred(board)
    refuse(
        number,
        InvalidInput,
        f"the board {board.code} .* has no members",
        lambda: schedule(board, number),
    )


def test_reschedule_replaces_the_hearing_and_invites_again(home: Path) -> None:
    board = make_board(3)
    number = scheduled(board)
    first = notifications(number, "hearing_invitation")
    assert len(first) == 5
    result = schedule(board, number, date="2026-11-18", day="2026-11-06", reason="room busy")
    assert result["from"] == result["status"] == "hearing_scheduled"
    assert result["notes"]["rescheduled"] == {"from": HEARING, "time": "10:00"}
    old, new = hearings(number)
    assert (old.status, new.status, new.date) == ("rescheduled", "scheduled", dt.date(2026, 11, 18))
    assert len(notifications(number, "hearing_invitation")) == 10
    # the old hearing's day no longer takes attendance: the new one is in the future
    refuse(
        number,
        InvalidInput,
        "the hearing is on 2026-11-18",
        lambda: attend(board, number, board.members),
    )


# --- automatic recusal ------------------------------------------------------------------


def test_respondents_line_manager_on_the_board_is_recused_automatically(home: Path) -> None:
    board = make_board(4, manager_on_board=True)
    manager = board.members[-1]
    number = referred(board)
    result = schedule(board, number)
    assert result["notes"]["recused"] == [manager]
    assert recusal_rows(number) == [
        (manager, "service_dependence", "is the respondent's line manager", "automatic", True)
    ]
    invited = {n.recipient for n in notifications(number, "hearing_invitation")}
    assert manager not in invited and set(board.members[:-1]) <= invited
    info = refuse(
        number,
        InvalidInput,
        f"--set present: {manager} is recused from this hearing",
        lambda: attend(board, number, board.members),
    )
    assert "deciding member" in str(info.value)
    attend(board, number, board.members[:-1])
    for member in board.members[:-1]:
        vote(board, number, member, "for")
    decide(board, number)
    row = decision(number)
    assert row is not None and (row.members, row.present, row.recused) == (4, 3, 1)


def test_member_who_is_a_party_is_recused_for_personal_interest(home: Path) -> None:
    board = make_board(3)
    code = board.b.code
    filer = board.members[1]  # a board member files the complaint
    filed = file_complaint(
        f.Body(code, board.b.commissioner, board.b.head, filer, board.b.respondent), RECEIVED
    )
    number = str(filed["number"])
    act(number, "accept", board.b.commissioner, ACCEPTED)
    act(number, "refer_to_board", board.b.commissioner, REFERRED, {"reason": "to the board"})
    schedule(board, number)
    assert recusal_rows(number) == [
        (filer, "personal_interest", "is the complainant", "automatic", True)
    ]


# --- record_attendance ------------------------------------------------------------------


def test_record_attendance_validations(home: Path) -> None:
    board = make_board(3)
    number = scheduled(board)
    refuse(
        number,
        InvalidInput,
        "the hearing is on 2026-11-16; attendance is recorded on that day or later",
        lambda: attend(board, number, board.members, day="2026-11-13"),
    )
    stranger = f.person(board.agency, "board_member")
    refuse(
        number,
        InvalidInput,
        f"--set present: {stranger} is not a member of the board {board.code}",
        lambda: attend(board, number, [board.chair, stranger]),
    )
    result = attend(board, number, [board.chair, board.members[1].upper()])
    assert result["notes"]["present"] == [board.chair, board.members[1]]
    assert "replaced" not in result["notes"]
    result = attend(board, number, board.members, day="2026-11-17")
    assert result["notes"]["replaced"] == [board.chair, board.members[1]]
    assert len(hearings(number)[-1].present or []) == 3


def test_record_attendance_again_drops_the_votes_of_members_now_absent(home: Path) -> None:
    board = make_board(3)
    number = scheduled(board)
    attend(board, number, board.members)
    vote(board, number, board.members[2], "against")
    result = attend(board, number, board.members[:2])
    assert result["notes"]["votes_removed"] == [board.members[2]]
    assert board_rows(number)[2] == ()


# --- recuse -----------------------------------------------------------------------------


def test_recuse_upheld_removes_member_from_present(home: Path) -> None:
    board = make_board(4)
    number = scheduled(board)
    attend(board, number, board.members)
    member = board.members[2]
    result = act(
        number,
        "recuse",
        board.secretary,
        HEARING,
        {
            "member": member,
            "reason": "brother-in-law of the respondent",
            "ground": "kinship",
            "raised_by": board.b.respondent,
        },
    )
    assert result["notes"]["removed_from_present"] == member
    assert recusal_rows(number) == [
        (member, "kinship", "brother-in-law of the respondent", board.b.respondent, True)
    ]
    assert len(hearings(number)[-1].present or []) == 3
    refuse(
        number,
        InvalidInput,
        f"--set member: {member} is recused from this hearing",
        lambda: vote(board, number, member, "for"),
    )
    refuse(
        number,
        Conflict,
        f"a recusal of {member} on this hearing is already recorded",
        lambda: act(
            number, "recuse", board.secretary, HEARING, {"member": member, "reason": "again"}
        ),
    )


def test_recuse_rejected_keeps_the_member_deciding(home: Path) -> None:
    board = make_board(3)
    number = scheduled(board)
    member = board.members[1]
    result = act(
        number,
        "recuse",
        board.secretary,
        "2026-11-10",
        {"member": member, "reason": "played football together", "upheld": "false"},
    )
    assert result["notes"]["recusal"] == {
        "member": member,
        "upheld": False,
        "raised_by": board.secretary,
    }
    hold(board, number)
    decide(board, number)
    row = decision(number)
    assert row is not None and (row.present, row.recused) == (3, 0)


def test_recuse_validations(home: Path) -> None:
    board = make_board(3)
    number = scheduled(board)
    stranger = f.person(board.agency)
    refuse(
        number,
        InvalidInput,
        f"--set member: {stranger} is not a member of the board",
        lambda: act(
            number,
            "recuse",
            board.secretary,
            HEARING,
            {"member": stranger, "reason": "some reason"},
        ),
    )
    refuse(
        number,
        InvalidInput,
        f"--set raised_by: {stranger} is neither a party",
        lambda: act(
            number,
            "recuse",
            board.secretary,
            HEARING,
            {"member": board.chair, "reason": "some reason", "raised_by": stranger},
        ),
    )
    refuse(
        number,
        InvalidInput,
        "--set ground",
        lambda: act(
            number,
            "recuse",
            board.secretary,
            HEARING,
            {"member": board.chair, "reason": "some reason", "ground": "dislike"},
        ),
    )
    attend(board, number, board.members)
    vote(board, number, board.chair, "for")
    refuse(
        number,
        InvalidInput,
        f"--set member: {board.chair} has already voted",
        lambda: act(
            number,
            "recuse",
            board.secretary,
            HEARING,
            {"member": board.chair, "reason": "some reason"},
        ),
    )


# --- record_vote ------------------------------------------------------------------------


def test_record_vote_validations(home: Path) -> None:
    board = make_board(4)
    number = scheduled(board)
    refuse(
        number,
        InvalidInput,
        "record_vote: attendance is not recorded yet",
        lambda: vote(board, number, board.chair, "for"),
    )
    attend(board, number, board.members[:3])
    refuse(
        number,
        InvalidInput,
        f"--set member: {board.members[3]} is not recorded present",
        lambda: vote(board, number, board.members[3], "for"),
    )
    refuse(
        number,
        InvalidInput,
        "--set vote",
        lambda: vote(board, number, board.chair, "yes"),
    )
    vote(board, number, board.chair, "for")
    result = vote(board, number, board.chair, "against", dissent="changed my mind")
    assert result["notes"]["replaced"] == "for → against"
    assert [(v[2], v[3]) for v in board_rows(number)[2]] == [("against", "changed my mind")]


# --- decide -----------------------------------------------------------------------------


def test_decide_refusals_in_order(home: Path) -> None:
    board = make_board(5)  # quorum: 4 of 5
    number = scheduled(board)
    refuse(
        number,
        InvalidInput,
        "decide: attendance is not recorded",
        lambda: decide(board, number),
    )
    attend(board, number, board.members[:3])
    info = refuse(
        number,
        InvalidInput,
        r"decide: no quorum: 3 of 5 members present and not recused \(0 recused\);"
        r" the quorum is 4",
        lambda: decide(board, number),
    )
    assert "2/3" in str(info.value) and "assumption" in str(info.value)
    attend(board, number, board.members[:4])
    vote(board, number, board.members[0], "for")
    vote(board, number, board.members[2], "against")
    info = refuse(
        number,
        InvalidInput,
        "decide: votes missing from",
        lambda: decide(board, number),
    )
    assert sorted(info.value.message.split("from ")[1].split(" (")[0].split(", ")) == sorted(
        [board.members[1], board.members[3]]
    )
    vote(board, number, board.members[1], "against")
    vote(board, number, board.members[3], "for")
    # the chair (members[0]) changes to against, members[1] to for: still 2 for, 2 against,
    # a tie that the chair decides against
    vote(board, number, board.members[0], "against")
    vote(board, number, board.members[1], "for")
    info = refuse(
        number,
        InvalidInput,
        "decide: the decision is not adopted by the votes: .*2 for, 2 against.*tie",
        lambda: decide(board, number),
    )
    assert "chair, who voted against" in str(info.value)
    vote(board, number, board.members[0], "for")
    vote(board, number, board.members[1], "against")
    for values, match in (
        ({"standards": "9.9"}, "--set standards: 9.9 not in the Ethical Code version 2023-11-02"),
        ({"standards": ""}, "--set standards: a violation must cite the standards"),
        ({"measure": "flogging"}, "--set measure: unknown penalty 'flogging'"),
        (
            {"outcome": "no_violation", "measure": None},
            "--set standards: a finding of no violation",
        ),
        (
            {"outcome": "no_violation", "standards": None},
            "--set measure: a penalty is recommended only",
        ),
        ({"outcome": "maybe"}, "--set outcome"),
        ({"reason": "no"}, "--reason"),
    ):
        refuse(number, InvalidInput, match, lambda v=values: decide(board, number, **v))
    assert decision(number) is None
    result = decide(board, number)  # the tie goes the chair's way
    assert result["status"] == "decided"
    assert "decided by the chair, who voted for" in result["notes"]["tally"]


@pytest.mark.parametrize("who", ["commissioner", "chair", "filer"])
def test_decide_by_anyone_but_the_secretary_is_not_permitted(home: Path, who: str) -> None:
    board = make_board(3)
    number = scheduled(board)
    hold(board, number)
    actor = {"commissioner": board.b.commissioner, "chair": board.chair, "filer": board.b.filer}[
        who
    ]
    refuse(number, NotPermitted, "needs: secretary", lambda: decide(board, number, by=actor))
    assert decision(number) is None


def test_decide_measure_after_limitation_refused(home: Path) -> None:
    board = make_board(3)
    number = referred(board)
    limitation = dt.date.fromisoformat(open_due(number, "limitation"))
    late = CAL.add_working_days(limitation, 1).isoformat()
    schedule(board, number, date=late, confirm_after_limitation=True)
    hold(board, number, day=late)
    refuse(
        number,
        InvalidInput,
        "--set measure: a penalty cannot be recommended after the limitation date"
        rf" {limitation.isoformat()} \(Law 416-V Art. 45\)",
        lambda: decide(board, number, day=late),
    )
    assert decision(number) is None
    decide(board, number, day=late, measure=None)
    row = decision(number)
    assert row is not None and row.penalty is None
    assert row.penalty_note is not None and limitation.isoformat() in row.penalty_note
    assert "Law 416-V Art. 45" in row.penalty_note
    sent = notifications(number, "decision")
    assert len(sent) == 2 and all("Ескерту" not in n.body for n in sent)


def test_decide_cites_the_code_version_of_the_conduct_date(home: Path) -> None:
    # Conduct Fri 2023-10-20, before the Code was rewritten on 2023-11-02; received Mon
    # 2023-11-20 (limitation 2023-12-20); the hearing is Mon 2023-12-04.
    board = make_board(3)
    filed = file_complaint(board.b, "2023-11-20", committed_on="2023-10-20")
    number = str(filed["number"])
    act(number, "accept", board.b.commissioner, "2023-11-21")
    act(number, "refer_to_board", board.b.commissioner, "2023-11-22", {"reason": "to the board"})
    schedule(board, number, date="2023-12-04", day="2023-11-23")
    hold(board, number, day="2023-12-04")
    refuse(
        number,
        InvalidInput,
        r"3.4 not in the Ethical Code version 2015 \(in force on 2023-10-20, the date of the"
        r" conduct\)",
        lambda: decide(board, number, day="2023-12-04", standards="3.1,3.4"),
    )
    decide(board, number, day="2023-12-04", standards="3.1")
    row = decision(number)
    assert row is not None and row.code_version == "2015" and row.standards == ["3.1"]
    body = next(n.body for n in notifications(number, "decision") if n.recipient == board.b.filer)
    assert "9-тармақтың 1) тармақшасы" in body  # para. 9 in the 2015 numbering


def test_reschedule_keeps_upheld_recusals_and_recomputes_automatic_ones(home: Path) -> None:
    board = make_board(4, manager_on_board=True)
    manager = board.members[-1]
    number = scheduled(board)
    act(
        number,
        "recuse",
        board.secretary,
        "2026-11-06",
        {"member": board.members[1], "reason": "cousin of the filer", "ground": "kinship"},
    )
    act(
        number,
        "recuse",
        board.secretary,
        "2026-11-06",
        {"member": board.members[2], "reason": "asked by the respondent", "upheld": False},
    )
    result = schedule(board, number, date="2026-11-18", day="2026-11-09")
    assert sorted(result["notes"]["recused"]) == sorted([manager, board.members[1]])
    assert sorted(recusal_rows(number)) == sorted(
        [
            (manager, "service_dependence", "is the respondent's line manager", "automatic", True),
            (board.members[1], "kinship", "cousin of the filer", board.secretary, True),
        ]
    )
    assert "warning" in result["notes"]  # 2 of 4 members left; the quorum is 3


def test_record_attendance_refuses_a_member_with_a_conflict_added_later(home: Path) -> None:
    board = make_board(3)
    number = scheduled(board)
    late = f.person(board.agency, "board_member")
    boards.add_member({"code": board.code, "email": late})
    with session_scope(write=True) as session:  # the respondent now reports to the newcomer
        respondent = get_person(session, board.b.respondent)
        respondent.manager_id = get_person(session, late).id
        session.add(respondent)
    info = refuse(
        number,
        InvalidInput,
        f"--set present: {late} is the respondent's line manager",
        lambda: attend(board, number, [*board.members, late]),
    )
    assert "record the recusal first" in str(info.value)
