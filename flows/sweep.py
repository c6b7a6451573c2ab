"""`sweep-deadlines`: auto-close, missed deadlines and escalations, reminders, digests.

Run by the schedule and by `ethicsflow sweep [--now ISO8601]`. Each step is a task and
one transaction of its own (``models/sweep.py``); every step is idempotent for a given
moment, so a retried run queues nothing twice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from prefect import flow, task

from ethicsflow.models import sweep
from ethicsflow.models.types import utcnow


@task(name="close-expired-cases")
def close_expired_cases(now: datetime) -> dict[str, Any]:
    return sweep.close_expired_cases(now)


@task(name="mark-missed-deadlines")
def mark_missed_deadlines(now: datetime) -> dict[str, Any]:
    return sweep.mark_missed_deadlines(now)


@task(name="queue-reminders")
def queue_reminders(now: datetime) -> dict[str, Any]:
    return sweep.queue_reminders(now)


@task(name="queue-digests")
def queue_digests(now: datetime) -> dict[str, Any]:
    return sweep.queue_digests(now)


@flow(name="sweep-deadlines")
def sweep_deadlines_flow(now: datetime | None = None) -> dict[str, Any]:
    """Sweep the deadlines at ``now`` (default: now); returns the counts."""
    now = now or utcnow()
    steps = [
        close_expired_cases(now),
        mark_missed_deadlines(now),
        queue_reminders(now),
        queue_digests(now),
    ]
    return sweep.summary(now, steps)
