"""Forms: an action's fields from its payload schema, the values a form sends, and the
server's refusal put back on the field it names.

A form's inputs are named as the API's body: ``reason``, ``fields.<name>``,
``if_version``; the filing form's as ``POST /api/v1/cases``' fields. An error's field is
spelled by :func:`~ethicsflow.app.api.problems.field_name`, the same spelling, so the
message lands beside the input that caused it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from anyio import to_thread

from ethicsflow.app.api.problems import field_name
from ethicsflow.app.web.i18n import N_, Words
from ethicsflow.app.web.labels import humanize
from ethicsflow.models.errors import EthicsflowError, InvalidInput, render

P = ParamSpec("P")
R = TypeVar("R")

DOCUMENT_KINDS = (
    ("coupon", N_("Coupon")),
    ("acknowledgment", N_("Acknowledgment")),
    ("answer", N_("Answer letter")),
    ("explanation_request", N_("Request for explanation")),
    ("extension_notice", N_("Extension notice")),
    ("forwarding_notice", N_("Forwarding notice")),
    ("board_decision", N_("Board decision")),
    ("hearing_minutes", N_("Hearing minutes")),
    ("formal_request", N_("Formal request")),
    ("measures_letter", N_("Measures letter")),
)
"""The documents a case page offers to issue (each kind checks the case's state)."""

LONG_TEXT = frozenset({"reason", "text", "questions", "summary", "explanation", "comment"})
"""Fields written as paragraphs (a ``<textarea>``)."""


async def in_thread(fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Run a form's blocking work (database, flow run) on a worker thread."""
    return await to_thread.run_sync(functools.partial(fn, *args, **kwargs))


def widget(field: dict[str, Any]) -> str:
    """How a field is typed in: text, textarea, date, number, checkbox, select, list."""
    kind = field["type"]
    if field.get("choices"):
        return "select"
    if kind == "date":
        return "date"
    if kind == "int":
        return "number"
    if kind == "bool":
        return "checkbox"
    if kind in ("list", "object"):
        return "textarea"
    return "textarea" if field["name"] in LONG_TEXT else "text"


Options = dict[str, tuple[str, list[tuple[str, str]]]]
"""``field name -> (widget, [(value, label)])``: what to pick from, where the case knows
(the Board's members, the Code's standards, the policy's penalties)."""


def action_form(
    action: dict[str, Any], words: Words, options: Options | None = None
) -> dict[str, Any]:
    """An action of ``case_actions`` as the case page's form shows it, in ``words``."""
    fields = []
    for f in action["fields"]:
        kind = widget(f)
        choices = [(c, words.maybe(humanize(str(c)))) for c in f.get("choices") or ()]
        if options and f["name"] in options:
            kind, choices = options[f["name"]]
        fields.append(
            {
                "name": "reason" if f["name"] == "reason" else f"fields.{f['name']}",
                "label": words.maybe(humanize(f["name"])),
                "hint": words.maybe(f["description"]),
                "kind": kind,
                "required": f["required"],
                "choices": choices,
            }
        )
    return {
        "name": action["name"],
        "label": words.maybe(humanize(action["name"])),
        "hint": words.maybe(action["description"]),
        "fields": fields,
    }


def form_values(items: list[tuple[str, Any]]) -> dict[str, str]:
    """A posted form's text values; a name sent more than once (checkboxes) one per line."""
    values: dict[str, str] = {}
    for name, value in items:
        if isinstance(value, str):
            values[name] = f"{values[name]}\n{value}" if name in values else value
    return values


def action_values(
    spec: dict[str, Any] | None, form: dict[str, str]
) -> tuple[dict[str, Any], str | None]:
    """``(fields, reason)`` of an action's form: empty inputs left out, a checkbox as a
    boolean, a list one item per line (or comma). An action the case does not offer now
    gets no fields: the engine refuses it by name."""
    fields: dict[str, Any] = {}
    reason: str | None = None
    for field in (spec or {}).get("fields", ()):
        name = field["name"]
        key = "reason" if name == "reason" else f"fields.{name}"
        raw = form.get(key, "")
        if field["type"] == "bool":
            if raw:
                fields[name] = raw not in ("0", "false", "off")
            continue
        raw = raw.strip()
        if not raw:
            continue
        if name == "reason":
            reason = raw
        elif field["type"] == "list":
            fields[name] = [p.strip() for p in raw.replace("\n", ",").split(",") if p.strip()]
        else:
            fields[name] = raw
    return fields, reason


def errors_of(error: EthicsflowError, language: str) -> dict[str, str]:
    """``{input name: message}`` of a refusal; ``""`` holds one that names no input."""
    if isinstance(error, InvalidInput) and error.field is not None:
        name = field_name(error.field).split("=")[0]
        message = render(InvalidInput(error.code, None, **error.params), language, field_name)
        return {name: message}
    return {"": render(error, language, field_name)}
