"""What every command module of the CLI shares: option types and the calls of the API."""

from __future__ import annotations

from typing import Annotated, Any

import typer

Json = Annotated[bool, typer.Option("--json", help="print exactly one JSON document")]
Number = Annotated[str, typer.Argument(help="case number, e.g. MOJ-2026-00001")]


def call_engine(op: str, params: dict[str, Any], progress: Any = None) -> dict[str, Any]:
    """Run a write operation through the API (one Prefect flow run)."""
    # lazy (import time): httpx loads only for commands that talk to the API
    from ethicsflow.app.client import run_operation

    return run_operation(op, params, progress)  # a missing `init` is said before an engine starts


def server_answers() -> bool:
    """Whether a server that checks the input answers now: ``ETHICSFLOW_URL``'s, or the
    home's running engine. When none does, a command checks its input itself before one
    is started for it (seconds), at the cost of loading pydantic (~0.1 s)."""
    # lazy (import time): only the commands that would validate ask
    from ethicsflow.app import engine_client
    from ethicsflow.app.client import installation, remote_url

    if remote_url() is not None:
        return True
    where = installation()
    return where.engine != "inprocess" and engine_client.running_engine(where) is not None


def api_get(path: str, **query: Any) -> Any:
    """``GET /api/v1{path}`` of this installation's API (the home's engine, the app in this
    process, or ``ETHICSFLOW_URL``), as the operator or the token's person."""
    # lazy (import time): httpx loads only for commands that talk to the API
    from ethicsflow.app.client import with_api

    return with_api(lambda api: api.request("GET", path, query=query))


def segment(value: str) -> str:
    """A value as one segment of an API path."""
    # lazy (import time): only commands with a path argument
    from ethicsflow.app.http_client import segment as quoted

    return quoted(value)
