"""Accounts: passwords, invitations and sign-in (plain transactional functions; API
tokens: ``tokens.py``).

Who calls these: the CLI in its own process (``account ...``, ``token ...``: they carry
secrets, which must not become a flow run's stored parameters) and the REST API. Each
change is one write transaction with its ``SecurityEvent`` (``security.py``); ``now``
is injectable for tests.

Secrets: a raw invitation token or API token exists only in what the function returns
(shown once); the database keeps its SHA-256. A password is checked against the rule,
hashed with argon2id (``passwords.py``) and forgotten. A refused sign-in says the same
for an unknown e-mail, a wrong password, an account with no password yet and a
disabled account (``account.bad_credentials``, no field), and takes as long.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from ethicsflow.models.accounts import passwords, security
from ethicsflow.models.accounts.tables import (
    Account,
    FailureKind,
    Invitation,
    SecurityKind,
)
from ethicsflow.models.accounts.throttle import (
    check_throttle,
    record_failure,
    seconds_to_wait,
)
from ethicsflow.models.cases.access import get_person
from ethicsflow.models.db import insert_for, require_schema, session_scope
from ethicsflow.models.errors import (
    InvalidInput,
    NotPermitted,
    Throttled,
    key,
    option,
)
from ethicsflow.models.people.tables import Person
from ethicsflow.models.settings import get_settings
from ethicsflow.models.types import utcnow

__all__ = [
    "accept_invitation",
    "authenticate_password",
    "check_throttle",
    "invitation_link",
    "invite",
    "record_failure",
    "record_sign_out",
    "set_password",
]

INVITATION_TTL = dt.timedelta(hours=72)
INVITATION_MAX_TTL = dt.timedelta(days=30)


def sha256_hex(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


# --- passwords and invitations ------------------------------------------------------


def set_password(email: str, password: str, *, now: dt.datetime | None = None) -> dict[str, Any]:
    """Set the password of the person with ``email`` (an account is made if there is
    none); the person's open invitations end. Returns the e-mail and the time."""
    passwords.check_rule(password)
    require_schema()
    now = now or utcnow()
    hashed = passwords.hash_password(password)  # ~0.16 s, outside the write transaction
    with security.transaction() as session:
        person = get_person(session, email, key("email"))
        account = ensure_account(session, person, now)
        account.password_hash = hashed
        account.password_set_at = now
        session.add(account)
        _end_invitations(session, stored_id(person), now)
        security.record(session, SecurityKind.password_set, at=now, person_id=person.id)
    return {"email": person.email, "password_set_at": now.isoformat()}


def invite(
    email: str, *, ttl: dt.timedelta = INVITATION_TTL, now: dt.datetime | None = None
) -> tuple[str, dt.datetime]:
    """A one-time invitation to set a password: the raw token (for the link; only its
    hash is kept) and when it expires. The person's earlier open invitations end."""
    if not dt.timedelta(0) < ttl <= INVITATION_MAX_TTL:
        max_hours = int(INVITATION_MAX_TTL.total_seconds() // 3600)
        raise InvalidInput("account.invitation_ttl", option("ttl"), max_hours=max_hours)
    require_schema()
    now = now or utcnow()
    raw = secrets.token_urlsafe(32)
    expires_at = now + ttl
    with security.transaction() as session:
        person = get_person(session, email, key("email"))
        ensure_account(session, person, now)
        _end_invitations(session, stored_id(person), now)
        invitation = Invitation(
            person_id=stored_id(person),
            token_hash=sha256_hex(raw),
            created_at=now,
            expires_at=expires_at,
        )
        session.add(invitation)
        session.flush()
        security.record(
            session,
            SecurityKind.invitation_created,
            at=now,
            person_id=person.id,
            detail={"invitation_id": invitation.id, "expires_at": expires_at.isoformat()},
        )
    return raw, expires_at


def invitation_link(raw_token: str) -> str:
    """The link of an invitation: ``<ETHICSFLOW_PUBLIC_URL>/invite/<token>``."""
    return f"{get_settings().public_url}/invite/{raw_token}"


def accept_invitation(raw_token: str, password: str, *, now: dt.datetime | None = None) -> Person:
    """Set the password through an invitation, once and before it expires; refused
    alike for an unknown, used or expired one (``account.bad_invitation``)."""
    passwords.check_rule(password)
    now = now or utcnow()
    token_hash = sha256_hex(raw_token)
    with session_scope() as session:  # a cheap look first: no argon2 for a bad link
        _open_invitation(session, token_hash, now)
    hashed = passwords.hash_password(password)
    with security.transaction() as session:
        invitation = _open_invitation(session, token_hash, now, lock=True)
        person = session.get(Person, invitation.person_id)
        assert person is not None  # a foreign key
        invitation.used_at = now
        session.add(invitation)
        account = ensure_account(session, person, now)
        account.password_hash = hashed
        account.password_set_at = now
        session.add(account)
        _end_invitations(session, stored_id(person), now)
        detail = {"invitation_id": invitation.id}
        security.record(
            session, SecurityKind.invitation_used, at=now, person_id=person.id, detail=detail
        )
        security.record(
            session,
            SecurityKind.password_set,
            at=now,
            person_id=person.id,
            detail={"via": "invitation"},
        )
    return person


def _open_invitation(
    session: Session, token_hash: str, now: dt.datetime, *, lock: bool = False
) -> Invitation:
    query = select(Invitation).where(Invitation.token_hash == token_hash)
    invitation = session.exec(query.with_for_update() if lock else query).first()
    if invitation is None or invitation.used_at is not None or invitation.expires_at <= now:
        raise NotPermitted("account.bad_invitation")
    return invitation


def _end_invitations(session: Session, person_id: int, now: dt.datetime) -> None:
    """The person's invitations still open expire now (a newer one or a password set
    replaces them)."""
    session.execute(
        update(Invitation)
        .where(
            col(Invitation.person_id) == person_id,
            col(Invitation.used_at).is_(None),
            col(Invitation.expires_at) > now,
        )
        .values(expires_at=now)
    )


# --- sign-in ------------------------------------------------------------------------


def authenticate_password(
    email: str, password: str, *, address: str | None, now: dt.datetime | None = None
) -> Person:
    """The person whose e-mail and password these are.

    Refused alike (``NotPermitted("account.bad_credentials")``) for an unknown e-mail, a
    wrong password, an account without a password and a disabled one; each refusal is a
    failure of the account (the e-mail given) and of the ``address``. After 5 failures of
    either in 15 minutes every attempt is refused with :class:`Throttled` until the
    window has passed, without looking at the password.
    """
    now = now or utcnow()
    email_key = email.strip().lower()[:254]  # no stored e-mail is longer
    with session_scope() as session:
        person, account = _person_andensure_account(session, email_key)
        wait = max(
            seconds_to_wait(session, FailureKind.account, email_key, now),
            seconds_to_wait(session, FailureKind.address, address, now) if address else 0,
        )
    person_id = person.id if person is not None else None
    if wait:
        with security.transaction() as session:
            detail: dict[str, Any] = {"retry_after": wait}
            if person is None:
                detail["email"] = email_key
            security.record(
                session,
                SecurityKind.throttled,
                at=now,
                person_id=person_id,
                address=stored_address(address),
                detail=detail,
            )
        raise Throttled("auth.throttled", retry_after=wait)

    stored = account.password_hash if account is not None else None
    # argon2 even with no hash (the same time); never for a password no rule lets be set
    matches = len(password) <= passwords.MAX_LENGTH and passwords.verify_password(stored, password)
    reason = _refusal(person, account, matches)
    if reason is not None:
        with security.transaction() as session:
            record_failure(FailureKind.account, email_key, now, session=session)
            if address:
                record_failure(FailureKind.address, address, now, session=session)
            detail = {"method": "password", "reason": reason}
            if person is None:
                detail["email"] = email_key
            security.record(
                session,
                SecurityKind.sign_in_failed,
                at=now,
                person_id=person_id,
                address=stored_address(address),
                detail=detail,
            )
        raise NotPermitted("account.bad_credentials")

    assert person is not None and account is not None and stored is not None
    rehashed = passwords.hash_password(password) if passwords.needs_rehash(stored) else None
    with security.transaction() as session:
        if rehashed is not None:
            session.execute(
                update(Account)
                .where(col(Account.id) == account.id, col(Account.password_hash) == stored)
                .values(password_hash=rehashed)
            )
        security.record(
            session,
            SecurityKind.sign_in,
            at=now,
            person_id=person_id,
            address=stored_address(address),
            detail={"method": "password"},
        )
    return person


def _refusal(person: Person | None, account: Account | None, matches: bool) -> str | None:
    """Why a sign-in is refused (for the security log only), or None."""
    if person is None:
        return "unknown_email"
    if account is None or account.password_hash is None:
        return "no_password"
    if not matches:
        return "wrong_password"
    if account.disabled_at is not None:
        return "disabled"
    return None


def record_sign_out(person: Person, address: str | None, *, now: dt.datetime | None = None) -> None:
    """Record that ``person`` signed out (the session itself is the web app's)."""
    now = now or utcnow()
    with security.transaction() as session:
        security.record(
            session,
            SecurityKind.sign_out,
            at=now,
            person_id=person.id,
            address=stored_address(address),
        )


# --- helpers ------------------------------------------------------------------------


def _person_andensure_account(session: Session, email: str) -> tuple[Person | None, Account | None]:
    person = session.exec(select(Person).where(Person.email == email)).first()
    if person is None:
        return None, None
    account = session.exec(select(Account).where(Account.person_id == person.id)).first()
    return person, account


def ensure_account(session: Session, person: Person, now: dt.datetime) -> Account:
    """The person's account, locked; made (with no password) if there is none (two
    transactions making it at once make one)."""
    insert = insert_for(session)
    session.execute(
        insert(Account)
        .values(person_id=stored_id(person), created_at=now)
        .on_conflict_do_nothing(index_elements=["person_id"])
    )
    query = select(Account).where(Account.person_id == person.id)
    return session.exec(query.with_for_update()).one()


def stored_id(person: Person) -> int:
    assert person.id is not None  # a stored row
    return person.id


def stored_address(address: str | None) -> str | None:
    """The client address as stored and logged: printable, no spaces, 128 characters."""
    if not address:
        return None
    return "".join(c if c.isprintable() and not c.isspace() else "?" for c in address)[:128]
