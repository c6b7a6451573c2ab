"""Each committed case change as a Prefect event, for automations in the Prefect UI.

``ethics.case.<action>`` (the audit action: ``file``, ``assign``, ``accept``,
``escalate``, ``deadline_missed``, ``close`` ...) about the resource
``ethics.case.<number>`` (labels ``ethics.case.kind`` and ``ethics.case.status``), with
the organization (``ethics.organization.<CODE>``, role ``organization``) and the
assignee (``ethics.person.<id>``, role ``assignee``, when there is one) as related
resources, then the flow run, its flow, deployment, task run and tags where the change
ran in one. The payload: action, status before and after, version, the audit event's
number and moment. No personal data: no names, e-mails, IINs, summaries, comments or
receipt codes.

``flows/__init__.py`` registers :func:`emit_changes` with ``models/audit/changes.py`` (through
a shim that imports this module only once Prefect is loaded), which calls it after each
commit: every process that runs flows (the engine, the in-process CLI, the runner of
``ethicsflow serve``, a worker) emits, and no flow has to.

**Volume.** ``prefect.events.emit_event`` validates each event, then Prefect's events
worker adds the run's resources and sends it alone over a websocket: too slow for a bulk
``case import`` (two events a case, ``file`` and ``assign``; figures in
docs/internals.md). So the events of one commit go to Prefect's batch endpoint
(``POST /api/events``) in one request (:data:`BATCH` at most), sent by
:class:`CaseEventSender`, a queue service on Prefect's event loop thread like Prefect's
own log batcher (``APILogWorker``): the committing thread only builds the dicts and
queues them, and Prefect drains the queue before the process exits, so a short-lived CLI
or runner process loses nothing. The server validates and stores the events.

Emitted only where a Prefect API is at hand: ``PREFECT_API_URL`` or a temporary server
this process already started for its flow runs. A change outside both (a test or a
benchmark calling ``models`` directly) is not worth starting a server for.
A failure is logged as a warning and never fails the change: it has committed.
"""

from __future__ import annotations

import logging
import sys
import uuid
from collections.abc import AsyncGenerator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from prefect._internal.concurrency.services import QueueService
from prefect.client.orchestration import PrefectClient, get_client
from prefect.context import FlowRunContext, TaskRunContext
from prefect.settings import PREFECT_API_URL

from ethicsflow.models.audit.changes import CaseChange

log = logging.getLogger(__name__)

PREFIX = "ethics.case."

BATCH = 1000
"""Events per request at most: a commit of more is sent in several."""

Events = list[dict[str, Any]]


def case_event(change: CaseChange) -> dict[str, Any]:
    """``event``, ``resource``, ``related`` and ``payload`` of one change's event."""
    related = [
        {
            "prefect.resource.id": f"ethics.organization.{change.organization}",
            "prefect.resource.role": "organization",
            "prefect.resource.name": change.organization,
        }
    ]
    if change.assignee_id is not None:
        related.append(
            {
                "prefect.resource.id": f"ethics.person.{change.assignee_id}",
                "prefect.resource.role": "assignee",
            }
        )
    return {
        "event": f"{PREFIX}{change.action}",
        "resource": {
            "prefect.resource.id": f"{PREFIX}{change.number}",
            "prefect.resource.name": change.number,
            "ethics.case.kind": change.kind,
            "ethics.case.status": change.status or "",
        },
        "related": related,
        "payload": {
            "action": change.action,
            "from_status": change.from_status,
            "status": change.status,
            "version": change.version,
            "seq": change.seq,
            "at": change.at.isoformat(),
        },
    }


def run_resources() -> list[dict[str, str]]:
    """The flow run, flow, deployment, task run and tags this thread runs in, if any."""
    related: list[dict[str, str]] = []
    tags: set[str] = set()
    flow_context = FlowRunContext.get()
    if flow_context is not None and flow_context.flow_run is not None:
        run = flow_context.flow_run
        related.append(_resource("flow-run", run.id, run.name))
        flow = flow_context.flow
        related.append(_resource("flow", run.flow_id, flow.name if flow else None))
        if run.deployment_id:
            related.append(_resource("deployment", run.deployment_id))
        tags |= set(run.tags)
    task_context = TaskRunContext.get()
    if task_context is not None:
        related.append(_resource("task-run", task_context.task_run.id, task_context.task.name))
        tags |= set(task_context.task_run.tags)
    related += [
        {"prefect.resource.id": f"prefect.tag.{tag}", "prefect.resource.role": "tag"}
        for tag in sorted(tags)
    ]
    return related


def _resource(kind: str, id: Any, name: str | None = None) -> dict[str, str]:
    resource = {"prefect.resource.id": f"prefect.{kind}.{id}", "prefect.resource.role": kind}
    if name:
        resource["prefect.resource.name"] = name
    return resource


def _api_at_hand() -> bool:
    """A Prefect API to send to without starting one: configured, or started already."""
    if PREFECT_API_URL.value():
        return True
    server_module = sys.modules.get("prefect.server.api.server")
    return bool(server_module and server_module.SubprocessASGIServer().running)


class CaseEventSender(QueueService[Events]):
    """Sends each queued list of events in one ``POST /api/events`` (one per commit)."""

    _client: PrefectClient

    @classmethod
    def instance(cls, *args: Any) -> CaseEventSender:
        return super().instance(PREFECT_API_URL.value(), *args)  # one per API

    @asynccontextmanager
    async def _lifespan(self) -> AsyncGenerator[None, None]:
        async with get_client() as self._client:
            yield

    async def _handle(self, item: Events) -> None:
        try:
            await self._client.request("POST", "/events", json=item)
        except Exception as exc:  # the changes have committed: say so, and go on
            log.warning("%d case events not sent: %s", len(item), type(exc).__name__)


def emit_changes(committed: Sequence[CaseChange]) -> None:
    """Queue the events of one commit's changes (the emitter of ``models/audit/changes.py``)."""
    if not committed or not _api_at_hand():
        return
    context = run_resources()
    events = []
    for change in committed:
        event = case_event(change)
        event["related"] += context
        event["id"] = str(uuid.uuid4())
        event["occurred"] = datetime.now(UTC).isoformat()
        events.append(event)
    sender = CaseEventSender.instance()
    for start in range(0, len(events), BATCH):
        sender.send(events[start : start + BATCH])


def flush(timeout: float | None = None) -> None:
    """Send every queued event now and wait (at most ``timeout`` seconds).

    Prefect does this by itself before the process exits; a new event after it starts
    a new sender.
    """
    CaseEventSender.drain_all(timeout=timeout)
