"""`sweep-deadlines`: auto-close, missed deadlines and escalations, reminders, digests.

Run by the schedule and by `ethicsflow sweep [--now ISO8601]`. No ``from __future__ import
annotations`` here: a scheduled run validates its parameters against these annotations in
a child process, which needs them as real types, not strings. Each step is a task and
one transaction of its own (``models/deadlines/sweep.py``); every step is idempotent for a given
moment, so a retried run queues nothing twice.
"""

from datetime import datetime
from typing import Any

from prefect import flow, runtime, task

from ethicsflow.flows.runtime import shield_from_ctrl_c
from ethicsflow.models.deadlines import digest, sweep
from ethicsflow.models.deadlines import sweep_runs as sweep_run
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
    return digest.queue_digests(now)


@flow(name="sweep-deadlines")
def sweep_deadlines_flow(now: datetime | None = None) -> dict[str, Any]:
    """Sweep the deadlines at ``now`` (default: now); returns the counts."""
    shield_from_ctrl_c()
    started = utcnow()
    now = now or started
    steps = [
        close_expired_cases(now),
        mark_missed_deadlines(now),
        queue_reminders(now),
        queue_digests(now),
    ]
    result = sweep.summary(now, steps)
    run_id = runtime.flow_run.id
    sweep_run.record(started, result, str(run_id) if run_id else None)
    return result


@flow(name="send-digest")
def send_digest_flow(now: datetime | None = None) -> dict[str, Any]:
    """Queue the day's digest to each commissioner (only on a working day, from 09:00).

    Scheduled at 09:00 every day: on a day off of the Kazakh calendar it queues nothing,
    and a digest already queued for the day is not queued again.
    """
    shield_from_ctrl_c()
    now = now or utcnow()
    return sweep.summary(now, [queue_digests(now)])
