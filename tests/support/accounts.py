"""Helpers for the accounts tests: a person to sign in as, the security log, fixed moments."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import col, select

from ethicsflow.models.accounts.tables import Account, SecurityEvent
from ethicsflow.models.db import session_scope
from ethicsflow.models.people.tables import Person
from tests.support import factories as f

T0 = datetime(2026, 12, 1, 5, 0, tzinfo=UTC)  # 10:00 in Almaty
PASSWORD = "correct horse battery staple"


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


def someone() -> str:
    """The e-mail of a new person of a new organization (no account yet)."""
    return f.person(f.org())


def events(kind: str | None = None) -> list[SecurityEvent]:
    """The security log, oldest first (of one kind)."""
    with session_scope() as session:
        query = select(SecurityEvent).order_by(col(SecurityEvent.id))
        if kind is not None:
            query = query.where(SecurityEvent.kind == kind)
        return list(session.exec(query).all())


def account_of(email: str) -> Account | None:
    with session_scope() as session:
        person = session.exec(select(Person).where(Person.email == email)).one()
        return session.exec(select(Account).where(Account.person_id == person.id)).first()


def set_account(email: str, **values: Any) -> None:
    """Change the person's account row directly (what no operation does yet)."""
    with session_scope(write=True) as session:
        person = session.exec(select(Person).where(Person.email == email)).one()
        account = session.exec(select(Account).where(Account.person_id == person.id)).one()
        for name, value in values.items():
            setattr(account, name, value)
        session.add(account)
