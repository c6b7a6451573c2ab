"""Case changes handed on after their transaction commits.

Every change of a case appends an audit event (:func:`audit.append_event`), which also
records a :class:`CaseChange` on the session; :func:`db.session_scope` hands the
session's changes to the registered emitter once the transaction has committed. A
rolled-back transaction hands on nothing, and neither does a rolled-back savepoint
(an import row or a sweep case that failed): only changes whose audit event was
committed are handed on.

The emitter is a plain callable: ``models`` imports no Prefect, and the flows layer
registers one that sends each change as a Prefect event (``flows/events.py``). With
none registered nothing is recorded. A change holds no personal data (no names,
e-mails, IINs, texts): the case number, kind, action, status, version, the
organization's code and the assignee's person id.

An emitter that fails never fails or undoes the change: it has committed already, and
the failure is logged as a warning (the exception's type and the count, no content).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import inspect
from sqlmodel import Session

from ethicsflow.models.people.tables import Organization

log = logging.getLogger(__name__)

KEY = "ethicsflow.changes"
"""The key of the pending changes in ``Session.info``."""


@dataclass(frozen=True)
class CaseChange:
    """One committed change of a case: the audit event's action and the case after it."""

    number: str
    kind: str
    action: str
    from_status: str | None
    status: str | None
    version: int
    organization: str
    """The organization's code."""
    assignee_id: int | None
    """The assignee's person id (never a name or an e-mail)."""
    seq: int
    """The audit event's number in the case's chain."""
    event_id: int
    """The audit event's row id."""
    at: datetime
    """When the change happened (the audit event's moment; a replay gives a past one)."""


Emitter = Callable[[Sequence[CaseChange]], None]

_emitter: Emitter | None = None


def set_emitter(emitter: Emitter | None) -> Emitter | None:
    """Register the one emitter of this process (None: none); returns the previous one."""
    global _emitter
    previous, _emitter = _emitter, emitter
    return previous


@dataclass
class _Pending:
    event: Any  # the audit Event row: the change counts only if it is committed
    number: str
    kind: str
    from_status: str | None
    status: str | None
    version: int
    organization: str
    assignee_id: int | None


def record(session: Session, case: Any, event: Any) -> None:
    """Note the change that ``event`` (just added to ``session``) made to ``case``."""
    if _emitter is None:
        return
    codes: dict[int, str] = session.info.setdefault(KEY + ".orgs", {})
    org_id = int(case.organization_id)
    code = codes.get(org_id)
    if code is None:
        with session.no_autoflush:  # the caller decides when its rows are flushed
            org = session.get(Organization, org_id)
        code = codes[org_id] = org.code if org else str(org_id)
    session.info.setdefault(KEY, []).append(
        _Pending(
            event=event,
            number=case.number,
            kind=str(case.kind),
            from_status=event.from_status,
            status=event.to_status,
            version=int(case.version),
            organization=code,
            assignee_id=case.assignee_id,
        )
    )


def hand_over(session: Session) -> None:
    """After a commit: give the committed changes to the emitter (never raises)."""
    pending: list[_Pending] = session.info.pop(KEY, [])
    emitter = _emitter
    if not pending or emitter is None:
        return
    try:
        committed = [
            CaseChange(
                number=p.number,
                kind=p.kind,
                action=p.event.action,
                from_status=p.from_status,
                status=p.status,
                version=p.version,
                organization=p.organization,
                assignee_id=p.assignee_id,
                seq=p.event.seq,
                event_id=p.event.id,
                at=p.event.at,
            )
            for p in pending
            if inspect(p.event).persistent  # a rolled-back savepoint's event is transient
        ]
        if committed:
            emitter(committed)
    except Exception as exc:
        log.warning(
            "%d committed case change(s) not handed on: %s", len(pending), type(exc).__name__
        )
