"""Domain errors as RFC 9457 problem details (``application/problem+json``).

A problem carries the domain error's ``code`` (and the whole error, ``error``: its type,
field and parameters) and, for invalid input, ``errors: [{"field",
"rule", "message"}]``; ``detail`` and the messages are in the request's language. Fields
are spelled as the API names them: an action's payload field ``until`` is
``fields.until``, its reason ``reason``; an operation's input and an entity's key by
their name; the actor ``actor``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, Field

from ethicsflow.models.errors import (
    ActionNotAllowed,
    Conflict,
    EthicsflowError,
    FieldRef,
    InvalidInput,
    NotFound,
    NotPermitted,
    Operation,
    PolicyError,
    Throttled,
    from_pydantic,
    render,
    to_dict,
)

MEDIA_TYPE = "application/problem+json"

STATUS: tuple[tuple[type[EthicsflowError], int, str], ...] = (
    (PolicyError, 503, "The installation's policy file is broken"),
    (NotFound, 404, "Not found"),
    (ActionNotAllowed, 422, "Action not allowed now"),
    (InvalidInput, 422, "Invalid input"),
    (Conflict, 409, "Conflict"),
    (NotPermitted, 403, "Forbidden"),
    (Throttled, 429, "Too many attempts"),
)


def field_name(ref: FieldRef | Operation) -> str:
    """A reference as the API spells it."""
    if isinstance(ref, Operation):
        return ref.name
    if ref.source == "actor":
        name = "actor"
    elif ref.source == "payload" and ref.name != "reason":
        name = f"fields.{ref.name}"
    else:
        name = ref.name
    return name if ref.value is None else f"{name}={ref.value}"


class Problem(BaseModel):
    """What every error answer carries (``application/problem+json``), for the OpenAPI
    document: ``code`` and ``detail`` on the domain's errors, ``errors`` on invalid input,
    ``allowed`` when an action is not allowed now."""

    type: str = Field(examples=["urn:ethicsflow:problem:case.not_found"])
    title: str
    status: int
    detail: str | None = None
    code: str | None = None
    errors: list[dict[str, str]] | None = Field(
        default=None, description="each invalid input: field, rule, message"
    )
    allowed: list[str] | None = Field(default=None, description="the actions allowed now")


PROBLEM_SCHEMA = "Problem"  # its name among the OpenAPI document's components

RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {
        "description": title,
        "content": {MEDIA_TYPE: {"schema": {"$ref": f"#/components/schemas/{PROBLEM_SCHEMA}"}}},
    }
    for status, title in sorted(
        {
            (400, "Bad Request"),  # a body that is not JSON (FastAPI's parser)
            (401, "Unauthorized"),
            *((status, title) for _, status, title in STATUS),
        }
    )
}
"""The error answers of every route, as problem documents (declared on the routers, so
that the document says what the app answers instead of FastAPI's default 422 body)."""


UNAUTHENTICATED = frozenset(
    {"auth.required", "account.bad_credentials", "account.bad_token", "account.session_expired"}
)
"""Refusals of who the caller is (401), not of what they may do (403)."""


def status_of(error: EthicsflowError) -> tuple[int, str]:
    """The HTTP status of a domain error and its problem title (500 for anything else)."""
    if error.code in UNAUTHENTICATED:
        return 401, "Unauthorized"
    for cls, status, title in STATUS:
        if isinstance(error, cls):
            return status, title
    return 500, "Internal error"


def problem(error: EthicsflowError, language: str) -> tuple[int, dict[str, Any]]:
    """``(status, body)`` of the problem for ``error``, its texts in ``language``."""
    status, title = status_of(error)
    body: dict[str, Any] = {
        "type": f"urn:ethicsflow:problem:{error.code}",
        "title": title,
        "status": status,
        "detail": render(error, language, field_name),
        "code": error.code,
        # the error itself (type, field, params): a client renders it in its own terms, as
        # the CLI does with flags
        "error": to_dict(error),
    }
    if isinstance(error, InvalidInput) and error.field is not None:
        body["errors"] = [_entry(error, language)]
    if isinstance(error, ActionNotAllowed):
        body["allowed"] = error.allowed
    return status, body


def invalid_request(errors: Sequence[Any], language: str) -> tuple[int, dict[str, Any]]:
    """The problem for a request FastAPI could not validate: every error, not the first."""
    found = [
        from_pydantic(_without_prefix(dict(error)), _request_field, "body") for error in errors
    ]
    first = found[0] if found else InvalidInput("validation.other", detail="invalid request")
    status, body = problem(first, language)
    body["errors"] = [_entry(error, language) for error in found if error.field is not None]
    return status, body


def _entry(error: InvalidInput, language: str) -> dict[str, str]:
    assert error.field is not None
    rule = render(InvalidInput(error.code, None, **error.params), language, field_name)
    return {
        "field": field_name(error.field),
        "rule": error.code,
        "message": rule,
    }


def _without_prefix(error: dict[str, Any]) -> dict[str, Any]:
    """FastAPI's locations start with where the value came from (body, query, path)."""
    loc = list(error.get("loc") or ())
    if loc and loc[0] in ("body", "query", "path", "header", "cookie"):
        loc = loc[1:]
    return {**error, "loc": tuple(loc)}


def _request_field(where: str) -> FieldRef:
    if where.startswith("fields."):
        return FieldRef("payload", where.removeprefix("fields."))
    if where == "reason":
        return FieldRef("payload", "reason")
    return FieldRef("input", where)
