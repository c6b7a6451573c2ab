"""How flows are run in ethicsflow's processes.

Heartbeats are switched off for every run (they cost ~1 s per sync flow run
and no environment variable can switch them off, DEVELOPERS.md); the case
number becomes a ``case:<number>`` tag on the run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from prefect import runtime
from prefect.client.orchestration import get_client
from prefect.settings import temporary_settings

T = TypeVar("T")

NO_HEARTBEAT: dict[Any, Any] = {"flows.heartbeat_frequency": None}


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
