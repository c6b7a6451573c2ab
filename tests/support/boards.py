"""An Ethics Board for tests: a body, the Agency's department hosting the Board, its
secretary and members, and a complaint referred to it and scheduled (the dates of
``tests/models/boards/test_hearing.py``: received Mon 2026-11-02, heard Mon 11-16)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ethicsflow.models.boards import roster as boards
from ethicsflow.models.deadlines.calendar import calendar_for
from ethicsflow.models.policy import load_policy
from tests.support import factories as f
from tests.support.cases import act, file_complaint, show

HOOK = "json://127.0.0.1:9/x"
RECEIVED = "2026-11-02"
ACCEPTED = "2026-11-03"
REFERRED = "2026-11-04"
SCHEDULED = "2026-11-05"
HEARING = "2026-11-16"
PLACE = "Astana, Mangilik El 8, room 301"
CAL = calendar_for(load_policy())


@dataclass
class Board:
    b: f.Body
    agency: str
    secretary: str
    code: str
    members: list[str]  # the chair first

    @property
    def chair(self) -> str:
        return self.members[0]


def make_board(
    members: int = 5, *, manager_on_board: bool = False, region: str = "Astana"
) -> Board:
    code = f.org(region=region)
    agency = f.org(region=region)
    secretary = f.person(agency, "board_secretary", notify=[HOOK])
    seats = [
        f.person(agency, "board_member", notify=[HOOK], language="en" if i == 0 else "ru")
        for i in range(members)
    ]
    respondent_values: dict[str, Any] = {"notify": [HOOK]}
    if manager_on_board:
        respondent_values["manager"] = seats[-1]
    body = f.Body(
        code=code,
        commissioner=f.person(code, "commissioner", notify=[HOOK]),
        head=f.person(code, "head"),
        filer=f.person(code, notify=[HOOK], language="kk"),
        respondent=f.person(code, **respondent_values),
    )
    board_code = f"B{f.uid().upper()[:6]}"
    boards.add_board(
        {
            "code": board_code,
            "name": f"Ethics Board of {region}",
            "region": region,
            "secretary": secretary,
        }
    )
    for i, email in enumerate(seats):
        boards.add_member({"code": board_code, "email": email, "chair": i == 0})
    return Board(body, agency, secretary, board_code, seats)


def referred(board: Board, category: str | None = None) -> str:
    filed = file_complaint(board.b, RECEIVED)
    number = str(filed["number"])
    values = {"offence_category": category} if category else {}
    act(number, "accept", board.b.commissioner, ACCEPTED, values)
    act(number, "refer_to_board", board.b.commissioner, REFERRED, {"reason": "breach likely"})
    assert show(number)["status"] == "board_referred"
    return number


def schedule(
    board: Board, number: str, date: str = HEARING, day: str = SCHEDULED, **values: Any
) -> dict[str, Any]:
    return act(
        number,
        "schedule_hearing",
        board.secretary,
        day,
        {"date": date, "time": "10:00", "place": PLACE, **values},
    )


def scheduled(board: Board, **kw: Any) -> str:
    number = referred(board)
    schedule(board, number, **kw)
    return number
