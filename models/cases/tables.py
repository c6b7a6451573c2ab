"""A case and what hangs on it: parties, links, suspensions, numbering."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel

from ethicsflow.models.types import UTCDateTime, utcnow


class OffenceCategory(StrEnum):
    general = "general"
    discrediting = "discrediting"  # Law 416-V Art. 50
    budget = "budget"


class PartyRole(StrEnum):
    complainant = "complainant"
    respondent = "respondent"
    witness = "witness"
    representative = "representative"


class Case(SQLModel, table=True):
    # Open cases per assignee (the digest) read from the index alone; the list's pages in
    # next-deadline order (of one body and status, or of all) read 50 index entries.
    __table_args__ = (
        Index("ix_case_status_assignee_id", "status", "assignee_id"),
        Index(
            "ix_case_organization_id_status_next_due", "organization_id", "status", "next_due", "id"
        ),
        Index("ix_case_next_due", "next_due", "id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(index=True, unique=True, max_length=40)
    kind: str = Field(max_length=16)
    status: str = Field(index=True, max_length=32)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    assignee_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    received_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    registered_on: date
    language: str = Field(default="ru", max_length=2)
    anonymous: bool = False
    # The filer's identity is shown only to those who need it (models/permissions/).
    confidential: bool = False
    summary: str = Field(sa_column=Column(Text, nullable=False))
    idempotency_key: str | None = Field(default=None, unique=True, max_length=200)
    committed_on: date | None = None
    offence_category: str = Field(default=OffenceCategory.general, max_length=16)
    category: str | None = Field(default=None, max_length=64)  # restoration: violation
    risk: str | None = Field(default=None, max_length=8)  # restoration: retaliation risk
    receipt_hash: str | None = Field(default=None, max_length=64, index=True)
    missing_requisites: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    assignment_note: str | None = Field(default=None, sa_column=Column(Text))
    policy_version: str = Field(max_length=32)
    audit_head: str = Field(default="", max_length=64)
    event_count: int = 0
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime()))
    version: int = Field(default=1)
    next_due: date | None = None
    """The earliest due date of the case's open deadlines: kept by the database's triggers
    on ``deadline`` (migration 0010), never written here."""

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        # Optimistic locking: every UPDATE says WHERE version = <read version>. The
        # version is bumped by hand, once per change (`bump`), not once per flush.
        return {
            "version_id_col": cls.__table__.c.version,  # type: ignore[attr-defined]
            "version_id_generator": False,
        }

    def bump(self) -> None:
        """Count one change of the case (call once per action, before any write)."""
        self.version = self.version + 1


class CaseSequence(SQLModel, table=True):
    """Last number issued per organization and registration year (gap-free)."""

    organization_id: int = Field(foreign_key="organization.id", primary_key=True)
    year: int = Field(primary_key=True)
    last: int = 0


class Party(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    role: str = Field(max_length=16)
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    name: str | None = None
    email: str | None = None


class CaseLink(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("case_id", "related_id"),)
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    related_id: int = Field(foreign_key="case.id", index=True)


class Suspension(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    ground: str = Field(max_length=32)
    start: date
    end: date | None = None
    reason: str = Field(sa_column=Column(Text, nullable=False))
    stops: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
