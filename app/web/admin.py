"""``/admin``: the administration pages. Organizations, people, Ethics Boards and their
members, accounts (invitations, API tokens), the notifications that could not be
delivered, and the policy in force.

Who may do what is exactly the API's (``app/api/admin.py``, ``app/api/platform.py``):
the same checks of the access table, the same read models, the same flow run for each
change with the parameters the API sends. A page lists what the API lists for the
reader; where the API refuses (403, 404), the page is the error page. A secret shown once
(an invitation link, a new API token) is on the page that answers the form, never in an
address.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, TypeVar
from urllib.parse import quote
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, ValidationError
from sqlmodel import Session, col, select

from ethicsflow.app.api import operations
from ethicsflow.app.api.admin import (
    BoardIn,
    InvitationIn,
    MemberIn,
    OrganizationIn,
    PersonIn,
    TokenIn,
    administered_person,
    administrable,
    checked,
    kept_where,
    masked,
    token_owner,
)
from ethicsflow.app.api.auth import Principal
from ethicsflow.app.api.problems import field_name, status_of
from ethicsflow.app.api.threads import reads
from ethicsflow.app.web import forms
from ethicsflow.app.web.i18n import N_
from ethicsflow.app.web.labels import humanize
from ethicsflow.app.web.pages import done, refused, to_sign_in
from ethicsflow.app.web.render import page
from ethicsflow.app.web.visit import Visit, check_form, visit
from ethicsflow.models.accounts import operations as accounts
from ethicsflow.models.accounts import tokens as api_tokens
from ethicsflow.models.accounts.listing import list_accounts
from ethicsflow.models.boards.roster import board_person, get_board, host_org, list_boards
from ethicsflow.models.db import session_scope
from ethicsflow.models.errors import (
    Conflict,
    EthicsflowError,
    InvalidInput,
    NotFound,
    invalid_from,
    option,
)
from ethicsflow.models.notifications.listing import list_notifications
from ethicsflow.models.people.directory import get_org, list_organizations, list_people
from ethicsflow.models.people.tables import Organization, Person, Role
from ethicsflow.models.permissions.decide import (
    administered,
    may,
    person_target,
    require,
    require_org,
    target_org_allowed,
)
from ethicsflow.models.permissions.relations import GLOBAL_ROLES
from ethicsflow.models.permissions.table import Operation
from ethicsflow.models.policy import load_policy, policy_summary

router = APIRouter(include_in_schema=False)

LIMIT = 200
"""At most this many people or accounts on a page (a note says when there are more)."""
FAILED_LIMIT = 100
"""At most this many dead and as many failed notifications."""

ROLES: dict[str, str] = {
    Role.servant: N_("Civil servant"),
    Role.commissioner: N_("Ethics commissioner"),
    Role.head: N_("Head of the body"),
    Role.board_secretary: N_("Board secretary"),
    Role.board_member: N_("Board member"),
    Role.agency: N_("Agency for Civil Service Affairs"),
    Role.admin: N_("Administrator of the body"),
    Role.platform_admin: N_("Administrator of the installation"),
}
UNITS = {
    "working_days": N_("working days"),
    "calendar_days": N_("calendar days"),
    "months": N_("months"),
}
CERTAINTY = {
    "verified": N_("Verified"),
    "assumption": N_("Assumption"),
    "text verified, reading assumed": N_("Text verified, reading assumed"),
    "design choice": N_("Design choice"),
}
TOKEN_STATES = {"active": N_("Working"), "expired": N_("Expired"), "revoked": N_("Revoked")}
DONE = {
    "add_organization": N_("The organization is added."),
    "add_person": N_("The person is added."),
    "add_board": N_("The Board is added."),
    "add_board_member": N_("The member is added to the Board."),
    "revoke_token": N_("The token is revoked: it no longer works."),
    "retry_notification": N_("The notification is queued again."),
}
"""What a form did (``?done=``), said on the page it leads to."""

Context = dict[str, Any]
B = TypeVar("B", bound=BaseModel)


def _who(v: Visit) -> Principal:
    """The visitor as the API's principal (a page is never the operator)."""
    return Principal(v.person, via="session")


def _body(model: type[B], data: Mapping[str, Any]) -> B:
    """The API's body of a form, or its first bad value as an error on that input."""
    try:
        return model.model_validate(dict(data))
    except ValidationError as exc:
        raise invalid_from(exc, option) from exc


def _text(value: str | None) -> str | None:
    """An optional input: empty is not given."""
    value = (value or "").strip()
    return value or None


def tokens_url(email: str) -> str:
    """The page of a person's API tokens."""
    return f"/admin/accounts/{quote(email, safe='@')}/tokens"


def _menu(session: Session, person: Person) -> Context:
    """What the reader may open: the pages of the API's reads they are allowed."""
    return {
        "people": may(session, person, Operation.admin_people),
        "accounts": may(session, person, Operation.admin_accounts),
        "boards": may(session, person, Operation.admin_boards),
        "installation": target_org_allowed(person, None, Operation.notifications_retry),
        "tokens": tokens_url(person.email),
    }


def _orgs(session: Session, person: Person, operation: Operation) -> list[tuple[str, str]]:
    """``(code, name)`` of the organizations where ``person`` may do ``operation``."""
    rows = session.exec(
        select(Organization)
        .where(administered(person, operation, Organization.id))
        .order_by(col(Organization.code))
    ).all()
    return [(o.code, f"{o.code} · {o.name}") for o in rows]


def _show(
    request: Request, v: Visit, template: str, context: Context, *, status: int = 200, **more: Any
) -> Response:
    headers = {"HX-Push-Url": "false"} if status != 200 or more.get("secret") else None
    more.pop("secret", None)
    defaults: Context = {"errors": {}, "failed": None, "values": {}, "did": ""}
    return page(
        request,
        template,
        v.words,
        status=status,
        headers=headers,
        v=v,
        humanize=humanize,
        roles_of=ROLES,
        tokens_url=tokens_url,
        **{**defaults, **context, **more},
    )


def _errors(error: EthicsflowError, language: str, typed: Mapping[str, str]) -> dict[str, str]:
    """``forms.errors_of``: an error on an item of a list (``roles.0``) on the list, one
    on no input of the form above the form."""
    errors: dict[str, str] = {}
    for name, text in forms.errors_of(error, language).items():
        name = name.split(".")[0]
        errors[name if name in typed else ""] = text
    return errors


def _on_form(error: EthicsflowError, typed: Mapping[str, str]) -> bool:
    """Whether ``error`` is about what the form sent: bad input, or an unknown or taken
    value of one of its inputs (an organization's code, a person's e-mail)."""
    if isinstance(error, InvalidInput):
        return True
    if isinstance(error, NotFound | Conflict) and error.field is not None:
        return field_name(error.field).split("=")[0].split(".")[0] in typed
    return False


def _again(
    request: Request,
    v: Visit,
    error: EthicsflowError,
    form: str,
    typed: Mapping[str, str],
    template: str,
    context: Callable[[Visit], Context],
) -> Response:
    """A form's refusal: the page again with the error on its input and what was typed
    (bad input: 422; an unknown or taken value: the API's 404 or 409), else the error
    page (403 where the API refuses)."""
    if not _on_form(error, typed):
        return refused(request, v, error)
    try:
        shown = context(v)
    except EthicsflowError as again:
        return refused(request, v, again)
    status, _title = status_of(error)
    return _show(
        request,
        v,
        template,
        shown,
        status=status,
        errors=_errors(error, v.language, typed),
        failed=form,
        values=dict(typed),
    )


def _done_text(request: Request) -> str:
    return DONE.get(request.query_params.get("done") or "", "")


# -- the index ---------------------------------------------------------------------------


def _index_context(v: Visit) -> Context:
    assert v.person is not None
    with session_scope() as session:
        menu = _menu(session, v.person)
        everywhere = target_org_allowed(v.person, None, Operation.admin_people)
        bodies = [] if everywhere else _orgs(session, v.person, Operation.admin_people)
    return {
        "menu": menu,
        "everywhere": everywhere,
        "bodies": bodies,
    }


@router.get("/admin")
@reads
def index(request: Request) -> Response:
    """What the reader administers, and the pages they may open."""
    v = visit(request)
    if v.person is None:
        return to_sign_in(request, v)
    return _show(request, v, "admin_index.html", _index_context(v))


# -- organizations -----------------------------------------------------------------------

ORG_FIELDS = ("code", "name", "region", "parent")


def _organizations_context(v: Visit) -> Context:
    assert v.person is not None
    with session_scope() as session:
        require(session, v.person, Operation.organizations_list)
        listed = list_organizations(session)
        return {
            "menu": _menu(session, v.person),
            "organizations": listed,
            "parents": [(o["code"], f"{o['code']} · {o['name']}") for o in listed],
            "can_add": target_org_allowed(v.person, None, Operation.admin_organizations),
        }


@router.get("/admin/organizations")
@reads
def organizations(request: Request) -> Response:
    v = visit(request)
    if v.person is None:
        return to_sign_in(request, v)
    try:
        context = _organizations_context(v)
    except EthicsflowError as exc:
        return refused(request, v, exc)
    return _show(request, v, "admin_organizations.html", context, did=_done_text(request))


@router.post("/admin/organizations")
async def add_organization(request: Request) -> Response:
    form = await request.form()
    return await forms.in_thread(_add_organization, request, forms.form_values(form.multi_items()))


def _add_organization(request: Request, values: dict[str, str]) -> Response:
    v = visit(request)
    if v.person is None:
        return to_sign_in(request, v)
    typed = {name: values.get(name, "") for name in ORG_FIELDS}
    try:
        check_form(request, v, values.get("csrf_token"))
        body = _body(
            OrganizationIn,
            {
                "code": typed["code"].strip(),
                "name": typed["name"].strip(),
                "region": _text(typed["region"]),
                "parent": _text(typed["parent"]),
            },
        )
        change = checked(body, _who(v))
        with session_scope() as session:
            require_org(session, v.person, None, Operation.admin_organizations)
        operations.run("add_org", {"values": change})
    except EthicsflowError as exc:
        return _again(
            request,
            v,
            exc,
            "add_organization",
            typed,
            "admin_organizations.html",
            _organizations_context,
        )
    return done(request, "/admin/organizations?done=add_organization")


# -- people ------------------------------------------------------------------------------

PERSON_FIELDS = ("email", "name", "org", "roles", "manager", "language", "iin")


def _grantable(person: Person) -> list[tuple[str, str]]:
    """The roles ``person`` may give: a role that counts everywhere only by one who
    administers every organization (``person_target``)."""
    everywhere = target_org_allowed(person, None, Operation.admin_people)
    return [
        (role, label) for role, label in ROLES.items() if everywhere or role not in GLOBAL_ROLES
    ]


def _people_context(v: Visit, org: str | None = None) -> Context:
    assert v.person is not None
    who = _who(v)
    with session_scope() as session:
        kept = kept_where(session, who, Operation.admin_people, org)
        listed = list_people(session, where=kept, mask=masked)
        menu = _menu(session, v.person)
        orgs = _orgs(session, v.person, Operation.admin_people)
        own = session.get(Organization, v.person.organization_id)
    shown = administrable(who, Operation.admin_people, listed)
    codes = [code for code, _name in orgs]
    return {
        "menu": menu,
        "people": shown[:LIMIT],
        "total": len(shown),
        "limit": LIMIT,
        "org": (org or "").strip().upper(),
        "orgs": orgs,
        "grantable": [(role, v.words(label)) for role, label in _grantable(v.person)],
        "defaults": {
            "org": own.code if own is not None and own.code in codes else "",
            "roles": Role.servant.value,
            "language": "ru",
        },
    }


@router.get("/admin/people")
@reads
def people(request: Request) -> Response:
    v = visit(request)
    if v.person is None:
        return to_sign_in(request, v)
    org = _text(request.query_params.get("org"))
    try:
        context = _people_context(v, org)
    except EthicsflowError as exc:
        return refused(request, v, exc)
    return _show(request, v, "admin_people.html", context, did=_done_text(request))


@router.post("/admin/people")
async def add_person(request: Request) -> Response:
    form = await request.form()
    return await forms.in_thread(_add_person, request, forms.form_values(form.multi_items()))


def _add_person(request: Request, values: dict[str, str]) -> Response:
    v = visit(request)
    if v.person is None:
        return to_sign_in(request, v)
    typed = {name: values.get(name, "") for name in PERSON_FIELDS}
    roles = [r.strip() for r in typed["roles"].splitlines() if r.strip()]
    data: dict[str, Any] = {
        "email": typed["email"].strip(),
        "name": typed["name"].strip(),
        "org": typed["org"].strip(),
        "manager": _text(typed["manager"]),
        "iin": _text(typed["iin"]),
        **({"roles": roles} if roles else {}),  # none ticked: the API's default
        **({"language": typed["language"].strip()} if typed["language"].strip() else {}),
    }
    try:
        check_form(request, v, values.get("csrf_token"))
        body = _body(PersonIn, data)
        change = checked(body, _who(v))
        with session_scope() as session:
            org = get_org(session, body.org, option("org"))
            target = person_target(org.id or 0, body.roles)
            require_org(session, v.person, target, Operation.admin_people)
        operations.run("add_person", {"values": change})
    except EthicsflowError as exc:
        return _again(request, v, exc, "add_person", typed, "admin_people.html", _people_context)
    return done(request, "/admin/people?done=add_person")


# -- Ethics Boards -----------------------------------------------------------------------

BOARD_FIELDS = ("code", "name", "region", "secretary")
MEMBER_FIELDS = ("code", "email", "chair")


def _boards_context(v: Visit) -> Context:
    assert v.person is not None
    with session_scope() as session:
        require(session, v.person, Operation.admin_boards)
        menu = _menu(session, v.person)
    boards = list_boards(administered(v.person, Operation.admin_boards, Person.organization_id))
    return {"menu": menu, "boards": boards}


@router.get("/admin/boards")
@reads
def boards(request: Request) -> Response:
    v = visit(request)
    if v.person is None:
        return to_sign_in(request, v)
    try:
        context = _boards_context(v)
    except EthicsflowError as exc:
        return refused(request, v, exc)
    return _show(request, v, "admin_boards.html", context, did=_done_text(request))


@router.post("/admin/boards")
async def add_board(request: Request) -> Response:
    form = await request.form()
    return await forms.in_thread(_add_board, request, forms.form_values(form.multi_items()))


def _add_board(request: Request, values: dict[str, str]) -> Response:
    v = visit(request)
    if v.person is None:
        return to_sign_in(request, v)
    typed = {name: values.get(name, "") for name in BOARD_FIELDS}
    try:
        check_form(request, v, values.get("csrf_token"))
        body = _body(BoardIn, {name: typed[name].strip() for name in BOARD_FIELDS})
        change = checked(body, _who(v))
        with session_scope() as session:
            secretary = board_person(session, body.secretary, option("secretary"))
            require_org(session, v.person, secretary.organization_id, Operation.admin_boards)
        operations.run("add_board", {"values": change})
    except EthicsflowError as exc:
        return _again(request, v, exc, "add_board", typed, "admin_boards.html", _boards_context)
    return done(request, "/admin/boards?done=add_board")


@router.post("/admin/boards/members")
async def add_board_member(request: Request) -> Response:
    form = await request.form()
    return await forms.in_thread(_add_member, request, forms.form_values(form.multi_items()))


def _add_member(request: Request, values: dict[str, str]) -> Response:
    v = visit(request)
    if v.person is None:
        return to_sign_in(request, v)
    typed = {name: values.get(name, "") for name in MEMBER_FIELDS}
    chair = typed["chair"] not in ("", "0", "false", "off")
    try:
        check_form(request, v, values.get("csrf_token"))
        body = _body(MemberIn, {"email": typed["email"].strip(), "chair": chair})
        change = checked(body, _who(v))
        with session_scope() as session:
            board = get_board(session, typed["code"])
            host = host_org(session, board)
            require_org(session, v.person, host, Operation.admin_boards)
        operations.run("add_board_member", {"values": {"code": board.code, **change}})
    except EthicsflowError as exc:
        return _again(
            request, v, exc, "add_board_member", typed, "admin_boards.html", _boards_context
        )
    return done(request, "/admin/boards?done=add_board_member")


# -- accounts and invitations ------------------------------------------------------------

INVITE_FIELDS = ("email", "hours")


def _accounts_context(v: Visit, org: str | None = None) -> Context:
    assert v.person is not None
    who = _who(v)
    with session_scope() as session:
        kept = kept_where(session, who, Operation.admin_accounts, org)
        listed = list_accounts(session, where=kept)
        menu = _menu(session, v.person)
        orgs = _orgs(session, v.person, Operation.admin_accounts)
    shown = administrable(who, Operation.admin_accounts, listed)
    return {
        "menu": menu,
        "accounts": shown[:LIMIT],
        "total": len(shown),
        "limit": LIMIT,
        "org": (org or "").strip().upper(),
        "orgs": orgs,
        "invited": None,
    }


@router.get("/admin/accounts")
@reads
def accounts_page(request: Request) -> Response:
    v = visit(request)
    if v.person is None:
        return to_sign_in(request, v)
    try:
        context = _accounts_context(v, _text(request.query_params.get("org")))
    except EthicsflowError as exc:
        return refused(request, v, exc)
    return _show(request, v, "admin_accounts.html", context)


@router.post("/admin/invitations")
async def invite(request: Request) -> Response:
    form = await request.form()
    return await forms.in_thread(_invite, request, forms.form_values(form.multi_items()))


def _invite(request: Request, values: dict[str, str]) -> Response:
    v = visit(request)
    if v.person is None:
        return to_sign_in(request, v)
    typed = {name: values.get(name, "") for name in INVITE_FIELDS}
    try:
        check_form(request, v, values.get("csrf_token"))
        data: dict[str, Any] = {"email": typed["email"].strip()}
        if typed["hours"].strip():
            data["hours"] = typed["hours"].strip()
        body = _body(InvitationIn, data)
        checked(body, _who(v))
        with session_scope() as session:
            person = administered_person(session, _who(v), body.email, Operation.admin_accounts)
        raw, expires_at = accounts.invite(person.email, ttl=dt.timedelta(hours=body.hours))
        context = _accounts_context(v)
    except EthicsflowError as exc:
        return _again(request, v, exc, "invite", typed, "admin_accounts.html", _accounts_context)
    invited = {
        "email": person.email,
        "link": accounts.invitation_link(raw),
        "expires_at": expires_at.isoformat(),
    }
    return _show(request, v, "admin_accounts.html", {**context, "invited": invited}, secret=True)


# -- API tokens --------------------------------------------------------------------------

TOKEN_FIELDS = ("name", "expires")


def _tokens_context(v: Visit, email: str) -> Context:
    assert v.person is not None
    with session_scope() as session:
        person = token_owner(session, _who(v), email)
        menu = _menu(session, v.person)
    return {
        "menu": menu,
        "owner": {"email": person.email, "name": person.name},
        "own": person.id == v.person.id,
        "tokens": [
            {**token, "last_day": _last_day(token["expires_at"])}
            for token in api_tokens.list_tokens(person.email)
        ],
        "states": TOKEN_STATES,
        "created": None,
    }


def _last_day(expires_at: str | None) -> str | None:
    """The last day a token works (it stops at the start of the next day, in the
    policy's time zone, as ``create_token`` counts it)."""
    if expires_at is None:
        return None
    end = dt.datetime.fromisoformat(expires_at).astimezone(ZoneInfo(load_policy().zone))
    return (end - dt.timedelta(microseconds=1)).date().isoformat()


@router.get("/admin/accounts/{email}/tokens")
@reads
def tokens(email: str, request: Request) -> Response:
    v = visit(request)
    if v.person is None:
        return to_sign_in(request, v)
    try:
        context = _tokens_context(v, email)
    except EthicsflowError as exc:
        return refused(request, v, exc)
    return _show(request, v, "admin_tokens.html", context, did=_done_text(request))


@router.post("/admin/accounts/{email}/tokens")
async def create_token(email: str, request: Request) -> Response:
    form = await request.form()
    values = forms.form_values(form.multi_items())
    return await forms.in_thread(_create_token, request, email, values)


def _create_token(request: Request, email: str, values: dict[str, str]) -> Response:
    v = visit(request)
    if v.person is None:
        return to_sign_in(request, v)
    typed = {name: values.get(name, "") for name in TOKEN_FIELDS}

    def context(v: Visit) -> Context:
        return _tokens_context(v, email)

    try:
        check_form(request, v, values.get("csrf_token"))
        body = _body(TokenIn, {"name": typed["name"], "expires": _text(typed["expires"])})
        checked(body, _who(v))
        with session_scope() as session:
            person = token_owner(session, _who(v), email)
        raw, row = api_tokens.create_token(person.email, body.name, expires=body.expires)
        shown = context(v)
    except EthicsflowError as exc:
        return _again(request, v, exc, "create_token", typed, "admin_tokens.html", context)
    created = {"token": raw, **row}
    return _show(request, v, "admin_tokens.html", {**shown, "created": created}, secret=True)


@router.post("/admin/accounts/{email}/tokens/{token_id}/revoke")
async def revoke_token(email: str, token_id: int, request: Request) -> Response:
    form = await request.form()
    values = forms.form_values(form.multi_items())
    return await forms.in_thread(_revoke_token, request, email, token_id, values)


def _revoke_token(request: Request, email: str, token_id: int, values: dict[str, str]) -> Response:
    v = visit(request)
    if v.person is None:
        return to_sign_in(request, v)
    try:
        check_form(request, v, values.get("csrf_token"))
        with session_scope() as session:
            person = token_owner(session, _who(v), email)
        api_tokens.revoke_token(token_id, owner=person.email)
    except EthicsflowError as exc:
        return refused(request, v, exc)
    return done(request, f"{tokens_url(person.email)}?done=revoke_token")


# -- notifications -----------------------------------------------------------------------


def _notifications_context(v: Visit) -> Context:
    assert v.person is not None
    with session_scope() as session:
        require(session, v.person, Operation.notifications_list)
        rows = [
            row
            for status in ("dead", "failed")
            for row in list_notifications(
                session, status=status, limit=FAILED_LIMIT, mask=masked, viewer=v.person
            )
        ]
        menu = _menu(session, v.person)
    return {
        "menu": menu,
        "notifications": sorted(rows, key=lambda row: -int(row["id"])),
        "can_retry": target_org_allowed(v.person, None, Operation.notifications_retry),
    }


@router.get("/admin/notifications")
@reads
def notifications(request: Request) -> Response:
    """The notifications that could not be delivered (dead, or failed and waiting for
    their next attempt), as the API lists them to the reader: every one to the
    installation's administrator, who may queue each again; one's own to anyone else."""
    v = visit(request)
    if v.person is None:
        return to_sign_in(request, v)
    try:
        context = _notifications_context(v)
    except EthicsflowError as exc:
        return refused(request, v, exc)
    return _show(request, v, "admin_notifications.html", context, did=_done_text(request))


@router.post("/admin/notifications/{notification_id}/retry")
async def retry_notification(notification_id: int, request: Request) -> Response:
    form = await request.form()
    values = forms.form_values(form.multi_items())
    return await forms.in_thread(_retry, request, notification_id, values)


def _retry(request: Request, notification_id: int, values: dict[str, str]) -> Response:
    v = visit(request)
    if v.person is None:
        return to_sign_in(request, v)
    try:
        check_form(request, v, values.get("csrf_token"))
        with session_scope() as session:
            require_org(session, v.person, None, Operation.notifications_retry)
        operations.run("notify_retry", {"id": notification_id})
    except EthicsflowError as exc:
        return refused(request, v, exc)
    return done(request, "/admin/notifications?done=retry_notification")


# -- the policy --------------------------------------------------------------------------


@router.get("/admin/policy")
@reads
def policy(request: Request) -> Response:
    """The policy in force, as ``policy show`` prints it."""
    v = visit(request)
    if v.person is None:
        return to_sign_in(request, v)
    try:
        with session_scope() as session:
            require(session, v.person, Operation.policy_read)
            menu = _menu(session, v.person)
        summary = policy_summary()
    except EthicsflowError as exc:
        return refused(request, v, exc)
    context = {"menu": menu, "policy": summary, "units": UNITS, "certainty": CERTAINTY}
    return _show(request, v, "admin_policy.html", context)
