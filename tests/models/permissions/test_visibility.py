"""visible_cases: the lists' where-clause agrees with may(case.list) case by case.

Four cases: the world's (before the Board), another of the same body (not before the
Board), one of another body in another region, and one of the same body closed after a
hearing of the Board.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlmodel import col, select

from ethicsflow.models.boards.tables import Board, Hearing
from ethicsflow.models.cases import operations, views
from ethicsflow.models.cases.access import get_case
from ethicsflow.models.cases.tables import Case
from ethicsflow.models.db import session_scope
from ethicsflow.models.permissions.decide import may, visible_cases
from ethicsflow.models.permissions.relations import Relation
from ethicsflow.models.permissions.table import Operation
from tests.support import factories as f
from tests.support.permissions import STRANGER, World, person, world


@dataclass
class Cases:
    world: World
    before_board: str
    same_body: str
    other_body: str
    heard: str

    @property
    def numbers(self) -> set[str]:
        return {self.before_board, self.same_body, self.other_body, self.heard}


def _file(org: str, by: str) -> str:
    return str(
        operations.file_one(
            {
                "kind": "complaint",
                "org": org,
                "by": by,
                "summary": "Rude and humiliating remarks at a staff meeting",
            }
        )["number"]
    )


@pytest.fixture(scope="module")
def cases(module_db: str) -> Cases:
    w = world()
    same_body = _file(w.org, f.person(w.org))
    other_body = _file(w.other_org, f.person(w.other_org))
    heard = _file(w.org, f.person(w.org))
    with session_scope(write=True) as session:
        case = get_case(session, heard)
        board = session.exec(
            select(Board).where(
                Board.secretary_id == person(session, w.email("board_secretary")).id
            )
        ).one()
        session.add(
            Hearing(case_id=case.id or 0, board_id=board.id or 0, date=date(2026, 1, 5),
                    time="10:00", place="Hall")
        )  # fmt: skip
        case.status = "closed"
        case.bump()
        session.add(case)
    return Cases(w, w.number, same_body, other_body, heard)


def _visible(cases: Cases, who: str) -> set[str]:
    with session_scope() as session:
        someone = person(session, cases.world.email(who))
        operator = who == Relation.operator
        where = visible_cases(session, someone, operator=operator)
        found = session.exec(
            select(Case.number).where(where, col(Case.number).in_(cases.numbers))
        ).all()
        by_may = {
            number
            for number in cases.numbers
            if may(
                session, someone, Operation.case_list, get_case(session, number), operator=operator
            )
        }
        assert set(found) == by_may, "visible_cases and may(case.list) disagree"
        # A list kept to one organization (the clause may then be simpler) keeps the same.
        for org_id in {get_case(session, number).organization_id for number in cases.numbers}:
            within = visible_cases(session, someone, operator=operator, organization_id=org_id)
            kept = session.exec(
                select(Case.number).where(
                    within, col(Case.organization_id) == org_id, col(Case.number).in_(cases.numbers)
                )
            ).all()
            in_org = {n for n in by_may if get_case(session, n).organization_id == org_id}
            assert set(kept) == in_org, f"visible_cases within organization {org_id} disagrees"
    return set(found)


@pytest.mark.parametrize("who", [*Relation, STRANGER])
def test_visible_cases_agrees_with_may(cases: Cases, who: str) -> None:
    _visible(cases, who)


def test_visible_cases_by_relation(cases: Cases) -> None:
    c = cases
    body = {c.before_board, c.same_body, c.heard}
    assert _visible(c, Relation.filer) == {c.before_board}
    assert _visible(c, Relation.respondent) == {c.before_board}
    assert _visible(c, Relation.assignee) == {c.before_board}
    for who in (Relation.body_commissioner, Relation.body_head, Relation.body_admin):
        assert _visible(c, who) == body, who
    for who in (Relation.board_secretary, Relation.board_member):
        assert _visible(c, who) == {c.before_board, c.heard}, who  # not the same_body case
    assert _visible(c, Relation.agency) == c.numbers
    assert _visible(c, Relation.operator) == c.numbers
    assert _visible(c, Relation.installation_admin) == set()
    assert _visible(c, STRANGER) == {c.other_body}  # a commissioner of the other body


def test_list_cases_keeps_what_the_viewer_may_see(cases: Cases) -> None:
    with session_scope() as session:
        head = person(session, cases.world.email(Relation.body_head))
        listed = {row["number"] for row in views.list_cases(session, viewer=head)}
        everything = {row["number"] for row in views.list_cases(session)}  # the operator
    assert listed & cases.numbers == {cases.before_board, cases.same_body, cases.heard}
    assert everything >= cases.numbers
