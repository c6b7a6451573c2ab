"""A restoration case escalated to the Ethics Board is heard and decided by it."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from ethicsflow.models.boards import roster as boards
from ethicsflow.models.errors import InvalidInput
from tests.support import factories as f
from tests.support.cases import act, history, show
from tests.support.restoration import (
    ACCEPTED,
    PROPOSED,
    People,
    accept,
    file_request,
)

REJECTED = "2026-11-20"
ESCALATED = "2026-11-23"
SCHEDULED = "2026-11-24"
HEARING = "2026-12-01"


def _board(region: str = "Astana") -> tuple[str, list[str]]:
    agency = f.org(region=region)
    secretary = f.person(agency, "board_secretary")
    members = [f.person(agency, "board_member") for _ in range(3)]
    code = f"B{f.uid().upper()[:6]}"
    boards.add_board(
        {"code": code, "name": "Ethics Board", "region": region, "secretary": secretary}
    )
    for i, email in enumerate(members):
        boards.add_member({"code": code, "email": email, "chair": i == 0})
    return secretary, members


def _escalated(b: People, to: str) -> str:
    number = file_request(b)
    accept(b, number, day=ACCEPTED)
    measure = {
        "what": "Revoke the order",
        "responsible": b.hr,
        "due_working_days": 5,
        "evidence": "revocation",
    }
    act(number, "propose_measures", b.commissioner, PROPOSED, {"measures": [measure]})
    act(number, "reject_measure", b.commissioner, REJECTED, {"measure": 1, "reason": "refused"})
    act(number, "escalate", b.commissioner, ESCALATED, {"to": to, "reason": "head refuses"})
    return number


def test_escalated_to_the_board_is_heard_decided_and_restored(home: Path) -> None:
    b = People()
    secretary, members = _board()
    number = _escalated(b, "board")
    assert "schedule_hearing" in show(number)["allowed_actions"]
    hearing = {"date": HEARING, "time": "11:00", "place": "Hall 2"}
    assert act(number, "schedule_hearing", secretary, SCHEDULED, hearing)["status"] == (
        "hearing_scheduled"
    )
    act(number, "record_attendance", secretary, HEARING, {"present": members})
    for email in members:
        act(number, "record_vote", secretary, HEARING, {"member": email, "vote": "for"})
    decided = act(
        number,
        "decide",
        secretary,
        HEARING,
        {"outcome": "violation", "standards": ["3.2"], "reason": "unlawful order"},
    )
    assert decided["status"] == "decided"
    assert show(number)["board"]["decision"]["votes"] == {"for": 3, "against": 0, "abstain": 0}
    issued = [e for e in history(number)["events"] if e["action"] == "issue_document"]
    assert issued, "the decision document is issued for the parties"
    path = (
        home / "documents" / number / f"board_decision-{issued[0]['payload']['language']}-v1.docx"
    )
    assert number in "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    done = act(
        number,
        "confirm_restored",
        b.commissioner,
        HEARING,
        {"servant_confirmed": True, "reason": "order revoked after the decision"},
    )
    assert done["status"] == "restored"


def test_escalated_to_the_agency_is_not_heard_by_the_board(home: Path) -> None:
    b = People()
    secretary, _ = _board()
    number = _escalated(b, "agency")
    with pytest.raises(InvalidInput, match="escalated to the agency, not to the Ethics Board"):
        act(
            number,
            "schedule_hearing",
            secretary,
            SCHEDULED,
            {"date": HEARING, "time": "11:00", "place": "Hall 2"},
        )
    assert show(number)["status"] == "escalated"
