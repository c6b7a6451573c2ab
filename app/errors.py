"""How the CLI speaks the domain's errors: flags for fields, commands for operations,
exit codes for classes (DESIGN §5). The one mapping from ``models.errors`` to the shell.
"""

from __future__ import annotations

import re

from ethicsflow.models.errors import (
    Conflict,
    EthicsflowError,
    FieldRef,
    InvalidInput,
    NotPermitted,
    Operation,
    Throttled,
    render,
)

EXIT_CODES: tuple[tuple[type[EthicsflowError], int], ...] = (
    (Throttled, 4),
    (NotPermitted, 4),
    (Conflict, 3),
    (InvalidInput, 2),
)

# inputs the CLI takes as an argument or under another name than --<name>
ARGUMENTS = {"number": "NUMBER", "code": "CODE", "email": "EMAIL", "id": "ID", "kind": "KIND"}
PAYLOAD_OPTIONS = {"reason": "--reason"}
INPUT_OPTIONS = {"password": "--password-stdin"}  # never in argv: read from stdin


def exit_code(error: EthicsflowError) -> int:
    """2 invalid input, 3 conflict, 4 not permitted or throttled, 1 anything else."""
    for cls, code in EXIT_CODES:
        if isinstance(error, cls):
            return code
    return 1


def flag(ref: FieldRef | Operation) -> str:
    """A reference as the CLI spells it: ``--set measures[0].due``, ``--received-at``,
    ``NUMBER``, ``--by``, `` `case file --kind restoration` ``."""
    if isinstance(ref, Operation):
        words = [*(["ethicsflow"] if ref.program else []), ref.name]
        for name, value in ref.inputs:
            words.append(_option(name) if value is None else f"{_option(name)} {value}")
        return f"`{' '.join(words)}`"
    if ref.source == "actor":
        return "--by"
    if ref.source == "key":
        return ARGUMENTS.get(ref.name, ref.name.upper())
    if ref.source == "payload":
        if ref.name in PAYLOAD_OPTIONS and ref.value is None:
            return PAYLOAD_OPTIONS[ref.name]
        spelled = "--set " + re.sub(r"\.(\d+)", r"[\1]", ref.name)
        return spelled if ref.value is None else f"{spelled}={ref.value}"
    spelled = INPUT_OPTIONS.get(ref.name) or _option(ref.name)
    return spelled if ref.value is None else f"{spelled} {ref.value}"


def _option(name: str) -> str:
    return "--" + name.replace("_", "-")


def message(error: EthicsflowError) -> str:
    """The one line after ``error:`` (English, as the CLI always printed it)."""
    return render(error, "en", flag)
