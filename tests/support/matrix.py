"""The access matrix of the REST API: every endpoint × every caller, expected from the table.

:class:`Endpoint` says what guards a path (an
:class:`~ethicsflow.models.permissions.table.Operation` of ``TABLE``, or for the few paths
about the caller's own session :data:`SIGNED_IN` / :data:`PUBLIC`), what it is decided on
(:class:`~tests.support.matrix_world.Target`), for a list what decides whether it holds the
world's item (:class:`Item`), and how an answer shows that the request passed the
decision (the table of them: ``matrix_endpoints.py``; the world: ``matrix_world.py``).
:func:`expected` derives each cell from ``TABLE``, ``VISIBILITY``,
``SEES_ALL_NOTIFICATIONS``, the relations roles give (``BODY_ROLES``, ``GLOBAL_ROLES``) and
``decide.person_target``; nothing here lists who may do what.

Two decisions of the routes are more than one rule of the table, and are modelled here
from the same data the app uses:

- administering a person (``GET /people/{email}``, ``POST /people``, invitations, another's
  tokens, and which people ``GET /people`` and ``GET /accounts`` list) targets the
  person's organization, or the whole installation when they hold (or are given) a role
  that counts everywhere (``decide.person_target``, called by :func:`administering` on
  the roles the endpoint's person has);
- ``GET /notifications?case=`` names a case: one who may not list it (no relation of
  ``case.list``) and does not see every notification gets 404
  ``notification.unknown_case``, as for a case that does not exist
  (``models/notifications/listing.py``; :attr:`Endpoint.names_case`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import httpx

from ethicsflow.models.permissions.decide import person_target
from ethicsflow.models.permissions.relations import BODY_ROLES, GLOBAL_ROLES, Relation
from ethicsflow.models.permissions.table import (
    SEES_ALL_NOTIFICATIONS,
    TABLE,
    VISIBILITY,
    Operation,
    Scope,
)
from tests.support.matrix_world import ANONYMOUS, STRANGER_HOLDS, MatrixWorld, Target
from tests.support.permissions import STRANGER

SIGNED_IN = "signed-in"  # a path about the caller's own session: anyone signed in
PUBLIC = "public"  # no sign-in
EVERYWHERE = frozenset({*GLOBAL_ROLES.values(), Relation.operator})
"""Relations that hold in every organization, so for the installation as a whole too."""
FROM_ROLES = frozenset({*BODY_ROLES.values(), *GLOBAL_ROLES.values(), Relation.operator})
"""Relations a person's roles give in their own organization (and the operator's)."""

Values = dict[str, Any] | Callable[[MatrixWorld, str], dict[str, Any]]
Shows = Callable[[MatrixWorld, str], Any]


class Item(StrEnum):
    """What decides whether a list the caller may read holds the world's item."""

    case = "case"  # the case: the caller's relations to it, in the guard's relations
    org = "org"  # a thing of the case's body: the caller's relations there, in the guard's
    installation = "installation"  # of every organization: a relation held everywhere
    addressed = "addressed"  # the filer's notification: the filer, and who sees them all
    own = "own"  # the filer's notification among one's own: the filer alone


@dataclass(frozen=True)
class Keyed:
    """A value to find in a JSON body as the ``key`` of some object (not just anywhere)."""

    key: str
    value: Any


@dataclass(frozen=True)
class Outcome:
    """An answer that shows the request passed the access decision: one of ``statuses``,
    and either the domain's refusal ``code`` (a request the domain refuses *after* the
    decision, so that it changes nothing) or, if given, ``shows`` (a value of the
    resource: a JSON value anywhere in the body, a :class:`Keyed` one, or part of a
    CSV's text)."""

    statuses: tuple[int, ...]
    code: str | None = None
    shows: Shows | None = None

    def matches(self, response: httpx.Response, w: MatrixWorld, caller: str) -> bool:
        if response.status_code not in self.statuses:
            return False
        if self.code is not None:
            return problem_code(response) == self.code
        return self.shows is None or holds(response, self.shows(w, caller))


def ok(*statuses: int, code: str | None = None, shows: Shows | None = None) -> Outcome:
    return Outcome(statuses, code, shows)


@dataclass(frozen=True)
class Call:
    method: str
    url: str  # under /api/v1
    params: dict[str, Any] | None
    json: Any


@dataclass(frozen=True)
class Endpoint:
    name: str  # the cell's label: the operation (and which of its endpoints)
    guard: str  # an Operation of TABLE, SIGNED_IN or PUBLIC
    method: str
    path: str  # as in PATHS
    allowed: tuple[Outcome, ...]
    target: Target = Target.case
    writes: bool = False  # runs a flow when allowed (needs Prefect)
    args: Values | None = None  # path parameters beside number, action, email, token_id
    params: Values | None = None
    body: Values | None = None
    listed: Callable[[httpx.Response, MatrixWorld], bool] | None = None  # holds the item
    item: Item | None = None  # with ``listed``: what decides whether the list holds it
    hidden: tuple[str, ...] = ("case.not_found",)  # codes of "no such case" here
    names_case: bool = False  # ``?case=`` names the world's case (notifications)

    def call(self, w: MatrixWorld, caller: str) -> Call:
        fill = {"number": w.number, "action": "accept", "email": w.holder}
        fill |= {"token_id": w.revocable, **_values(self.args, w, caller)}
        params = _values(self.params, w, caller) if self.params is not None else None
        body = _values(self.body, w, caller) if self.body is not None else None
        if body is None and self.method == "POST":
            body = {}
        return Call(self.method, self.path.format(**fill), params, body)


def _values(values: Values | None, w: MatrixWorld, caller: str) -> dict[str, Any]:
    if values is None:
        return {}
    return values(w, caller) if callable(values) else values


def E(name: str, guard: str, route: str, *allowed: Outcome, **more: Any) -> Endpoint:
    method, path = route.split()
    return Endpoint(name, guard, method, path, allowed, **more)


def listing(target: Target) -> Item:
    """The item of a list decided on ``target`` (one of ``administering``)."""
    return Item(target.value)


def administering(roles: Iterable[str]) -> Target:
    """What administering a person of the case's body with ``roles`` is decided on, as
    the app decides it (``decide.person_target``): the body, or the whole installation
    for a role that counts in every organization."""
    return Target.org if person_target(0, roles) is not None else Target.installation


def problem_code(response: httpx.Response) -> str | None:
    if not response.headers.get("content-type", "").startswith("application/problem+json"):
        return None
    code = response.json().get("code")
    return str(code) if code is not None else None


def body_json(response: httpx.Response) -> Any:
    """The body as JSON: a JSON document, or an NDJSON stream as the list of its lines;
    None for anything else."""
    kind = response.headers.get("content-type", "")
    if kind.startswith("application/json"):
        return response.json()
    if kind.startswith("application/x-ndjson"):
        return [json.loads(line) for line in response.text.splitlines() if line.strip()]
    return None


def _walk(item: Any) -> Iterable[Any]:
    stack = [item]
    while stack:
        item = stack.pop()
        yield item
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def holds(response: httpx.Response, value: Any) -> bool:
    """Whether the body carries ``value``: as a JSON value anywhere in it (a
    :class:`Keyed` one: as that key's value), else in its text."""
    data = body_json(response)
    if data is None:
        return str(value) in response.text
    if isinstance(value, Keyed):
        return has_item(data, value.key, value.value)
    return any(item == value for item in _walk(data))


def has_item(data: Any, key: str, value: Any) -> bool:
    """Whether ``data`` (a JSON value) holds, anywhere, an object whose ``key`` is ``value``."""
    return any(isinstance(item, dict) and item.get(key) == value for item in _walk(data))


# --- what each cell expects -----------------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    allowed: bool
    status: int = 200  # of a refusal
    codes: tuple[str, ...] = ()  # of a refusal
    listed: bool | None = None  # allowed, a list: whether it holds the world's item


def held(target: Target, caller: str) -> frozenset[str]:
    """The relations ``caller`` holds to ``target``: their one relation (the world gives
    each person exactly one); for the installation as a whole only one that holds
    everywhere; in their own organization what their roles give there (the relation of
    a person of the case's body, or a global one, is their role's; the stranger holds
    commissioner, head and admin of another body); through a receipt code, the
    (anonymous) filer's."""
    if target == Target.receipt:
        return frozenset({Relation.filer})
    if caller == STRANGER:
        return STRANGER_HOLDS if target == Target.unnamed else frozenset()
    mine = frozenset({caller}) if caller in set(Relation) else frozenset()
    if target == Target.installation:
        return mine & EVERYWHERE
    if target == Target.unnamed:
        return mine & FROM_ROLES
    return mine


def shown(endpoint: Endpoint, caller: str) -> bool:
    """Whether the list ``caller`` may read holds the world's item (:class:`Item`)."""
    rule = TABLE[Operation(endpoint.guard)]
    if endpoint.item in (Item.case, Item.org, Item.installation):
        return bool(held(Target(endpoint.item.value), caller) & rule.relations)
    addressee = caller == Relation.filer
    if endpoint.item == Item.addressed:
        return addressee or caller in SEES_ALL_NOTIFICATIONS
    return addressee


def expected(endpoint: Endpoint, caller: str) -> Expected:
    """The cell, from the table: allowed (a list: whether it holds the world's item), or
    the refusal's status and codes."""
    if endpoint.guard == PUBLIC:
        return Expected(True)
    rule = None if endpoint.guard == SIGNED_IN else TABLE[Operation(endpoint.guard)]
    if rule is not None and (rule.scope == Scope.public or endpoint.target == Target.receipt):
        return Expected(bool(held(endpoint.target, caller) & rule.relations))  # the code is the key
    if caller == ANONYMOUS:
        return Expected(False, 401, ("auth.required",))
    if rule is None:
        return Expected(True)
    if endpoint.names_case and not (
        held(Target.case, caller) & TABLE[Operation.case_list].relations
        or caller in SEES_ALL_NOTIFICATIONS
    ):
        return Expected(False, 404, ("notification.unknown_case",))
    relations = held(endpoint.target, caller)
    if rule.scope == Scope.case and endpoint.target == Target.unnamed:
        if rule.operation != Operation.case_list:
            raise ValueError(f"{rule.operation} needs a case")
        allowed = True  # listing: anyone signed in (decide.may), the list is filtered
    else:
        allowed = rule.scope == Scope.anyone or bool(relations & rule.relations)
    if allowed:
        return Expected(True, listed=shown(endpoint, caller) if endpoint.item else None)
    if rule.scope == Scope.case and not relations & VISIBILITY:
        return Expected(False, 404, endpoint.hidden)
    if rule.scope == Scope.case:
        return Expected(False, 403, ("permission.denied",))
    if endpoint.target == Target.installation:
        return Expected(False, 403, ("permission.denied_installation",))
    return Expected(False, 403, ("permission.denied_organization",))


def check(endpoint: Endpoint, caller: str, response: httpx.Response, w: MatrixWorld) -> None:
    """Assert the answer is the cell's: allowed (one of the endpoint's outcomes; a list
    holds the world's item exactly when it should), or refused as the table says."""
    want = expected(endpoint, caller)
    said = f"{response.request.method} {response.request.url.path} as {caller}: "
    said += f"{response.status_code} {response.text[:400]}"
    if want.allowed:
        assert any(o.matches(response, w, caller) for o in endpoint.allowed), "refused: " + said
        if want.listed is not None:
            assert endpoint.listed is not None, f"{endpoint.name}: an item, no way to find it"
            found = endpoint.listed(response, w)
            assert found is want.listed, ("in" if found else "not in") + " the list: " + said
        return
    assert response.status_code == want.status, f"expected {want.status}: " + said
    assert problem_code(response) in want.codes, f"expected one of {want.codes}: " + said
