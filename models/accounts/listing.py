"""Reading the accounts for their administrators: who can sign in, how, and when they last did.

Never a hash or a secret: whether a password is set, how many API tokens work now, the
last password sign-in from the security log. Who may read which accounts is the caller's
to decide (``permissions.decide.administered`` gives the where-clause).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, func, or_, true
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from ethicsflow.models.accounts.tables import Account, ApiToken, SecurityEvent, SecurityKind
from ethicsflow.models.people.tables import Organization, Person
from ethicsflow.models.types import utcnow


def list_accounts(
    session: Session,
    *,
    where: ColumnElement[bool] | None = None,
    now: dt.datetime | None = None,
) -> list[dict[str, Any]]:
    """Every person (that ``where``, a clause on :class:`Person`, keeps) by organization
    and e-mail, with their account's state; a person never invited has no account and
    no password."""
    now = now or utcnow()
    tokens = (
        select(ApiToken.person_id, func.count().label("n"))
        .where(
            col(ApiToken.revoked_at).is_(None),
            or_(col(ApiToken.expires_at).is_(None), col(ApiToken.expires_at) > now),
        )
        .group_by(col(ApiToken.person_id))
        .subquery()
    )
    signed_in = (
        select(SecurityEvent.person_id, func.max(SecurityEvent.at).label("at"))
        .where(SecurityEvent.kind == SecurityKind.sign_in)
        .group_by(col(SecurityEvent.person_id))
        .subquery()
    )
    query = (
        sa_select(Person, col(Organization.code), Account, tokens.c.n, signed_in.c.at)
        .join(Organization, col(Organization.id) == Person.organization_id)
        .join(Account, col(Account.person_id) == Person.id, isouter=True)
        .join(tokens, tokens.c.person_id == Person.id, isouter=True)
        .join(signed_in, signed_in.c.person_id == Person.id, isouter=True)
        .where(where if where is not None else true())
        .order_by(col(Organization.code), col(Person.email))
    )
    return [
        {
            "email": person.email,
            "name": person.name,
            "org": code,
            "roles": list(person.roles),
            "has_password": account is not None and account.password_hash is not None,
            "disabled": account is not None and account.disabled_at is not None,
            "active_tokens": int(active or 0),
            "last_sign_in_at": _iso(last),
        }
        for person, code, account, active, last in session.execute(query).all()
    ]


def _iso(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat() if value is not None else None
