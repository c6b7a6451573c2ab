"""The access matrix against the running API: every endpoint × every caller, on SQLite and
PostgreSQL, each cell expected from ``models/permissions/table.py`` (``tests/support/matrix.py``
derives it; nothing here lists who may do what).

The world (``tests/support/matrix_world.py``): one complaint before its region's Ethics
Board and one person holding exactly one relation to it per :class:`Relation`; the
``stranger`` holds none (they are commissioner, head and admin of another body, which
counts where no organization is named: ``Target.unnamed``); ``anonymous`` sends no
credentials. The API is uvicorn in a
thread on 127.0.0.1 (``ServerThread``), each person calling with a real Bearer token;
``operator`` calls through ``OperatorSocket(create_app())`` served on a Unix socket,
acting for the stranger (``X-Ethicsflow-Act-For``), so that what it may comes from the
socket alone. One world and one pair of servers per database for the whole module.

A cell is **refused** as the table says: without credentials 401 ``auth.required``; a
case operation by someone who does not see the case (no relation in ``VISIBILITY``) 404
``case.not_found`` (a document: ``document.not_found``); one who sees it 403
``permission.denied``; an organization operation 403 ``permission.denied_organization``,
on the whole installation ``permission.denied_installation``. A cell is **allowed** when
the answer is one that only a request past the decision gets:

- reads: 200 and the body is the resource: it carries the case's number (``case.show``,
  its actions, ``case.history``), the issued document's id (``case.documents``), the
  administered servant's e-mail (``admin.people``, ``admin.accounts``), the case's body's
  code (``organizations.list``), the token's id (a person's tokens, one's own), the
  policy's time zone (``policy.read``), the caller's own e-mail (``/me``, signing in), the
  anonymous case's number (a receipt's status); a document download and the report
  (JSON, CSV with its ``section`` header): 200; health: 200.
- lists: a list the caller may read holds the world's item exactly for those the table
  gives it to (``matrix.Item``): the case list the case (``case.list``: anyone signed in
  may list, the list keeps the cases they see); ``GET /boards``, ``/people`` and
  ``/accounts`` without ``?org=`` (decided in the caller's own organization) the Board
  and the servant of the case's body to those who administer it; ``GET /people`` and
  ``/accounts``, with ``?org=`` or without, the body's person holding ``agency`` only to
  those who administer the whole installation (``decide.person_target``); ``GET
  /notifications?case=`` the filer's notification to the filer and to those who see
  everyone's (``SEES_ALL_NOTIFICATIONS``), ``GET /me/notifications`` to the filer alone.
- writes the domain refuses after the decision, so that the world stays as it was for
  every other cell: ``case.act`` ``accept`` on a case before the Board: 422
  ``action.not_allowed``; ``case.rate`` of a case not closed: 422
  ``rating.case_not_closed`` (the operator, acting for the stranger, who did not file it:
  403 ``rating.not_filer``, the domain's refusal, not the table's); retrying a queued
  notification: 422 ``notification.already_queued`` (200 once a dispatch cell failed it).
- writes that change nothing another cell reads: 201 (filing into another body; a new
  person, organization, Board, Board member (a spare person per caller), token,
  invitation), 204 (revoking a token, again; signing out), issuing the acknowledgment
  again: 201, then 200 unchanged; an import: 200, an NDJSON stream whose report filed
  the row; dispatch, sweep, recompute: 200; accepting one's own invitation 200.

Receipts: the code is the key, whoever presents it (signed in or not) stands as the
anonymous filer: ``receipt.show`` (public) and rating by receipt (``case.rate``, the filer's)
are allowed to every caller.

Every path of ``PATHS`` is served and every served route is in it; nothing is skipped.
Cells are independent of their order (CI runs them shuffled). Flow runs (Prefect's test
harness) only in the cells that write and are allowed.
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts

from ethicsflow.app.api.app import PREFIX, create_app
from ethicsflow.app.api.auth import ACT_FOR, OperatorSocket
from ethicsflow.app.api.server import ServerThread, bind_socket, port_free
from ethicsflow.models.db import init_database
from ethicsflow.models.permissions.relations import Relation
from ethicsflow.models.permissions.table import TABLE
from tests.support.db import fresh_pg_schema
from tests.support.matrix import Endpoint, Expected, check, expected
from tests.support.matrix_endpoints import ENDPOINTS, PATHS
from tests.support.matrix_world import ANONYMOUS, CALLERS, MatrixWorld, matrix_world
from tests.support.permissions import STRANGER

CELLS = [(endpoint, caller) for endpoint in ENDPOINTS for caller in CALLERS]
TIMEOUT = 60.0  # a first flow run starts Prefect's machinery in the server's thread


@dataclass
class Served:
    clients: dict[str, httpx.Client]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def matrix_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """An installation for the whole module: its home and database in the environment."""
    home: Path = tmp_path_factory.mktemp("matrix")
    with contextlib.ExitStack() as stack:
        if request.param == "sqlite":
            url = f"sqlite:///{home / 'ethicsflow.db'}"
        else:
            url = stack.enter_context(fresh_pg_schema())
        patch = stack.enter_context(pytest.MonkeyPatch.context())
        patch.setenv("ETHICSFLOW_HOME", str(home))
        patch.setenv("ETHICSFLOW_DATABASE_URL", url)
        patch.setenv("ETHICSFLOW_ENGINE", "inprocess")
        init_database(url)
        yield url


@pytest.fixture(scope="module")
def world(matrix_db: str) -> MatrixWorld:
    return matrix_world()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    assert port_free("127.0.0.1", port)
    return port


@pytest.fixture(scope="module")
def served(world: MatrixWorld, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The API on 127.0.0.1 and the operator's socket; an HTTP client per caller."""
    app = create_app()
    sock = tmp_path_factory.mktemp("socket") / "api.sock"
    tcp = ServerThread(app, "127.0.0.1", _free_port(), name="matrix-api")
    unix = ServerThread(
        OperatorSocket(create_app()), "", 0, name="matrix-socket", sock=bind_socket(sock)
    )
    clients: dict[str, httpx.Client] = {}
    try:
        for server in (tcp, unix):
            server.start()
            server.wait_started()
        for caller in CALLERS:
            if caller == Relation.operator:
                transport = httpx.HTTPTransport(uds=str(sock))
                headers = {ACT_FOR: world.emails[caller]}
                clients[caller] = httpx.Client(
                    transport=transport, base_url=f"http://socket{PREFIX}", headers=headers
                )
                continue
            token = world.tokens.get(caller)
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            clients[caller] = httpx.Client(base_url=f"{tcp.address}{PREFIX}", headers=headers)
        yield Served(clients)
    finally:
        for client in clients.values():
            client.close()
        for server in (tcp, unix):
            server.stop()


def routes(app: FastAPI) -> set[tuple[str, str]]:
    """``(method, path)`` of each route of the API's document (the routers' routes too:
    FastAPI includes them lazily, ``iter_route_contexts`` walks them)."""
    return {
        (method, str(route.path).removeprefix(PREFIX))
        for route in iter_route_contexts(app.routes)
        if getattr(route, "include_in_schema", False)
        for method in route.methods or ()
    }


@pytest.mark.parametrize(
    ("endpoint", "caller"), CELLS, ids=[f"{endpoint.name}-{caller}" for endpoint, caller in CELLS]
)
def test_cell(
    endpoint: Endpoint,
    caller: str,
    world: MatrixWorld,
    served: Served,
    request: pytest.FixtureRequest,
) -> None:
    call = endpoint.call(world, caller)
    if endpoint.writes and expected(endpoint, caller).allowed:
        request.getfixturevalue("prefect_harness")  # a flow run: Prefect only here
    client = served.clients[caller]
    client.cookies.clear()  # signing in sets a cookie; each cell is its token's alone
    response = client.request(
        call.method, call.url, params=call.params, json=call.json, timeout=TIMEOUT
    )
    check(endpoint, caller, response, world)


def test_every_operation_has_a_request() -> None:
    guarded = {endpoint.guard for endpoint in ENDPOINTS}
    assert set(TABLE) <= guarded, f"no endpoint in the matrix for {set(TABLE) - guarded}"


def test_every_path_is_served_and_in_the_matrix() -> None:
    mine = {(endpoint.method, endpoint.path) for endpoint in ENDPOINTS}
    assert mine - {("GET", "/health")} == PATHS
    served = routes(create_app())
    assert ("GET", "/cases/{number}") in served  # the walk finds the routers' routes
    assert not PATHS - served, f"not served: {PATHS - served}"
    assert not served - mine, f"served but not in the matrix: {served - mine}"


def test_the_cells_refuse_and_allow_as_the_table_says() -> None:
    """The expectations themselves: a few cells worked out by hand from DESIGN §9."""
    by_name = {endpoint.name: endpoint for endpoint in ENDPOINTS}
    assert expected(by_name["case.show"], Relation.respondent).allowed
    assert expected(by_name["case.history"], Relation.respondent).codes == ("permission.denied",)
    assert expected(by_name["case.show"], "stranger").status == 404
    assert expected(by_name["case.show"], ANONYMOUS).status == 401
    assert expected(by_name["admin.people"], Relation.body_admin).allowed
    new_body = by_name["admin.organizations"]
    assert expected(new_body, Relation.body_admin).codes == ("permission.denied_installation",)
    assert expected(new_body, Relation.installation_admin).allowed
    assert expected(by_name["case.rate/receipt"], ANONYMOUS).allowed
    assert expected(by_name["case.file"], STRANGER).allowed
    assert expected(by_name["case.import"], STRANGER).codes == ("permission.denied_organization",)
    assert expected(by_name["case.import"], Relation.operator).allowed
    # a list: the stranger (admin of another body) lists the Boards they host, not this one
    assert expected(by_name["admin.boards"], STRANGER) == Expected(True, listed=False)
    assert expected(by_name["admin.boards"], Relation.body_admin).listed
    assert expected(by_name["admin.boards"], Relation.filer).status == 403
    # decide.person_target: an agency holder of the body is the installation admin's
    assert expected(by_name["admin.people/show"], Relation.body_admin).allowed
    assert not expected(by_name["admin.people/show-everywhere"], Relation.body_admin).allowed
    assert expected(by_name["admin.people/show-everywhere"], Relation.installation_admin).allowed
    # the report without ?org=: one's own body (the stranger heads one), or all (agency)
    assert expected(by_name["report.restoration/own"], STRANGER).allowed
    assert expected(by_name["report.restoration/own"], Relation.agency).allowed
    assert not expected(by_name["report.restoration"], STRANGER).allowed
    assert expected(by_name["notifications.list"], STRANGER).status == 404
    assert expected(by_name["notifications.list"], Relation.installation_admin).listed
    assert not expected(by_name["notifications.list/mine"], Relation.operator).listed
