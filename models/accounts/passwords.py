"""Passwords: the rule, argon2id hashing and verification.

argon2-cffi's ``PasswordHasher`` with its defaults (argon2id, RFC 9106's low-memory
profile: 3 passes over 64 MiB, 4 lanes; ~0.16 s on the development machine). A hash is
the PHC string (``$argon2id$v=19$m=65536,t=3,p=4$salt$hash``): it carries its own
parameters, so a hash made with older ones still verifies and :func:`needs_rehash`
says to store a new one. The raw password is never logged or stored.
"""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ethicsflow.models.errors import InvalidInput, option

MIN_LENGTH = 12
MAX_LENGTH = 1024
"""Long enough for any passphrase, short enough that hashing one costs no more than usual."""

HASHER = PasswordHasher()


def check_rule(password: str) -> None:
    """Refuse a password that breaks the rule: 12 to 1024 characters (any characters)."""
    if len(password) < MIN_LENGTH:
        raise InvalidInput("account.password_too_short", option("password"), min=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        raise InvalidInput("account.password_too_long", option("password"), max=MAX_LENGTH)


def hash_password(password: str) -> str:
    """The argon2id hash of ``password`` (a new random salt each time)."""
    return HASHER.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    """Whether ``password`` matches the ``stored`` hash (argon2's comparison is constant
    time). No hash (no password set yet) is checked against a dummy one, so that the
    answer takes as long as for a real account."""
    try:
        return HASHER.verify(stored or _dummy_hash(), password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """Whether ``stored`` was made with other parameters than the current ones."""
    return HASHER.check_needs_rehash(stored)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return HASHER.hash("not a password: verified when there is no hash to compare with")
