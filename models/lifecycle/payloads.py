"""Typed payloads of lifecycle actions, and how ``--set KEY=VALUE`` becomes one.

Every field carries a description: ``case actions`` shows it, and the web
forms of a later issue are generated from it.
"""

from __future__ import annotations

import json
import types
import typing
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ethicsflow.models.errors import InvalidInput, invalid_from


class Payload(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Reason(Payload):
    reason: str = Field(min_length=3, description="reasoned explanation, kept in the audit log")


class OptionalReason(Payload):
    reason: str | None = Field(default=None, description="optional note for the audit log")


class Assign(Payload):
    commissioner: str = Field(description="e-mail of the commissioner to assign")
    reason: str | None = Field(default=None, description="why this commissioner")


class AcceptComplaint(Payload):
    committed_on: date | None = Field(
        default=None, description="date of the conduct (bounds the disciplinary limitation)"
    )
    offence_category: str | None = Field(
        default=None, description="general | discrediting (Law 416-V Art. 50) | budget"
    )
    reason: str | None = Field(default=None, description="optional note")

    @field_validator("offence_category")
    @classmethod
    def _category(cls, value: str | None) -> str | None:
        if value is not None and value not in ("general", "discrediting", "budget"):
            raise ValueError("must be general, discrediting or budget")
        return value


class ForwardGround(StrEnum):
    not_competent = "not_competent"
    crime_report = "crime_report"
    security_threat = "security_threat"


class Forward(Payload):
    to_body: str = Field(min_length=2, description="the competent body the appeal goes to")
    ground: ForwardGround = Field(
        default=ForwardGround.not_competent,
        description="not_competent (APPK Art. 65) | crime_report | security_threat (Art. 88)",
    )
    reason: str = Field(min_length=3, description="why the body is competent")


class DismissGround(StrEnum):
    anonymous = "anonymous"
    no_substance = "no_substance"
    duplicate = "duplicate"


class Dismiss(Payload):
    ground: DismissGround = Field(description="anonymous (APPK Art. 88) | no_substance | duplicate")
    duplicate_of: str | None = Field(default=None, description="case number, for a duplicate")
    reason: str = Field(min_length=3, description="reasoned decision")


class RequestCorrection(Payload):
    missing: list[str] = Field(
        min_length=1, description="what is missing (APPK Art. 63), comma-separated"
    )
    reason: str | None = Field(default=None, description="note to the filer")


class RequestExplanation(Payload):
    respondent: str | None = Field(
        default=None, description="e-mail of the respondent, if not yet a party"
    )
    questions: str = Field(min_length=3, description="what the respondent must explain")


class RecordExplanation(Payload):
    text: str = Field(min_length=1, description="the respondent's explanation, or its summary")


class Suspend(Payload):
    ground: str = Field(description="a suspension ground of the policy file")
    start: date | None = Field(default=None, description="first day suspended (default today)")
    reason: str = Field(min_length=3, description="the document or fact behind it")


class Extend(Payload):
    until: date | None = Field(
        default=None, description="new answer date (default: the latest the law allows)"
    )
    reason: str = Field(min_length=3, description="reasoned decision of the head (APPK 76(3))")


class RestorationCategory(StrEnum):
    pressure = "pressure"
    unlawful_order = "unlawful_order"
    discrimination = "discrimination"
    retaliation = "retaliation"
    obstruction = "obstruction"
    harassment = "harassment"
    other = "other"


class Risk(StrEnum):
    low = "low"
    medium = "medium"
    high = "high"


class AcceptRestoration(Payload):
    category: RestorationCategory = Field(description="category of the violation")
    risk: Risk = Field(description="retaliation risk: low | medium | high")
    reason: str | None = Field(default=None, description="reasons for the risk assessment")


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
        out.append(entry)
    return out


def _read_value(key: str, raw: str, kind: str) -> Any:
    if raw.startswith("@"):
        path = Path(raw[1:])
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise InvalidInput(f"--set {key}: cannot read {path}: {exc.strerror}") from exc
        if kind in ("list", "object"):
            try:
                return json.loads(text)
            except json.JSONDecodeError as exc:
                raise InvalidInput(f"--set {key}: {path} is not valid JSON ({exc.msg})") from exc
        return text
    if raw.startswith(("[", "{")):
        try:
            return json.loads(raw)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"--set {key}: value is not valid JSON ({exc.msg})") from exc
    if kind == "list":
        return [part.strip() for part in raw.split(",") if part.strip()]
    return raw


def parse_payload(model: type[Payload], values: dict[str, Any]) -> Payload:
    """Validate raw values (strings from the CLI, or typed values) into the payload."""
    fields = model.model_fields
    data: dict[str, Any] = {}
    for key, raw in values.items():
        if key not in fields:
            allowed = ", ".join(fields) or "none"
            raise InvalidInput(f"--set {key}: unknown field (this action takes: {allowed})")
        kind = _field_kind(fields[key].annotation)
        data[key] = _read_value(key, raw, kind) if isinstance(raw, str) else raw
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise invalid_from(
            exc, lambda where: "--reason" if where == "reason" else f"--set {where}", "payload"
        ) from exc
