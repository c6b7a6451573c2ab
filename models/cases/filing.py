"""What a filing carries, validated without the database.

The CLI refuses a bad `case file` here, before it starts or asks the engine: this module
imports pydantic and nothing that loads SQLAlchemy, so the check adds almost nothing to
a command's start (docs/internals.md, "cases").
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ethicsflow.models.errors import ACTOR, FieldRef, InvalidInput, invalid_from, option, rule

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class CaseKind(StrEnum):
    complaint = "complaint"
    restoration = "restoration"


def parse_received_at(text: str) -> dt.datetime:
    """An ISO 8601 timestamp with a UTC offset (``Z``, ``+05``, ``+0500``, ``+05:00``)."""
    try:
        at = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"received_at {text!r} is not an ISO 8601 timestamp") from None
    if at.utcoffset() is None:
        raise ValueError("received_at must carry a UTC offset")
    return at


class FileCase(BaseModel):
    """What `case file` and each row of `case import` carry."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: CaseKind = Field(description="complaint | restoration")
    org: str = Field(min_length=1, description="code of the organization")
    by: str | None = Field(default=None, description="e-mail of the filer (not when anonymous)")
    against: str | None = Field(default=None, description="e-mail of the respondent")
    summary: str = Field(min_length=10, max_length=20000, description="what happened")
    received_at: dt.datetime | None = Field(default=None, description="ISO 8601 with offset")
    anonymous: bool = False
    confidential: bool = Field(
        default=False, description="the filer's identity only to those who need it"
    )
    key: str | None = Field(default=None, max_length=200, description="idempotency key")
    related: str | None = Field(default=None, description="number of a related case")
    committed_on: dt.date | None = Field(default=None, description="date of the conduct")

    @field_validator("received_at", mode="before")
    @classmethod
    def _received(cls, value: Any) -> Any:
        if isinstance(value, str):
            # parse_received_at's checks, as rules the user reads in their language
            try:
                at = dt.datetime.fromisoformat(value.strip())
            except ValueError:
                raise rule("case.received_at_not_iso", text=value) from None
            if at.utcoffset() is None:
                raise rule("case.received_at_no_offset")
            return at
        if isinstance(value, dt.datetime) and value.tzinfo is None:
            raise rule("case.timestamp_no_offset")
        return value

    @field_validator("by", "against")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        value = value.strip().lower()
        if not EMAIL.match(value):
            raise rule("case.not_an_email")
        return value

    @field_validator("org")
    @classmethod
    def _org(cls, value: str) -> str:
        return value.upper()


def _field(where: str) -> FieldRef:
    return ACTOR if where == "by" else option(where)


def validate_filing(values: dict[str, Any]) -> FileCase:
    """Parse raw values; a bad one raises InvalidInput naming the field."""
    try:
        filing = FileCase.model_validate(values)
    except ValidationError as exc:
        raise invalid_from(exc, _field) from exc
    if filing.anonymous and filing.by:
        raise InvalidInput("case.anonymous_names_no_filer", ACTOR)
    if not filing.anonymous and not filing.by:
        raise InvalidInput("case.filer_required", ACTOR, anonymous=option("anonymous"))
    return filing
