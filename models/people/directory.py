"""Reading the directory: the organizations and the people, as ``org add`` and ``person
add`` print them (``OrganizationPublic``, ``PersonPublic``).

Who may read which people is the caller's to decide (``permissions.decide.administered``
gives the where-clause); a person's notification URLs are shown through ``mask``, since
many carry a service's secret.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, true
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from ethicsflow.models.errors import FieldRef, NotFound
from ethicsflow.models.people.tables import (
    Organization,
    OrganizationPublic,
    Person,
    PersonPublic,
)


def get_org(session: Session, code: str, field: FieldRef) -> Organization:
    """The organization with ``code``; ``field`` is what named it (unknown:
    ``org.not_found``, as ``person add`` says it)."""
    org = session.exec(
        select(Organization).where(Organization.code == code.strip().upper())
    ).first()
    if org is None:
        raise NotFound("org.not_found", field, code=code)
    return org


def list_organizations(session: Session) -> list[dict[str, Any]]:
    """Every organization by code, with its parent's code."""
    parent = aliased(Organization)
    rows = session.exec(
        select(Organization, parent)
        .join(parent, col(parent.id) == Organization.parent_id, isouter=True)
        .order_by(col(Organization.code))
    ).all()
    return [
        OrganizationPublic(
            code=org.code, name=org.name, region=org.region, parent=up.code if up else None
        ).model_dump()
        for org, up in rows
    ]


def list_people(
    session: Session,
    *,
    where: ColumnElement[bool] | None = None,
    mask: Callable[[str], str] = str,
) -> list[dict[str, Any]]:
    """The people (those ``where``, a clause on :class:`Person`, keeps) by organization
    and e-mail, as ``person add`` prints them."""
    manager = aliased(Person)
    query = (
        select(Person, Organization, manager)
        .join(Organization, col(Organization.id) == Person.organization_id)
        .join(manager, col(manager.id) == Person.manager_id, isouter=True)
        .where(where if where is not None else true())
        .order_by(col(Organization.code), col(Person.email))
    )
    return [_shown(p, o, m, mask) for p, o, m in session.exec(query).all()]


def person_view(
    session: Session, person: Person, *, mask: Callable[[str], str] = str
) -> dict[str, Any]:
    """One person as ``person add`` prints them."""
    org = session.get(Organization, person.organization_id)
    assert org is not None  # a foreign key
    manager = session.get(Person, person.manager_id) if person.manager_id else None
    return _shown(person, org, manager, mask)


def _shown(
    person: Person, org: Organization, manager: Person | None, mask: Callable[[str], str]
) -> dict[str, Any]:
    shown = PersonPublic.of(person, org, manager).model_dump()
    shown["notify"] = [mask(url) for url in shown["notify"]]
    return shown
