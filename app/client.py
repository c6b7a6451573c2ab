"""The CLI's client of the ethicsflow API (over ``app/http_client.py``).

Locally it talks to the home's own app over the Unix socket ``HOME/api.sock`` (mode 0600:
the operator), starting the background engine that serves it when none runs
(``app/engine_client.py``). With ``ETHICSFLOW_URL`` (and ``ETHICSFLOW_TOKEN``, a personal
API token) it talks to a remote installation over HTTPS or HTTP instead, as the token's
person (a ``--by`` naming anyone else is refused there). Problem details come back as
the domain error they carry, so the CLI prints the same message and exit code either way.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ethicsflow.app import engine_client
from ethicsflow.app.http_client import (
    Client,
    ConnectError,
    Response,
    TransportError,
    reachable,
    segment,
    socket_path,
)
from ethicsflow.models import errors
from ethicsflow.models.catalogue import CATALOGUE
from ethicsflow.models.errors import EthicsflowError, operation
from ethicsflow.models.installation import Installation, locate

URL_ENV = "ETHICSFLOW_URL"
TOKEN_ENV = "ETHICSFLOW_TOKEN"
PREFIX = "/api/v1"
OP_TIMEOUT = 1800.0

BY_STATUS: dict[int, type[EthicsflowError]] = {
    401: errors.NotPermitted,
    403: errors.NotPermitted,
    404: errors.NotFound,
    409: errors.Conflict,
    422: errors.InvalidInput,
    429: errors.NotPermitted,
}


class Unreachable(Exception):
    """The request never reached the app (no socket, or nobody listening): safe to retry."""


@dataclass
class Api:
    """One connection to an ethicsflow API: the local socket or a remote URL."""

    client: Client
    remote: bool

    def request(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        query: dict[str, Any] | None = None,
        act_for: str | None = None,
    ) -> Any:
        """The JSON answer of ``method path`` (domain errors raised as such)."""
        with self._sent(method, path, body, query, act_for) as response:
            response.read()
            return _answer(response)

    def content(self, path: str, query: dict[str, Any] | None = None) -> bytes:
        """The bytes of ``GET path`` (a document's download, a CSV report)."""
        with self._sent("GET", path, None, query, None) as response:
            response.read()
            if response.status_code >= 400:
                _answer(response)
            return response.content

    def stream(
        self,
        path: str,
        body: Any,
        progress: Callable[[int], None] | None,
        what: str,
    ) -> Any:
        """POST ``body`` and read an NDJSON answer: progress lines, then ok or error."""
        lost = EthicsflowError(
            "engine.stopped_during", op=what, check=operation("case show", program=True)
        )
        with self._sent("POST", path, body, None, None) as response:
            if response.status_code >= 400:
                response.read()
                return _answer(response)
            try:
                for line in response.iter_lines():
                    if not line.strip():
                        continue
                    message = json.loads(line)
                    if "progress" in message:
                        if progress is not None:
                            progress(int(message["progress"]))
                    elif "ok" in message:
                        return message["ok"]
                    else:
                        raise problem_error(message.get("error"), 500)
            except TransportError as exc:
                raise lost from exc
            except ValueError as exc:
                raise EthicsflowError("engine.unreadable_answer", op=what) from exc
        raise lost

    @contextlib.contextmanager
    def _sent(
        self,
        method: str,
        path: str,
        body: Any,
        query: dict[str, Any] | None,
        act_for: str | None,
    ) -> Iterator[Response]:
        # remote too: the server refuses a --by naming anyone but the token's person (422)
        headers = {"X-Ethicsflow-Act-For": act_for} if act_for else {}
        params = {k: v for k, v in (query or {}).items() if v is not None}
        content = json.dumps(body, default=str) if body is not None else None
        if content is not None:
            headers["Content-Type"] = "application/json"
        try:
            with self.client.stream(
                method, PREFIX + path, content=content, params=params, headers=headers
            ) as response:
                yield response
        except ConnectError as exc:
            if not self.remote:
                raise Unreachable(str(exc)) from None
            raise EthicsflowError("engine.unreachable", reason=str(exc)) from None
        except TransportError as exc:
            raise EthicsflowError("engine.unreachable", reason=str(exc)) from None


def _answer(response: Response) -> Any:
    try:
        data = response.json()
    except ValueError:
        data = None
    if response.status_code >= 400:
        raise problem_error(data, response.status_code)
    return data


def problem_error(data: Any, status: int) -> EthicsflowError:
    """The domain error a problem document carries; else its text under the class its
    status names."""
    data = data if isinstance(data, dict) else {}
    error = data.get("error")
    if isinstance(error, dict) and error.get("code") in CATALOGUE:
        with contextlib.suppress(KeyError, TypeError, ValueError):
            return errors.from_dict(error)
    message = str(data.get("detail") or data.get("title") or f"HTTP status {status}")
    return BY_STATUS.get(int(data.get("status") or status), EthicsflowError)(
        "engine.reported", message=message
    )


# --- connecting ------------------------------------------------------------------------------


def remote_url() -> str | None:
    return os.environ.get(URL_ENV) or None


def connect_remote(url: str) -> Api:
    token = os.environ.get(TOKEN_ENV)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        client = Client(base_url=url.rstrip("/"), headers=headers, timeout=OP_TIMEOUT)
    except ValueError as exc:
        where = errors.key(URL_ENV)
        raise errors.InvalidInput("validation.other", where, detail=str(exc)) from None
    return Api(client, remote=True)


@contextlib.contextmanager
def local_api(home: Path) -> Iterator[Api]:
    """The app of ``home`` over its socket (not started here: see :func:`session`)."""
    with reachable(socket_path(home)) as where:
        yield Api(Client(uds=where, timeout=OP_TIMEOUT), remote=False)


@contextlib.contextmanager
def inprocess_api(settings: Installation) -> Iterator[Api]:
    """The app served by this process (``ETHICSFLOW_ENGINE=inprocess``) on a private socket
    for as long as the command runs, as the operator: the same routes and the same HTTP
    as the engine's (flows run here too)."""
    engine_client.prefect_environment(settings)  # before anything imports Prefect
    # lazy (import time): the app, uvicorn and the database layer load only in this mode
    import shutil
    import tempfile

    from ethicsflow.app.api.app import create_app
    from ethicsflow.app.api.auth import OperatorSocket
    from ethicsflow.app.api.server import ServerThread, bind_socket
    from ethicsflow.models.db import require_schema

    require_schema(settings.url)  # said before Prefect starts
    if not os.environ.get("ETHICSFLOW_DEBUG"):
        # the app's own log lines (security events, a failure's traceback) are not the
        # command's output: its answer says what went wrong
        logging.getLogger("ethicsflow").addHandler(logging.NullHandler())
    folder = Path(tempfile.mkdtemp(prefix="ethicsflow-"))  # mode 0700
    try:
        sock = bind_socket(folder / "api.sock")
        server = ServerThread(OperatorSocket(create_app()), "", 0, name="api-inprocess", sock=sock)
        server.start()
        try:
            server.wait_started()
            yield Api(Client(uds=str(folder / "api.sock"), timeout=OP_TIMEOUT), remote=False)
        finally:
            server.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def installation() -> Installation:
    """This installation as the environment describes it: read without pydantic where
    that reads it as Settings would (``models/installation.py``), else Settings."""
    located = locate()
    if located is not None:
        return located
    # lazy (import time): pydantic-settings (~0.14 s) only when the environment needs it
    from ethicsflow.models.settings import get_settings

    return get_settings()


def with_api(fn: Callable[[Api], Any], settings: Installation | None = None) -> Any:
    """``fn(api)`` with an API of this installation: the remote one when ``ETHICSFLOW_URL``
    says so, the app in this process with ``ETHICSFLOW_ENGINE=inprocess``, else the home's
    own engine (started when none answers; ``fn`` is run again once when the engine went
    away before a request reached it)."""
    url = remote_url()
    if url is not None:
        api = connect_remote(url)
        with api.client:
            return fn(api)
    settings = settings or installation()
    if settings.engine == "inprocess":
        with inprocess_api(settings) as api:
            return fn(api)
    for attempt in (1, 2):
        engine_client.ensure_engine(settings)
        try:
            with local_api(settings.home) as api:
                return fn(api)
        except Unreachable as exc:
            if attempt == 2:
                raise EthicsflowError(
                    "engine.refuses_requests",
                    home=str(settings.home),
                    reason=str(exc),
                    log=str(engine_client.log_path(settings.home)),
                ) from None
    raise AssertionError("unreachable")


# --- the operations of the CLI's write commands ------------------------------------------------


def run_operation(
    op: str,
    params: dict[str, Any],
    progress: Callable[[int], None] | None = None,
    settings: Installation | None = None,
) -> Any:
    """Run one write operation (one flow run) through the API: on its REST resource where
    it has one, else on the operator's ``/operations/{op}`` (the local socket only). A
    ``by`` among the values becomes the person the operator acts for."""
    params = absolute_paths(op, params)
    values = dict(params.get("values") or {})

    def go(api: Api) -> Any:
        if op == "act":
            number, action = str(params["number"]), str(params["action"])
            body = {"fields": values, "if_version": params.get("if_version")}
            path = f"/cases/{segment(number)}/actions/{segment(action)}"
            return api.request("POST", path, body=body, act_for=params.get("by"))
        if op == "file_case":
            by = values.pop("by", None)
            return api.request("POST", "/cases", body=values, act_for=by)
        if op == "import_cases":
            return api.stream("/cases/import", {"rows": params["rows"]}, progress, op)
        if op == "rate_case":
            rating = {"score": values.get("score"), "comment": values.get("comment")}
            if values.get("receipt"):
                path = f"/receipts/{segment(str(values['receipt']))}/rating"
                return api.request("POST", path, body=rating)
            path = f"/cases/{segment(str(values.get('number') or ''))}/rating"
            return api.request("POST", path, body=rating, act_for=values.get("by"))
        if op in SIMPLE:
            method, path = SIMPLE[op]
            by = values.pop("by", None)
            body = values if "values" in params else {k: v for k, v in params.items()}
            return api.request(method, path, body=body, act_for=by)
        if op == "add_board_member":
            code = str(values.pop("code", ""))
            return api.request("POST", f"/boards/{segment(code)}/members", body=values)
        if op == "notify_retry":
            return api.request("POST", f"/notifications/{int(params['id'])}/retry")
        raise EthicsflowError("engine.reported", message=f"no such operation {op!r}")

    return with_api(go, settings)


SIMPLE: dict[str, tuple[str, str]] = {
    "add_org": ("POST", "/organizations"),
    "add_person": ("POST", "/people"),
    "add_board": ("POST", "/boards"),
    "notify_dispatch": ("POST", "/notifications/dispatch"),
    "recompute_deadlines": ("POST", "/deadlines/recompute"),
    "sweep": ("POST", "/sweep"),
}
"""Operations whose body is their values (or their parameters) as they are."""


def absolute_paths(op: str, params: dict[str, Any]) -> dict[str, Any]:
    """`--set KEY=@PATH` is read by the engine, whose working directory is not ours."""
    values = params.get("values")
    if op != "act" or not isinstance(values, dict):
        return params
    fixed = {
        k: f"@{Path.cwd() / v[1:]}" if isinstance(v, str) and v.startswith("@") else v
        for k, v in values.items()
    }
    return {**params, "values": fixed}
