"""One row per sweep (`sweep-deadlines` flow run): when it ran, which moment, what it did.

``ethicsflow status`` shows the last one, so an operator sees at once whether the
schedule keeps the platform in time. Written by :func:`record` at the end of the flow
(scheduled, ``ethicsflow sweep`` or a replay with ``--now``), in its own transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import col, select

from ethicsflow.models.db import session_scope
from ethicsflow.models.deadlines.tables import SweepRun
from ethicsflow.models.types import utcnow


def record(started_at: datetime, summary: dict[str, Any], flow_run_id: str | None) -> None:
    """Store one sweep's outcome (counts only: no names, no case contents)."""
    with session_scope(write=True) as session:
        session.add(
            SweepRun(
                started_at=started_at,
                finished_at=utcnow(),
                moment=datetime.fromisoformat(summary["now"]),
                closed=int(summary["closed"]),
                missed=int(summary["missed"]),
                queued=sum(int(n) for n in summary["queued"].values()),
                errors=len(summary["errors"]),
                flow_run_id=flow_run_id,
            )
        )


def last(session: Any) -> SweepRun | None:
    return session.exec(select(SweepRun).order_by(col(SweepRun.id).desc()).limit(1)).first()
