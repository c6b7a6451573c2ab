"""Issued documents: one immutable file per version, recorded with its SHA-256.

The file lives under ``ETHICSFLOW_HOME/documents/<case number>/``; the row is the
record. A document never changes: rendering again after the case or the template
changed creates the next version; rendering again without a change returns the
version already issued.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from ethicsflow.models.types import UTCDateTime, utcnow


class Document(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("case_id", "kind", "language", "format", "version"),)
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    kind: str = Field(max_length=32)
    language: str = Field(max_length=2)
    format: str = Field(default="docx", max_length=4)
    version: int = 1
    path: str = Field(max_length=500)  # relative to ETHICSFLOW_HOME/documents
    sha256: str = Field(max_length=64, index=True)
    size: int
    template: str = Field(max_length=200)  # e.g. "ru/board_decision.docx"
    template_sha256: str = Field(max_length=64)
    created_by: str = Field(max_length=254)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime()))
