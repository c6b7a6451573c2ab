"""The case pages: ``/cases`` (the queue, or "my cases"), ``/cases/new`` (filing) and
``/cases/{number}`` (one case, its timeline, deadlines, documents and the actions the
reader may take, each a form with ``data-action``).

Reads go through the same read models and access table as ``/api/v1``; every change is
the same flow run as the API's. A form with bad input comes back with the server's
message on the field, in the page's language, with what was typed; nothing is written.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import col, select

from ethicsflow.app.api import operations
from ethicsflow.app.api.auth import Principal
from ethicsflow.app.api.filing import Filing, filer_values
from ethicsflow.app.api.threads import reads
from ethicsflow.app.web import forms
from ethicsflow.app.web.labels import humanize
from ethicsflow.app.web.pages import done, refused, to_sign_in
from ethicsflow.app.web.render import page
from ethicsflow.app.web.scope import scoped
from ethicsflow.app.web.visit import Visit, check_form, visit
from ethicsflow.models.boards.sitting import sitting_state
from ethicsflow.models.cases.access import actor_tokens, get_case
from ethicsflow.models.cases.filing import validate_filing
from ethicsflow.models.cases.listing import page_cases
from ethicsflow.models.cases.tables import Case
from ethicsflow.models.cases.views import case_actions, case_view, history
from ethicsflow.models.db import session_scope
from ethicsflow.models.deadlines.calendar import calendar_for
from ethicsflow.models.deadlines.rules import local_date
from ethicsflow.models.documents.operations import list_documents
from ethicsflow.models.errors import EthicsflowError, InvalidInput, NotPermitted
from ethicsflow.models.lifecycle.kinds import LIFECYCLES
from ethicsflow.models.people.tables import Organization, Person
from ethicsflow.models.permissions.decide import (
    may,
    require,
    sees_whole_body,
)
from ethicsflow.models.permissions.table import Operation
from ethicsflow.models.policy import Policy, load_policy
from ethicsflow.models.types import utcnow

router = APIRouter(include_in_schema=False)

PER_PAGE = 25
SOON = 3
"""Working days ahead that count as "due soon" in the queue."""
STAFF = frozenset(
    {"commissioner", "head", "agency", "admin", "platform_admin", "board_secretary", "board_member"}
)
"""Roles whose queue is the body's (or the Board's) cases, not "my cases"."""


def _today() -> dt.date:
    return local_date(utcnow(), load_policy().zone)


def _int(raw: str | None, default: int) -> int:
    try:
        return int(raw) if raw else default
    except ValueError:
        return default


@router.get("/cases")
@reads
def queue(request: Request) -> Response:
    """The cases the person may see, nearest deadline first, in three groups."""
    v = visit(request)
    if v.person is None:
        return to_sign_in(request, v)
    query = request.query_params
    status = query.get("status") or ""
    text = (query.get("q") or "").strip()[:200]
    filters: dict[str, Any] = {
        "status": status,
        "q": text,
        "mine": query.get("mine") == "1",
        "overdue": query.get("overdue") == "1",
        "org": "",
    }
    number = max(1, _int(query.get("page"), 1))
    today = _today()
    soon = calendar_for(load_policy()).add_working_days(today, SOON)
    whole = sees_whole_body(v.person)
    scope = "involved" if whole and query.get("scope") == "involved" else "body"
    try:
        with session_scope() as session:
            visible, org = scoped(session, v.person, scope)
            if org is None and query.get("org"):  # one body (the Agency's overview links)
                org = query.get("org", "").strip().upper()[:16]
                filters["org"] = org
            listing = page_cases(
                session,
                visible=visible,
                org=org,
                status=status or None,
                assignee=v.person.email if filters["mine"] else None,
                overdue_on=today if filters["overdue"] else None,
                q=text or None,
                page=number,
                per_page=PER_PAGE,
            )
    except EthicsflowError as exc:
        return refused(request, v, exc)
    groups: dict[str, list[dict[str, Any]]] = {"overdue": [], "soon": [], "later": [], "none": []}
    for item in listing["items"]:
        due = (item.get("next_deadline") or {}).get("due")
        if due is None:
            groups["none"].append(item)
        elif dt.date.fromisoformat(due) < today:
            groups["overdue"].append(item)
        elif dt.date.fromisoformat(due) <= soon:
            groups["soon"].append(item)
        else:
            groups["later"].append(item)
    pages = max(1, -(-listing["total"] // PER_PAGE))
    staff = bool(v.roles & STAFF)
    return page(
        request,
        "cases.html",
        v.words,
        v=v,
        staff=staff,
        filters=filters,
        scope=scope if whole else None,
        statuses=_statuses(),
        groups=groups,
        total=listing["total"],
        page_number=number,
        pages=pages,
        humanize=humanize,
    )


def _statuses() -> list[str]:
    seen: list[str] = []
    for lifecycle in LIFECYCLES.values():
        seen.extend(s for s in lifecycle.states if s not in seen)
    return seen


# -- filing ------------------------------------------------------------------------------

FILING_FIELDS = ("kind", "org", "against", "summary", "committed_on", "related", "confidential")


def _filing_context(person: Person) -> dict[str, Any]:
    with session_scope() as session:
        orgs = session.exec(select(Organization).order_by(col(Organization.name))).all()
        own = session.get(Organization, person.organization_id) if person.organization_id else None
        people = (
            session.exec(
                select(Person)
                .where(Person.organization_id == own.id, Person.email != person.email)
                .order_by(col(Person.name))
                .limit(500)
            ).all()
            if own is not None
            else []
        )
    return {
        "orgs": [(o.code, o.name) for o in orgs],
        "own_org": own.code if own else "",
        "people": [(p.email, p.name or p.email) for p in people],
    }


@router.get("/cases/new")
@reads
def new_case(request: Request) -> Response:
    v = visit(request)
    if v.person is None:
        return to_sign_in(request, v)
    context = _filing_context(v.person)
    kind = request.query_params.get("kind")
    values = {
        "kind": kind if kind in LIFECYCLES else "complaint",
        "org": context["own_org"],
        "related": request.query_params.get("related", ""),
    }
    return page(request, "new.html", v.words, v=v, values=values, errors={}, **context)


@router.post("/cases/new")
async def file_case(request: Request) -> Response:
    form = await request.form()
    values = {name: str(form.get(name) or "").strip() for name in FILING_FIELDS}
    values["confidential"] = "1" if form.get("confidential") else ""
    token = str(form.get("csrf_token") or "")
    return await forms.in_thread(_file, request, values, token)


def _file(request: Request, values: dict[str, str], token: str) -> Response:
    v = visit(request)
    if v.person is None:
        return to_sign_in(request, v)
    try:
        check_form(request, v, token)
        body = Filing(
            kind=values["kind"],
            org=values["org"],
            summary=values["summary"],
            against=values["against"] or None,
            committed_on=values["committed_on"] or None,
            related=values["related"] or None,
            confidential=bool(values["confidential"]),
        )
        filed = filer_values(body, Principal(v.person, via="session"))
        validate_filing(filed)
        with session_scope() as session:
            require(session, v.person, Operation.case_file)
        result = operations.run("file_case", {"values": filed})
    except InvalidInput as exc:
        context = _filing_context(v.person)
        return page(
            request,
            "new.html",
            v.words,
            status=422,
            headers={"HX-Push-Url": "false"},
            v=v,
            values=values,
            errors=forms.errors_of(exc, v.language),
            **context,
        )
    except EthicsflowError as exc:
        return refused(request, v, exc)
    return done(request, f"/cases/{result['number']}?filed=1")


# -- one case ----------------------------------------------------------------------------


def _case_context(v: Visit, number: str) -> dict[str, Any]:
    """What the case page shows ``v.person``; NotFound/NotPermitted as the API's."""
    assert v.person is not None
    with session_scope() as session:
        case = case_view(session, number, viewer=v.person)
        row = get_case(session, number)
        timeline: list[dict[str, Any]] | None = None
        if may(session, v.person, Operation.case_history, row):
            timeline = history(session, number, viewer=v.person)["events"]
        tokens = actor_tokens(session, row, v.person)
        mine = may(session, v.person, Operation.case_act, row)
        offered = [
            a for a in case_actions(session, number)["actions"] if mine and tokens & set(a["roles"])
        ]
        policy = load_policy()
        sitting = sitting_state(session, row, policy.board) if case.get("board") else None
        options = _options(row, policy, sitting, v.language)
        issues = may(session, v.person, Operation.case_render_document, row)
        rates = row.status == "closed" and may(session, v.person, Operation.case_rate, row)
        documents = (
            list_documents(number, viewer=v.person)
            if may(session, v.person, Operation.case_documents, row)
            else []
        )
    words = v.words
    return {
        "case": case,
        "timeline": timeline,
        "actions": [forms.action_form(a, words, options) for a in offered],
        "sitting": sitting,
        "documents": documents,
        "issues": issues,
        "rates": rates,
        "kind_labels": {code: words(label) for code, label in forms.DOCUMENT_KINDS},
    }


def _options(
    case: Case, policy: Policy, sitting: dict[str, Any] | None, language: str
) -> forms.Options:
    """What the case's action forms pick from instead of typing: the Board's members,
    the standards of the Ethical Code in force on the day of the conduct (or of receipt),
    the policy's penalties."""
    options: forms.Options = {}
    if sitting is not None:
        members = [(m["email"], m["name"] or m["email"]) for m in sitting["members"]]
        options["present"] = ("checkboxes", members)
        options["member"] = ("select", members)
    day = case.committed_on or local_date(case.received_at, policy.zone)
    code = policy.ethical_code.in_force(day)
    options["standards"] = (
        "checkboxes",
        [(s.ref, f"{s.ref} — {getattr(s, f'text_{language}')}") for s in code.standards],
    )
    options["measure"] = (
        "select",
        [(item.code, getattr(item, f"label_{language}")) for item in policy.penalties.items],
    )
    return options


@router.get("/cases/{number}")
@reads
def show_case(number: str, request: Request) -> Response:
    v = visit(request)
    if v.person is None:
        return to_sign_in(request, v)
    try:
        context = _case_context(v, number.strip().upper())
    except EthicsflowError as exc:
        return refused(request, v, exc)
    return page(
        request,
        "case.html",
        v.words,
        v=v,
        humanize=humanize,
        errors={},
        failed=None,
        values={},
        filed=request.query_params.get("filed") == "1",
        did=request.query_params.get("done") or "",
        **context,
    )


def _refused_form(
    request: Request,
    v: Visit,
    number: str,
    error: EthicsflowError,
    failed: str,
    values: dict[str, str],
    status: int,
) -> Response:
    """The case page again after its form ``failed`` was refused: the message on the
    field, what was typed kept (the page's address stays the case's)."""
    try:
        context = _case_context(v, number)
    except EthicsflowError as again:
        return refused(request, v, again)
    return page(
        request,
        "case.html",
        v.words,
        status=status,
        headers={"HX-Push-Url": "false"},
        v=v,
        humanize=humanize,
        errors=forms.errors_of(error, v.language),
        failed=failed,
        values=values,
        filed=False,
        did="",
        **context,
    )


@router.post("/cases/{number}/actions/{action}")
async def act(number: str, action: str, request: Request) -> Response:
    form = await request.form()
    values = forms.form_values(form.multi_items())
    return await forms.in_thread(_act, request, number.strip().upper(), action, values)


def _act(request: Request, number: str, action: str, values: dict[str, str]) -> Response:
    v = visit(request)
    if v.person is None:
        return to_sign_in(request, v)
    try:
        check_form(request, v, values.get("csrf_token"))
        with session_scope() as session:
            case = get_case(session, number)
            require(session, v.person, Operation.case_act, case)
            spec = next(
                (a for a in case_actions(session, number)["actions"] if a["name"] == action),
                None,
            )
        fields, reason = forms.action_values(spec, values)
        if_version = _int(values.get("if_version"), -1)
        params = {
            "number": number,
            "action": action,
            "by": v.person.email,
            "values": {**fields, **({"reason": reason} if reason is not None else {})},
            "if_version": if_version if if_version >= 0 else None,
            "literal": True,  # "@PATH" typed in a form is text, not a file of the server
        }
        operations.run("act", params)
    except (InvalidInput, NotPermitted) as exc:
        if isinstance(exc, NotPermitted) and exc.code == "auth.csrf":
            return refused(request, v, exc)
        status = 422 if isinstance(exc, InvalidInput) else 403
        return _refused_form(request, v, number, exc, action, values, status)
    except EthicsflowError as exc:
        return refused(request, v, exc)
    return done(request, f"/cases/{number}?done={action}")


@router.post("/cases/{number}/documents")
async def issue_document(number: str, request: Request) -> Response:
    form = await request.form()
    values = forms.form_values(form.multi_items())
    return await forms.in_thread(_issue, request, number.strip().upper(), values)


def _issue(request: Request, number: str, values: dict[str, str]) -> Response:
    v = visit(request)
    if v.person is None:
        return to_sign_in(request, v)
    try:
        check_form(request, v, values.get("csrf_token"))
        with session_scope() as session:
            case = get_case(session, number)
            require(session, v.person, Operation.case_render_document, case)
        kind = values.get("kind") or ""
        language = values.get("language") or None
        formats = {"docx", "pdf"}
        form = values.get("format") if values.get("format") in formats else "docx"
        document = {"kind": kind, "language": language, "format": form, "to": None}
        operations.run(
            "render_document", {"values": {**document, "number": number, "by": v.person.email}}
        )
    except EthicsflowError as exc:
        return refused(request, v, exc)
    return done(request, f"/cases/{number}?done=document#documents")


@router.post("/cases/{number}/rating")
async def rate(number: str, request: Request) -> Response:
    form = await request.form()
    values = forms.form_values(form.multi_items())
    return await forms.in_thread(_rate, request, number.strip().upper(), values)


def _rate(request: Request, number: str, values: dict[str, str]) -> Response:
    v = visit(request)
    if v.person is None:
        return to_sign_in(request, v)
    try:
        check_form(request, v, values.get("csrf_token"))
        with session_scope() as session:
            case = get_case(session, number)
            require(session, v.person, Operation.case_rate, case)
        rating = {
            "number": number,
            "score": values.get("score") or None,
            "comment": (values.get("comment") or "").strip() or None,
            "by": v.person.email,
        }
        operations.run("rate_case", {"values": rating})
    except InvalidInput as exc:
        return _refused_form(request, v, number, exc, "rate", values, 422)
    except EthicsflowError as exc:
        return refused(request, v, exc)
    return done(request, f"/cases/{number}?done=rate")
