"""Throttling of failed attempts: at most 5 in 15 minutes per account, address or receipt.

Each failure is an ``AuthFailure`` row (kind, key, time). While the last 15 minutes
hold 5 failures of a key, :func:`check_throttle` refuses with :class:`Throttled`,
whose ``retry_after`` is the number of seconds until the oldest of those 5 leaves the
window. A refused (throttled) attempt is not a failure: it does not push the window on.
Success clears nothing. Rows older than the window are deleted as new ones come.

Sign-in uses kinds ``account`` (the lower-cased e-mail) and ``address`` (the client
address); a lookup by receipt code uses ``receipt`` with the client address.
Check and record are two steps: requests that arrive together may each pass the check
before any of them is recorded, so an attacker with N parallel requests gets up to
N - 1 attempts more per window than the limit.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import delete
from sqlmodel import Session, col, select

from ethicsflow.models.accounts.tables import AuthFailure, FailureKind
from ethicsflow.models.db import session_scope
from ethicsflow.models.errors import Throttled

FAILURE_LIMIT = 5
FAILURE_WINDOW = dt.timedelta(minutes=15)
KEY_MAX = 254
PRUNE_BATCH = 1000


def failure_key(kind: FailureKind | str, key: str) -> tuple[str, str]:
    """The stored kind and key: a known kind, the key lower-cased and cut to 254 characters."""
    return FailureKind(kind).value, key.strip().lower()[:KEY_MAX]


def seconds_to_wait(session: Session, kind: FailureKind | str, key: str, now: dt.datetime) -> int:
    """Seconds until ``key`` may try again (0: it may now)."""
    kind_, key_ = failure_key(kind, key)
    newest = session.exec(
        select(AuthFailure.at)
        .where(
            AuthFailure.kind == kind_,
            AuthFailure.key == key_,
            AuthFailure.at > now - FAILURE_WINDOW,
        )
        .order_by(col(AuthFailure.at).desc())
        .limit(FAILURE_LIMIT)
    ).all()
    if len(newest) < FAILURE_LIMIT:
        return 0
    # once the oldest of the newest five leaves the window, four remain
    return max(1, math.ceil((newest[-1] + FAILURE_WINDOW - now).total_seconds()))


def check_throttle(
    kind: FailureKind | str, key: str, now: dt.datetime, *, session: Session | None = None
) -> None:
    """Refuse with :class:`Throttled` (``retry_after`` seconds) while ``key`` of ``kind``
    has 5 failures in the last 15 minutes."""
    with _session(session) as s:
        wait = seconds_to_wait(s, kind, key, now)
    if wait:
        raise Throttled("auth.throttled", retry_after=wait)


def record_failure(
    kind: FailureKind | str, key: str, now: dt.datetime, *, session: Session | None = None
) -> None:
    """Count a failed attempt of ``key`` at ``now`` (in ``session``, else in a write
    transaction of its own, which a refusal raised afterwards does not roll back)."""
    kind_, key_ = failure_key(kind, key)
    with _session(session, write=True) as s:
        # rows other transactions are deleting are skipped, not waited for (PostgreSQL)
        old = (
            select(AuthFailure.id)
            .where(AuthFailure.at <= now - FAILURE_WINDOW)
            .limit(PRUNE_BATCH)
            .with_for_update(skip_locked=True)
        )
        s.execute(delete(AuthFailure).where(col(AuthFailure.id).in_(old)))
        s.add(AuthFailure(kind=kind_, key=key_, at=now))


@contextmanager
def _session(session: Session | None, *, write: bool = False) -> Iterator[Session]:
    if session is not None:
        yield session
        return
    with session_scope(write=write) as own:
        yield own
