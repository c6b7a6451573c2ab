"""How flows are run in ethicsflow's processes.

Heartbeats are switched off for every run (they slow every sync flow run down and no
environment variable can switch them off: docs/internals.md); the case
number becomes a ``case:<number>`` tag on the run; parameters that may hold
personal data or secrets are not given to Prefect to store (``private_parameters``).
"""

from __future__ import annotations

import inspect
import os
import signal
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from prefect import Flow, runtime
from prefect.client.orchestration import get_client
from prefect.settings import temporary_settings

T = TypeVar("T")

NO_HEARTBEAT: dict[Any, Any] = {"flows.heartbeat_frequency": None}

PRIVATE = "<not stored: may hold personal data>"
"""What Prefect stores (its database, the UI's Parameters tab) for a private parameter."""

FlowT = TypeVar("FlowT", bound=Flow[Any, Any])


def private_parameters(*names: str) -> Callable[[FlowT], FlowT]:
    """Keep these parameters of a flow out of Prefect's database and UI.

    Prefect stores every flow run's parameters (``Flow.serialize_parameters``, called
    when the run is created); a filing's summary and e-mails, a person's name, IIN and
    notification URLs (which may carry an SMTP password) do not belong there, any more
    than in a log. The flow itself still receives the values: this changes only what is
    stored. Only for flows run in-process by the engine: a deployment's run takes its
    parameters from the stored ones.
    """

    def apply(flow: FlowT) -> FlowT:
        unknown = [n for n in names if n not in inspect.signature(flow.fn).parameters]
        if unknown:
            raise TypeError(f"{flow.name}: no parameter {', '.join(unknown)}")
        serialize = flow.serialize_parameters

        def without_private(parameters: dict[str, Any]) -> dict[str, Any]:
            stored = serialize({k: v for k, v in parameters.items() if k not in names})
            return {**stored, **{n: PRIVATE for n in names if n in parameters}}

        flow.serialize_parameters = without_private  # type: ignore[method-assign]
        return flow

    return apply


def run_flow(flow: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call a flow with heartbeats off (safe from any thread)."""
    with temporary_settings(updates=NO_HEARTBEAT):
        return flow(*args, **kwargs)


def tag_current_run(*tags: str) -> None:
    """Add tags to the running flow run once they are known (e.g. a new case number)."""
    run_id = runtime.flow_run.id
    if not run_id:
        return
    with get_client(sync_client=True) as client:
        run = client.read_flow_run(run_id)
        client.update_flow_run(run_id, tags=sorted({*run.tags, *tags}))


def shield_from_ctrl_c() -> None:
    """In a scheduled run that `ethicsflow serve` started: ignore SIGINT.

    Ctrl-C in serve's terminal goes to its whole process group, the runs' child processes
    included; serve, not each run, decides what happens then (it lets the runs in flight
    finish, app/serve.py). Elsewhere (the engine, the CLI, a worker) nothing changes.
    """
    owner = os.environ.get("ETHICSFLOW_SERVE_OWNER")
    if (
        owner
        and owner != str(os.getpid())
        and threading.current_thread() is threading.main_thread()
    ):
        signal.signal(signal.SIGINT, signal.SIG_IGN)
