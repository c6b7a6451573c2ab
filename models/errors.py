"""Domain errors of ethicsflow, one module for the whole hierarchy.

An error says *what* went wrong, never how an edge spells it: a stable ``code`` (its
texts in kk/ru/en are in :mod:`ethicsflow.models.catalogue`), the ``field`` it is
about (a :class:`FieldRef`: a payload field, an input, the key of an entity, or the
actor) and the rule's parameters. Parameters may themselves be references (a
:class:`FieldRef` or an :class:`Operation` to suggest). The CLI renders references as
its flags and commands and maps the classes to exit codes (``app/errors.py``); the
API renders them as JSON fields. The classes::

    EthicsflowError                 base
    ├── InvalidInput                a field breaks a rule
    │   ├── PolicyError             the policy file is broken
    │   ├── NotFound                unknown organization, person, case ...
    │   └── ActionNotAllowed        action not allowed from this state (lists allowed)
    ├── Conflict                    the case changed meanwhile, duplicate
    ├── NotPermitted                not permitted for this actor, wrong credentials
    └── Throttled                   too many failed attempts: try again after retry_after s
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, cast

from ethicsflow.models.catalogue import CATALOGUE, text

if TYPE_CHECKING:
    from pydantic import ValidationError
    from pydantic_core import PydanticCustomError

Source = Literal["payload", "input", "key", "actor"]
SOURCES: tuple[Source, ...] = ("payload", "input", "key", "actor")
LANGUAGES = ("kk", "ru", "en")

EMAIL_IN_TEXT = re.compile(r"[^\s@'\"<>(),;:]+@[^\s@'\"<>(),;:]+\.[A-Za-z]{2,}")
IIN_IN_TEXT = re.compile(r"(?<!\d)\d{12}(?!\d)")


def redacted(text: str) -> str:
    """``text`` with e-mail addresses and IINs replaced by placeholders."""
    return IIN_IN_TEXT.sub("<IIN>", EMAIL_IN_TEXT.sub("<e-mail>", text))


@dataclass(frozen=True)
class FieldRef:
    """A field of the request an error is about, by where it comes from.

    ``payload``: a field of an action's payload (``name`` may be a dotted path into a
    list, ``measures.0.due``); ``input``: a named input of an operation
    (``received_at``); ``key``: the identifier an operation is called on (``number``,
    ``code``, ``email``, ``id``, ``kind``); ``actor``: who acts. ``value`` is a value
    to suggest (``confirm_after_limitation`` = ``true``).
    """

    source: Source
    name: str
    value: str | None = None


@dataclass(frozen=True)
class Operation:
    """An operation to suggest (``person add``), with the inputs to give it."""

    name: str
    inputs: tuple[tuple[str, str | None], ...] = ()
    program: bool = False  # the edge spells it as a full command line


def payload(name: str, value: str | None = None) -> FieldRef:
    return FieldRef("payload", name, value)


def option(name: str, value: str | None = None) -> FieldRef:
    return FieldRef("input", name, value)


def key(name: str) -> FieldRef:
    return FieldRef("key", name)


ACTOR = FieldRef("actor", "by")


def operation(name: str, *, program: bool = False, **inputs: str | None) -> Operation:
    """``operation("case file", kind="restoration", related="R-1")``."""
    return Operation(name, tuple(inputs.items()), program)


Param = Any  # str | int | float | date | FieldRef | Operation | a sequence of them
RefText = Callable[[FieldRef | Operation], str]


def neutral_ref(ref: FieldRef | Operation) -> str:
    """References as plain names: ``commissioner``, ``measures.0.due``, ``person add``."""
    if isinstance(ref, Operation):
        return ref.name
    if ref.value is not None:
        return f"{ref.name}={ref.value}"
    return ref.name


class EthicsflowError(Exception):
    """Base of every error ethicsflow raises on purpose.

    ``EthicsflowError(code, field, **params)``: ``code`` names a catalogue entry whose
    texts take ``params``; ``field`` (optional) is what the error is about. ``message``
    is the English text with plain field names; an edge renders its own with
    :func:`render`. ``str()`` and ``repr()`` leave out e-mail addresses and IINs: they
    are what Prefect stores of a failed flow run, like a log.
    """

    def __init__(self, code: str, field: FieldRef | None = None, /, **params: Param) -> None:
        super().__init__(code)
        self.code = code
        self.field = field
        self.params = params

    @property
    def message(self) -> str:
        return render(self)

    def __str__(self) -> str:
        return redacted(self.message)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"


class InvalidInput(EthicsflowError):
    """A value breaks a rule; ``field`` names it."""


class PolicyError(InvalidInput):
    """The policy file cannot be read or does not validate."""


class NotFound(InvalidInput):
    """An entity named by the user does not exist."""


class ActionNotAllowed(InvalidInput):
    """The action is not allowed from the case's current state."""

    def __init__(self, code: str, field: FieldRef | None = None, /, **params: Param) -> None:
        super().__init__(code, field, **params)
        self.allowed: list[str] = list(params.get("allowed") or [])


class Conflict(EthicsflowError):
    """The case changed meanwhile, or the entity already exists."""


class NotPermitted(EthicsflowError):
    """The actor may not do this (or could not be told from the credentials given)."""


class Throttled(EthicsflowError):
    """Too many failed attempts of an account or an address (or receipt lookups) in a
    while; ``params["retry_after"]`` is the number of seconds to wait."""

    @property
    def retry_after(self) -> int:
        return int(self.params.get("retry_after") or 0)


CLASSES: dict[str, type[EthicsflowError]] = {
    cls.__name__: cls
    for cls in (
        EthicsflowError,
        InvalidInput,
        PolicyError,
        NotFound,
        ActionNotAllowed,
        Conflict,
        NotPermitted,
        Throttled,
    )
}


def render(error: EthicsflowError, language: str = "en", ref: RefText = neutral_ref) -> str:
    """The error's text in ``language``, references spelled by ``ref``.

    ``<field>: <rule>`` when the error names a field, the rule alone otherwise.
    """
    values = {name: _param(value, ref) for name, value in error.params.items()}
    body = text(error.code, language).format(**values)
    return f"{ref(error.field)}: {body}" if error.field is not None else body


def _param(value: Param, ref: RefText) -> Any:
    if isinstance(value, FieldRef | Operation):
        return ref(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value) if isinstance(value, set | frozenset) else value
        return ", ".join(str(_param(item, ref)) for item in items)
    return value


def placeholders(template: str) -> set[str]:
    """The names a catalogue text formats (``{date}`` -> ``date``)."""
    return {
        name.split(".")[0].split("[")[0]
        for _, name, _, _ in string.Formatter().parse(template)
        if name
    }


def to_dict(error: EthicsflowError) -> dict[str, Any]:
    """The error as JSON: type, code, field, params (references as objects)."""
    # a subclass travels as the nearest class a reader knows (PdfUnavailable: InvalidInput)
    known = next(c for c in type(error).__mro__ if CLASSES.get(c.__name__) is c)
    out: dict[str, Any] = {
        "type": known.__name__,
        "code": error.code,
        "field": _ref_json(error.field) if error.field is not None else None,
        "params": {name: _json_param(value) for name, value in error.params.items()},
    }
    return out


def from_dict(data: Mapping[str, Any]) -> EthicsflowError:
    """The error :func:`to_dict` wrote (an unknown type becomes its nearest base)."""
    cls = CLASSES.get(str(data.get("type")), EthicsflowError)
    raw_field = data.get("field")
    field_ = _ref_from(raw_field) if isinstance(raw_field, dict) else None
    params = {
        str(name): _param_from(value) for name, value in dict(data.get("params") or {}).items()
    }
    return cls(str(data["code"]), field_ if isinstance(field_, FieldRef) else None, **params)


def _ref_json(ref: FieldRef | Operation) -> dict[str, Any]:
    if isinstance(ref, FieldRef):
        return {"source": ref.source, "name": ref.name, "value": ref.value}
    return {"operation": ref.name, "inputs": [list(pair) for pair in ref.inputs],
            "program": ref.program}  # fmt: skip


def _json_param(value: Param) -> Any:
    if isinstance(value, FieldRef | Operation):
        return {"ref": _ref_json(value)}
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return [_json_param(item) for item in sorted(value)]
    if isinstance(value, list | tuple):
        return [_json_param(item) for item in value]
    return value


def _ref_from(data: Mapping[str, Any]) -> FieldRef | Operation:
    if "operation" in data:
        inputs = tuple((str(k), None if v is None else str(v)) for k, v in data.get("inputs", []))
        return Operation(str(data["operation"]), inputs, bool(data.get("program")))
    source = data.get("source")
    if source not in SOURCES:
        raise ValueError(f"unknown field source {source!r}")
    value = data.get("value")
    return FieldRef(cast(Source, source), str(data["name"]), None if value is None else str(value))


def _param_from(value: Any) -> Param:
    if isinstance(value, dict) and isinstance(value.get("ref"), dict):
        return _ref_from(value["ref"])
    if isinstance(value, list):
        return [_param_from(item) for item in value]
    return value


def rule(code: str, **params: Param) -> PydanticCustomError:
    """An error for a pydantic validator to raise: :func:`invalid_from` turns it into
    ``InvalidInput(code, <the field>, **params)``."""
    # imported here (import time): the CLI's start imports this module, pydantic_core it need not
    from pydantic_core import PydanticCustomError

    return PydanticCustomError(code, code, {"params": params})


def invalid_from(
    exc: ValidationError, field_of: Callable[[str], FieldRef], default: str = "input"
) -> InvalidInput:
    """The first validation error as an :class:`InvalidInput` on the field it names.

    A validator's :func:`rule` keeps its code and parameters; pydantic's own checks
    become ``validation.<type>`` where the catalogue has that type, and
    ``validation.other`` (with pydantic's English text) where it does not.
    """
    return from_pydantic(exc.errors()[0], field_of, default)


def from_pydantic(
    first: Mapping[str, Any], field_of: Callable[[str], FieldRef], default: str = "input"
) -> InvalidInput:
    """One of pydantic's error dicts (``ValidationError.errors()``) as an InvalidInput."""
    where = ".".join(str(part) for part in first["loc"]) or default
    ctx: dict[str, Any] = dict(first.get("ctx") or {})
    kind = str(first["type"])
    if isinstance(ctx.get("params"), dict) and kind in CATALOGUE:
        return InvalidInput(kind, field_of(where), **ctx["params"])
    error = ctx.get("error")
    if isinstance(error, EthicsflowError):
        return InvalidInput(error.code, field_of(where), **error.params)
    pydantic_code = f"validation.{kind}"  # pydantic's own check, where the catalogue has it
    if pydantic_code in CATALOGUE:
        params = {name: _ctx_value(value) for name, value in ctx.items()}
        return InvalidInput(pydantic_code, field_of(where), **params)
    message = str(first["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    return InvalidInput("validation.other", field_of(where), detail=message)


def _ctx_value(value: Any) -> Param:
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, Sequence):
        return [str(item) for item in value]
    return str(value)
