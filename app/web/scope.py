"""Which cases a person's queue and start page count: their body's, or those elsewhere
they are part of (a commissioner, a head), else every case they may see."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_
from sqlmodel import Session, col

from ethicsflow.models.cases.tables import Case
from ethicsflow.models.people.tables import Organization, Person
from ethicsflow.models.permissions.decide import involved_cases, sees_whole_body, visible_cases


def scoped(session: Session, person: Person, scope: str) -> tuple[ColumnElement[bool], str | None]:
    """``(where-clause, org code)`` of a queue: a commissioner's or head's ``body`` scope
    is their body's cases (the list walks the body's deadline index: fast at 100,000
    cases), ``involved`` the cases elsewhere they are part of; anyone else's queue is
    every case they may see."""
    if not sees_whole_body(person):
        return visible_cases(session, person), None
    own = session.get(Organization, person.organization_id)
    assert own is not None
    if scope == "involved":
        elsewhere = col(Case.organization_id) != person.organization_id
        return and_(involved_cases(session, person), elsewhere), None
    return visible_cases(session, person, organization_id=own.id), own.code
