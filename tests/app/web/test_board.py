"""The Board's screens: the hearings calendar, and the hearing on the case page (members,
attendance, recusals, votes, the count by the rule ``decide`` uses), run to a decision
with the Code's standards picked from a list, and its documents downloaded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ethicsflow.models.accounts.operations import set_password
from ethicsflow.models.cases.views import case_view
from ethicsflow.models.db import session_scope
from tests.support.api import Client
from tests.support.boards import Board, make_board, scheduled
from tests.support.web import PASSWORD, Page, sign_in


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """SQLite only: the Board's steps are proven on both databases by the model tests."""
    return f"sqlite:///{tmp_path / 'ethicsflow.db'}"


@pytest.fixture
def sitting(home: Path) -> tuple[Board, str]:
    board = make_board(5)
    set_password(board.secretary, PASSWORD)
    return board, scheduled(board)


def post(web: Client, page: Page, action: str, **values: Any) -> Any:
    form = page.form(**{"data-action": action})
    data = {k: v for k, v in form["inputs"].items() if k not in values and v}
    return web.post(form["action"], data={**data, **values})


def test_the_secretary_runs_the_hearing_to_a_decision(
    sitting: tuple[Board, str], web: Client, prefect_harness: None
) -> None:
    board, number = sitting
    sign_in(web, board.secretary)
    calendar = web.get("/board")
    assert calendar.status_code == 200 and number in calendar.text

    page = Page(web.get(f"/cases/{number}?lang=en").text)
    assert "Attendance is not recorded yet." in page.text
    present = board.members[:4]
    done = post(web, page, "record_attendance", **{"fields.present": present})
    assert done.status_code == 303, Page(done.text).errors
    page = Page(web.get(f"/cases/{number}?lang=en").text)
    assert "Quorum: 4 of 5 members present and not recused, 4 needed. Met." in page.text

    for member, choice in zip(present, ("for", "for", "for", "against"), strict=True):
        voted = post(web, page, "record_vote", **{"fields.member": member, "fields.vote": choice})
        assert voted.status_code == 303, Page(voted.text).errors
        page = Page(web.get(f"/cases/{number}?lang=en").text)
    assert "Votes: 3 for, 1 against, 0 abstaining." in page.text
    assert "A decision would be adopted by the Board's rule." in page.text

    missing = post(web, page, "decide", **{"fields.outcome": "violation", "reason": "shouting"})
    shown = Page(missing.text)
    assert missing.status_code == 422 and "decide-fields-standards" in shown.errors
    assert shown.form(**{"data-action": "decide"})["inputs"]["reason"] == "shouting"

    decided = post(
        web,
        page,
        "decide",
        **{"fields.outcome": "violation", "fields.standards": ["2.1", "3.4"], "reason": "shouting"},
    )
    assert decided.status_code == 303, Page(decided.text).errors
    with session_scope() as session:
        shown_case = case_view(session, number)
    assert shown_case["board"]["decision"]["standards"] == ["2.1", "3.4"]

    page_text = web.get(f"/cases/{number}?lang=en").text
    links = [part.split('"')[0] for part in page_text.split('href="/api/v1/documents/')[1:]]
    assert links, "the decision documents are listed"
    document = web.get(f"/api/v1/documents/{links[0]}")
    assert document.status_code == 200 and document.content[:2] == b"PK"  # a .docx
