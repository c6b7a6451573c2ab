"""Passwords: argon2id hashes, the 12-character rule, re-hashing older parameters."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from ethicsflow.app.errors import exit_code, message
from ethicsflow.models.accounts import passwords
from ethicsflow.models.errors import InvalidInput
from tests.support.accounts import PASSWORD


def test_hash_password_makes_a_salted_argon2id_hash_that_verifies() -> None:
    first, second = passwords.hash_password(PASSWORD), passwords.hash_password(PASSWORD)
    assert first.startswith("$argon2id$") and second.startswith("$argon2id$")
    assert first != second  # a new salt each time
    assert PASSWORD not in first
    assert passwords.verify_password(first, PASSWORD)
    assert not passwords.verify_password(first, PASSWORD + " ")
    assert not passwords.verify_password(first, PASSWORD.upper())


def test_verify_password_refuses_without_a_hash_or_with_a_broken_one() -> None:
    assert not passwords.verify_password(None, PASSWORD)
    assert not passwords.verify_password("", PASSWORD)
    assert not passwords.verify_password("$argon2id$garbage", PASSWORD)


def test_needs_rehash_tells_a_hash_of_older_parameters() -> None:
    old = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    assert passwords.verify_password(old, PASSWORD)  # still verifies
    assert passwords.needs_rehash(old)
    assert not passwords.needs_rehash(passwords.hash_password(PASSWORD))


@pytest.mark.parametrize(
    ("password", "shown"),
    [
        ("a" * 11, "--password-stdin: must be at least 12 characters long"),
        ("", "--password-stdin: must be at least 12 characters long"),
        ("a" * 1025, "--password-stdin: must be at most 1024 characters long"),
    ],
)
def test_check_rule_refuses_a_short_or_huge_password_without_showing_it(
    password: str, shown: str
) -> None:
    with pytest.raises(InvalidInput) as info:
        passwords.check_rule(password)
    assert message(info.value) == shown
    assert exit_code(info.value) == 2
    assert set(info.value.params) <= {"min", "max"}  # the password is not kept


def test_check_rule_takes_twelve_characters_of_any_kind() -> None:
    for password in ("a" * 12, "пароль-дұрыс", " " * 12, "a" * 1024):
        passwords.check_rule(password)
