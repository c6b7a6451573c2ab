"""What a restoration case records besides the case: measures and follow-ups.

A measure is one concrete step agreed with the person responsible for it, with its own
deadline (a ``Deadline`` row named ``measure:<index>``, so reminders and overdue
escalation come from the sweep). Follow-up checks 3, 6 and 12 months after closure are
deadlines too (``follow_up_3m`` ...); a ``FollowUp`` row is what the commissioner found.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from ethicsflow.models.types import UTCDateTime, utcnow

FOLLOW_UPS = ("follow_up_3m", "follow_up_6m", "follow_up_12m")
"""Retaliation checks after the case ends (deadlines of the policy's rules), in order."""


class MeasureStatus(StrEnum):
    open = "open"
    completed = "completed"
    rejected = "rejected"
    cancelled = "cancelled"  # moot: the servant confirmed restoration, or not confirmed


class Measure(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("case_id", "seq"),)
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    seq: int  # 1, 2, ... within the case (what `--set measure=INDEX` names)
    what: str = Field(sa_column=Column(Text, nullable=False))
    responsible_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    responsible_email: str = Field(max_length=254)
    due: dt.date
    evidence_expected: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(default=MeasureStatus.open, max_length=10, index=True)
    deadline_id: int | None = Field(default=None, foreign_key="deadline.id")
    evidence: str | None = Field(default=None, sa_column=Column(Text))
    evidence_document_id: int | None = Field(default=None, foreign_key="document.id")
    reason: str | None = Field(default=None, sa_column=Column(Text))  # why rejected
    closed_on: dt.date | None = None
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime()))


class FollowUp(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    deadline_name: str = Field(max_length=32)  # follow_up_3m | follow_up_6m | follow_up_12m
    checked_on: dt.date
    retaliation: str = Field(max_length=10)  # no | suspected
    reason: str = Field(sa_column=Column(Text, nullable=False))
    new_case_id: int | None = Field(default=None, foreign_key="case.id")
    by: str = Field(max_length=254)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime()))
