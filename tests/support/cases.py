"""Helpers for the model tests: acting at a chosen local moment, reading a case back.

Everything goes through ``ethicsflow.models.cases.operations`` and ``views``; no Prefect.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import func
from sqlmodel import SQLModel, col, select

import ethicsflow.models.tables  # noqa: F401  (every table in the metadata)
from ethicsflow.app.errors import message as cli_message
from ethicsflow.models.audit.tables import Event
from ethicsflow.models.cases import operations, views
from ethicsflow.models.cases.tables import Party, Suspension
from ethicsflow.models.db import session_scope
from ethicsflow.models.deadlines.tables import Deadline
from ethicsflow.models.errors import EthicsflowError
from ethicsflow.models.lifecycle.engine import get_case
from tests.support import factories as f

SUMMARY = "Rude and humiliating remarks at a staff meeting"


def at(day: str, time: str = "10:00") -> datetime:
    """A moment in Almaty (UTC+5): ``at("2025-03-17")`` is 10:00 local that day."""
    return datetime.fromisoformat(f"{day}T{time}:00+05:00")


def file_complaint(b: f.Body, received: str, **values: Any) -> dict[str, Any]:
    """File a complaint received at 10:00 local on ``received``, filed at that moment."""
    data = {
        "kind": "complaint",
        "org": b.code,
        "by": b.filer,
        "against": b.respondent,
        "summary": SUMMARY,
        "received_at": f"{received}T10:00:00+05:00",
        **values,
    }
    # filed at the moment of receipt, unless the caller gives its own receipt time
    now = None if "received_at" in values else at(received)
    return operations.file_one({k: v for k, v in data.items() if v is not None}, now=now)


def act(
    number: str, action: str, by: str, day: str, values: dict[str, Any] | None = None, **kw: Any
) -> dict[str, Any]:
    """Run ``action`` at 10:00 local on ``day``."""
    return operations.act(number, action, by, values or {}, at=at(day), **kw)


def show(number: str) -> dict[str, Any]:
    with session_scope() as session:
        return views.case_view(session, number)


def history(number: str, verify: bool = False) -> dict[str, Any]:
    with session_scope() as session:
        return views.history(session, number, verify=verify)


def deadlines(number: str, name: str | None = None) -> list[tuple[str, str, str]]:
    """(name, due, status) of the case's deadlines in the order they were created."""
    return [
        (d["name"], d["due"], d["status"])
        for d in show(number)["deadlines"]
        if name is None or d["name"] == name
    ]


def open_due(number: str, name: str) -> str:
    """Due date of the one open deadline called ``name``."""
    dues = [due for n, due, status in deadlines(number, name) if status == "open"]
    assert len(dues) == 1, f"expected one open {name} deadline, got {deadlines(number)}"
    return dues[0]


@dataclass(frozen=True)
class Snapshot:
    """Everything an action could write about one case."""

    status: str
    version: int
    assignee: int | None
    events: int
    event_rows: int
    deadlines: tuple[tuple[Any, ...], ...]
    suspensions: tuple[tuple[Any, ...], ...]
    parties: tuple[tuple[Any, ...], ...]


def snapshot(number: str) -> Snapshot:
    with session_scope() as session:
        case = get_case(session, number)
        rows = session.exec(
            select(Deadline).where(Deadline.case_id == case.id).order_by(col(Deadline.id))
        ).all()
        suspensions = session.exec(select(Suspension).where(Suspension.case_id == case.id)).all()
        parties = session.exec(select(Party).where(Party.case_id == case.id)).all()
        event_rows = session.exec(
            select(func.count()).select_from(Event).where(Event.case_id == case.id)
        ).one()
        return Snapshot(
            status=case.status,
            version=case.version,
            assignee=case.assignee_id,
            events=case.event_count,
            event_rows=int(event_rows),
            deadlines=tuple((d.id, d.name, d.due, d.status, d.remaining, d.rule) for d in rows),
            suspensions=tuple((s.id, s.ground, s.start, s.end) for s in suspensions),
            parties=tuple((p.id, p.role, p.email) for p in parties),
        )


def refused(
    number: str, error: type[Exception], match: str, attempt: Callable[[], object]
) -> pytest.ExceptionInfo[Exception]:
    """Run ``attempt``; it must raise ``error`` matching ``match`` and write nothing."""
    before = snapshot(number)
    rows_before = row_counts()
    with pytest.raises(error) as info:
        attempt()
    # the line the CLI prints (str() of an ethicsflow error leaves out e-mails)
    raised = info.value
    message = cli_message(raised) if isinstance(raised, EthicsflowError) else str(raised)
    assert re.search(match, message), f"{match!r} not in {message!r}"
    assert snapshot(number) == before
    assert row_counts() == rows_before
    return info


def row_counts() -> dict[str, int]:
    """Number of rows in every table of the schema."""
    with session_scope() as session:
        return {
            table.name: int(session.exec(select(func.count()).select_from(table)).one())
            for table in SQLModel.metadata.sorted_tables
        }


def all_text() -> list[str]:
    """Every value of every row of every table, as text."""
    out: list[str] = []
    with session_scope() as session:
        for table in SQLModel.metadata.sorted_tables:
            for row in session.connection().execute(sa.select(table)):
                out.extend(str(value) for value in row if value is not None)
    return out
