"""The outbox: one row per message to one target, written with the change that causes it.

Rows are delivered by the dispatch flow (``flows/dispatch.py``). Status moves
``queued`` → ``sending`` (claimed by one dispatcher) → ``sent``; a failed attempt goes to
``failed`` with ``next_attempt_at`` (exponential backoff) and, after the configured number
of attempts, to ``dead``. The ``dedup_key`` is unique: the same event for the same target
is queued once, however often the sweep or a retry runs.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, Text
from sqlmodel import Field, SQLModel

from ethicsflow.models.types import UTCDateTime, utcnow


class NotificationStatus(StrEnum):
    queued = "queued"
    sending = "sending"
    sent = "sent"
    failed = "failed"
    dead = "dead"


class Notification(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    case_id: int | None = Field(default=None, foreign_key="case.id", index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    recipient: str = Field(max_length=254)
    url: str = Field(sa_column=Column(Text, nullable=False))
    event: str = Field(max_length=40, index=True)
    language: str = Field(max_length=2)
    subject: str = Field(sa_column=Column(Text, nullable=False))
    body: str = Field(sa_column=Column(Text, nullable=False))
    body_format: str = Field(default="text", max_length=8)
    attachments: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: str = Field(default=NotificationStatus.queued, max_length=8, index=True)
    attempts: int = 0
    next_attempt_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False, index=True)
    )
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    dedup_key: str = Field(max_length=255, unique=True)
    meets_deadline_id: int | None = Field(default=None, foreign_key="deadline.id")
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime()))
    claimed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    claimed_by: str | None = Field(default=None, max_length=64)
    sent_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
