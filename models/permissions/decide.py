"""The one place that decides every read and write, from the table in ``table.py``.

``may`` answers, ``require`` refuses (a case the person may not see is *not found*, as
if it did not exist; one they see but may not do this on is *not permitted*),
``visible_cases`` and ``visible_notifications`` are the where-clauses of lists (one
query, no per-row Python), ``target_org_allowed`` decides an administration operation
on an organization (``require_org`` refuses, ``administered`` is the where-clause of the
organizations it may be done in).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, false, or_, true, union
from sqlmodel import Session, col, select

from ethicsflow.models.boards.tables import Hearing
from ethicsflow.models.cases.tables import Case, Party, PartyRole
from ethicsflow.models.errors import ACTOR, NotFound, NotPermitted, key
from ethicsflow.models.notifications.tables import Notification
from ethicsflow.models.people.tables import Organization, Person
from ethicsflow.models.permissions.relations import (
    BOARD_STATUSES,
    BODY_ROLES,
    GLOBAL_ROLES,
    Relation,
    org_relations,
    person_boards,
    relations,
)
from ethicsflow.models.permissions.table import (
    SEES_ALL_NOTIFICATIONS,
    TABLE,
    VISIBILITY,
    Operation,
    Rule,
    Scope,
)


def _held(session: Session, person: Person, rule: Rule, case: Case | None) -> frozenset[Relation]:
    """The relations that count for ``rule``: to the case, or in the target organization
    (the case's, else the person's own)."""
    if rule.scope == Scope.case and case is not None:
        return relations(session, person, case)
    return org_relations(person, case.organization_id if case else person.organization_id)


def may(
    session: Session,
    person: Person | None,
    operation: Operation | str,
    case: Case | None = None,
    *,
    operator: bool = False,
) -> bool:
    """Whether ``person`` may do ``operation`` (on ``case``, for a case operation).

    ``case.list`` without a case: anyone signed in may list (``visible_cases`` filters).
    An organization operation without a case targets the person's own organization (see
    :func:`target_org_allowed` for another). ``person`` None: nobody is signed in.
    """
    rule = TABLE[Operation(operation)]
    if operator or rule.scope == Scope.public:
        return True
    if person is None:
        return False
    if rule.scope == Scope.anyone:
        return True
    if rule.scope == Scope.case and case is None:
        if rule.operation == Operation.case_list:
            return True
        raise ValueError(f"{rule.operation} needs a case")
    return bool(_held(session, person, rule, case) & rule.relations)


def require(
    session: Session,
    person: Person | None,
    operation: Operation | str,
    case: Case | None = None,
    *,
    operator: bool = False,
) -> None:
    """Refuse unless ``person`` may do ``operation``: :class:`NotFound` (``case.not_found``)
    when they may not even see the case, :class:`NotPermitted` when they see it but may
    not do this (or nobody is signed in)."""
    if may(session, person, operation, case, operator=operator):
        return
    rule = TABLE[Operation(operation)]
    if person is None:
        raise NotPermitted("permission.sign_in_required", ACTOR, operation=rule.operation.value)
    if rule.scope == Scope.case and case is not None:
        if not relations(session, person, case) & VISIBILITY:
            raise NotFound("case.not_found", key("number"), number=case.number)
        raise NotPermitted(
            "permission.denied",
            ACTOR,
            operation=rule.operation.value,
            email=person.email,
            number=case.number,
        )
    org_id = case.organization_id if case is not None else person.organization_id
    raise NotPermitted(
        "permission.denied_organization",
        ACTOR,
        operation=rule.operation.value,
        email=person.email,
        org=_org_code(session, org_id),
    )


def _org_code(session: Session, org_id: int | None) -> str:
    org = session.get(Organization, org_id) if org_id is not None else None
    return org.code if org is not None else "-"


def target_org_allowed(
    person: Person | None,
    org_id: int | None,
    operation: Operation | str,
    *,
    operator: bool = False,
) -> bool:
    """Whether ``person`` may do the organization operation ``operation`` on the
    organization ``org_id`` (None: a new organization, or all of them: only a relation
    that holds everywhere counts, ``installation_admin`` or ``agency``).

    For a Board the organization is the one that hosts it (its secretary's).
    """
    rule = TABLE[Operation(operation)]
    if rule.scope != Scope.organization:
        raise ValueError(f"{rule.operation} is not an operation on an organization")
    if operator:
        return True
    if person is None:
        return False
    return bool(org_relations(person, org_id) & rule.relations)


def require_org(
    session: Session,
    person: Person | None,
    org_id: int | None,
    operation: Operation | str,
    *,
    operator: bool = False,
) -> None:
    """Refuse unless :func:`target_org_allowed`: :class:`NotPermitted` naming the
    organization (``org_id`` None: the whole installation)."""
    if target_org_allowed(person, org_id, operation, operator=operator):
        return
    name = TABLE[Operation(operation)].operation.value
    if person is None:
        raise NotPermitted("permission.sign_in_required", ACTOR, operation=name)
    if org_id is None:
        raise NotPermitted(
            "permission.denied_installation", ACTOR, operation=name, email=person.email
        )
    raise NotPermitted(
        "permission.denied_organization",
        ACTOR,
        operation=name,
        email=person.email,
        org=_org_code(session, org_id),
    )


def administered(
    person: Person | None,
    operation: Operation | str,
    org_id: Any,
    *,
    operator: bool = False,
) -> ColumnElement[bool]:
    """A where-clause on the organization-id column ``org_id`` (``Person.organization_id``
    ...) keeping the organizations where ``person`` may do the organization operation
    ``operation``: every one for a relation that holds everywhere, else their own where
    their roles there count, else none."""
    if target_org_allowed(person, None, operation, operator=operator):
        return true()
    if person is not None and target_org_allowed(person, person.organization_id, operation):
        return col(org_id) == person.organization_id
    return false()


def person_target(org_id: int, roles: Iterable[str]) -> int | None:
    """The organization that administering a person with ``roles`` in ``org_id`` acts on:
    a role that counts in every organization (``agency``, ``platform_admin``) makes it
    every organization (None), so only a relation that holds everywhere may grant it or
    manage its account; any other person, their own organization."""
    return None if set(roles) & set(GLOBAL_ROLES) else org_id


def visible_cases(
    session: Session,
    person: Person | None,
    *,
    operator: bool = False,
    organization_id: int | None = None,
) -> ColumnElement[bool]:
    """A where-clause on :class:`Case` keeping the cases ``person`` may see (the same
    cases as ``may(case.list)``, a test checks).

    The person's Boards are read first (a few rows); the rest is one SQL expression, the
    case's id in a union of index lookups: the cases assigned to them, their parties,
    the cases before their Board. (An OR of all those conditions made PostgreSQL scan
    every case: 25-40 ms at 100,000 cases.) Their body's cases, where their roles count,
    are an OR beside the union: inside it, the body's 100,000 ids were gathered and probed
    on every list (a commissioner's unfiltered page 272 ms on SQLite, 128 ms beside it).

    ``organization_id``: the list keeps only that organization's cases anyway; when the
    person sees all of them the clause is ``true`` (the union of 100,000 ids cost the
    list 0.1-0.5 s at 100,000 cases).
    """
    if operator:
        return true()
    if person is None:
        return false()
    if sees_every_case(person):
        return true()  # the agency: every case
    whole_body = sees_whole_body(person)
    own = organization_id is not None and organization_id == person.organization_id
    if whole_body and own:
        return true()  # their own body's list: every case of it
    clause = involved_cases(session, person)
    if whole_body:
        return or_(col(Case.organization_id) == person.organization_id, clause)
    return clause


def sees_every_case(person: Person) -> bool:
    """Whether the person's roles show them every case of every body (the Agency)."""
    held = {relation for role, relation in GLOBAL_ROLES.items() if person.has_role(role)}
    return bool(held & VISIBILITY)


def sees_whole_body(person: Person) -> bool:
    """Whether the person's roles show them every case of their own body (a commissioner,
    the head): their list of the body is the fast one, ``organization_id`` given."""
    body = {relation for role, relation in BODY_ROLES.items() if person.has_role(role)}
    return bool(body & VISIBILITY)


def involved_cases(session: Session, person: Person) -> ColumnElement[bool]:
    """The cases the person sees as themselves, whichever body: assigned to them, where
    they are a party, and those before their Boards (one union of index lookups)."""
    ids: list[Any] = [
        select(Case.id).where(col(Case.assignee_id) == person.id),
        select(Party.case_id).where(
            col(Party.person_id) == person.id,
            col(Party.role).in_([PartyRole.complainant.value, PartyRole.respondent.value]),
        ),
    ]
    for board in person_boards(session, person):
        in_region = col(Case.organization_id).in_(
            select(Organization.id).where(Organization.region == board.region)
        )
        ids.append(select(Case.id).where(in_region, col(Case.status).in_(sorted(BOARD_STATUSES))))
        ids.append(
            select(Hearing.case_id)
            .join(Case, col(Case.id) == col(Hearing.case_id))
            .where(Hearing.board_id == board.id, in_region)
        )
    return col(Case.id).in_(union(*ids))


def sees_all_notifications(person: Person | None, *, operator: bool = False) -> bool:
    """The installation admin and the operator list every notification; everyone else
    lists those addressed to them."""
    held = org_relations(person, None) if person is not None else frozenset()
    return operator or bool(held & SEES_ALL_NOTIFICATIONS)


def visible_notifications(person: Person | None, *, operator: bool = False) -> ColumnElement[bool]:
    """A where-clause on :class:`Notification` keeping those ``person`` may list."""
    if sees_all_notifications(person, operator=operator):
        return true()
    if person is None:
        return false()
    return col(Notification.person_id) == person.id


def viewer_relations(
    session: Session, person: Person | None, case: Case, *, operator: bool = False
) -> frozenset[Relation]:
    """The relations a reader holds to ``case``, with ``operator`` when they are it
    (what :func:`~ethicsflow.models.permissions.redaction.redact` takes)."""
    held = relations(session, person, case) if person is not None else frozenset()
    return (held | {Relation.operator}) if operator else held
