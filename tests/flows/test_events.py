"""Each committed case change is a Prefect event `ethics.case.<action>` (flows/events.py).

The events are read back from the session's Prefect server (``conftest.py``) through its
event stream (``/events/out``, the websocket the Prefect UI's event feed uses), which
delivers an event as soon as the server has it; a stored event would be readable from
``/events/filter`` only after the server's next write (up to 5 s). A refused or
rolled-back change shows as the absence of its event before the event of the next
change, which the same sender sends after it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from prefect.blocks.notifications import SlackWebhook
from prefect.client.orchestration import get_client
from prefect.events.clients import PrefectEventSubscriber
from prefect.events.filters import EventFilter, EventNameFilter
from prefect.events.schemas.automations import AutomationCore, EventTrigger
from prefect.events.schemas.events import Event
from prefect.server.events.actions import SendNotification
from prefect.server.utilities.user_templates import render_user_template_sync
from prefect.settings import PREFECT_API_URL
from sqlmodel import select

from ethicsflow.flows.commands import execute
from ethicsflow.flows.events import case_event, flush
from ethicsflow.models.audit import changes
from ethicsflow.models.audit.changes import CaseChange
from ethicsflow.models.cases.views import case_view
from ethicsflow.models.db import session_scope
from ethicsflow.models.errors import NotPermitted
from ethicsflow.models.lifecycle.engine import apply_action
from ethicsflow.models.people.tables import Person
from tests.support import factories
from tests.support.flows import filing

ROOT = Path(__file__).resolve().parents[2]
AUTOMATION = ROOT / "deployments" / "automations" / "slack-on-escalate.yaml"
SLACK_URL = "https://hooks.slack.com/services/T0TEST/B0TEST/XXXXTEST"


class Stream:
    """The events whose name starts with one of ``prefixes``, as Prefect streams them."""

    def __init__(self, *prefixes: str) -> None:
        self.events: list[Event] = []
        self._changed = threading.Condition()
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._filter = EventFilter(event=EventNameFilter(prefix=list(prefixes)))
        self._thread = threading.Thread(
            target=asyncio.run, args=(self._listen(str(PREFECT_API_URL.value())),), daemon=True
        )

    async def _listen(self, api_url: str) -> None:
        self._loop, self._task = asyncio.get_running_loop(), asyncio.current_task()
        try:
            async with PrefectEventSubscriber(api_url=api_url, filter=self._filter) as events:
                self._ready.set()
                async for event in events:
                    with self._changed:
                        self.events.append(event)
                        self._changed.notify_all()
        except asyncio.CancelledError:
            pass
        except BaseException as exc:  # shown by __enter__ or wait_for, not lost in a thread
            self._error = exc
            self._ready.set()

    def __enter__(self) -> Stream:
        self._thread.start()
        assert self._ready.wait(30), "Prefect's event stream did not open"
        if self._error:
            raise self._error
        return self

    def __exit__(self, *exc: object) -> None:
        if self._loop and self._task:
            self._loop.call_soon_threadsafe(self._task.cancel)
        self._thread.join(10)

    def about(self, resource_id: str, count: int, timeout: float = 30) -> list[Event]:
        """Wait until ``count`` events about ``resource_id`` came; return them."""
        flush(timeout)  # every event this process queued has reached the server

        def found() -> list[Event]:
            return [e for e in self.events if e.resource.id == resource_id]

        with self._changed:
            self._changed.wait_for(lambda: len(found()) >= count or self._error, timeout)
            if self._error:
                raise self._error
            return found()

    def of_case(self, number: str, count: int) -> list[Event]:
        """The case's events in the order of its audit log."""
        events = self.about(f"ethics.case.{number}", count)
        return sorted(events, key=lambda e: int(e.payload["seq"]))


def actions(events: list[Event]) -> list[str]:
    return [e.event.removeprefix("ethics.case.") for e in events]


def related(event: Event, role: str) -> list[str]:
    return [r.id for r in event.related if r.role == role]


def person_id(email: str) -> int:
    with session_scope() as session:
        person = session.exec(select(Person).where(Person.email == email)).one()
        assert person.id is not None
        return person.id


@pytest.fixture
def stream() -> Iterator[Stream]:
    with Stream("ethics.case.") as events:
        yield events


@pytest.fixture
def failing_emitter() -> Iterator[None]:
    def fail(committed: Any) -> None:
        raise RuntimeError("the events API is down")

    previous = changes.set_emitter(fail)
    try:
        yield
    finally:
        changes.set_emitter(previous)


# --- what an event holds ----------------------------------------------------------------------


def test_case_event_is_a_valid_prefect_event_without_a_missing_assignee() -> None:
    change = CaseChange(
        number="MINFIN-2026-00001",
        kind="complaint",
        action="file",
        from_status=None,
        status="registered",
        version=1,
        organization="MINFIN",
        assignee_id=None,
        seq=1,
        event_id=7,
        at=datetime(2026, 11, 23, 5, 30, tzinfo=UTC),
    )

    event = Event.model_validate(case_event(change))

    assert event.event == "ethics.case.file"
    assert dict(event.resource) == {
        "prefect.resource.id": "ethics.case.MINFIN-2026-00001",
        "prefect.resource.name": "MINFIN-2026-00001",
        "ethics.case.kind": "complaint",
        "ethics.case.status": "registered",
    }
    assert [(r.id, r.role) for r in event.related] == [
        ("ethics.organization.MINFIN", "organization")
    ]
    assert event.payload["version"] == 1 and event.payload["from_status"] is None


# --- through the flows ------------------------------------------------------------------------


def test_filing_and_accepting_emit_case_events_with_organization_and_assignee(
    home: Path, stream: Stream
) -> None:
    b = factories.body()

    number = execute("file_case", {"values": filing(b)})["number"]
    execute("act", {"number": number, "action": "accept", "by": b.commissioner})

    events = stream.of_case(number, 3)
    assert actions(events) == ["file", "assign", "accept"]
    filed, assigned, accepted = events
    commissioner = f"ethics.person.{person_id(b.commissioner)}"
    for event in events:
        assert event.resource.name == number
        assert event.resource["ethics.case.kind"] == "complaint"
        assert related(event, "organization") == [f"ethics.organization.{b.code}"]
    assert related(filed, "assignee") == []  # assigned by the next event of the same filing
    assert related(assigned, "assignee") == related(accepted, "assignee") == [commissioner]
    assert (accepted.resource["ethics.case.status"], accepted.payload) == (
        "under_review",
        {
            "action": "accept",
            "from_status": "triage",
            "status": "under_review",
            "version": 2,
            "seq": 3,
            "at": accepted.payload["at"],
        },
    )
    # Prefect's own resources: the flow run that made the change, its flow and tags
    assert [r.name for r in accepted.related if r.role == "flow"] == ["act-on-case"]
    assert f"prefect.tag.case:{number}" in related(accepted, "tag")
    assert related(filed, "flow-run") != related(accepted, "flow-run") != []


def test_escalating_a_restoration_case_emits_ethics_case_escalate(
    home: Path, stream: Stream
) -> None:
    number, b = escalated_restoration_case()

    events = stream.of_case(number, 6)
    assert actions(events) == [
        "file",
        "assign",
        "accept",
        "propose_measures",
        "reject_measure",
        "escalate",
    ]
    escalated = events[-1]
    assert escalated.resource["ethics.case.kind"] == "restoration"
    assert escalated.resource["ethics.case.status"] == "escalated"
    assert escalated.payload["from_status"] == "measures_in_progress"
    assert related(escalated, "assignee") == [f"ethics.person.{person_id(b.commissioner)}"]


def test_a_refused_action_emits_nothing(home: Path, stream: Stream) -> None:
    b = factories.body()
    number = execute("file_case", {"values": filing(b)})["number"]

    with pytest.raises(NotPermitted):
        execute("act", {"number": number, "action": "accept", "by": b.respondent})
    execute("act", {"number": number, "action": "accept", "by": b.commissioner})

    events = stream.of_case(number, 3)
    assert actions(events) == ["file", "assign", "accept"]
    assert [e.payload["version"] for e in events] == [1, 1, 2]


def test_a_rolled_back_transaction_or_savepoint_emits_nothing(home: Path, stream: Stream) -> None:
    b = factories.body()
    number = execute("file_case", {"values": filing(b)})["number"]

    def accept(session: Any) -> None:
        apply_action(session, number=number, action="accept", actor_email=b.commissioner, values={})

    with pytest.raises(RuntimeError), session_scope(write=True) as session:
        accept(session)
        raise RuntimeError("rolled back after the audit event was appended")
    with session_scope(write=True) as session:
        with contextlib.suppress(RuntimeError), session.begin_nested():
            accept(session)
            raise RuntimeError("this savepoint is rolled back")
        accept(session)  # the one that commits

    events = stream.of_case(number, 3)
    assert actions(events) == ["file", "assign", "accept"]
    assert events[-1].payload["version"] == 2


def test_an_import_emits_the_filed_rows_only(home: Path, stream: Stream) -> None:
    b = factories.body()
    rows = [[1, filing(b)], [2, filing(b, org="NOSUCHORG")], [3, filing(b)]]

    report = execute("import_cases", {"rows": rows})

    assert (report["filed"], report["failed"]) == (2, 1)
    for case in report["cases"]:
        events = stream.of_case(case["number"], 2)
        assert actions(events) == ["file", "assign"]
        assert [r.name for r in events[0].related if r.role == "flow"] == ["import-cases"]
        assert [r.name for r in events[0].related if r.role == "task-run"] == ["register-batch"]


def test_events_hold_no_personal_data(home: Path, stream: Stream) -> None:
    tag = uuid.uuid4().hex[:8]
    code = factories.org()
    commissioner = factories.person(code, "commissioner", name=f"Aigerim Commissioner{tag}")
    filer = factories.person(code, name=f"Asel Filer{tag}", iin="851231400456")
    respondent = factories.person(code, name=f"Bolat Respondent{tag}")
    summary = f"Shouted at me in front of colleagues {tag}"
    number = execute(
        "file_case",
        {
            "values": {
                "kind": "complaint",
                "org": code,
                "by": filer,
                "against": respondent,
                "summary": summary,
            }
        },
    )["number"]
    reason = f"Needs the payroll records {tag}"
    execute(
        "act",
        {"number": number, "action": "accept", "by": commissioner, "values": {"reason": reason}},
    )
    anonymous = execute(
        "file_case",
        {"values": {"kind": "complaint", "org": code, "anonymous": True, "summary": summary}},
    )

    events = [*stream.of_case(number, 3), *stream.of_case(anonymous["number"], 1)]

    text = json.dumps([e.model_dump(mode="json") for e in events])
    secrets = [commissioner, filer, respondent, tag, "851231400456", anonymous["receipt_code"]]
    assert [s for s in secrets if s.lower() in text.lower()] == []


def test_a_failing_emitter_does_not_fail_the_change(
    home: Path, failing_emitter: None, caplog: pytest.LogCaptureFixture
) -> None:
    b = factories.body()
    number = factories.complaint(b)["number"]
    caplog.clear()  # the filing's warning

    with caplog.at_level(logging.WARNING, logger="ethicsflow.models.audit.changes"):
        result = execute("act", {"number": number, "action": "accept", "by": b.commissioner})

    assert result["status"] == "under_review"
    with session_scope() as session:
        assert case_view(session, number)["status"] == "under_review"
    assert [
        r.getMessage() for r in caplog.records if r.name == "ethicsflow.models.audit.changes"
    ] == ["1 committed case change(s) not handed on: RuntimeError"]


@pytest.mark.slow
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_short_lived_process_sends_its_events_before_it_exits(home: Path, stream: Stream) -> None:
    b = factories.body()
    number = factories.complaint(b)["number"]
    params = {"number": number, "action": "accept", "by": b.commissioner}
    script = (
        "from ethicsflow.app.engine_client import run_inprocess\n"
        f"run_inprocess('act', {params!r})\n"
    )
    env = os.environ | {"PREFECT_API_URL": str(PREFECT_API_URL.value())}

    subprocess.run([sys.executable, "-c", script], env=env, check=True, timeout=120)

    # file and assign from this process, accept from the one that exited
    assert actions(stream.of_case(number, 3)) == ["file", "assign", "accept"]


# --- the automation of the README ---------------------------------------------------------------


def automation(block_id: uuid.UUID) -> dict[str, Any]:
    text = AUTOMATION.read_text(encoding="utf-8")
    assert "SLACK_WEBHOOK_BLOCK_ID" in text
    return dict(yaml.safe_load(text.replace("SLACK_WEBHOOK_BLOCK_ID", str(block_id))))


def test_the_slack_automation_file_is_a_valid_prefect_automation() -> None:
    data = automation(uuid.uuid4())

    parsed = AutomationCore.model_validate(data)

    # AutomationCore ignores unknown keys: a misspelt one would be dropped silently
    assert set(data) <= set(AutomationCore.model_fields)
    assert set(data["trigger"]) <= set(EventTrigger.model_fields)
    [action] = data["actions"]
    assert set(action) <= set(SendNotification.model_fields)
    assert isinstance(parsed.trigger, EventTrigger)
    assert parsed.trigger.expect == {"ethics.case.escalate"}


@pytest.mark.slow
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.filterwarnings("ignore:'imghdr' is deprecated:DeprecationWarning")  # apprise
def test_the_slack_automation_fires_when_a_case_is_escalated(home: Path) -> None:
    block_id = SlackWebhook(url=SLACK_URL).save(f"ethics-escalations-{uuid.uuid4().hex[:8]}")
    with get_client(sync_client=True) as client:
        automation_id = client.create_automation(
            AutomationCore.model_validate(automation(block_id))
        )
    try:
        with Stream("ethics.case.", "prefect.automation.") as stream:
            number, _ = escalated_restoration_case()
            [escalated] = [
                e for e in stream.of_case(number, 6) if e.event == "ethics.case.escalate"
            ]
            fired = stream.about(f"prefect.automation.{automation_id}", 2)
    finally:
        with get_client(sync_client=True) as client:
            client.delete_automation(automation_id)

    assert "prefect.automation.triggered" in [e.event for e in fired]
    assert "prefect.automation.action.triggered" in [e.event for e in fired]
    [action] = automation(block_id)["actions"]
    subject = render_user_template_sync(action["subject"], {"event": escalated})
    body = render_user_template_sync(action["body"], {"event": escalated})
    assert subject == f"Case {number} escalated"
    assert f"Case {number} (restoration) of {number.split('-')[0]} was escalated" in body
    assert "measures_in_progress -> escalated, version 5" in body


def escalated_restoration_case() -> tuple[str, factories.Body]:
    """A restoration case whose one measure was refused, escalated to the Agency."""
    b = factories.body()
    filed = execute("file_case", {"values": filing(b, kind="restoration", against=None)})
    number = str(filed["number"])
    measure = {"what": "Revoke", "responsible": b.head, "due_working_days": 10, "evidence": "order"}
    for action, values in [
        ("accept", {"category": "pressure", "risk": "high", "reason": "moved"}),
        ("propose_measures", {"measures": [measure]}),
        ("reject_measure", {"measure": "1", "reason": "refused"}),
        ("escalate", {"to": "agency", "reason": "refused"}),
    ]:
        execute("act", {"number": number, "action": action, "by": b.commissioner, "values": values})
    return number, b


def test_case_events_can_be_switched_off(
    home: Path, stream: Stream, monkeypatch: pytest.MonkeyPatch
) -> None:
    b = factories.body()
    monkeypatch.setenv("ETHICSFLOW_CASE_EVENTS", "false")
    silent = execute("file_case", {"values": filing(b)})["number"]
    monkeypatch.setenv("ETHICSFLOW_CASE_EVENTS", "true")
    heard = execute("file_case", {"values": filing(b)})["number"]

    assert actions(stream.of_case(heard, 2)) == ["file", "assign"]  # the stream is flowing
    assert stream.about(f"ethics.case.{silent}", 1, timeout=2) == []
