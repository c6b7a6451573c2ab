"""Who may see and do what on a case: lookups and role tokens (light imports only).

Kept apart from the engine so that reads (`case show`, `case list`) do not load
the calendar, the policy and the outbox.
"""

from __future__ import annotations

from sqlmodel import Session, select

from ethicsflow.models.boards.tables import Board
from ethicsflow.models.cases.tables import Case, Party, PartyRole
from ethicsflow.models.errors import ACTOR, FieldRef, NotFound, key
from ethicsflow.models.lifecycle.base import ASSIGNEE, COMPLAINANT, SECRETARY, Lifecycle
from ethicsflow.models.people.tables import Organization, Person


def get_case(session: Session, number: str, *, lock: bool = False) -> Case:
    """The case called ``number``; ``lock`` holds its row until commit (PostgreSQL)."""
    query = select(Case).where(Case.number == number.strip().upper())
    if lock:
        query = query.with_for_update()
    case = session.exec(query).first()
    if case is None:
        raise NotFound("case.not_found", key("number"), number=number)
    return case


def email_of(session: Session, person_id: int | None) -> str | None:
    """The e-mail of a person by id (None for no person)."""
    person = session.get(Person, person_id) if person_id is not None else None
    return person.email if person else None


def party_person(session: Session, case: Case, role: PartyRole) -> Person | None:
    """The person in ``role`` on the case (None: no such party, or one without a person)."""
    party = session.exec(select(Party).where(Party.case_id == case.id, Party.role == role)).first()
    if party is None or party.person_id is None:
        return None
    return session.get(Person, party.person_id)


def get_person(session: Session, email: str, field: FieldRef = ACTOR) -> Person:
    """The person with ``email``; ``field`` is what named them (by default: who acts)."""
    person = session.exec(select(Person).where(Person.email == email.strip().lower())).first()
    if person is None:
        raise NotFound("person.not_found", field, email=email)
    return person


def actor_tokens(session: Session, case: Case, person: Person | None) -> set[str]:
    """Role tokens the person holds on this case (see lifecycle.base)."""
    if person is None:
        return set()
    tokens = {"admin"} if person.has_role("admin") else set()
    if person.organization_id == case.organization_id:
        tokens |= set(person.roles)
    if case.assignee_id is not None and case.assignee_id == person.id:
        tokens.add(ASSIGNEE)
    filer = session.exec(
        select(Party).where(
            Party.case_id == case.id,
            Party.role == PartyRole.complainant,
            Party.person_id == person.id,
        )
    ).first()
    if filer is not None:
        tokens.add(COMPLAINANT)
    if is_board_secretary(session, case, person):
        tokens.add(SECRETARY)
    return tokens


def is_board_secretary(session: Session, case: Case, person: Person) -> bool:
    """Whether ``person`` is the secretary of the Ethics Board of the case's region.

    The secretary usually works in another organization (the Agency's regional
    department), so this looks at the board, not at the person's organization.
    """
    org = session.get(Organization, case.organization_id)
    if org is None or not org.region:
        return False
    board = session.exec(
        select(Board).where(Board.region == org.region, Board.secretary_id == person.id)
    ).first()
    return board is not None


def allowed_actions(lifecycle: Lifecycle, case: Case, tokens: set[str] | None = None) -> list[str]:
    """Actions from the case's state (only those the actor may run, if tokens given)."""
    return [
        a.name for a in lifecycle.from_state(case.status) if tokens is None or tokens & set(a.roles)
    ]
