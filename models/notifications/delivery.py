"""Delivering the outbox: who may send a row, and what a send's result means.

Sending itself is in ``flows/sending.py`` (apprise); this module imports no apprise.
Each function here is one short transaction::

    queued ─┐                      ┌─ True ──────────────────────────▶ sent
            ├─ claim ─▶ sending ─ record
    failed ─┘  (attempts + 1)      └─ False / None ─▶ failed (due again after the backoff)
                                                      or dead (attempts reached the maximum)
    sending ─ recover (lease over: its dispatcher is gone) ─▶ dead, "outcome unknown"
    dead / failed ─ retry (an operator) ─▶ queued, attempts 0

**The guarantee: at most once, without an operator.** A row reaches apprise only
through the dispatcher whose claim moved it from ``queued``/``failed`` to ``sending``
in a committed transaction. Two claims never take the same row: on PostgreSQL the
claim locks the rows it picks with ``FOR UPDATE SKIP LOCKED`` (READ COMMITTED re-checks
the status of a row another claim has just committed, so it drops out), on SQLite the
claim holds the database's write lock (``BEGIN IMMEDIATE``). A row in ``sending`` is
never claimed again. If its dispatcher dies -- even by SIGKILL between the send and the
record -- the row stays ``sending`` until its lease (``ETHICSFLOW_NOTIFY_LEASE_SECONDS``)
has passed, and the next dispatch then marks it ``dead`` with "outcome unknown": it is
not sent again unless an operator runs ``ethicsflow notify retry ID``. A crash therefore
costs at most the rows that dispatcher had in flight (``ETHICSFLOW_NOTIFY_WORKERS``),
each left ``dead`` for a person to check, and never a duplicate. Not promised: exactly
once (a service may accept a message whose acknowledgement is lost; that row ends
``dead``/unknown although delivered -- the dedup key travels in each message so that a
receiver can drop the copy an operator's retry would send) nor delivery of rows whose
outcome is unknown.

Only the claiming dispatcher records a row (``WHERE id = ? AND claimed_by = ?`` on a
row still ``sending``). A dispatcher that was only slow, not dead, may still record a
row that recovery marked unknown meanwhile (its claim is unchanged): the real result
replaces the guess. ``last_error`` keeps the latest failure, also after a later success.
"""

from __future__ import annotations

import os
import secrets
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, or_, update
from sqlmodel import Session, col, select

from ethicsflow.models.audit.chain import append_event
from ethicsflow.models.cases.tables import Case
from ethicsflow.models.db import require_schema, session_scope
from ethicsflow.models.deadlines.rules import local_date
from ethicsflow.models.deadlines.tables import Deadline, DeadlineStatus
from ethicsflow.models.errors import InvalidInput, NotFound, key, operation
from ethicsflow.models.notifications.listing import as_public
from ethicsflow.models.notifications.tables import Notification, NotificationStatus
from ethicsflow.models.policy import load_policy
from ethicsflow.models.settings import Settings, get_settings
from ethicsflow.models.types import utcnow

S = NotificationStatus
DUE = (S.queued, S.failed)
UNKNOWN = "outcome unknown"
UNKNOWN_OUTCOME = (
    UNKNOWN + ": the dispatcher stopped while delivering; check with the recipient,"
    " then `ethicsflow notify retry {id}`"
)
NO_SERVICE = "no service accepted the URL"
MAX_ERROR = 2000
"""Characters of an error kept in ``last_error``."""


@dataclass(frozen=True)
class Message:
    """What a sender needs of one claimed row."""

    id: int
    url: str
    subject: str
    body: str
    body_format: str
    attachments: tuple[str, ...]
    dedup_key: str
    attempt: int
    """This attempt's number (the row's ``attempts`` while it is claimed)."""
    event: str = ""
    meets_deadline_id: int | None = None


@dataclass(frozen=True)
class Outcome:
    """What the send said: apprise ``notify()`` True / False / None, and why not."""

    delivered: bool | None
    error: str | None = None


def new_dispatcher_id() -> str:
    """A random id for one dispatch run (host and pid first, for the operator)."""
    host = socket.gethostname().split(".")[0][:32] or "host"
    return f"{host}:{os.getpid()}:{secrets.token_hex(6)}"


def backoff(attempts: int, settings: Settings) -> timedelta:
    """The wait after the ``attempts``-th failed attempt: base * 2**(attempts-1), capped."""
    seconds = settings.notify_backoff_seconds * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.notify_backoff_max_seconds))


def recover_abandoned(
    lease_seconds: float, now: datetime | None = None, settings: Settings | None = None
) -> list[int]:
    """Mark rows ``sending`` for longer than the lease ``dead`` with an unknown outcome.

    Their dispatcher is taken for dead; whether the message arrived is unknown, so the
    row is never sent again automatically. ``lease_seconds=0`` takes every row that is
    ``sending`` now (``notify dispatch --recover-now``: only when no other dispatcher runs).
    """
    now = now or utcnow()
    cutoff = now - timedelta(seconds=lease_seconds)
    with session_scope(write=True, url=(settings or get_settings()).url) as session:
        rows = session.exec(
            select(Notification)
            .where(Notification.status == S.sending)
            .where(col(Notification.claimed_at) <= cutoff)
            .order_by(col(Notification.id))
            .with_for_update(skip_locked=True)
        ).all()
        for row in rows:
            row.status = S.dead
            row.last_error = UNKNOWN_OUTCOME.format(id=row.id)
            session.add(row)
        return [row.id for row in rows if row.id is not None]


def claim(
    dispatcher: str, limit: int, now: datetime | None = None, settings: Settings | None = None
) -> list[Message]:
    """Take up to ``limit`` due rows for ``dispatcher`` (oldest first) and mark them sending."""
    now = now or utcnow()
    with session_scope(write=True, url=(settings or get_settings()).url) as session:
        rows = session.exec(
            select(Notification)
            .where(col(Notification.status).in_([s.value for s in DUE]))
            .where(col(Notification.next_attempt_at) <= now)
            .order_by(col(Notification.id))
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
        if not rows:
            return []
        session.connection().execute(
            update(Notification)
            .where(col(Notification.id).in_([row.id for row in rows]))
            .values(
                status=S.sending,
                claimed_by=dispatcher,
                claimed_at=now,
                attempts=col(Notification.attempts) + 1,
            )
        )
        return [
            Message(
                id=row.id or 0,
                url=row.url,
                subject=row.subject,
                body=row.body,
                body_format=row.body_format,
                attachments=tuple(row.attachments or ()),
                dedup_key=row.dedup_key,
                attempt=row.attempts + 1,
                event=row.event,
                meets_deadline_id=row.meets_deadline_id,
            )
            for row in rows
        ]


_MINE = (
    update(Notification)
    .where(col(Notification.id) == bindparam("_id"))
    .where(col(Notification.claimed_by) == bindparam("_by"))
    .where(
        or_(
            col(Notification.status) == S.sending,
            and_(
                col(Notification.status) == S.dead,
                col(Notification.last_error).startswith(UNKNOWN),
            ),
        )
    )
)
"""A row this dispatcher claimed: still ``sending``, or marked unknown by a recovery
while its claim is unchanged (the real result then replaces the guess)."""


def record(
    message: Message,
    outcome: Outcome,
    dispatcher: str,
    now: datetime | None = None,
    settings: Settings | None = None,
) -> str:
    """Write one send's result; returns the row's new status, or ``lost`` when the row is
    no longer this dispatcher's (an operator re-queued it meanwhile)."""
    settings = settings or get_settings()
    now = now or utcnow()
    values: dict[str, Any]
    if outcome.delivered is True:
        values = {"status": S.sent, "sent_at": now}
    else:
        reason = NO_SERVICE if outcome.delivered is None else "not delivered"
        values = {"last_error": (outcome.error or reason)[:MAX_ERROR]}
        if message.attempt >= settings.notify_max_attempts:
            values["status"] = S.dead
        else:
            values["status"] = S.failed
            values["next_attempt_at"] = now + backoff(message.attempt, settings)
    with session_scope(write=True, url=settings.url) as session:
        done = session.connection().execute(
            _MINE.values(**values), {"_id": message.id, "_by": dispatcher}
        )
        if done.rowcount != 1:
            return "lost"
        if outcome.delivered is True and message.meets_deadline_id is not None:
            _meet_deadline(session, message, now)
        return str(values["status"])


def _meet_deadline(session: Session, message: Message, now: datetime) -> None:
    """The notice was delivered: its deadline is met, with an audit event on the case,
    in the recording transaction. Delivered after the due day, the deadline is left to
    the sweep, which marks it missed and escalates (``models/deadlines/sweep.py``)."""
    case_id = session.exec(
        select(Deadline.case_id).where(Deadline.id == message.meets_deadline_id)
    ).first()
    if case_id is None:
        return
    # Lock order as in `case act` and the sweep: the case, then its deadline (both read
    # only now, under the lock: a sweep may have closed the deadline meanwhile).
    case = session.exec(select(Case).where(Case.id == case_id).with_for_update()).one()
    deadline = session.exec(
        select(Deadline).where(Deadline.id == message.meets_deadline_id).with_for_update()
    ).one()
    day = local_date(now, load_policy().zone)
    live = deadline.status in (DeadlineStatus.open, DeadlineStatus.suspended)
    if not live or day > deadline.due:
        return
    status = DeadlineStatus.met
    deadline.status = status
    deadline.closed_on = day
    session.add(deadline)
    case.bump()
    append_event(
        session,
        case,
        actor="system",
        action="notice_delivered",
        from_status=case.status,
        to_status=case.status,
        at=now,
        payload={
            "notification": message.id,
            "event": message.event,
            "deadline": deadline.name,
            "due": deadline.due.isoformat(),
            "status": str(status),
        },
    )
    session.add(case)


def retry(notification_id: int, now: datetime | None = None) -> dict[str, Any]:
    """Re-queue a ``dead`` or ``failed`` row (an operator's choice: it may arrive twice).

    Attempts restart at 0; ``last_error`` says it was re-queued and keeps the old error.
    """
    require_schema()
    now = now or utcnow()
    with session_scope(write=True) as session:
        row = session.exec(
            select(Notification).where(Notification.id == notification_id).with_for_update()
        ).first()
        if row is None:
            raise NotFound("notification.not_found", key("id"), id=notification_id)
        if row.status == S.sent:
            raise InvalidInput(
                "notification.already_sent",
                key("id"),
                id=notification_id,
                sent=row.sent_at.isoformat() if row.sent_at else "?",
            )
        if row.status == S.sending:
            raise InvalidInput(
                "notification.being_sent",
                key("id"),
                id=notification_id,
                dispatcher=str(row.claimed_by),
                recover=operation("notify dispatch", program=True, recover_now=None),
            )
        if row.status == S.queued:
            raise InvalidInput(
                "notification.already_queued",
                key("id"),
                id=notification_id,
                dispatch=operation("notify dispatch", program=True),
            )
        was = f"{row.status} after {row.attempts} attempt(s)"
        row.last_error = f"re-queued by an operator ({was}); last error: {row.last_error or '-'}"[
            :MAX_ERROR
        ]
        row.status = S.queued
        row.attempts = 0
        row.next_attempt_at = now
        row.claimed_by = None
        row.claimed_at = None
        session.add(row)
        session.flush()
        return as_public(session, row).model_dump(mode="json")
