"""Domain errors of ethicsflow, one module for the whole hierarchy.

Domain code raises these; only the edges (CLI, engine API) turn them into exit
codes or HTTP statuses (DESIGN §5)::

    EthicsflowError                 base; exit 1 where nothing more specific applies
    ├── InvalidInput                exit 2: a field breaks a rule (names the field)
    │   ├── PolicyError             the policy file is broken
    │   ├── NotFound                unknown organization, person, case ...
    │   └── ActionNotAllowed        action not allowed from this state (lists allowed)
    ├── Conflict                    exit 3: the case changed meanwhile, duplicate
    └── NotPermitted                exit 4: not permitted for this actor
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic import ValidationError


EMAIL_IN_TEXT = re.compile(r"[^\s@'\"<>(),;:]+@[^\s@'\"<>(),;:]+\.[A-Za-z]{2,}")
IIN_IN_TEXT = re.compile(r"(?<!\d)\d{12}(?!\d)")


def redacted(text: str) -> str:
    """``text`` with e-mail addresses and IINs replaced by placeholders."""
    return IIN_IN_TEXT.sub("<IIN>", EMAIL_IN_TEXT.sub("<e-mail>", text))


class EthicsflowError(Exception):
    """Base of every error ethicsflow raises on purpose.

    ``message`` is for the person who made the request (the CLI prints it, the engine
    returns it). ``str()`` and ``repr()`` leave out e-mail addresses and IINs: they are
    what Prefect stores of a failed flow run (its state message, its logged traceback,
    in its database and UI), like a log.
    """

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return redacted(self.message)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"


class InvalidInput(EthicsflowError):
    """A value breaks a rule; the message names the field and the rule."""

    exit_code = 2


class PolicyError(InvalidInput):
    """The policy file cannot be read or does not validate."""


class NotFound(InvalidInput):
    """An entity named by the user does not exist."""


class ActionNotAllowed(InvalidInput):
    """The action is not allowed from the case's current state."""

    def __init__(self, message: str, allowed: list[str]) -> None:
        super().__init__(message)
        self.allowed = allowed


class Conflict(EthicsflowError):
    """The case changed meanwhile, or the entity already exists."""

    exit_code = 3


class NotPermitted(EthicsflowError):
    """The actor may not do this."""

    exit_code = 4


def invalid_from(
    exc: ValidationError, flag_of: Callable[[str], str], default: str = "input"
) -> InvalidInput:
    """The first validation error as ``<flag>: <rule>`` (pydantic's prefixes dropped)."""
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or default
    message = str(first["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    return InvalidInput(f"{flag_of(where)}: {message}")
