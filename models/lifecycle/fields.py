"""How raw values become an action's payload, and how its fields are described.

``--set KEY=VALUE`` values (and, later, form fields) are read by the field's type: dates
in ISO form, lists comma-separated, JSON when the value starts with ``[`` or ``{``, and
``@PATH`` reads a file (JSON for structured fields; an attachment field keeps the path).
``describe`` is what ``case actions`` shows of each field.
"""

from __future__ import annotations

import json
import types
import typing
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from ethicsflow.models.errors import InvalidInput, invalid_from, payload
from ethicsflow.models.lifecycle.payloads import POLICY_CHOICES, Payload
from ethicsflow.models.policy import load_policy


def _field_kind(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _field_kind(args[0]) if args else "str"
    if origin in (list, tuple):
        return "list"
    if isinstance(annotation, type):
        if issubclass(annotation, StrEnum):
            return "enum"
        if issubclass(annotation, date):
            return "date"
        if issubclass(annotation, bool):
            return "bool"
        if issubclass(annotation, int):
            return "int"
        if issubclass(annotation, BaseModel):
            return "object"
    return "str"


def describe(model: type[BaseModel]) -> list[dict[str, Any]]:
    """The payload's fields as ``case actions --json`` shows them."""
    out = []
    for name, info in model.model_fields.items():
        kind = _field_kind(info.annotation)
        entry: dict[str, Any] = {
            "name": name,
            "type": kind,
            "required": info.is_required(),
            "description": info.description or "",
        }
        annotation = info.annotation
        for arg in (annotation, *typing.get_args(annotation)):
            if isinstance(arg, type) and issubclass(arg, StrEnum):
                entry["choices"] = [m.value for m in arg]
        if _extra(info, POLICY_CHOICES) == "restoration.categories":
            entry["choices"] = list(load_policy().restoration.categories)
        out.append(entry)
    return out


def _extra(info: FieldInfo, key: str) -> Any:
    extra = info.json_schema_extra
    return extra.get(key) if isinstance(extra, dict) else None


def _read_value(key: str, raw: str, kind: str, attachment: bool = False) -> Any:
    if attachment:
        return raw.removeprefix("@")  # the path: the action reads the file itself
    if raw.startswith("@"):
        path = Path(raw[1:])
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise InvalidInput(
                "payload.cannot_read", payload(key), path=str(path), reason=exc.strerror
            ) from exc
        except UnicodeDecodeError:
            raise InvalidInput(
                "payload.not_utf8",
                payload(key),
                path=str(path),
                example=payload("evidence_file", "PATH"),
            ) from None
        if kind in ("list", "object"):
            try:
                return json.loads(text)
            except json.JSONDecodeError as exc:
                raise InvalidInput(
                    "payload.file_not_json", payload(key), path=str(path), reason=exc.msg
                ) from exc
        return text
    if raw.startswith(("[", "{")):
        try:
            return json.loads(raw)
        except json.JSONDecodeError as exc:
            raise InvalidInput("payload.value_not_json", payload(key), reason=exc.msg) from exc
    if kind == "list":
        return [part.strip() for part in raw.split(",") if part.strip()]
    return raw


def parse_payload(
    model: type[Payload], values: dict[str, Any], *, literal: bool = False
) -> Payload:
    """Validate raw values (strings from the CLI, or typed values) into the payload.

    ``literal``: the values came over HTTP from someone other than the server's operator.
    Their text is taken as it is (``@PATH`` would read a file of the server, ``[...]``
    would be parsed as JSON), and a field that attaches a file of the server is refused."""
    fields = model.model_fields
    data: dict[str, Any] = {}
    for key, raw in values.items():
        if key not in fields:
            allowed = list(fields) or "none"
            raise InvalidInput("payload.unknown_field", payload(key), allowed=allowed)
        kind = _field_kind(fields[key].annotation)
        attachment = bool(_extra(fields[key], "attachment"))
        if literal and attachment:
            raise InvalidInput("payload.file_on_server_only", payload(key), field=payload(key))
        if literal or not isinstance(raw, str):
            data[key] = raw
        else:
            data[key] = _read_value(key, raw, kind, attachment)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise invalid_from(exc, payload, "payload") from exc
