"""A bounded schemathesis run over the API's OpenAPI document: every operation, no 5xx,
every answer's status declared and its body matching the declared schema.

schemathesis (Hypothesis) generates requests from ``/api/v1/openapi.json`` (valid and
invalid ones) and sends them in process to the app as served on the operator's socket
(``OperatorSocket``), the operator acting for the case's assignee
(``X-Ethicsflow-Act-For``), so every operation gets past sign-in and access and reaches
its input checks and the domain. The world is the matrix's (``matrix_world``, without
the callers' accounts): two bodies, a person per relation, one complaint before its
Ethics Board, an anonymous case, a document, a notification, a Board, an account with a
token. Each path parameter is, by a Hypothesis draw, the world's value (the case's
number, one of the complaint lifecycle's actions, the receipt or the Board's code, the
document's or the notification's id, the servant's e-mail, the token's id) or the
generated one; the first example of every operation takes the world's values, so each
write reaches the domain (and a flow run) at least once (a test checks that every path
parameter of the document has a world value).

Bounded and reproducible for CI: ``derandomize=True`` (the same examples each run), a few
examples per operation (reads 10; writes 5, under Prefect's test harness since each
change is a flow run), no deadline (a first flow run starts Prefect's machinery).

SQLite only: what this checks is the HTTP contract (statuses, schemas, no 5xx), which is
the app's and not the database's; both databases are exercised by the matrix
(``test_matrix.py``) and the endpoint tests, and a second run here would double the
time for nothing new.
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from ethicsflow.app.api.app import PREFIX, create_app
from ethicsflow.app.api.auth import ACT_FOR, OperatorSocket
from ethicsflow.models.db import init_database
from ethicsflow.models.lifecycle.kinds import LIFECYCLES
from ethicsflow.models.permissions.relations import Relation
from tests.support.matrix_world import MatrixWorld, matrix_world

schema = schemathesis.openapi.from_asgi(f"{PREFIX}/openapi.json", OperatorSocket(create_app()))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
WRITES = ["POST", "PUT", "PATCH", "DELETE"]
ACTIONS = sorted({action.name for action in LIFECYCLES["complaint"].actions})
TIMEOUT = 60.0  # a flow run, on a loaded machine, under a Prefect server on SQLite
BOUNDED: dict[str, Any] = {
    "deadline": None,
    "derandomize": True,
    "database": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.filter_too_much],
}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MatrixWorld]:
    """A SQLite installation for the module with a small world in it."""
    home: Path = tmp_path_factory.mktemp("schema")
    url = f"sqlite:///{home / 'ethicsflow.db'}"
    with contextlib.ExitStack() as stack:
        patch = stack.enter_context(pytest.MonkeyPatch.context())
        patch.setenv("ETHICSFLOW_HOME", str(home))
        patch.setenv("ETHICSFLOW_DATABASE_URL", url)
        patch.setenv("ETHICSFLOW_ENGINE", "inprocess")
        init_database(url)
        yield matrix_world(callers=False)


def real_values(path: str, w: MatrixWorld) -> dict[str, Any]:
    """The world's value of each path parameter of ``path`` (a template), by the
    parameter's name in the API's document."""
    return {
        "number": w.number,
        "email": w.holder,
        "token_id": w.revocable,
        "document_id": w.document,
        "notification_id": w.notification,
        "code": w.receipt if "/receipts/" in path else w.board,
    }


def _run(case: Any, w: MatrixWorld, data: st.DataObject) -> None:
    """Put the world's values in the path unless a draw keeps the generated one (the first
    example, all draws False, is the world's), then call and check."""
    real = real_values(case.path, w)
    for name in case.path_parameters or {}:
        if data.draw(st.booleans(), label=f"generated {name}"):
            continue
        if name == "action":
            case.path_parameters[name] = data.draw(st.sampled_from(ACTIONS), label="action")
        else:
            case.path_parameters[name] = real[name]
    headers = {ACT_FOR: w.emails[Relation.assignee]}
    case.call_and_validate(headers=headers, checks=CHECKS, timeout=TIMEOUT)


def test_every_path_parameter_has_a_world_value(seeded: MatrixWorld) -> None:
    """A parameter renamed or added in the document would otherwise only ever get
    generated values, and its operation would never reach the domain."""
    document = create_app().openapi()
    for path, operations in document["paths"].items():
        for operation in operations.values():
            names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            missing = names - {"action", *real_values(path, seeded)}
            assert not missing, f"{path}: no world value for {missing}"


@pytest.fixture(scope="module")
def websockets_own_random() -> Iterator[None]:
    """Prefect's events client, in a thread of its own, pings its websocket with the
    global ``random`` (websockets: ``random.getrandbits``) on connecting and at each
    keepalive. A ping that falls inside a Hypothesis draw changes the global state under
    it, Hypothesis takes that for a strategy using ``random``
    (HypothesisDeprecationWarning, an error here) and the run fails now and then. The
    websockets modules get a generator of their own while the writes run, so the check
    still catches a strategy that uses ``random``."""
    from websockets import client
    from websockets.asyncio import connection

    with pytest.MonkeyPatch.context() as patch:
        for module in (client, connection):
            patch.setattr(module, "random", random.Random())
        yield


@schema.exclude(method=WRITES).parametrize()
@schema.given(data=st.data())
@settings(max_examples=10, **BOUNDED)
def test_reads(case: Any, data: st.DataObject, seeded: MatrixWorld) -> None:
    _run(case, seeded, data)


@schema.include(method=WRITES).parametrize()
@schema.given(data=st.data())
@settings(max_examples=5, **BOUNDED)
@pytest.mark.usefixtures("prefect_harness", "websockets_own_random")
def test_writes(case: Any, data: st.DataObject, seeded: MatrixWorld) -> None:
    _run(case, seeded, data)
