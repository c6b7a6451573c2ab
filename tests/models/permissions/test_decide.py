"""may() and require() against the table, cell by cell, generated from the table itself.

For every relation (and a stranger holding none) × every operation, a person holding
exactly that relation to one case: allowed where the table says so, refused where it
does not — as *not found* when the person may not even see the case, as *not permitted*
when they see it. Organization operations target the case's organization.
"""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from ethicsflow.app.errors import exit_code
from ethicsflow.models.cases.access import actor_tokens, get_case
from ethicsflow.models.db import session_scope
from ethicsflow.models.errors import NotFound, NotPermitted
from ethicsflow.models.lifecycle.base import SECRETARY, SYSTEM
from ethicsflow.models.lifecycle.kinds import LIFECYCLES
from ethicsflow.models.people.tables import Organization, Person
from ethicsflow.models.permissions.decide import (
    administered,
    may,
    person_target,
    require,
    require_org,
    target_org_allowed,
)
from ethicsflow.models.permissions.relations import BOARD_STATUSES, Relation, relations
from ethicsflow.models.permissions.table import (
    IDENTITY,
    ROLE_TOKENS,
    TABLE,
    VISIBILITY,
    Operation,
    Scope,
)
from tests.support.permissions import STRANGER, World, person

WHO = [*Relation, STRANGER]
CELLS = [(who, op) for who in WHO for op in TABLE]


def expected(who: str, operation: Operation) -> bool:
    rule = TABLE[operation]
    return rule.scope in (Scope.anyone, Scope.public) or who in rule.relations


def _org_id(session: Session, code: str) -> int:
    org = session.exec(select(Organization).where(Organization.code == code)).one()
    assert org.id is not None
    return org.id


@pytest.mark.parametrize(("who", "operation"), CELLS, ids=[f"{w}-{o}" for w, o in CELLS])
def test_may_and_require_follow_the_table(
    shared_world: World, who: str, operation: Operation
) -> None:
    operator = who == Relation.operator
    allowed = expected(who, operation)
    with session_scope() as session:
        case = get_case(session, shared_world.number)
        someone = person(session, shared_world.email(who))
        held = relations(session, someone, case)
        assert held == (frozenset() if who in (STRANGER, Relation.operator) else {who})
        assert may(session, someone, operation, case, operator=operator) is allowed
        if allowed:
            require(session, someone, operation, case, operator=operator)
            return
        rule = TABLE[operation]
        if rule.scope == Scope.case and who not in VISIBILITY:
            with pytest.raises(NotFound) as missing:
                require(session, someone, operation, case)
            assert missing.value.code == "case.not_found"  # as if there were no such case
            assert missing.value.params == {"number": case.number}
            return
        with pytest.raises(NotPermitted) as refused:
            require(session, someone, operation, case)
        code = "permission.denied" if rule.scope == Scope.case else "permission.denied_organization"
        assert refused.value.code == code
        assert refused.value.params["operation"] == operation.value
        assert exit_code(refused.value) == 4


@pytest.mark.parametrize("who", WHO)
def test_actor_tokens_are_the_relations_tokens(shared_world: World, who: str) -> None:
    with session_scope() as session:
        case = get_case(session, shared_world.number)
        tokens = actor_tokens(session, case, person(session, shared_world.email(who)))
    mapped = ROLE_TOKENS.get(Relation(who)) if who != STRANGER else None
    assert tokens == ({mapped} if mapped else set())


def test_roles_count_in_their_own_organization_only(shared_world: World) -> None:
    """The stranger is a commissioner, a head and an admin, of another body: nothing here."""
    with session_scope() as session:
        case = get_case(session, shared_world.number)
        stranger = person(session, shared_world.people[STRANGER])
        admin = person(session, shared_world.people[Relation.body_admin])
        platform = person(session, shared_world.people[Relation.installation_admin])
        assert set(stranger.roles) >= {"commissioner", "head", "admin"}
        assert relations(session, stranger, case) == frozenset()
        assert actor_tokens(session, case, stranger) == set()
        for operation in (Operation.case_act, Operation.case_show, Operation.admin_people):
            assert not may(session, stranger, operation, case)
        with pytest.raises(NotFound):
            require(session, stranger, Operation.case_act, case)
        with pytest.raises(NotPermitted) as info:
            require(session, stranger, Operation.admin_people, case)
        assert info.value.params["org"] == shared_world.org

        body = _org_id(session, shared_world.org)
        other = _org_id(session, shared_world.other_org)
        assert target_org_allowed(admin, body, Operation.admin_people)
        assert not target_org_allowed(admin, other, Operation.admin_people)
        assert not target_org_allowed(admin, None, Operation.admin_organizations)
        assert target_org_allowed(stranger, other, Operation.admin_accounts)  # their own body
        assert not target_org_allowed(stranger, body, Operation.admin_accounts)
        for org_id in (body, other, None):
            assert target_org_allowed(platform, org_id, Operation.admin_boards)
            assert target_org_allowed(stranger, org_id, Operation.admin_boards, operator=True)


def test_organization_operations_without_a_case_target_ones_own_body(
    shared_world: World,
) -> None:
    with session_scope() as session:
        admin = person(session, shared_world.people[Relation.body_admin])
        head = person(session, shared_world.people[Relation.body_head])
        agency = person(session, shared_world.people[Relation.agency])
        filer = person(session, shared_world.people[Relation.filer])
        assert may(session, admin, Operation.admin_people)
        assert not may(session, filer, Operation.admin_people)
        with pytest.raises(NotPermitted) as info:
            require(session, filer, Operation.admin_people)
        assert info.value.params["org"] == shared_world.org
        assert may(session, head, Operation.report_restoration)
        assert not may(session, admin, Operation.report_restoration)
        assert target_org_allowed(agency, None, Operation.report_restoration)  # all bodies
        assert not target_org_allowed(head, None, Operation.report_restoration)
        assert may(session, filer, Operation.case_list)  # a list: filtered, not refused
        with pytest.raises(ValueError, match="needs a case"):
            may(session, filer, Operation.case_show)
        with pytest.raises(ValueError, match="not an operation on an organization"):
            target_org_allowed(admin, None, Operation.case_show)


def test_nobody_signed_in_may_only_look_up_a_receipt(shared_world: World) -> None:
    with session_scope() as session:
        case = get_case(session, shared_world.number)
        for operation in TABLE:
            allowed = TABLE[operation].scope == Scope.public
            assert may(session, None, operation, case) is allowed, operation
        with pytest.raises(NotPermitted) as info:
            require(session, None, "case.show", case)
        assert info.value.code == "permission.sign_in_required"
        assert not target_org_allowed(None, None, Operation.admin_people)


# --- the table itself -----------------------------------------------------------------------


def test_the_table_covers_every_operation_and_the_operator_everywhere() -> None:
    assert set(TABLE) == set(Operation)
    for operation, rule in TABLE.items():
        assert rule.operation == operation
        assert Relation.operator in rule.relations, operation
        if rule.scope == Scope.case:
            assert rule.relations <= VISIBILITY, operation  # nobody acts on what they cannot see
    assert TABLE[Operation.case_list].relations == VISIBILITY
    assert TABLE[Operation.case_show].relations >= IDENTITY
    for relation in (Relation.body_admin, Relation.installation_admin):
        content = (Operation.case_show, Operation.case_history, Operation.case_documents)
        assert not any(relation in TABLE[op].relations for op in content)


def test_role_tokens_are_exactly_the_tokens_the_lifecycles_use() -> None:
    used = {role for lc in LIFECYCLES.values() for a in lc.actions for role in a.roles}
    assert set(ROLE_TOKENS.values()) == used - {SYSTEM}
    assert TABLE[Operation.case_act].relations == {*ROLE_TOKENS, Relation.operator}


def test_board_statuses_are_where_the_secretarys_steps_run() -> None:
    statuses = {
        state
        for lc in LIFECYCLES.values()
        for a in lc.actions
        if SECRETARY in a.roles
        for state in (*a.source, *([a.dest] if a.dest else []))
    }
    assert statuses == BOARD_STATUSES


def test_a_person_row_from_another_session_is_enough(shared_world: World) -> None:
    """The API loads the signed-in person once; the decision reads only its columns."""
    with session_scope() as session:
        someone: Person = person(session, shared_world.people[Relation.body_head])
    with session_scope() as session:
        case = get_case(session, shared_world.number)
        assert relations(session, someone, case) == {Relation.body_head}


def test_an_organization_operation_is_refused_naming_its_target(shared_world: World) -> None:
    """``require_org`` refuses as ``target_org_allowed`` decides; ``administered`` keeps the
    organizations administered; ``person_target`` makes a role that counts everywhere
    the whole installation's."""
    with session_scope() as session:
        admin = person(session, shared_world.people[Relation.body_admin])
        platform = person(session, shared_world.people[Relation.installation_admin])
        body = _org_id(session, shared_world.org)
        other = _org_id(session, shared_world.other_org)
        require_org(session, admin, body, Operation.admin_people)
        require_org(session, platform, None, Operation.platform_sweep)
        require_org(session, None, None, Operation.platform_sweep, operator=True)
        with pytest.raises(NotPermitted) as elsewhere:
            require_org(session, admin, other, Operation.admin_people)
        assert elsewhere.value.code == "permission.denied_organization"
        assert elsewhere.value.params["org"] == shared_world.other_org
        with pytest.raises(NotPermitted) as everywhere:
            require_org(session, admin, None, Operation.notifications_dispatch)
        assert everywhere.value.code == "permission.denied_installation"
        with pytest.raises(NotPermitted) as nobody:
            require_org(session, None, body, Operation.admin_people)
        assert nobody.value.code == "permission.sign_in_required"

        def kept(who: Person | None, **kw: bool) -> set[str]:
            where = administered(who, Operation.admin_people, Person.organization_id, **kw)
            return set(session.exec(select(Person.email).where(where)).all())

        assert kept(admin) == set(
            session.exec(select(Person.email).where(Person.organization_id == body)).all()
        )
        everyone = set(session.exec(select(Person.email)).all())
        assert kept(platform) == kept(None, operator=True) == everyone
        assert kept(person(session, shared_world.people[Relation.filer])) == set()
        assert person_target(body, ["servant", "admin"]) == body
        assert person_target(body, ["servant", "agency"]) is None
        assert person_target(body, ["platform_admin"]) is None
