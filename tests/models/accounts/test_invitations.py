"""Invitations: a one-time link to set a password, expiring; passwords set directly."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from ethicsflow.app.errors import exit_code, message
from ethicsflow.models.accounts import operations as accounts
from ethicsflow.models.accounts.tables import Invitation
from ethicsflow.models.db import session_scope
from ethicsflow.models.errors import InvalidInput, NotFound, NotPermitted
from tests.support.accounts import PASSWORD, T0, account_of, events, minutes, someone
from tests.support.cases import row_counts


def refused(raw: str, password: str = PASSWORD, now: datetime = T0) -> NotPermitted:
    before = row_counts()
    with pytest.raises(NotPermitted) as info:
        accounts.accept_invitation(raw, password, now=now)
    assert message(info.value) == (
        "the invitation link is unknown, used or expired; ask for a new one"
    )
    assert exit_code(info.value) == 4
    assert row_counts() == before
    return info.value


def test_an_invitation_sets_the_password_once(home: Path) -> None:
    email = someone()
    raw, expires_at = accounts.invite(email, now=T0)
    assert expires_at == T0 + timedelta(hours=72)
    assert len(raw) >= 43
    account = account_of(email)
    assert account is not None and account.password_hash is None  # invited, no password yet
    with session_scope() as session:
        [row] = session.exec(select(Invitation)).all()
        assert row.token_hash == accounts.sha256_hex(raw) and raw not in row.token_hash

    person = accounts.accept_invitation(raw, PASSWORD, now=T0 + minutes(5))
    assert person.email == email
    account = account_of(email)
    assert account is not None and account.password_hash.startswith("$argon2id$")
    assert account.password_set_at == T0 + minutes(5)
    assert accounts.authenticate_password(email, PASSWORD, address=None).email == email
    refused(raw, "another good password", T0 + minutes(6))  # one time only
    kinds = [e.kind for e in events()]
    assert kinds == ["invitation_created", "invitation_used", "password_set", "sign_in"]


def test_an_invitation_expires(home: Path) -> None:
    email = someone()
    raw, expires_at = accounts.invite(email, ttl=timedelta(hours=1), now=T0)
    refused(raw, now=expires_at)
    accounts.accept_invitation(raw, PASSWORD, now=expires_at - timedelta(seconds=1))


def test_an_unknown_link_is_refused_alike(home: Path) -> None:
    refused("no-such-invitation")
    refused("")


def test_a_weak_password_is_refused_and_leaves_the_invitation_usable(home: Path) -> None:
    raw, _ = accounts.invite(someone(), now=T0)
    before = row_counts()
    with pytest.raises(InvalidInput) as info:
        accounts.accept_invitation(raw, "short", now=T0)
    assert message(info.value) == "--password-stdin: must be at least 12 characters long"
    assert row_counts() == before
    accounts.accept_invitation(raw, PASSWORD, now=T0)


def test_a_new_invitation_or_a_password_set_ends_the_open_ones(home: Path) -> None:
    email = someone()
    first, _ = accounts.invite(email, now=T0)
    second, _ = accounts.invite(email, now=T0 + minutes(1))
    refused(first, now=T0 + minutes(2))
    accounts.set_password(email, PASSWORD, now=T0 + minutes(3))
    refused(second, now=T0 + minutes(4))
    [event] = events("password_set")
    assert event.detail == {}


def test_set_password_and_invite_refuse_bad_input_and_write_nothing(home: Path) -> None:
    email = someone()
    before = row_counts()
    with pytest.raises(NotFound) as info:
        accounts.set_password("nobody@example.kz", PASSWORD)
    assert message(info.value) == "EMAIL: no person with e-mail nobody@example.kz"
    with pytest.raises(InvalidInput):
        accounts.set_password(email, "x" * 11)
    for ttl in (timedelta(0), timedelta(days=30, seconds=1)):
        with pytest.raises(InvalidInput) as info:
            accounts.invite(email, ttl=ttl)
        assert "at most 720 hours" in message(info.value)
    with pytest.raises(NotFound):
        accounts.invite("nobody@example.kz")
    assert row_counts() == before
