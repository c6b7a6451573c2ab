"""An anonymous filer's lookups by receipt code, throttled per client address.

A receipt code is the only key to an anonymous case, so a lookup is guarded as a
sign-in is (``models/accounts/throttle.py``): each lookup that finds no case (an
unknown or malformed code) is a failure of the client address (kind ``receipt``) and a
``receipt_failed`` event of the security log; after 5 failures in 15 minutes every
lookup from that address is refused with :class:`Throttled` (and a ``throttled`` event)
without looking at the code. The code itself is never recorded.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ethicsflow.models.accounts import security
from ethicsflow.models.accounts.operations import stored_address
from ethicsflow.models.accounts.tables import FailureKind, SecurityKind
from ethicsflow.models.accounts.throttle import record_failure, seconds_to_wait
from ethicsflow.models.cases.views import status_by_receipt
from ethicsflow.models.db import require_schema, session_scope
from ethicsflow.models.errors import InvalidInput, NotFound, Throttled
from ethicsflow.models.types import utcnow

NO_ADDRESS = "-"
"""The throttling key of a client whose address is unknown (they share one window)."""


def lookup_receipt(
    code: str, *, address: str | None, now: dt.datetime | None = None
) -> dict[str, Any]:
    """What the anonymous filer of ``code`` may see (``views.status_by_receipt``), asked
    from ``address``; refused with :class:`Throttled` while the address has 5 failed
    lookups in the last 15 minutes."""
    now = now or utcnow()
    where = (address or NO_ADDRESS).strip() or NO_ADDRESS
    failure: InvalidInput | None = None  # unknown (NotFound) or malformed
    detail: dict[str, Any]
    require_schema()
    with session_scope() as session:
        wait = seconds_to_wait(session, FailureKind.receipt, where, now)
        if not wait:
            try:
                return status_by_receipt(session, code)
            except InvalidInput as exc:
                failure = exc
    with security.transaction() as session:
        if failure is None:
            kind, detail = SecurityKind.throttled, {"method": "receipt", "retry_after": wait}
        else:
            record_failure(FailureKind.receipt, where, now, session=session)
            reason = "unknown" if isinstance(failure, NotFound) else "malformed"
            kind, detail = SecurityKind.receipt_failed, {"method": "receipt", "reason": reason}
        security.record(session, kind, at=now, address=stored_address(address), detail=detail)
    if failure is None:
        raise Throttled("auth.throttled", retry_after=wait)
    raise failure
