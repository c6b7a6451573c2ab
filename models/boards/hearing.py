"""Effects of the Ethics Board's hearing steps: schedule, attendance, recusal, vote.

All are done by the secretary of the board of the case's region (token ``secretary``).
Each effect refuses with a domain error naming the field and the rule (the engine's
transaction then writes nothing), or writes the board rows of ``boards/tables.py`` and
records what it did in ``ctx.notes``. The decision is in ``decision.py``; the
invitations in ``notices.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import select

from ethicsflow.models.boards.quorum import tally
from ethicsflow.models.boards.records import (
    LIMITATION_BASIS,
    current_hearing,
    limitation_deadline,
    recusals,
    recused_ids,
    votes,
)
from ethicsflow.models.boards.roster import Seat, board_of_case, roster
from ethicsflow.models.boards.tables import (
    Board,
    Hearing,
    HearingStatus,
    Recusal,
    RecusalGround,
    Vote,
)
from ethicsflow.models.cases.access import party_person
from ethicsflow.models.cases.assignment import conflicts
from ethicsflow.models.cases.tables import Party, PartyRole
from ethicsflow.models.deadlines.tables import Deadline
from ethicsflow.models.errors import Conflict, FieldRef, InvalidInput, operation
from ethicsflow.models.errors import payload as in_payload
from ethicsflow.models.lifecycle import payloads as p
from ethicsflow.models.lifecycle.context import Context
from ethicsflow.models.people.tables import Person


@dataclass(frozen=True)
class Sitting:
    """The current hearing of a case with its board and members."""

    hearing: Hearing
    board: Board
    seats: list[Seat]

    def seat(self, email: str) -> Seat | None:
        return next((s for s in self.seats if s.person.email == email), None)


def sitting_of(ctx: Context[p.Payload]) -> Sitting:
    hearing = current_hearing(ctx.session, ctx.case)
    if hearing is None or hearing.status != HearingStatus.scheduled:
        raise InvalidInput("hearing.not_scheduled", action=ctx.action, number=ctx.case.number)
    board = ctx.session.get(Board, hearing.board_id)
    assert board is not None
    return Sitting(hearing, board, roster(ctx.session, board))


def _member(ctx: Context[p.Payload], sitting: Sitting, email: str, field: FieldRef) -> Seat:
    seat = sitting.seat(email)
    if seat is None:
        raise InvalidInput(
            "board.not_member",
            field,
            email=email,
            board=sitting.board.code,
            name=sitting.board.name,
        )
    return seat


def _conflict(ctx: Context[p.Payload], person: Person) -> str | None:
    return conflicts(
        person,
        party_person(ctx.session, ctx.case, PartyRole.complainant),
        party_person(ctx.session, ctx.case, PartyRole.respondent),
    )


def _conflict_ground(ctx: Context[p.Payload], person: Person) -> RecusalGround:
    parties = {
        party.id
        for party in (
            party_person(ctx.session, ctx.case, PartyRole.complainant),
            party_person(ctx.session, ctx.case, PartyRole.respondent),
        )
        if party is not None
    }
    return (
        RecusalGround.personal_interest
        if person.id in parties
        else RecusalGround.service_dependence
    )


# --- schedule_hearing -----------------------------------------------------------------------


def _check_date(ctx: Context[p.Payload], payload: p.ScheduleHearing) -> Deadline | None:
    day = payload.date
    if day < ctx.today:
        raise InvalidInput("hearing.date_in_past", in_payload("date"), date=day, today=ctx.today)
    if not ctx.cal.is_working_day(day):
        name = ctx.cal.holiday_name(day, "en")
        if name:
            raise InvalidInput("hearing.date_holiday", in_payload("date"), date=day, holiday=name)
        raise InvalidInput(
            "hearing.date_weekend", in_payload("date"), date=day, weekday=day.strftime("%A")
        )
    notice = ctx.policy.hearing_notice
    earliest = ctx.cal.add_working_days(ctx.today, notice.amount)
    if day < earliest:
        raise InvalidInput(
            "hearing.notice_too_short",
            in_payload("date"),
            days=notice.amount,
            today=ctx.today,
            earliest=earliest,
            basis=notice.basis,
            status=notice.status,
        )
    limitation = limitation_deadline(ctx.session, ctx.case)
    if limitation is not None and day > limitation.due and not payload.confirm_after_limitation:
        raise InvalidInput(
            "hearing.after_limitation",
            in_payload("date"),
            date=day,
            limitation=limitation.due,
            basis=LIMITATION_BASIS,
            confirm=in_payload("confirm_after_limitation", "true"),
        )
    return limitation


def schedule_hearing(ctx: Context[p.ScheduleHearing]) -> None:
    payload = ctx.payload
    board = board_of_case(ctx.session, ctx.case)
    seats = roster(ctx.session, board)
    if not seats:
        raise InvalidInput(
            "board.no_members",
            action="schedule_hearing",
            board=board.code,
            name=board.name,
            add=operation("board member add"),
        )
    limitation = _check_date(ctx, payload)
    after = limitation is not None and payload.date > limitation.due

    carried: list[Recusal] = []
    for old in ctx.session.exec(
        select(Hearing).where(
            Hearing.case_id == ctx.case.id, Hearing.status == HearingStatus.scheduled
        )
    ).all():
        old.status = HearingStatus.rescheduled
        ctx.session.add(old)
        ctx.notes["rescheduled"] = {"from": old.date.isoformat(), "time": old.time}
        # A recusal raised and upheld stands for the case, not for one sitting.
        carried += [
            r for r in recusals(ctx.session, old) if r.upheld and r.raised_by != "automatic"
        ]

    hearing = Hearing(
        case_id=ctx.case.id or 0,
        board_id=board.id or 0,
        date=payload.date,
        time=payload.time,
        place=payload.place,
        after_limitation=after,
    )
    ctx.session.add(hearing)
    ctx.session.flush()
    hearing_id = hearing.id or 0

    recused: list[str] = []
    for seat in seats:
        why = _conflict(ctx, seat.person)
        if why is None:
            continue
        ctx.session.add(
            Recusal(
                hearing_id=hearing_id,
                person_id=seat.person.id or 0,
                ground=_conflict_ground(ctx, seat.person),
                reason=why,
                raised_by="automatic",
                upheld=True,
            )
        )
        recused.append(seat.person.email)
    automatic = set(recused)
    emails = {s.person.id: s.person.email for s in seats}
    for row in carried:
        email = emails.get(row.person_id)
        if email is None or email in automatic:
            continue  # no longer a member, or recused automatically already
        ctx.session.add(
            Recusal(
                hearing_id=hearing_id,
                person_id=row.person_id,
                ground=row.ground,
                reason=row.reason,
                raised_by=row.raised_by,
                upheld=True,
            )
        )
        recused.append(email)

    ctx.notes["hearing"] = {
        "board": board.code,
        "date": payload.date.isoformat(),
        "time": payload.time,
        "place": payload.place,
    }
    if recused:
        ctx.notes["recused"] = recused
    if after and limitation is not None:
        ctx.notes["after_limitation"] = limitation.due.isoformat()
    eligible = len(seats) - len(recused)
    result = tally(len(seats), len(recused), eligible, {}, None, ctx.policy.board)
    if not result.quorum_met:
        ctx.notes["warning"] = (
            f"only {eligible} of {len(seats)} members are not recused; the quorum is"
            f" {result.quorum_needed}"
        )


# --- record_attendance ----------------------------------------------------------------------


def record_attendance(ctx: Context[p.RecordAttendance]) -> None:
    payload = ctx.payload
    sitting = sitting_of(ctx)
    hearing = sitting.hearing
    if ctx.today < hearing.date:
        raise InvalidInput(
            "attendance.before_hearing",
            action="record_attendance",
            hearing=hearing.date,
            today=ctx.today,
        )
    out = recused_ids(ctx.session, hearing)
    ids: list[int] = []
    for email in payload.present:
        seat = _member(ctx, sitting, email, in_payload("present"))
        pid = seat.person.id or 0
        if pid in out:
            raise InvalidInput("attendance.recused", in_payload("present"), email=email)
        why = _conflict(ctx, seat.person)
        if why is not None:
            raise InvalidInput("attendance.conflict", in_payload("present"), email=email, why=why)
        ids.append(pid)
    old = hearing.present
    hearing.present = ids
    ctx.session.add(hearing)
    ctx.notes["present"] = list(payload.present)
    if old is not None and sorted(old) != sorted(ids):
        emails = {s.person.id: s.person.email for s in sitting.seats}
        ctx.notes["replaced"] = [emails.get(i, str(i)) for i in old]
        dropped = []
        for pid, vote in votes(ctx.session, hearing).items():
            if pid not in ids:  # a vote counts only from a member present
                ctx.session.delete(vote)
                dropped.append(emails.get(pid, str(pid)))
        if dropped:
            ctx.notes["votes_removed"] = dropped


# --- recuse ---------------------------------------------------------------------------------


def _raised_by_allowed(ctx: Context[p.Payload], sitting: Sitting, email: str) -> bool:
    if sitting.seat(email) is not None or email == ctx.actor_label:
        return True
    for party in ctx.session.exec(select(Party).where(Party.case_id == ctx.case.id)).all():
        person = ctx.session.get(Person, party.person_id) if party.person_id else None
        if email in ((party.email or "").lower(), person.email if person else ""):
            return True
    return False


def recuse(ctx: Context[p.Recuse]) -> None:
    payload = ctx.payload
    sitting = sitting_of(ctx)
    hearing = sitting.hearing
    seat = _member(ctx, sitting, payload.member, in_payload("member"))
    pid = seat.person.id or 0
    existing = next((r for r in recusals(ctx.session, hearing) if r.person_id == pid), None)
    if existing is not None:
        raise Conflict(
            "recusal.already_upheld" if existing.upheld else "recusal.already_rejected",
            in_payload("member"),
            member=payload.member,
            raised_by=existing.raised_by,
            reason=existing.reason,
        )
    if pid in votes(ctx.session, hearing):
        raise InvalidInput("recusal.after_vote", in_payload("member"), member=payload.member)
    raised_by = payload.raised_by or ctx.actor_label
    if payload.raised_by and not _raised_by_allowed(ctx, sitting, payload.raised_by):
        raise InvalidInput(
            "recusal.raised_by_outsider",
            in_payload("raised_by"),
            email=payload.raised_by,
            number=ctx.case.number,
            board=sitting.board.code,
        )
    ctx.session.add(
        Recusal(
            hearing_id=hearing.id or 0,
            person_id=pid,
            ground=payload.ground,
            reason=payload.reason,
            raised_by=raised_by,
            upheld=payload.upheld,
        )
    )
    ctx.notes["recusal"] = {
        "member": payload.member,
        "upheld": payload.upheld,
        "raised_by": raised_by,
    }
    if payload.upheld and hearing.present is not None and pid in hearing.present:
        hearing.present = [i for i in hearing.present if i != pid]
        ctx.session.add(hearing)
        ctx.notes["removed_from_present"] = payload.member


# --- record_vote ----------------------------------------------------------------------------


def record_vote(ctx: Context[p.RecordVote]) -> None:
    payload = ctx.payload
    sitting = sitting_of(ctx)
    hearing = sitting.hearing
    if hearing.present is None:
        raise InvalidInput("vote.no_attendance", action="record_vote")
    seat = _member(ctx, sitting, payload.member, in_payload("member"))
    pid = seat.person.id or 0
    if pid in recused_ids(ctx.session, hearing):
        raise InvalidInput("vote.recused", in_payload("member"), member=payload.member)
    if pid not in hearing.present:
        raise InvalidInput("vote.not_present", in_payload("member"), member=payload.member)
    vote = votes(ctx.session, hearing).get(pid)
    if vote is not None:
        ctx.notes["replaced"] = f"{vote.vote} → {payload.vote.value}"
        vote.vote = payload.vote
        vote.dissent = payload.dissent
    else:
        vote = Vote(
            hearing_id=hearing.id or 0,
            person_id=pid,
            vote=payload.vote,
            dissent=payload.dissent,
        )
    ctx.session.add(vote)
    ctx.notes["vote"] = {"member": payload.member, "vote": payload.vote.value}
