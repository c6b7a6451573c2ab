"""Commands on the installation as a whole: init, sweep, demo, serve, status, stop."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from ethicsflow.app.cli_commands.common import Json, call_engine
from ethicsflow.app.output import emit, fail


def init(as_json: Json = False) -> None:
    """Create or upgrade the database (idempotent)."""
    # lazy (import time): SQLAlchemy and SQLModel load only for commands that use the database
    from ethicsflow.models.db import init_database
    from ethicsflow.models.settings import get_settings

    settings = get_settings()
    revision = init_database()
    emit(
        {"database": _safe_url(settings.url), "revision": revision, "home": str(settings.home)},
        as_json,
        lambda d: f"database ready at schema {d['revision']}: {d['database']}",
    )


def _safe_url(url: str) -> str:
    # lazy (import time): SQLAlchemy loads only for `init`
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def sweep(
    now: Annotated[
        str | None,
        typer.Option(help="the moment to sweep, ISO 8601 with offset (default: now)"),
    ] = None,
    as_json: Json = False,
) -> None:
    """Deadlines: reminders, overdue and escalation, auto-close, digests (idempotent)."""
    # lazy (import time): pydantic loads only when --now is parsed
    from ethicsflow.models.cases.filing import parse_received_at

    params: dict[str, Any] = {}
    if now is not None:
        try:
            params["now"] = parse_received_at(now).isoformat()
        except ValueError:
            fail(
                f"--now {now!r}: expected ISO 8601 with a UTC offset, e.g. 2026-03-26T09:00+05:00",
                2,
            )
    data = call_engine("sweep", params)
    emit(data, as_json, _sweep_text)
    if data["errors"]:
        first = data["errors"][0]
        sys.stderr.write(
            f"error: sweep: {len(data['errors'])} item(s) failed; first: {first['number']}"
            f" ({first['step']}): {first['error']}\n"
        )
        raise typer.Exit(1)


def _sweep_text(d: dict[str, Any]) -> str:
    q = d["queued"]
    lines = [
        f"swept {d['now']} (day {d['today']}): closed {d['closed']} case(s),"
        f" {d['missed']} deadline(s) missed",
        f"  queued: {q['reminder']} reminder, {q['overdue']} overdue, {q['escalation']}"
        f" escalation, {q['digest']} digest, {q['closed']} closing notice(s)",
    ]
    lines += [f"  failed {e['number']} ({e['step']}): {e['error']}" for e in d["errors"]]
    return "\n".join(lines)


def demo(
    out: Annotated[Path | None, typer.Option(help="folder for the demo home")] = None,
) -> None:
    """A scripted scenario on a fresh embedded database, with a summary."""
    # lazy (import time): the demo's modules load uuid, subprocess and more, only for `demo`
    from ethicsflow.app.demo import run_demo

    run_demo(out)


def serve(
    port: Annotated[
        int | None,
        typer.Option(min=1, max=65535, help="port of the Prefect server and UI (default 4200)"),
    ] = None,
    web_port: Annotated[
        int | None,
        typer.Option(min=1, max=65535, help="port of the REST API (default 8000)"),
    ] = None,
    host: Annotated[
        str | None,
        typer.Option(help="address the REST API listens on (default 127.0.0.1)"),
    ] = None,
) -> None:
    """Run the platform in the foreground: the REST API, Prefect server and UI, the engine,
    the schedules.

    Ctrl-C or SIGTERM stops it; the schedules stay active for the next `serve`.
    """
    # lazy (import time): serve's modules (pydantic settings) load only for `serve`
    from ethicsflow.app.serve import serve as run_serve
    from ethicsflow.models.settings import get_settings

    settings = get_settings()
    code = run_serve(
        settings,
        port or settings.prefect_port,
        settings.serve_grace_seconds,
        settings.serve_poll_seconds,
        (host or settings.web_host, web_port or settings.web_port),
    )
    raise typer.Exit(code)


def status(as_json: Json = False) -> None:
    """Health: database, engine or serve, Prefect server and deployments, outbox, deadlines."""
    # lazy (import time): status loads pydantic settings and, when it runs, the database layer
    from ethicsflow.app.status import status as read_status
    from ethicsflow.app.status import status_text
    from ethicsflow.models.settings import get_settings

    data = read_status(get_settings())
    emit(data, as_json, status_text)
    if not data["ok"]:
        raise typer.Exit(1)


def stop(as_json: Json = False) -> None:
    """Stop the background engine (or `ethicsflow serve`) of this ETHICSFLOW_HOME."""
    # lazy (import time): the engine's modules (pydantic settings) load only for `stop`
    from ethicsflow.app.engine_server import stop_engine
    from ethicsflow.models.settings import get_settings

    data = stop_engine(get_settings())
    emit(data, as_json, lambda d: d["message"])
