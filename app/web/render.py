"""Rendering a page: the sandboxed, autoescaping Jinja2 environment of ``templates/web/``
and the headers every page carries (a Content-Security-Policy without inline scripts)."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from ethicsflow.app.web.i18n import NAMES, Words
from ethicsflow.models.errors import LANGUAGES

LANG_COOKIE = "ethicsflow_lang"
YEAR = 365 * 24 * 3600

TEMPLATES = Path(__file__).resolve().parents[1].parent / "templates" / "web"
STATIC = Path(__file__).parent / "static"
STATIC_PREFIX = "/static"

CSP = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    )
)
"""Every page's policy: scripts, styles and fonts from the app only, no inline script."""

HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",  # pages hold personal data
    "Vary": "Cookie, Accept-Language",
}


class Assets(StaticFiles):
    """The pages' static files: each page names them with their content's hash
    (:func:`static_url`), so a browser keeps them a year and never asks again."""

    def file_response(self, *args: Any, **kwargs: Any) -> Response:
        response = super().file_response(*args, **kwargs)
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response


@functools.cache
def environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["static"] = static_url
    env.globals["LANGUAGES"] = [(code, NAMES[code]) for code in LANGUAGES]
    return env


@functools.cache
def static_url(name: str) -> str:
    """The address of a static file, with its content's hash (cached for a year)."""
    digest = hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:12]
    return f"{STATIC_PREFIX}/{name}?v={digest}"


def render(template: str, words: Words, **context: Any) -> str:
    return environment().get_template(template).render(_=words, lang=words.language, **context)


def page(
    request: Request,
    template: str,
    words: Words,
    *,
    status: int = 200,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    """The page ``template`` in ``words``' language with the security headers."""
    query = request.url.query
    body = render(
        template,
        words,
        path=request.url.path,
        here=request.url.path + (f"?{query}" if query else ""),
        switch={code: switch_url(request, code) for code in LANGUAGES},
        **context,
    )
    merged = {**HEADERS, "Content-Language": words.language, **(headers or {})}
    response = HTMLResponse(body, status_code=status, headers=merged)
    if request.query_params.get("lang") in LANGUAGES:  # switched: kept for the next pages
        response.set_cookie(
            LANG_COOKIE, words.language, max_age=YEAR, samesite="lax", httponly=True, path="/"
        )
    return response


def switch_url(request: Request, code: str) -> str:
    """This page in language ``code`` (``?lang=``, the other parameters kept)."""
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    return request.url.path + "?" + urlencode([*query, ("lang", code)])
