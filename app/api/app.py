"""The FastAPI application: ``/api/v1`` with its OpenAPI document and docs page.

Every error leaves as a problem document in the request's language; bad input is a 4xx,
never a 500, and an unexpected failure is a 500 that says nothing of its cause (it is
logged with its traceback).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from ethicsflow.app.api import (
    admin,
    cases,
    documents,
    filing,
    platform,
    receipts,
    reports,
)
from ethicsflow.app.api.auth import OPERATOR_MARK
from ethicsflow.app.api.host import Host
from ethicsflow.app.api.language import negotiate
from ethicsflow.app.api.problems import (
    MEDIA_TYPE,
    PROBLEM_SCHEMA,
    RESPONSES,
    Problem,
    invalid_request,
    problem,
)
from ethicsflow.app.api.threads import reads
from ethicsflow.app.web import admin as web_admin
from ethicsflow.app.web import board as web_board
from ethicsflow.app.web import casework
from ethicsflow.app.web import overview as web_overview
from ethicsflow.app.web import pages as web
from ethicsflow.app.web import render as web_render
from ethicsflow.models.errors import EthicsflowError, Throttled
from ethicsflow.models.settings import package_version

PREFIX = "/api/v1"
STATIC = Path(__file__).parent / "static"

log = logging.getLogger("ethicsflow.api")


def language_of(request: Request) -> str:
    """The language the client asked for (``?lang=``, then ``Accept-Language``)."""
    return negotiate(request.headers.get("accept-language"), request.query_params.get("lang"))


def _problem_response(status: int, body: dict[str, object], **headers: str) -> JSONResponse:
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers or None)


def create_app(host: Host | None = None) -> FastAPI:
    """The application (routes are added by the resource modules). ``host``: the process
    serving it for a home, described to the operator by ``/api/v1/health``."""
    api = FastAPI(
        title="ethicsflow",
        version=package_version(),
        summary="Ethics-commissioner cases of the civil service of Kazakhstan",
        openapi_url=f"{PREFIX}/openapi.json",
        docs_url=None,  # served below, with Swagger UI's files from the app, not a CDN
        redoc_url=None,
    )
    api.mount(f"{PREFIX}/static", StaticFiles(directory=STATIC), name="static")

    @api.get(f"{PREFIX}/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=f"{PREFIX}/openapi.json",
            title="ethicsflow API",
            swagger_js_url=f"{PREFIX}/static/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url=f"{PREFIX}/static/swagger-ui/swagger-ui.css",
            swagger_favicon_url=f"{PREFIX}/static/favicon.svg",
        )

    @api.exception_handler(EthicsflowError)
    async def _domain(request: Request, exc: EthicsflowError) -> Response:
        if not request.url.path.startswith(PREFIX):
            return web.refused(request, None, exc)
        status, body = problem(exc, language_of(request))
        if status >= 500:
            log.error("%s %s: %r", request.method, request.url.path, exc)
        if isinstance(exc, Throttled):
            return _problem_response(status, body, **{"Retry-After": str(exc.retry_after)})
        if status == 401:
            return _problem_response(status, body, **{"WWW-Authenticate": "Bearer"})
        return _problem_response(status, body)

    @api.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        status, body = invalid_request(exc.errors(), language_of(request))
        if not request.url.path.startswith(PREFIX):
            return web.failed(request, status, str(body.get("detail") or ""))
        return _problem_response(status, body)

    @api.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> Response:
        if not request.url.path.startswith(PREFIX):
            return web.failed(request, exc.status_code, "", **(exc.headers or {}))
        body = {"type": "about:blank", "title": str(exc.detail), "status": exc.status_code}
        return _problem_response(exc.status_code, body, **(exc.headers or {}))

    @api.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("%s %s: internal error", request.method, request.url.path)
        if not request.url.path.startswith(PREFIX):
            return web.failed(request, 500, "")
        body: dict[str, object] = {"type": "about:blank", "title": "Internal error", "status": 500}
        if request.scope.get("state", {}).get(OPERATOR_MARK):  # the home's owner: say what
            text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            hint = "the server's log has the traceback"
            if "Failed to reach API" in text:  # Prefect's client: its server is down
                hint = "is the Prefect server running? check PREFECT_API_URL"
            body["detail"] = f"internal error: {type(exc).__name__}: {text} ({hint})"
        return _problem_response(500, body)

    for router in (
        cases.router,
        filing.router,
        documents.router,
        receipts.router,
        reports.router,
        admin.router,
        platform.router,
    ):
        api.include_router(router, responses=RESPONSES)  # the problem documents it answers
    # the web pages (templates/web/): same process, same access table, same errors
    api.mount("/static", web_render.Assets(directory=web_render.STATIC), name="web-static")
    api.include_router(web.router)
    api.include_router(casework.router)
    api.include_router(web_board.router)
    api.include_router(web_admin.router)
    api.include_router(web_overview.router)

    @api.get(f"{PREFIX}/health", tags=["platform"])
    @reads
    def health(request: Request) -> dict[str, object]:
        """The server answers: its version (the operator also hears its process's pid,
        home, uptime and requests in flight)."""
        answer: dict[str, object] = {"status": "ok", "version": package_version()}
        if host is not None and request.scope.get("state", {}).get(OPERATOR_MARK):
            answer.update(host.describe())
            answer["inflight"] = host.inflight() - 1  # not this request
        return answer

    build = api.openapi

    def openapi() -> dict[str, Any]:
        """FastAPI's document and the problem schema that the routes' error answers name."""
        document = build()
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        schemas[PROBLEM_SCHEMA] = Problem.model_json_schema()
        return document

    api.openapi = openapi  # type: ignore[method-assign]
    return api
