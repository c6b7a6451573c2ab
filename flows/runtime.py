"""How flows are run in ethicsflow's processes.

Heartbeats are switched off for every run (they slow every sync flow run down and no
environment variable can switch them off: docs/internals.md); the case
number becomes a ``case:<number>`` tag on the run; parameters that may hold
personal data or secrets are not given to Prefect to store (``private_parameters``).
"""

from __future__ import annotations

import atexit
import contextlib
import copy
import inspect
import os
import signal
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar
from uuid import UUID

import httpx
from prefect import Flow
from prefect.client.schemas.actions import FlowRunCreate
from prefect.client.schemas.objects import FlowRun, FlowRunPolicy
from prefect.context import (
    FlowRunContext,
    SettingsContext,
    SyncClientContext,
    get_settings_context,
)
from prefect.filesystems import LocalFileSystem
from prefect.settings import Settings
from prefect.states import Pending, to_state_create

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
    """Call a flow with heartbeats off (safe from any thread), with a pooled client.

    Both are made once, not per run: copying Prefect's settings (``temporary_settings``)
    cost ~40 % of an action's CPU and a new API client (its SSL context) ~20 %
    (py-spy on the app during actions, docs/internals.md).
    """
    context = get_settings_context()
    settings = _quiet_settings(context.settings)
    name = None
    if isinstance(flow, Flow) and isinstance(flow.flow_run_name, str):
        # named when created (below), not renamed by the engine a round trip later
        bound = inspect.signature(flow.fn).bind(*args, **kwargs)
        bound.apply_defaults()
        name = flow.flow_run_name.format(**bound.arguments)
        flow = _unnamed(flow)
    if isinstance(flow, Flow) and (flow.result_storage is None or flow.persist_result is None):
        # Unsaid, Prefect asks its server for a default result storage twice a run (two
        # round trips, ~18 % of an action's CPU). Ours persist no results and the server
        # has no default storage, so both answers are known: Prefect's own fallbacks.
        flow.persist_result = False
        flow.result_storage = LocalFileSystem(basepath=str(settings.results.local_storage_path))
    with SettingsContext(profile=context.profile, settings=settings), _client(settings) as client:
        token = SyncClientContext.__var__.set(client)
        named = _RUN_NAME.set((flow.name, name) if isinstance(flow, Flow) and name else None)
        try:
            return flow(*args, **kwargs)
        finally:
            _RUN_NAME.reset(named)
            SyncClientContext.__var__.reset(token)


_RUN_NAME: ContextVar[tuple[str, str] | None] = ContextVar("ethicsflow_run_name", default=None)
"""The flow :func:`run_flow` starts and the name its run is created with (not a
subflow's: those keep Prefect's names)."""

_unnamed_copies: weakref.WeakKeyDictionary[Flow[Any, Any], Flow[Any, Any]] = (
    weakref.WeakKeyDictionary()
)


def _unnamed(flow: FlowT) -> FlowT:
    """The flow without its run-name template (a shallow copy: what
    :func:`private_parameters` changed stays changed), which the engine would otherwise
    apply with a request of its own after creating the run."""
    unnamed = _unnamed_copies.get(flow)
    if unnamed is None:
        unnamed = copy.copy(flow)
        unnamed.flow_run_name = None
        _unnamed_copies[flow] = unnamed
    return unnamed  # type: ignore[return-value]


_quiet: tuple[Settings, Settings] | None = None
"""The last settings seen and their copy with heartbeats off."""


def _quiet_settings(base: Settings) -> Settings:
    global _quiet
    known = _quiet
    if known is None or known[0] is not base:
        known = _quiet = (base, base.copy_with_update(updates=NO_HEARTBEAT))
    return known[1]


_idle: list[tuple[Any, SyncClientContext]] = []
"""Open Prefect client contexts not in use, each with the API it talks to."""
_idle_lock = threading.Lock()


@contextmanager
def _client(settings: Settings) -> Iterator[SyncClientContext]:
    """An open client context for ``settings``' Prefect API, lent to one flow run at a
    time and kept open for the next; those of another API (a test's earlier server) are
    closed."""
    key = (settings.api.url, settings.api.auth_string, settings.api.key)
    with _idle_lock:
        stale = [context for api, context in _idle if api != key]
        _idle[:] = [(api, context) for api, context in _idle if api == key]
        lent = _idle.pop()[1] if _idle else None
    for context in stale:
        _close(context)
    if lent is None:
        lent = SyncClientContext()
        _create_runs_in_one_request(lent.client)
        try:
            lent.client.__enter__()
            if settings.client.server_version_check_enabled:
                lent.client.raise_for_api_version_mismatch_once()
        except BaseException:
            _close(lent)  # never lent: not kept either
            raise
    try:
        yield lent
    finally:
        with _idle_lock:
            _idle.append((key, lent))


def _create_runs_in_one_request(client: Any) -> None:
    """Make ``client`` (a pooled SyncPrefectClient) create a flow run in one request.

    Prefect's ``create_flow_run`` first asks the server for the flow's id
    (``POST /flows/``, every run) and creates the run without a name, which the engine
    then sets (``PATCH``): three requests where one will do. Here the flow's id is asked
    once per client and kept (asked again, and the creation retried once, when the
    server no longer knows it: a flow deleted in Prefect's UI), and the run is created
    with the name :func:`run_flow` resolved. Calls with anything more (a work pool, job
    variables) go to Prefect's own method.
    """
    prefects = client.create_flow_run
    flow_ids: dict[str, UUID] = {}

    def create_flow_run(
        flow: Flow[Any, Any],
        name: str | None = None,
        parameters: dict[str, Any] | None = None,
        context: dict[str, Any] | None = None,
        tags: Any = None,
        parent_task_run_id: UUID | None = None,
        state: Any = None,
        **more: Any,
    ) -> FlowRun:
        if any(value is not None for value in more.values()):
            return prefects(
                flow, name, parameters, context, tags, parent_task_run_id, state, **more
            )
        parameters = parameters or {}
        started = _RUN_NAME.get()
        if name is None and parent_task_run_id is None and started and started[0] == flow.name:
            name = started[1]
        for attempt in (1, 2):
            known = flow.name in flow_ids
            flow_id = flow_ids.get(flow.name) or client.create_flow(flow)
            flow_ids[flow.name] = flow_id
            body = FlowRunCreate(
                flow_id=flow_id,
                flow_version=flow.version,
                name=name,
                parameters=parameters,
                context=context or {},
                tags=list(tags or []),
                parent_task_run_id=parent_task_run_id,
                state=to_state_create(state or Pending()),
                empirical_policy=FlowRunPolicy(
                    retries=flow.retries, retry_delay=int(flow.retry_delay_seconds or 0)
                ),
            )
            try:
                answer = client.request(
                    "POST", "/flow_runs/", json=body.model_dump(mode="json", exclude_unset=True)
                )
            except httpx.HTTPStatusError:
                if not known or attempt == 2:
                    raise
                flow_ids.pop(flow.name, None)  # the server forgot the flow: ask again
                continue
            run = FlowRun.model_validate(answer.json())
            run.parameters = parameters  # as Prefect does: the objects, not their JSON
            return run
        raise AssertionError("unreachable")

    client.create_flow_run = create_flow_run


def _close(context: SyncClientContext) -> None:
    with contextlib.suppress(Exception):
        context.client.__exit__(None, None, None)


@atexit.register
def close_clients() -> None:
    """Close the idle clients (at exit; a test may call it)."""
    with _idle_lock:
        idle = [context for _, context in _idle]
        _idle.clear()
    for context in idle:
        _close(context)


def tag_current_run(*tags: str) -> None:
    """Add tags to the running flow run once they are known (e.g. a new case number)."""
    context = FlowRunContext.get()
    if context is None or context.flow_run is None:
        return
    # the run's own client and tags: one request (a new client and a read cost two more)
    run = context.flow_run
    context.client.update_flow_run(run.id, tags=sorted({*run.tags, *tags}))
    run.tags = sorted({*run.tags, *tags})


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
