"""A world for the authorization tests: one case and one person per relation to it.

``world()`` files a complaint and adds, for every relation of ``models/permissions``, a
person who holds exactly that relation to the case (``stranger`` holds none, and is the
person the operator acts as). The case is put before its region's Ethics Board (status
``board_referred``, written directly: the decision does not care how it got there) and
its assignee is a servant of another body (so the assignee is not also a commissioner
of the case's body).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, select

from ethicsflow.models.boards import roster
from ethicsflow.models.cases import operations
from ethicsflow.models.cases.tables import Case
from ethicsflow.models.db import session_scope
from ethicsflow.models.people.tables import Person
from ethicsflow.models.permissions.relations import Relation
from tests.support import factories as f

HOOK = "json://127.0.0.1:9/hook"
STRANGER = "stranger"


@dataclass
class World:
    number: str
    org: str
    other_org: str
    people: dict[str, str] = field(default_factory=dict)  # relation (or stranger) -> e-mail

    def email(self, who: Relation | str) -> str:
        return self.people[STRANGER if who == Relation.operator else str(who)]


def person(session: Session, email: str) -> Person:
    return session.exec(select(Person).where(Person.email == email)).one()


def world(
    *,
    confidential: bool = False,
    status: str = "board_referred",
    filer_name: str | None = None,
    summary: str = "Rude and humiliating remarks at a staff meeting",
) -> World:
    region = f"Region {f.uid()}"
    body = f.org(region=region)
    agency_org = f.org(region=region)  # the Agency's regional department hosts the Board
    elsewhere = f.org(region=f"Region {f.uid()}")
    people = {
        Relation.filer: f.person(
            body, notify=[HOOK], iin="880505400321", **({"name": filer_name} if filer_name else {})
        ),
        Relation.respondent: f.person(body, notify=[HOOK]),
        Relation.assignee: f.person(elsewhere, notify=[HOOK]),
        Relation.body_commissioner: f.person(body, "commissioner", notify=[HOOK]),
        Relation.body_head: f.person(body, "head"),
        Relation.board_secretary: f.person(agency_org, "board_secretary"),
        Relation.board_member: f.person(elsewhere, "board_member"),
        Relation.agency: f.person(agency_org, "agency"),
        Relation.body_admin: f.person(body, "admin"),
        Relation.installation_admin: f.person(elsewhere, "platform_admin"),
        STRANGER: f.person(elsewhere, "commissioner", "head", "admin"),
    }
    code = f"B{f.uid().upper()[:6]}"
    roster.add_board(
        {
            "code": code,
            "name": "Ethics Board",
            "region": region,
            "secretary": people[Relation.board_secretary],
        }
    )
    roster.add_member({"code": code, "email": people[Relation.board_member]})
    filed = operations.file_one(
        {
            "kind": "complaint",
            "org": body,
            "by": people[Relation.filer],
            "against": people[Relation.respondent],
            "summary": summary,
            "confidential": confidential,
        }
    )
    with session_scope(write=True) as session:
        case = session.exec(select(Case).where(Case.number == filed["number"])).one()
        assignee = person(session, people[Relation.assignee])
        case.assignee_id = assignee.id
        case.status = status
        case.bump()
        session.add(case)
    return World(filed["number"], body, elsewhere, {str(k): v for k, v in people.items()})
