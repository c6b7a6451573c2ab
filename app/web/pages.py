"""The pages everyone starts from: ``/`` (sign in, or the person's start page), signing
out, ``/receipt`` (an anonymous filer's status by receipt code) and ``/invite/{token}``
(setting a password from an invitation link), and the error page every page shares.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from ethicsflow.app.api import operations
from ethicsflow.app.api.auth import COOKIE, client_address
from ethicsflow.app.api.problems import field_name, status_of
from ethicsflow.app.api.threads import reads
from ethicsflow.app.web import forms
from ethicsflow.app.web.i18n import N_, Words
from ethicsflow.app.web.labels import humanize
from ethicsflow.app.web.render import LANG_COOKIE, page
from ethicsflow.app.web.scope import scoped
from ethicsflow.app.web.visit import (
    CSRF_COOKIE,
    Visit,
    check_form,
    language,
    same_origin,
    visit,
)
from ethicsflow.models.accounts.operations import accept_invitation, authenticate_password
from ethicsflow.models.accounts.sessions import LIFETIME, end_session, start_session
from ethicsflow.models.cases.listing import count_cases
from ethicsflow.models.cases.receipts import lookup_receipt
from ethicsflow.models.db import session_scope
from ethicsflow.models.deadlines.rules import local_date
from ethicsflow.models.errors import EthicsflowError, InvalidInput, Throttled, option, render
from ethicsflow.models.notifications.listing import inbox
from ethicsflow.models.people.profile import check_profile
from ethicsflow.models.policy import load_policy
from ethicsflow.models.types import utcnow

router = APIRouter(include_in_schema=False)


def done(request: Request, target: str, *, reload: bool = False) -> Response:
    """A form did its work: on to ``target`` (303; htmx: fetches ``target`` and swaps the
    body, a history entry included, without reloading the page and its scripts; with
    ``reload``, where the page's language may change (signing in, the profile), a full
    load, so that ``<html lang>`` changes too)."""
    if request.headers.get("hx-request"):
        header = "HX-Redirect" if reload else "HX-Location"
        return Response(status_code=204, headers={header: target})
    return RedirectResponse(target, status_code=303)


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path of this site only."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    if "\\" in target or any(ord(c) < 0x21 for c in target):
        return "/"  # a browser reads "/\\evil.kz" as "//evil.kz": another site
    return target


def to_sign_in(request: Request, v: Visit) -> Response:
    """Nobody (or an expired session) on a page that needs someone: the sign-in form,
    then back here."""
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    response = done(request, f"/?next={quote(here, safe='')}")
    if v.expired:
        response.delete_cookie(COOKIE, path="/")
    return response


def refused(request: Request, v: Visit | None, error: EthicsflowError) -> Response:
    """The error page of a refusal: its status and its message in the page's language."""
    words = v.words if v is not None else Words(language(request, None))
    status, _title = status_of(error)
    headers = {"HX-Push-Url": "false"}
    if isinstance(error, Throttled):
        headers["Retry-After"] = str(error.retry_after)
    return page(
        request,
        "error.html",
        words,
        status=status,
        headers=headers,
        v=v,
        status_code=status,
        message=render(error, words.language, field_name),
    )


def failed(request: Request, status: int, message: str, **headers: str) -> Response:
    """The error page of a failure that is not a domain error (an unknown address, a
    method the page does not take, an internal error: its cause is logged, not shown)."""
    words = Words(language(request, None))
    return page(
        request,
        "error.html",
        words,
        status=status,
        headers={"HX-Push-Url": "false", **headers},
        v=None,
        status_code=status,
        message=message or words(FAILURES.get(status, FAILURES[500])),
    )


FAILURES = {
    404: N_("There is no page at this address."),
    405: N_("This page does not take that request."),
    422: N_("The address is not valid."),
    500: N_("The server could not answer. The error is logged; please try again later."),
}


def _signed_in_cookies(response: Response, request: Request, raw: str, csrf: str) -> None:
    secure = request.url.scheme == "https"
    for name, value in ((COOKIE, raw), (CSRF_COOKIE, csrf)):
        response.set_cookie(
            name,
            value,
            max_age=int(LIFETIME.total_seconds()),
            httponly=True,
            samesite="lax",
            secure=secure,
            path="/",
        )


@router.get("/")
@reads
def start(request: Request) -> Response:
    """The person's start page, or the sign-in form."""
    v = visit(request)
    if v.person is None:
        response = page(
            request,
            "sign_in.html",
            v.words,
            v=v,
            values={"email": "", "next": safe_next(request.query_params.get("next"))},
            errors={},
            expired=v.expired,
        )
        if v.expired:
            response.delete_cookie(COOKIE, path="/")
        return response
    today = local_date(utcnow(), load_policy().zone)
    with session_scope() as session:
        visible, org = scoped(session, v.person, "body")
        counts = {
            "all": count_cases(session, visible=visible, org=org),
            "overdue": count_cases(session, visible=visible, org=org, overdue_on=today),
            "mine": count_cases(session, visible=visible, org=org, assignee=v.person.email),
            "escalated": count_cases(session, visible=visible, org=org, status="escalated"),
        }
    return page(request, "start.html", v.words, v=v, counts=counts)


@router.post("/")
async def sign_in(request: Request) -> Response:
    form = await request.form()
    email = str(form.get("email") or "").strip()
    password = str(form.get("password") or "")
    target = safe_next(str(form.get("next") or ""))
    return await forms.in_thread(_sign_in, request, email, password, target)


def _sign_in(request: Request, email: str, password: str, target: str) -> Response:
    v = visit(request)
    try:
        same_origin(request)
        if not email:
            raise InvalidInput("validation.missing", option("email"))
        if not password:
            raise InvalidInput("validation.missing", option("password"))
        address = client_address(request)
        person = authenticate_password(email, password, address=address)
        raw, csrf = start_session(person, address=address)
    except EthicsflowError as exc:
        status, _ = status_of(exc)
        errors = forms.errors_of(exc, v.language)
        headers = {"HX-Push-Url": "false"}
        if isinstance(exc, Throttled):
            headers["Retry-After"] = str(exc.retry_after)
        return page(
            request,
            "sign_in.html",
            v.words,
            status=status,
            headers=headers,
            v=v,
            values={"email": email, "next": target},
            errors=errors,
            expired=False,
        )
    response = done(request, target, reload=True)
    _signed_in_cookies(response, request, raw, csrf)
    return response


@router.post("/sign-out")
async def sign_out(request: Request) -> Response:
    form = await request.form()
    return await forms.in_thread(_sign_out, request, str(form.get("csrf_token") or ""))


def _sign_out(request: Request, token: str) -> Response:
    v = visit(request)
    if v.person is not None:
        try:
            check_form(request, v, token)
        except EthicsflowError as exc:
            return refused(request, v, exc)
        end_session(request.cookies.get(COOKIE) or "", address=client_address(request))
    response = done(request, "/", reload=True)
    response.delete_cookie(COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")
    return response


@router.get("/inbox")
@reads
def inbox_page(request: Request) -> Response:
    """The notifications written to the person: what each said, when, how far it got."""
    v = visit(request)
    if v.person is None:
        return to_sign_in(request, v)
    with session_scope() as session:
        items = inbox(session, v.person, limit=100)
    return page(request, "inbox.html", v.words, v=v, items=items, humanize=humanize)


# -- receipt -----------------------------------------------------------------------------


@router.get("/receipt")
@reads
def receipt_form(request: Request) -> Response:
    v = visit(request)
    return page(
        request, "receipt.html", v.words, v=v, values={"receipt": ""}, errors={}, found=None
    )


@router.post("/receipt")
async def receipt_status(request: Request) -> Response:
    form = await request.form()
    return await forms.in_thread(_receipt, request, str(form.get("receipt") or "").strip())


def _receipt(request: Request, code: str) -> Response:
    v = visit(request)
    try:
        same_origin(request)
        if not code:
            raise InvalidInput("validation.missing", option("receipt"))
        found = lookup_receipt(code, address=client_address(request))
    except EthicsflowError as exc:
        status, _ = status_of(exc)
        return page(
            request,
            "receipt.html",
            v.words,
            status=status,
            headers={"HX-Push-Url": "false"},
            v=v,
            values={"receipt": code},
            errors=forms.errors_of(exc, v.language),
            found=None,
        )
    return page(
        request,
        "receipt.html",
        v.words,
        headers={"HX-Push-Url": "false"},
        v=v,
        values={"receipt": ""},
        errors={},
        found=found,
        humanize=humanize,
    )


# -- invitation --------------------------------------------------------------------------


@router.get("/invite/{token}")
@reads
def invitation_form(token: str, request: Request) -> Response:
    v = visit(request)
    return page(request, "invite.html", v.words, v=v, token=token, errors={})


@router.post("/invite/{token}")
async def accept(token: str, request: Request) -> Response:
    form = await request.form()
    password = str(form.get("password") or "")
    again = str(form.get("password_again") or "")
    return await forms.in_thread(_accept, request, token, password, again)


def _accept(request: Request, token: str, password: str, again: str) -> Response:
    v = visit(request)
    try:
        same_origin(request)
        if password != again:
            raise InvalidInput("account.passwords_differ", option("password_again"))
        person = accept_invitation(token, password)
        raw, csrf = start_session(person, address=client_address(request))
    except EthicsflowError as exc:
        status, _ = status_of(exc)
        return page(
            request,
            "invite.html",
            v.words,
            status=status,
            headers={"HX-Push-Url": "false"},
            v=v,
            token=token,
            errors=forms.errors_of(exc, v.language),
        )
    response = done(request, "/", reload=True)
    _signed_in_cookies(response, request, raw, csrf)
    return response


# -- profile -----------------------------------------------------------------------------


@router.get("/profile")
@reads
def profile_form(request: Request) -> Response:
    v = visit(request)
    if v.person is None:
        return to_sign_in(request, v)
    values = {"language": v.person.language, "notify": "\n".join(v.person.notify_urls)}
    saved = request.query_params.get("saved") == "1"
    return page(request, "profile.html", v.words, v=v, values=values, errors={}, saved=saved)


@router.post("/profile")
async def save_profile(request: Request) -> Response:
    form = await request.form()
    values = forms.form_values(form.multi_items())
    return await forms.in_thread(_save_profile, request, values)


def _save_profile(request: Request, values: dict[str, str]) -> Response:
    v = visit(request)
    if v.person is None:
        return to_sign_in(request, v)
    shown = {"language": values.get("language", ""), "notify": values.get("notify", "")}
    try:
        check_form(request, v, values.get("csrf_token"))
        channels = [line.strip() for line in shown["notify"].splitlines() if line.strip()]
        change = {"email": v.person.email, "language": shown["language"], "notify": channels}
        check_profile(change)  # refused before a flow runs
        operations.run("update_profile", {"values": change})
    except InvalidInput as exc:
        return page(
            request,
            "profile.html",
            v.words,
            status=422,
            headers={"HX-Push-Url": "false"},
            v=v,
            values=shown,
            errors=forms.errors_of(exc, v.language),
            saved=False,
        )
    except EthicsflowError as exc:
        return refused(request, v, exc)
    response = done(request, "/profile?saved=1", reload=True)
    response.delete_cookie(LANG_COOKIE, path="/")  # the profile's language from now on
    return response
