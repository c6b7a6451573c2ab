"""`dispatch-notifications`: deliver due outbox rows, at most once each; `retry-notification`.

A dispatch run takes a random dispatcher id, first marks rows left ``sending`` by a
dispatcher that died (lease over) ``dead`` with an unknown outcome, then loops until no
row is due (or ``limit`` rows were taken):

1. **claim** a window of at most ``ETHICSFLOW_NOTIFY_WORKERS`` due rows, oldest first
   (one short transaction: ``sending``, ``claimed_by``, ``claimed_at``, attempts + 1);
2. **send** the window's messages at once with apprise, one thread each;
3. **record** each result in its own short transaction as soon as its send returns:
   sent; failed, due again after an exponential backoff; dead after
   ``ETHICSFLOW_NOTIFY_MAX_ATTEMPTS``.

Only one window is in flight, so a crash leaves at most that many rows with an unknown
outcome and never sends a row twice (the guarantee is spelled out in
``models/notifications/delivery.py``). Sending is the only side effect outside the
database and runs in the task ``send-notifications``; one task run delivers up to
``TASK_BATCH`` rows window by window (a task run costs several e-mails' worth of time, so
not one per row or per window). No Prefect retries: a retried task could send twice; our own backoff
decides when a row is tried again. :func:`dispatch` is the same loop without Prefect
(tests, benchmarks).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from ethicsflow.flows import sending
from ethicsflow.flows.runtime import shield_from_ctrl_c
from ethicsflow.models.db import require_schema
from ethicsflow.models.notifications import delivery
from ethicsflow.models.notifications.delivery import Message
from ethicsflow.models.settings import Settings, get_settings

TASK_BATCH = 200
"""Rows one ``send-notifications`` task run delivers at most (window by window)."""

COUNTS = ("claimed", "sent", "failed", "dead", "lost")


def deliver(
    window: list[Message], dispatcher: str, now: datetime | None, settings: Settings
) -> list[str]:
    """Send claimed messages at once; record each result as soon as its send returns.

    Returns each row's new status (``sent``, ``failed``, ``dead``, or ``lost`` when an
    operator re-queued the row meanwhile).
    """

    def one(message: Message) -> str:
        return delivery.record(message, sending.send(message), dispatcher, now, settings)

    if len(window) <= 1:
        return [one(message) for message in window]
    with ThreadPoolExecutor(len(window), thread_name_prefix="ethicsflow-send") as pool:
        return list(pool.map(one, window))


def deliver_due(dispatcher: str, most: int, now: datetime | None = None) -> dict[str, int]:
    """Claim, send and record window by window until ``most`` rows were taken or none is due."""
    settings = get_settings()
    counts = dict.fromkeys(COUNTS, 0)
    with sending.quiet_apprise():
        while counts["claimed"] < most:
            size = min(settings.notify_workers, most - counts["claimed"])
            window = delivery.claim(dispatcher, size, now, settings)
            counts["claimed"] += len(window)
            for status in deliver(window, dispatcher, now, settings):
                counts[status] += 1
            if len(window) < size:
                break
    return counts


def dispatch(
    *,
    limit: int | None = None,
    recover_now: bool = False,
    now: datetime | None = None,
    step: Callable[[str, int, datetime | None], dict[str, int]] = deliver_due,
) -> dict[str, Any]:
    """Deliver due notifications until none is due (or ``limit`` were taken); the counts.

    ``recover_now`` takes every row still ``sending`` for abandoned now instead of
    after the lease (only when no other dispatcher runs); ``now`` fixes the clock (tests).
    """
    require_schema()
    settings = get_settings()
    dispatcher = delivery.new_dispatcher_id()
    lease = 0.0 if recover_now else settings.notify_lease_seconds
    recovered = delivery.recover_abandoned(lease, now, settings)
    counts: dict[str, Any] = dict.fromkeys(COUNTS, 0)
    while limit is None or counts["claimed"] < limit:
        most = TASK_BATCH if limit is None else min(TASK_BATCH, limit - counts["claimed"])
        part = step(dispatcher, most, now)
        for key in COUNTS:
            counts[key] += part[key]
        if part["claimed"] < most:
            break
    return {"dispatcher": dispatcher, **counts, "recovered": len(recovered),
            "recovered_ids": recovered}  # fmt: skip


@task(name="send-notifications", retries=0, cache_policy=NO_CACHE)
def send_notifications(dispatcher: str, most: int, now: datetime | None = None) -> dict[str, int]:
    """Send up to ``most`` due notifications with apprise, recording each result."""
    return deliver_due(dispatcher, most, now)


@flow(name="dispatch-notifications")
def dispatch_notifications_flow(
    limit: int | None = None, recover_now: bool = False
) -> dict[str, Any]:
    """Deliver due notifications now: retries with backoff, dead after N attempts."""
    shield_from_ctrl_c()
    counts = dispatch(limit=limit, recover_now=recover_now, step=send_notifications)
    get_run_logger().info(
        "claimed %(claimed)s: sent %(sent)s, failed %(failed)s, dead %(dead)s, lost %(lost)s;"
        " %(recovered)s left sending by a stopped dispatcher marked dead (outcome unknown)",
        counts,
    )
    return counts


@flow(name="retry-notification", flow_run_name="notification {notification_id}")
def retry_notification_flow(notification_id: int) -> dict[str, Any]:
    """Re-queue a dead or failed notification (the operator's choice)."""
    return delivery.retry(notification_id)
