"""The append-only, hash-chained audit log of a case.

Each event stores ``prev_hash`` and ``hash`` = SHA-256 over the canonical JSON
of the event and the previous hash. The case row keeps the head of its chain
(``audit_head``, ``event_count``), so deleting the newest event is detected
as well as editing or deleting any other.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, col, select

from ethicsflow.models.audit import changes
from ethicsflow.models.audit.tables import Event
from ethicsflow.models.types import utcnow

GENESIS = "0" * 64


def canonical(value: Any) -> str:
    """Canonical JSON: sorted keys, no spaces, UTF-8 kept."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def event_hash(case_number: str, event: Event) -> str:
    body = {
        "case": case_number,
        "seq": event.seq,
        # In UTC: the column returns UTC, so an offset given on the way in (an action
        # `at` 10:00+05:00) must hash the same as it reads back.
        "at": event.at.astimezone(UTC).isoformat(),
        "actor": event.actor,
        "action": event.action,
        "from": event.from_status,
        "to": event.to_status,
        "payload": json.loads(event.payload),
    }
    digest = hashlib.sha256()
    digest.update(canonical(body).encode())
    digest.update(event.prev_hash.encode())
    return digest.hexdigest()


def append_event(
    session: Session,
    case: Any,
    *,
    actor: str,
    action: str,
    from_status: str | None,
    to_status: str | None,
    payload: dict[str, Any],
    at: datetime | None = None,
) -> Event:
    """Append one event to the case's chain (in the caller's transaction).

    The change is also recorded for the emitter of committed changes (``changes.py``).
    """
    at = at or utcnow()
    event = Event(
        case_id=case.id,
        seq=case.event_count + 1,
        at=at,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=to_status,
        payload=canonical(payload),
        prev_hash=case.audit_head or GENESIS,
        hash="",
    )
    event.hash = event_hash(case.number, event)
    case.audit_head = event.hash
    case.event_count = event.seq
    session.add(event)
    changes.record(session, case, event)  # handed on after the commit (changes.py)
    return event


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    events: int
    problem: str | None = None
    first_bad_seq: int | None = None


def verify_chain(session: Session, case: Any) -> ChainReport:
    """Check every link of the case's chain and its head on the case row."""
    events = session.exec(
        select(Event).where(Event.case_id == case.id).order_by(col(Event.seq))
    ).all()
    prev = GENESIS
    for expected_seq, event in enumerate(events, start=1):
        if event.seq != expected_seq:
            return ChainReport(
                False, len(events), f"event {expected_seq} is missing (deleted)", expected_seq
            )
        if event.prev_hash != prev:
            return ChainReport(
                False,
                len(events),
                f"event {event.seq} ({event.action}) does not link to event {event.seq - 1}",
                event.seq,
            )
        if event_hash(case.number, event) != event.hash:
            return ChainReport(
                False,
                len(events),
                f"event {event.seq} ({event.action}) was edited: its hash does not match",
                event.seq,
            )
        prev = event.hash
    if len(events) > case.event_count:
        added = events[case.event_count]
        return ChainReport(
            False,
            len(events),
            f"event {added.seq} ({added.action}) was added: the case records"
            f" {case.event_count} events",
            added.seq,
        )
    if len(events) < case.event_count:
        seq = len(events) + 1
        return ChainReport(
            False,
            len(events),
            f"event {seq} is missing: the case records {case.event_count} events "
            f"but {len(events)} remain",
            seq,
        )
    if prev != (case.audit_head or GENESIS):
        last = events[-1] if events else None
        return ChainReport(
            False,
            len(events),
            f"event {last.seq} ({last.action}) was edited: it is not the head the case records"
            if last
            else "the case records events but none remain",
            last.seq if last else 1,
        )
    return ChainReport(True, len(events))
