"""How a person stands to a case or to an organization: the relations of DESIGN §9.

A relation comes from data, never from what a caller types: the case's parties, its
assignee, the person's roles *in the case's organization*, the Ethics Board of the
case's region. ``operator`` is the one exception: the local socket's user is the
operator, and only the caller knows that (``may(..., operator=True)``).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, col, select

from ethicsflow.models.boards.tables import Board, BoardMember, Hearing
from ethicsflow.models.cases.tables import Case, Party, PartyRole
from ethicsflow.models.people.tables import Organization, Person, Role


class Relation(StrEnum):
    filer = "filer"  # the complainant party
    respondent = "respondent"  # the respondent party
    assignee = "assignee"  # the commissioner the case is assigned to
    body_commissioner = "body_commissioner"  # a commissioner of the case's organization
    body_head = "body_head"  # a head of the case's organization
    board_secretary = "board_secretary"  # secretary of the Board the case is referred to
    board_member = "board_member"  # member of the Board the case is referred to
    agency = "agency"  # the Agency for Civil Service Affairs: every body
    body_admin = "body_admin"  # administrator of the case's (or the target) organization
    installation_admin = "installation_admin"  # administrator of the whole installation
    operator = "operator"  # the OS user owning the home, on the local socket (never derived)


BODY_ROLES: dict[str, Relation] = {
    Role.commissioner: Relation.body_commissioner,
    Role.head: Relation.body_head,
    Role.admin: Relation.body_admin,
}
"""Roles that count only in the person's own organization."""

GLOBAL_ROLES: dict[str, Relation] = {
    Role.agency: Relation.agency,
    Role.platform_admin: Relation.installation_admin,
}
"""Roles that count in every organization."""

BOARD_STATUSES = frozenset({"board_referred", "escalated", "hearing_scheduled", "decided"})
"""Statuses in which a case is before the Ethics Board: the sources and destinations of
the secretary's steps (a test derives them from the lifecycles). ``escalated`` includes a
restoration case escalated to the Agency: its Board sees it too until it comes back."""


def org_relations(person: Person, org_id: int | None) -> frozenset[Relation]:
    """The relations ``person``'s roles give in the organization ``org_id`` (None: in
    no organization in particular, e.g. a new one or the whole installation)."""
    out = {relation for role, relation in GLOBAL_ROLES.items() if person.has_role(role)}
    if org_id is not None and person.organization_id == org_id:
        out |= {relation for role, relation in BODY_ROLES.items() if person.has_role(role)}
    return frozenset(out)


MEMO = "ethicsflow.relations"
"""The key in ``Session.info`` of the relations already read in this session."""


def relations(session: Session, person: Person, case: Case) -> frozenset[Relation]:
    """Every relation ``person`` holds to ``case`` (never ``operator``).

    Remembered in the session until its next flush (a read of one case asks two or three
    times: the check, the redaction, the actions), keyed by what the relations come from
    on the person and the case; a flush (a write) forgets them all.
    """
    key = (
        person.id,
        person.organization_id,
        tuple(person.roles),
        case.id,
        case.version,
        case.status,
        case.organization_id,
        case.assignee_id,
    )
    memo: dict[Any, frozenset[Relation]] = session.info.setdefault(MEMO, {})
    found = memo.get(key)
    if found is None:
        found = memo[key] = _relations(session, person, case)
    return found


@event.listens_for(OrmSession, "after_flush")
def _forget(session: OrmSession, _context: Any) -> None:
    session.info.pop(MEMO, None)


def _relations(session: Session, person: Person, case: Case) -> frozenset[Relation]:
    out = set(org_relations(person, case.organization_id))
    if case.assignee_id is not None and case.assignee_id == person.id:
        out.add(Relation.assignee)
    roles = session.exec(
        select(Party.role).where(Party.case_id == case.id, Party.person_id == person.id)
    ).all()
    if PartyRole.complainant in roles:
        out.add(Relation.filer)
    if PartyRole.respondent in roles:
        out.add(Relation.respondent)
    out |= board_relations(session, person, case)
    return frozenset(out)


def board_relations(session: Session, person: Person, case: Case) -> set[Relation]:
    """Secretary or member of the Ethics Board of the case's region, once the case is
    referred to it (a board status, or a hearing of that Board on the case).

    The secretary and the members usually work in another organization (the Agency's
    regional department, other bodies), so this looks at the Board, not at the
    person's organization.
    """
    org = session.get(Organization, case.organization_id)
    if org is None or not org.region:
        return set()
    board = session.exec(select(Board).where(Board.region == org.region)).first()
    if board is None:
        return set()
    out: set[Relation] = set()
    if board.secretary_id == person.id:
        out.add(Relation.board_secretary)
    member = session.exec(
        select(BoardMember.id).where(
            BoardMember.board_id == board.id, BoardMember.person_id == person.id
        )
    ).first()
    if member is not None:
        out.add(Relation.board_member)
    if out and not referred(session, case, board.id or 0):
        return set()
    return out


def referred(session: Session, case: Case, board_id: int) -> bool:
    """Whether the case is (or was) before the Board ``board_id``."""
    if case.status in BOARD_STATUSES:
        return True
    heard = select(Hearing.id).where(Hearing.case_id == case.id, Hearing.board_id == board_id)
    return session.exec(heard.limit(1)).first() is not None


def person_boards(session: Session, person: Person) -> list[Board]:
    """The Boards ``person`` is the secretary or a member of."""
    member_of = select(BoardMember.board_id).where(BoardMember.person_id == person.id)
    return list(
        session.exec(
            select(Board).where(
                (col(Board.secretary_id) == person.id) | col(Board.id).in_(member_of)
            )
        ).all()
    )
