"""The access matrix of the REST API: every endpoint × every caller, expected from the table.

:class:`Endpoint` says what guards a path (an
:class:`~ethicsflow.models.permissions.table.Operation` of ``TABLE``, or for the few paths
about the caller's own session :data:`SIGNED_IN` / :data:`PUBLIC`), what it is decided on
(:class:`~tests.support.matrix_world.Target`) and how an answer shows that the request
passed the decision (the table of them: ``matrix_endpoints.py``; the world:
``matrix_world.py``). :func:`expected` derives each cell from ``TABLE``, ``VISIBILITY`` and
the relations that hold everywhere; nothing here lists who may do what.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from ethicsflow.models.permissions.relations import GLOBAL_ROLES, Relation
from ethicsflow.models.permissions.table import (
    SEES_ALL_NOTIFICATIONS,
    TABLE,
    VISIBILITY,
    Operation,
    Scope,
)
from tests.support.matrix_world import ANONYMOUS, MatrixWorld, Target

SIGNED_IN = "signed-in"  # a path about the caller's own session: anyone signed in
PUBLIC = "public"  # no sign-in
EVERYWHERE = frozenset({*GLOBAL_ROLES.values(), Relation.operator})
"""Relations that hold in every organization, so for the installation as a whole too."""

Values = dict[str, Any] | Callable[[MatrixWorld, str], dict[str, Any]]
Shows = Callable[[MatrixWorld, str], Any]


@dataclass(frozen=True)
class Outcome:
    """An answer that shows the request passed the access decision: one of ``statuses``,
    and either the domain's refusal ``code`` (a request the domain refuses *after* the
    decision, so that it changes nothing) or, if given, ``shows`` (a value of the
    resource: a JSON value anywhere in the body, or part of a CSV's text)."""

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
    args: tuple[tuple[str, str], ...] = ()  # path parameter -> MatrixWorld attribute
    params: Values | None = None
    body: Values | None = None
    listed: Callable[[httpx.Response, MatrixWorld], bool] | None = None  # a filtered list
    hidden: tuple[str, ...] = ("case.not_found",)  # codes of "no such case" here

    def call(self, w: MatrixWorld, caller: str) -> Call:
        fill = {"number": w.number, "action": "accept", "email": w.holder}
        fill |= {"token_id": w.revocable, **{k: getattr(w, v) for k, v in self.args}}
        params = self.params(w, caller) if callable(self.params) else self.params
        body = self.body(w, caller) if callable(self.body) else self.body
        if body is None and self.method == "POST":
            body = {}
        return Call(self.method, self.path.format(**fill), params, body)


def E(name: str, guard: str, route: str, *allowed: Outcome, **more: Any) -> Endpoint:
    method, path = route.split()
    return Endpoint(name, guard, method, path, allowed, **more)


def problem_code(response: httpx.Response) -> str | None:
    if not response.headers.get("content-type", "").startswith("application/problem+json"):
        return None
    code = response.json().get("code")
    return str(code) if code is not None else None


def holds(response: httpx.Response, value: Any) -> bool:
    """Whether the body carries ``value``: as a JSON value anywhere in it, else in its text."""
    if not response.headers.get("content-type", "").startswith("application/json"):
        return str(value) in response.text
    stack = [response.json()]
    while stack:
        item = stack.pop()
        if item == value:
            return True
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def has_item(response: httpx.Response, key: str, value: Any) -> bool:
    """Whether the JSON body holds, anywhere, an object whose ``key`` is ``value``."""
    stack = [response.json()]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if item.get(key) == value:
                return True
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


# --- what each cell expects -----------------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    allowed: bool
    status: int = 200  # of a refusal
    codes: tuple[str, ...] = ()  # of a refusal


def held(endpoint: Endpoint, caller: str) -> frozenset[str]:
    """The relations ``caller`` holds to what the endpoint is decided on: their one
    relation (the world gives each person exactly one); for the installation as a whole
    only one that holds everywhere; through a receipt code, the (anonymous) filer's."""
    if endpoint.target == Target.receipt:
        return frozenset({Relation.filer})
    mine = frozenset({caller}) if caller in set(Relation) else frozenset()
    return mine & EVERYWHERE if endpoint.target == Target.installation else mine


def expected(endpoint: Endpoint, caller: str) -> Expected:
    """The cell, from the table: allowed, or the refusal's status and codes."""
    if endpoint.guard == PUBLIC:
        return Expected(True)
    rule = None if endpoint.guard == SIGNED_IN else TABLE[Operation(endpoint.guard)]
    if rule is not None and (rule.scope == Scope.public or endpoint.target == Target.receipt):
        return Expected(bool(held(endpoint, caller) & rule.relations))  # the code is the key
    if caller == ANONYMOUS:
        return Expected(False, 401, ("auth.required",))
    if rule is None or rule.scope == Scope.anyone:
        return Expected(True)
    relations = held(endpoint, caller)
    if relations & rule.relations:
        return Expected(True)
    if rule.scope == Scope.case and not relations & VISIBILITY:
        return Expected(False, 404, endpoint.hidden)
    if rule.scope == Scope.case:
        return Expected(False, 403, ("permission.denied",))
    return Expected(False, 403, ("permission.denied_organization",))


def check(endpoint: Endpoint, caller: str, response: httpx.Response, w: MatrixWorld) -> None:
    """Assert the answer is the cell's: allowed (one of the endpoint's outcomes; a list
    shows the case), or refused as the table says (a list leaves the case out)."""
    want = expected(endpoint, caller)
    said = f"{response.request.method} {response.request.url.path} as {caller}: "
    said += f"{response.status_code} {response.text[:400]}"
    if want.allowed:
        assert any(o.matches(response, w, caller) for o in endpoint.allowed), "refused: " + said
        if endpoint.listed is not None:
            assert endpoint.listed(response, w), "not in the list: " + said
        if endpoint.name == "notifications.list":  # everyone's, or one's own
            everyone = caller in SEES_ALL_NOTIFICATIONS or caller == Relation.filer
            assert has_item(response, "id", w.notification) is everyone, "filtered wrongly: " + said
        return
    if endpoint.listed is not None and want.status != 401:
        assert not endpoint.listed(response, w), "in the list: " + said
        assert response.status_code == 200, said
        return
    assert response.status_code == want.status, f"expected {want.status}: " + said
    assert problem_code(response) in want.codes, f"expected one of {want.codes}: " + said
