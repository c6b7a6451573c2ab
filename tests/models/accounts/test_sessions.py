"""Browser sessions: a lifetime, an idle limit, sign-out, a CSRF token, nothing raw stored."""

from __future__ import annotations

from pathlib import Path

import pytest

from ethicsflow.models.accounts.operations import authenticate_password, set_password
from ethicsflow.models.accounts.sessions import (
    IDLE,
    LIFETIME,
    csrf_matches,
    end_session,
    session_person,
    start_session,
)
from ethicsflow.models.errors import NotPermitted
from tests.support.accounts import T0, events, minutes, set_account, someone
from tests.support.cases import all_text

PASSWORD = "a long enough password"


def expired(raw: str, now: object) -> None:
    with pytest.raises(NotPermitted) as refused:
        session_person(raw, now=now)  # type: ignore[arg-type]
    assert refused.value.code == "account.session_expired"


def test_a_session_lives_while_used_and_ends_by_time_or_sign_out(home: Path) -> None:
    email = someone()
    set_password(email, PASSWORD, now=T0)
    person = authenticate_password(email, PASSWORD, address="10.0.0.5", now=T0)
    raw, csrf = start_session(person, address="10.0.0.5", now=T0)
    assert raw not in " ".join(all_text()) and csrf not in " ".join(all_text())

    found, web = session_person(raw, now=T0 + minutes(30))
    assert found.email == email
    assert (
        csrf_matches(web, csrf) and not csrf_matches(web, "forged") and not csrf_matches(web, None)
    )
    expired(raw, T0 + minutes(30) + IDLE)  # idle too long since its last use

    again, _ = start_session(person, address=None, now=T0)
    at = T0
    while at + IDLE - minutes(1) < T0 + LIFETIME:  # used every so often: alive ...
        at += IDLE - minutes(1)
        session_person(again, now=at)
    expired(again, T0 + LIFETIME)  # ... until its lifetime ends

    third, _ = start_session(person, address="10.0.0.5", now=T0)
    end_session(third, address="10.0.0.5", now=T0 + minutes(1))
    expired(third, T0 + minutes(2))
    end_session(third, address="10.0.0.5", now=T0 + minutes(3))  # again: nothing happens
    assert len(events("sign_out")) == 1

    fourth, _ = start_session(person, address=None, now=T0)
    set_account(email, disabled_at=T0 + minutes(1))
    expired(fourth, T0 + minutes(2))
    expired("never-issued", T0)
