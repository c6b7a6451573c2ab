"""Deadlines on a case (each recording the rule and policy version behind it) and sweeps."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, Index
from sqlmodel import Field, SQLModel

from ethicsflow.models.types import UTCDateTime, utcnow


class DeadlineStatus(StrEnum):
    open = "open"
    met = "met"
    missed = "missed"
    extended = "extended"
    suspended = "suspended"
    cancelled = "cancelled"


class Deadline(SQLModel, table=True):
    # The sweep's range queries: open deadlines due before / within a window of a day; a
    # case's open deadlines by due date (its next one, kept in ``case.next_due``).
    __table_args__ = (
        Index("ix_deadline_status_due", "status", "due"),
        Index("ix_deadline_case_id_status_due", "case_id", "status", "due"),
    )
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id")
    name: str = Field(max_length=32)
    due: date = Field(index=True)
    status: str = Field(default=DeadlineStatus.open, index=True, max_length=16)
    rule: str = Field(max_length=64)
    basis: str
    policy_version: str = Field(max_length=32)
    anchor: date
    amount: int
    unit: str = Field(max_length=16)
    remaining: int | None = None  # working days left when suspended
    opened_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime()))
    closed_on: date | None = None


class SweepRun(SQLModel, table=True):
    __tablename__ = "sweep_run"

    id: int | None = Field(default=None, primary_key=True)
    started_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))
    finished_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    moment: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    """The moment swept (``--now`` replays another one)."""
    closed: int = 0
    missed: int = 0
    queued: int = 0
    errors: int = 0
    flow_run_id: str | None = Field(default=None, max_length=36)
