"""Signed-in browser sessions: started by a password sign-in, ended by signing out or by
time; each carries a CSRF token that every write made with the session's cookie must
repeat (the cookie alone proves nothing a forged form cannot send).

The raw session id and CSRF token go to the browser only; the database keeps their
SHA-256, so a copy of the database signs nobody in.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets

from sqlalchemy import update
from sqlmodel import col, select

from ethicsflow.models.accounts import security
from ethicsflow.models.accounts.operations import sha256_hex, stored_address
from ethicsflow.models.accounts.tables import Account, SecurityKind, WebSession
from ethicsflow.models.db import session_scope
from ethicsflow.models.errors import NotPermitted
from ethicsflow.models.people.tables import Person
from ethicsflow.models.types import utcnow

LIFETIME = dt.timedelta(hours=12)
"""A session ends this long after sign-in (a working day and then some)."""
IDLE = dt.timedelta(hours=2)
"""... or this long after its last use."""
SEEN_EVERY = dt.timedelta(minutes=1)
"""``last_seen_at`` is written at most this often."""


def start_session(
    person: Person, *, address: str | None, now: dt.datetime | None = None
) -> tuple[str, str]:
    """``(session id, CSRF token)`` of a new session of ``person`` (already signed in)."""
    now = now or utcnow()
    raw, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    with session_scope(write=True) as session:
        session.add(
            WebSession(
                person_id=person.id or 0,
                token_hash=sha256_hex(raw),
                csrf_hash=sha256_hex(csrf),
                address=stored_address(address),
                created_at=now,
                expires_at=now + LIFETIME,
                last_seen_at=now,
            )
        )
    return raw, csrf


def session_person(raw: str, *, now: dt.datetime | None = None) -> tuple[Person, WebSession]:
    """The person of a live session; ``account.session_expired`` when it is unknown,
    ended, past its lifetime or idle too long, or the account is disabled."""
    now = now or utcnow()
    with session_scope() as session:
        row = session.exec(
            select(WebSession, Person, Account)
            .join(Person, col(Person.id) == WebSession.person_id)
            .join(Account, col(Account.person_id) == Person.id, isouter=True)
            .where(WebSession.token_hash == sha256_hex(raw))
        ).first()
    if row is None:
        raise NotPermitted("account.session_expired")
    web, person, account = row
    seen = web.last_seen_at or web.created_at
    if (
        web.ended_at is not None
        or web.expires_at <= now
        or seen + IDLE <= now
        or (account is not None and account.disabled_at is not None)
    ):
        raise NotPermitted("account.session_expired")
    if seen + SEEN_EVERY <= now:
        with session_scope(write=True) as session:
            session.execute(
                update(WebSession).where(col(WebSession.id) == web.id).values(last_seen_at=now)
            )
    return person, web


def csrf_matches(web: WebSession, token: str | None) -> bool:
    """Whether ``token`` is the session's CSRF token (in constant time)."""
    return bool(token) and hmac.compare_digest(sha256_hex(token or ""), web.csrf_hash)


def end_session(raw: str, *, address: str | None, now: dt.datetime | None = None) -> None:
    """Sign out: the session ends (an unknown or ended one: nothing happens)."""
    now = now or utcnow()
    with security.transaction() as session:
        web = session.exec(
            select(WebSession).where(
                WebSession.token_hash == sha256_hex(raw), col(WebSession.ended_at).is_(None)
            )
        ).first()
        if web is None:
            return
        web.ended_at = now
        session.add(web)
        security.record(
            session,
            SecurityKind.sign_out,
            at=now,
            person_id=web.person_id,
            address=stored_address(address),
        )
