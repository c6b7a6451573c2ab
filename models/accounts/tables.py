"""Accounts, API tokens, invitations, failed sign-ins and the security log.

No table holds a secret in the clear: a password is kept as its argon2id hash, an API
token and an invitation as the SHA-256 of their raw value (32 random bytes: a fast hash
is enough, nothing to guess), and the security log never records either.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from ethicsflow.models.types import UTCDateTime, utcnow


class FailureKind(StrEnum):
    """What a failed attempt is counted against (``AuthFailure.kind``)."""

    account = "account"  # the lower-cased e-mail a sign-in named
    address = "address"  # the client address of a sign-in
    receipt = "receipt"  # a receipt-code lookup (by the client address)


class SecurityKind(StrEnum):
    """What a ``SecurityEvent`` records."""

    sign_in = "sign_in"
    sign_in_failed = "sign_in_failed"
    sign_out = "sign_out"
    throttled = "throttled"
    receipt_failed = "receipt_failed"  # a receipt-code lookup that found no case
    password_set = "password_set"
    invitation_created = "invitation_created"
    invitation_used = "invitation_used"
    token_created = "token_created"
    token_revoked = "token_revoked"


class Account(SQLModel, table=True):
    """How a person signs in: a password (none yet while only invited), later an
    external identity provider's subject."""

    __table_args__ = (UniqueConstraint("oidc_issuer", "oidc_subject", name="uq_account_oidc"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", unique=True)
    password_hash: str | None = Field(default=None, max_length=255)
    """argon2id, in the PHC string format (``$argon2id$v=19$m=...``)."""
    password_set_at: dt.datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    oidc_issuer: str | None = Field(default=None, max_length=255)
    oidc_subject: str | None = Field(default=None, max_length=255)
    created_at: dt.datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False)
    )
    disabled_at: dt.datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))


class ApiToken(SQLModel, table=True):
    """A bearer token of a person for the REST API; the raw token is shown once."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    name: str = Field(max_length=100)
    token_hash: str = Field(max_length=64, unique=True)
    """SHA-256 (hex) of the raw token."""
    prefix: str = Field(max_length=8)
    """The raw token's first 8 characters, to tell tokens apart in a listing."""
    created_at: dt.datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False)
    )
    expires_at: dt.datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    revoked_at: dt.datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    last_used_at: dt.datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))


class Invitation(SQLModel, table=True):
    """A one-time link to set a password, valid until ``expires_at``."""

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    """SHA-256 (hex) of the raw token in the link."""
    created_at: dt.datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False)
    )
    expires_at: dt.datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    used_at: dt.datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))


class AuthFailure(SQLModel, table=True):
    """One failed attempt, counted for throttling; rows older than the window go."""

    __tablename__ = "auth_failure"
    __table_args__ = (Index("ix_auth_failure_kind_key_at", "kind", "key", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)
    key: str = Field(max_length=254)
    at: dt.datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class SecurityEvent(SQLModel, table=True):
    """The security log: sign-ins, refusals, throttling, passwords, invitations, tokens."""

    __tablename__ = "security_event"

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))
    kind: str = Field(max_length=32, index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    address: str | None = Field(default=None, max_length=128)
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    """Never a password, a token or a hash: ids, names, reasons, the e-mail a failed
    sign-in named."""


class WebSession(SQLModel, table=True):
    """A browser's signed-in session: the cookie holds a random id, this row its SHA-256
    and the SHA-256 of the session's CSRF token. Nothing of it lives in the app process,
    so any app process serves any session."""

    __tablename__ = "web_session"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    csrf_hash: str = Field(max_length=64)
    address: str | None = Field(default=None, max_length=128)
    created_at: dt.datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False)
    )
    expires_at: dt.datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    last_seen_at: dt.datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    ended_at: dt.datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
