"""API tokens: created (shown once, kept as their SHA-256), listed, revoked, and the
person of a request's ``Authorization: Bearer`` token (plain transactional functions, as
``operations.py``'s; each change with its ``SecurityEvent``)."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import or_, update
from sqlmodel import col, select

from ethicsflow.models.accounts import security
from ethicsflow.models.accounts.operations import ensure_account, sha256_hex, stored_id
from ethicsflow.models.accounts.tables import Account, ApiToken, SecurityKind
from ethicsflow.models.cases.access import get_person
from ethicsflow.models.db import require_schema, session_scope
from ethicsflow.models.errors import InvalidInput, NotFound, NotPermitted, key, option
from ethicsflow.models.people.tables import Person
from ethicsflow.models.policy import load_policy
from ethicsflow.models.types import utcnow

__all__ = ["authenticate_token", "create_token", "list_tokens", "revoke_token", "token_dict"]

TOKEN_PREFIX = "ef_"
TOKEN_NAME_MAX = 100
LAST_USED_EVERY = dt.timedelta(minutes=1)
"""``ApiToken.last_used_at`` is written at most this often (not on every request)."""


def create_token(
    email: str, name: str, *, expires: dt.date | None, now: dt.datetime | None = None
) -> tuple[str, dict[str, Any]]:
    """A new API token of the person: the raw token (``ef_`` + 43 characters, shown
    once; only its SHA-256 is kept) and its row as :func:`token_dict`. ``expires``: the
    last day it works (in the policy's time zone), or None for no expiry."""
    name = name.strip()
    if not 1 <= len(name) <= TOKEN_NAME_MAX:
        raise InvalidInput("token.name_length", option("name"), max=TOKEN_NAME_MAX)
    require_schema()
    now = now or utcnow()
    expires_at = None
    if expires is not None:
        zone = ZoneInfo(load_policy().zone)
        today = now.astimezone(zone).date()
        if expires < today:
            raise InvalidInput("token.expires_in_past", option("expires"), day=expires, today=today)
        next_day = dt.datetime.combine(expires + dt.timedelta(days=1), dt.time(), tzinfo=zone)
        expires_at = next_day.astimezone(dt.UTC)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with security.transaction() as session:
        person = get_person(session, email, key("email"))
        ensure_account(session, person, now)
        token = ApiToken(
            person_id=stored_id(person),
            name=name,
            token_hash=sha256_hex(raw),
            prefix=raw[:8],
            created_at=now,
            expires_at=expires_at,
        )
        session.add(token)
        session.flush()
        detail = {"token_id": token.id, "name": name}
        if expires_at is not None:
            detail["expires_at"] = expires_at.isoformat()
        security.record(
            session, SecurityKind.token_created, at=now, person_id=person.id, detail=detail
        )
        return raw, token_dict(token, person.email, now)


def list_tokens(
    email: str | None = None, *, now: dt.datetime | None = None
) -> list[dict[str, Any]]:
    """Every API token (of the person with ``email``), oldest first; never a hash."""
    require_schema()
    now = now or utcnow()
    with session_scope() as session:
        query = select(ApiToken, Person).join(Person, col(Person.id) == ApiToken.person_id)
        if email is not None:
            person = get_person(session, email, key("email"))
            query = query.where(ApiToken.person_id == person.id)
        rows = session.exec(query.order_by(col(ApiToken.id))).all()
        return [token_dict(token, person.email, now) for token, person in rows]


def revoke_token(
    token_id: int, *, owner: str | None = None, now: dt.datetime | None = None
) -> dict[str, Any]:
    """Revoke an API token (at once; revoking a revoked one changes nothing). With
    ``owner`` (an e-mail), a token of someone else is refused as unknown."""
    require_schema()
    now = now or utcnow()
    with security.transaction() as session:
        token = session.get(ApiToken, token_id, with_for_update=True)
        person = session.get(Person, token.person_id) if token is not None else None
        if token is None or person is None or (owner and person.email != owner.strip().lower()):
            raise NotFound("token.not_found", key("id"), id=token_id)
        if token.revoked_at is None:
            token.revoked_at = now
            session.add(token)
            security.record(
                session,
                SecurityKind.token_revoked,
                at=now,
                person_id=person.id,
                detail={"token_id": token.id},
            )
        return token_dict(token, person.email, now)


def token_dict(token: ApiToken, email: str, now: dt.datetime) -> dict[str, Any]:
    """What a listing shows of a token: never its hash."""

    def iso(value: dt.datetime | None) -> str | None:
        return value.astimezone(dt.UTC).isoformat() if value is not None else None

    if token.revoked_at is not None:
        status = "revoked"
    elif token.expires_at is not None and token.expires_at <= now:
        status = "expired"
    else:
        status = "active"
    return {
        "id": token.id,
        "email": email,
        "name": token.name,
        "prefix": token.prefix,
        "status": status,
        "created_at": iso(token.created_at),
        "expires_at": iso(token.expires_at),
        "revoked_at": iso(token.revoked_at),
        "last_used_at": iso(token.last_used_at),
    }


def authenticate_token(raw: str, *, now: dt.datetime | None = None) -> Person:
    """The person of an API token; refused alike (``account.bad_token``) when it is
    unknown, expired or revoked, or its account disabled. Records its use in
    ``last_used_at`` at most once a minute."""
    now = now or utcnow()
    token_hash = sha256_hex(raw)
    with session_scope() as session:
        row = session.exec(
            select(ApiToken, Person, Account)
            .join(Person, col(Person.id) == ApiToken.person_id)
            .join(Account, col(Account.person_id) == Person.id, isouter=True)
            .where(ApiToken.token_hash == token_hash)
        ).first()
    if row is None:
        raise NotPermitted("account.bad_token")
    token, person, account = row
    if (
        token.revoked_at is not None
        or (token.expires_at is not None and token.expires_at <= now)
        or (account is not None and account.disabled_at is not None)
    ):
        raise NotPermitted("account.bad_token")
    if token.last_used_at is None or token.last_used_at <= now - LAST_USED_EVERY:
        with session_scope(write=True) as session:
            session.execute(
                update(ApiToken)
                .where(
                    col(ApiToken.id) == token.id,
                    or_(
                        col(ApiToken.last_used_at).is_(None),
                        col(ApiToken.last_used_at) <= now - LAST_USED_EVERY,
                    ),
                )
                .values(last_used_at=now)
            )
    return person
