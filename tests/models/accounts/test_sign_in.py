"""Sign-in with a password: one refusal for every wrong case, throttling, the log."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from ethicsflow.app.errors import exit_code, message
from ethicsflow.models.accounts import operations as accounts
from ethicsflow.models.accounts.throttle import check_throttle, record_failure
from ethicsflow.models.errors import NotPermitted, Throttled, to_dict
from ethicsflow.models.people.tables import Person
from tests.support.accounts import (
    PASSWORD,
    T0,
    account_of,
    events,
    minutes,
    set_account,
    someone,
)

ADDRESS = "203.0.113.7"


def sign_in(
    email: str, password: str = PASSWORD, address: str | None = ADDRESS, now: datetime = T0
) -> Person:
    return accounts.authenticate_password(email, password, address=address, now=now)


def refusal(
    email: str, password: str, address: str | None = ADDRESS, now: datetime = T0
) -> NotPermitted:
    with pytest.raises(NotPermitted) as info:
        sign_in(email, password, address, now)
    return info.value


def test_sign_in_returns_the_person_and_logs_it_by_id(
    home: Path, caplog: pytest.LogCaptureFixture
) -> None:
    email = someone()
    accounts.set_password(email, PASSWORD, now=T0)
    caplog.set_level(logging.INFO, "ethicsflow.security")
    person = sign_in(email.upper(), now=T0 + minutes(1))
    assert person.email == email
    [event] = events("sign_in")
    assert (event.person_id, event.address, event.at) == (person.id, ADDRESS, T0 + minutes(1))
    assert event.detail == {"method": "password"}
    assert caplog.messages == [f"sign_in person={person.id} address={ADDRESS} method=password"]


def test_every_wrong_sign_in_gets_the_same_refusal(home: Path) -> None:
    right, invited, disabled = someone(), someone(), someone()
    accounts.set_password(right, PASSWORD, now=T0)
    accounts.invite(invited, now=T0)  # an account with no password yet
    accounts.set_password(disabled, PASSWORD, now=T0)
    set_account(disabled, disabled_at=T0)
    refusals = [
        refusal(right, "not the password at all", "10.0.0.1"),  # wrong password
        refusal(right, PASSWORD + "x" * 10**6, "10.0.0.5"),  # longer than any (not hashed)
        refusal("nobody-" + right, PASSWORD, "10.0.0.2"),  # unknown e-mail
        refusal(invited, PASSWORD, "10.0.0.3"),  # no password set
        refusal(disabled, PASSWORD, "10.0.0.4"),  # disabled (right password)
    ]
    assert {message(e) for e in refusals} == {"wrong e-mail or password"}
    assert {str(to_dict(e)) for e in refusals} == {str(to_dict(refusals[0]))}
    assert refusals[0].field is None and refusals[0].params == {}
    assert {exit_code(e) for e in refusals} == {4}
    failed = events("sign_in_failed")
    assert [e.detail["reason"] for e in failed] == [
        "wrong_password", "wrong_password", "unknown_email", "no_password", "disabled"
    ]  # fmt: skip
    assert failed[2].person_id is None and failed[2].detail["email"] == "nobody-" + right
    assert events("sign_in") == []


def test_five_failures_of_an_account_throttle_it_from_every_address(home: Path) -> None:
    email, other = someone(), someone()
    accounts.set_password(email, PASSWORD, now=T0)
    accounts.set_password(other, PASSWORD, now=T0)
    for n in range(5):
        refusal(email, "wrong password!", f"10.0.1.{n}", T0 + minutes(n))
    for address in ("10.0.1.0", "10.0.2.99", None):  # even with the right password
        with pytest.raises(Throttled) as info:
            sign_in(email, PASSWORD, address, T0 + minutes(5))
        assert info.value.retry_after == 600  # the first failure leaves the window at T0+15
        assert message(info.value) == "too many failed attempts; try again in 600 s"
        assert exit_code(info.value) == 4
    sign_in(other, PASSWORD, "10.0.1.0", T0 + minutes(5))  # other accounts are not throttled
    throttled = events("throttled")
    assert len(throttled) == 3 and throttled[0].detail == {"retry_after": 600}


def test_five_failures_from_an_address_throttle_every_account_there(home: Path) -> None:
    email = someone()
    accounts.set_password(email, PASSWORD, now=T0)
    for n in range(5):
        refusal(f"guess{n}@example.kz", "some password", ADDRESS, T0 + timedelta(seconds=n))
    with pytest.raises(Throttled) as info:
        sign_in(email, PASSWORD, ADDRESS, T0 + minutes(1))
    assert info.value.retry_after == 14 * 60
    assert sign_in(email, PASSWORD, "198.51.100.1", T0 + minutes(1)).email == email


def test_the_throttle_lifts_when_the_window_has_passed(home: Path) -> None:
    email = someone()
    accounts.set_password(email, PASSWORD, now=T0)
    for n in range(5):
        refusal(email, "wrong password!", ADDRESS, T0 + minutes(n))
    last_second = minutes(15) - timedelta(seconds=1)
    for at, wait in ((minutes(5), 600), (minutes(14.5), 30), (last_second, 1)):
        with pytest.raises(Throttled) as info:
            sign_in(email, now=T0 + at)
        assert info.value.retry_after == wait
    # the throttled attempts were not failures: at T0+15 the first failure has left
    assert sign_in(email, now=T0 + minutes(15)).email == email
    # four failures remain in the window: one more throttles again, until T0+16
    refusal(email, "wrong password!", ADDRESS, T0 + minutes(15))
    with pytest.raises(Throttled) as info:
        sign_in(email, now=T0 + minutes(15))
    assert info.value.retry_after == 60


def test_a_success_clears_nothing(home: Path) -> None:
    email = someone()
    accounts.set_password(email, PASSWORD, now=T0)
    for n in range(4):
        refusal(email, "wrong password!", ADDRESS, T0 + minutes(n))
    sign_in(email, now=T0 + minutes(4))
    refusal(email, "wrong password!", ADDRESS, T0 + minutes(5))
    with pytest.raises(Throttled):
        sign_in(email, now=T0 + minutes(6))


def test_sign_in_rehashes_a_hash_of_older_parameters(home: Path) -> None:
    email = someone()
    accounts.set_password(email, PASSWORD, now=T0)
    old = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    set_account(email, password_hash=old)
    sign_in(email)
    account = account_of(email)
    assert account is not None and account.password_hash != old
    assert account.password_hash.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    sign_in(email)  # the new hash verifies


def test_receipt_lookups_are_throttled_by_their_own_kind(home: Path) -> None:
    for n in range(5):
        check_throttle("receipt", ADDRESS, T0 + minutes(n))
        record_failure("receipt", ADDRESS, T0 + minutes(n))
    with pytest.raises(Throttled) as info:
        check_throttle("receipt", ADDRESS, T0 + minutes(5))
    assert info.value.retry_after == 600
    check_throttle("address", ADDRESS, T0 + minutes(5))  # sign-in from there is not
    check_throttle("receipt", ADDRESS, T0 + minutes(15))
    with pytest.raises(ValueError):
        record_failure("nonsense", ADDRESS, T0)


def test_sign_out_is_logged(home: Path, caplog: pytest.LogCaptureFixture) -> None:
    email = someone()
    accounts.set_password(email, PASSWORD, now=T0)
    person = sign_in(email)
    caplog.set_level(logging.INFO, "ethicsflow.security")
    accounts.record_sign_out(person, "2001:db8::1\n", now=T0 + minutes(30))
    [event] = events("sign_out")
    assert (event.person_id, event.at) == (person.id, T0 + minutes(30))
    assert event.address == "2001:db8::1?"  # no line break reaches the log
    assert caplog.messages == [f"sign_out person={person.id} address=2001:db8::1?"]
