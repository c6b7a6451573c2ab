"""The security log: a ``SecurityEvent`` row and one line of ``ethicsflow.security``.

Every sign-in, refused sign-in, failed receipt-code lookup, throttled attempt, sign-out,
password set, invitation created or used and API token created or revoked is recorded by
:func:`record` in the transaction of the change; its log line is written once that
transaction commits (:func:`transaction`), so a rolled-back change logs nothing. The row
may name the e-mail a refused sign-in gave; the log line names the person by id only and
never carries a password, a token, a receipt code, a hash or an e-mail.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from sqlmodel import Session

from ethicsflow.models.accounts.tables import SecurityEvent, SecurityKind
from ethicsflow.models.db import session_scope

log = logging.getLogger("ethicsflow.security")

LOGGED = ("method", "via", "reason", "retry_after", "token_id", "invitation_id", "expires_at")
"""The detail keys a log line shows (ids, reasons, times; never the e-mail or a name)."""

WARNINGS = frozenset(
    {SecurityKind.sign_in_failed, SecurityKind.receipt_failed, SecurityKind.throttled}
)
PENDING = "ethicsflow.security.pending"
"""Key of ``Session.info``: the log lines of the session's events, written after commit."""


@contextmanager
def transaction() -> Iterator[Session]:
    """A write transaction whose security events are logged once it has committed."""
    pending: list[tuple[int, str]] = []
    with session_scope(write=True) as session:
        session.info[PENDING] = pending
        yield session
    for level, line in pending:
        log.log(level, "%s", line)


def record(
    session: Session,
    kind: SecurityKind,
    *,
    at: dt.datetime,
    person_id: int | None = None,
    address: str | None = None,
    detail: Mapping[str, Any] | None = None,
) -> SecurityEvent:
    """Add the event to the session; its log line waits for the commit (see
    :func:`transaction`; in any other session it is written at once)."""
    event = SecurityEvent(
        at=at,
        kind=kind.value,
        person_id=person_id,
        address=address,
        detail=dict(detail or {}),
    )
    session.add(event)
    level = logging.WARNING if kind in WARNINGS else logging.INFO
    line = log_line(event)
    pending = session.info.get(PENDING)
    if pending is None:
        log.log(level, "%s", line)
    else:
        pending.append((level, line))
    return event


def log_line(event: SecurityEvent) -> str:
    """``sign_in_failed person=12 address=10.0.0.5 reason=wrong_password``."""
    person = event.person_id if event.person_id is not None else "-"
    words = [event.kind, f"person={person}", f"address={event.address or '-'}"]
    words += [f"{name}={event.detail[name]}" for name in LOGGED if name in event.detail]
    return " ".join(words)
