"""The filer's rating of a closed case (any kind of case)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from ethicsflow.models.types import UTCDateTime, utcnow


class Rating(SQLModel, table=True):
    """The filer's satisfaction with a closed case: once per case."""

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", unique=True)
    score: int
    comment: str | None = Field(default=None, sa_column=Column(Text))
    by: str = Field(max_length=254)  # the filer's e-mail, or "receipt" (anonymous filer)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime()))
