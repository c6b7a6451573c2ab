"""The Prefect ``Runner`` of `ethicsflow serve`: it serves the scheduled deployments
(sweep, dispatch) on its own event loop in a thread, and on stop lets the flow runs in
flight finish (bounded) and marks the ones a killed serve left behind as crashed. See
docs/engine.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger("ethicsflow.serve")


@dataclass
class RunnerHandle:
    """The Prefect Runner serving our deployments, on its own event loop in a thread."""

    thread: threading.Thread | None = None
    loop: asyncio.AbstractEventLoop | None = None
    runner: Any = None
    deployment_ids: list[Any] = field(default_factory=list)
    ready: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None


def start_runner(zone: str, schedules: dict[str, tuple[str, ...]], poll: float) -> RunnerHandle:
    handle = RunnerHandle()

    async def main() -> None:
        # imported here: Prefect reads its settings on first import; serve sets them first
        from prefect.runner import Runner
        from prefect.schedules import Cron

        from ethicsflow.deployments import DEPLOYMENTS, load_flow

        runner = Runner(
            name=f"ethicsflow-serve-{socket.gethostname()}",
            query_seconds=poll,
            pause_on_shutdown=False,  # the schedules stay active when serve stops
        )
        for d in DEPLOYMENTS:
            deployment_id = await runner.aadd_flow(
                load_flow(d),
                name=d.name,
                schedules=[Cron(cron, timezone=zone) for cron in schedules[d.name]],
                description=d.description,
                tags=["ethicsflow"],
            )
            handle.deployment_ids.append(deployment_id)
        await _mark_orphans(handle.deployment_ids)
        handle.loop, handle.runner = asyncio.get_running_loop(), runner
        handle.ready.set()
        await runner.start()

    def target() -> None:
        try:
            asyncio.run(main())
        except BaseException as exc:  # reported by the main thread
            handle.error = exc
        finally:
            handle.ready.set()

    handle.thread = threading.Thread(target=target, name="prefect-runner", daemon=True)
    handle.thread.start()
    return handle


async def _in_flight(deployment_ids: list[Any], runs: bool = False) -> Any:
    """How many runs of these deployments are pending or running (the runs if ``runs``)."""
    # imported here: Prefect reads its settings on first import; serve sets them first
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        DeploymentFilter,
        DeploymentFilterId,
        FlowRunFilter,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType

    async with get_client() as client:
        found = await client.read_flow_runs(
            deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=deployment_ids)),
            flow_run_filter=FlowRunFilter(
                state=FlowRunFilterState(
                    type=FlowRunFilterStateType(any_=[StateType.PENDING, StateType.RUNNING])
                )
            ),
        )
    return found if runs else len(found)


async def _mark_orphans(deployment_ids: list[Any]) -> None:
    """Runs still pending or running at start belong to a serve that died: mark them crashed."""
    # imported here: Prefect reads its settings on first import; serve sets them first
    from prefect.client.orchestration import get_client
    from prefect.states import Crashed

    orphans = await _in_flight(deployment_ids, runs=True)
    async with get_client() as client:
        for run in orphans:
            crashed: Any = Crashed(message="the serve that ran it stopped (killed)")
            await client.set_flow_run_state(run.id, crashed, force=True)
            log.warning("marked flow run %s crashed: its serve was killed while it ran", run.id)


def stop_runner(handle: RunnerHandle, grace: float) -> None:
    """No new runs; runs in flight may finish for ``grace`` s; the rest are cancelled."""
    if handle.loop is None or handle.runner is None or handle.thread is None:
        return
    runner = handle.runner
    poller = getattr(runner, "_scheduled_run_poller", None)

    async def in_flight() -> int:
        # The runs this runner has taken, from their submission (the state may still say
        # Scheduled) to their process's exit: Prefect 3.8's poller keeps them in this set.
        submitting = getattr(poller, "_submitting_flow_run_ids", None)
        if isinstance(submitting, set):
            return len(submitting)
        return int(await _in_flight(handle.deployment_ids))  # another Prefect: ask the API

    async def drain() -> None:
        if poller is not None:
            poller.stopping = True  # what Runner.astop does first, without cancelling
        deadline = time.monotonic() + grace
        said = -1
        while time.monotonic() < deadline:
            try:
                left = await in_flight()
            except Exception:  # the API is gone: nothing more to wait for
                break
            if not left:
                break
            if left != said:
                log.info("waiting for %d scheduled flow run(s) to finish", left)
                said = left
            await asyncio.sleep(0.2)
        if runner.started:
            await runner.astop()  # cancels (and marks) what is still running

    future = asyncio.run_coroutine_threadsafe(drain(), handle.loop)
    with contextlib.suppress(Exception):
        future.result(grace + 60)
    handle.thread.join(60)
