"""Who may see and do what on a case: lookups and role tokens (light imports only).

Kept apart from the engine so that reads (`case show`, `case list`) do not load
the calendar, the policy and the outbox.
"""

from __future__ import annotations

from sqlmodel import Session, select

from ethicsflow.models.cases.tables import Case, Party, PartyRole
from ethicsflow.models.errors import ACTOR, FieldRef, NotFound, key
from ethicsflow.models.lifecycle.base import Lifecycle
from ethicsflow.models.people.tables import Person
from ethicsflow.models.permissions.relations import relations
from ethicsflow.models.permissions.table import ROLE_TOKENS


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
    """Role tokens (``Action.roles``, see lifecycle.base) the person holds on this case:
    those of their relations to it (``permissions.table.ROLE_TOKENS``). A role such as
    ``head`` or ``admin`` counts only in the person's own organization."""
    if person is None:
        return set()
    held = relations(session, person, case)
    return {token for relation, token in ROLE_TOKENS.items() if relation in held}


def allowed_actions(lifecycle: Lifecycle, case: Case, tokens: set[str] | None = None) -> list[str]:
    """Actions from the case's state (only those the actor may run, if tokens given)."""
    return [
        a.name for a in lifecycle.from_state(case.status) if tokens is None or tokens & set(a.roles)
    ]
