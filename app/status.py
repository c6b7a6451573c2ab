"""`ethicsflow status`: is the platform of this home healthy and in time?

Reads only: the database (schema revision, notifications, deadlines, the last sweep),
``HOME/engine.json`` (the background engine or ``ethicsflow serve``) and the Prefect
server's REST API (deployments, their schedules and next runs) over plain HTTP, so it
does not import Prefect. Every check that fails is listed under ``problems``; the
command exits 1 when there is one.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.request import Request

from alembic.script import ScriptDirectory
from sqlalchemy import and_, func, or_
from sqlmodel import col, select

from ethicsflow.app import errors
from ethicsflow.app.engine_client import engine_status, masked_url, read_info
from ethicsflow.app.prefect_auth import LOOPBACK, auth_string, authorization
from ethicsflow.deployments import DEPLOYMENTS, schedules_of
from ethicsflow.models.cases.tables import Case
from ethicsflow.models.db import MIGRATIONS, schema_revision, session_scope
from ethicsflow.models.deadlines.rules import local_date
from ethicsflow.models.deadlines.sweep_runs import last
from ethicsflow.models.deadlines.tables import Deadline, DeadlineStatus
from ethicsflow.models.errors import EthicsflowError
from ethicsflow.models.lifecycle.kinds import CLOSED_STATES
from ethicsflow.models.notifications.tables import Notification
from ethicsflow.models.policy import load_policy
from ethicsflow.models.settings import Settings, get_settings

SWEEP_STALE = timedelta(hours=26)
"""The night sweep runs every day: a last sweep older than this means the schedule stopped."""


def _head_revision() -> str:

    return str(ScriptDirectory(str(MIGRATIONS)).get_current_head())


def database_status(settings: Settings) -> dict[str, Any]:

    out: dict[str, Any] = {"url": masked_url(settings.url), "head": _head_revision()}
    try:
        out["revision"] = schema_revision(settings.url)
        out["reachable"] = True
    except Exception as exc:
        out.update(reachable=False, revision=None, error=str(exc).strip().splitlines()[0])
    return out


def records(settings: Settings, now: datetime) -> dict[str, Any]:
    """Notifications by status, overdue deadlines of open cases, the last sweep."""

    today = local_date(now, load_policy().zone)
    with session_scope(url=settings.url) as session:
        by_status = dict(
            session.exec(
                select(Notification.status, func.count()).group_by(Notification.status)
            ).all()
        )
        oldest = session.exec(
            select(func.min(Notification.created_at)).where(Notification.status == "queued")
        ).one()
        open_case = col(Case.status).not_in(CLOSED_STATES)
        overdue = session.exec(
            select(func.count())
            .select_from(Deadline)
            .join(Case, col(Case.id) == Deadline.case_id)
            .where(open_case)
            .where(
                or_(
                    col(Deadline.status) == DeadlineStatus.missed,
                    and_(col(Deadline.status) == DeadlineStatus.open, col(Deadline.due) < today),
                )
            )
        ).one()
        not_swept = session.exec(
            select(func.count())
            .select_from(Deadline)
            .where(Deadline.status == DeadlineStatus.open, col(Deadline.due) < today)
        ).one()
        sweep = last(session)
    notifications: dict[str, Any] = {
        s: int(by_status.get(s, 0)) for s in ("queued", "sending", "failed", "dead", "sent")
    }
    if oldest is not None:
        notifications["oldest_queued_at"] = oldest.isoformat()
    return {
        "notifications": notifications,
        "deadlines": {"overdue": int(overdue), "past_due_not_swept": int(not_swept)},
        "last_sweep": None
        if sweep is None
        else {
            "started_at": sweep.started_at.isoformat(),
            "moment": sweep.moment.isoformat(),
            "closed": sweep.closed,
            "missed": sweep.missed,
            "queued": sweep.queued,
            "errors": sweep.errors,
        },
    }


def _prefect(url: str, path: str, body: dict[str, Any] | None = None) -> Any:
    headers = {"Content-Type": "application/json"}
    auth = os.environ.get("PREFECT_API_AUTH_STRING") or auth_string(get_settings().home)
    if auth:
        headers["Authorization"] = authorization(auth)
    request = Request(
        url.rstrip("/") + path,
        data=json.dumps(body).encode() if body is not None else None,
        method="POST" if body is not None else "GET",
        headers=headers,
    )
    with LOOPBACK.open(request, timeout=5) as response:
        return json.loads(response.read())


def _first_run(api: str, deployment: str, types: dict[str, list[str]], sort: str) -> Any:
    """The deployment's first flow run (a list of at most one) whose state type matches."""
    query = {
        "deployments": {"id": {"any_": [deployment]}},
        "flow_runs": {"state": {"type": types}},
        "sort": sort,
        "limit": 1,
    }
    return _prefect(api, "/flow_runs/filter", query)


def prefect_status(api: str | None) -> dict[str, Any]:
    """Reachability, and each ethicsflow deployment with its schedules and next run."""

    if not api:
        return {
            "api_url": None,
            "reachable": False,
            "note": "no Prefect server: `ethicsflow serve` is not running and PREFECT_API_URL "
            "is not set",
            "deployments": [],
        }
    out: dict[str, Any] = {"api_url": api}
    try:
        _prefect(api, "/health")
        names = [d.name for d in DEPLOYMENTS]
        found = _prefect(
            api, "/deployments/filter", {"deployments": {"name": {"any_": names}}, "limit": 50}
        )
    except (OSError, HTTPError, URLError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return {**out, "reachable": False, "error": str(reason), "deployments": []}
    deployments = []
    for d in sorted(found, key=lambda d: (d["name"], d["id"])):
        runs = _first_run(api, d["id"], {"any_": ["SCHEDULED"]}, "EXPECTED_START_TIME_ASC")
        latest = _first_run(api, d["id"], {"not_any_": ["SCHEDULED"]}, "EXPECTED_START_TIME_DESC")
        deployments.append(
            {
                "name": d["name"],
                "paused": bool(d.get("paused")),
                "schedules": [
                    {
                        "cron": (s.get("schedule") or {}).get("cron"),
                        "timezone": (s.get("schedule") or {}).get("timezone"),
                        "active": bool(s.get("active")),
                    }
                    for s in d.get("schedules") or []
                ],
                "next_run": runs[0]["expected_start_time"] if runs else None,
                "last_run": None
                if not latest
                else {
                    "state": latest[0].get("state_name"),
                    "at": latest[0].get("start_time") or latest[0].get("expected_start_time"),
                },
            }
        )
    return {**out, "reachable": True, "deployments": deployments}


def _schedules_off_policy(deployments: list[dict[str, Any]]) -> list[str]:
    """Deployments whose active schedules are not the policy file's (`schedules:`, zone):
    the policy was edited and serve not restarted, or prefect.yaml not re-deployed."""

    try:
        policy = load_policy()
    except EthicsflowError as exc:
        return [f"policy file: {errors.message(exc)}"]
    wanted = schedules_of(policy)
    problems = []
    for d in deployments:
        active = [s for s in d["schedules"] if s["active"]]
        if d["paused"] or not active or d["name"] not in wanted:
            continue  # paused: said above
        crons = sorted(str(s["cron"]) for s in active)
        zones = {s["timezone"] for s in active}
        if crons != sorted(wanted[d["name"]]) or zones != {policy.zone}:
            problems.append(
                f"deployment {d['name']} runs on {', '.join(crons)} ({', '.join(map(str, zones))})"
                f" but the policy file says {', '.join(wanted[d['name']])} ({policy.zone}): "
                "restart `ethicsflow serve`, or edit deployments/prefect.yaml and run "
                "`prefect deploy --all`"
            )
    return problems


def status(settings: Settings, now: datetime | None = None) -> dict[str, Any]:
    """Everything ``ethicsflow status`` shows, with ``problems`` (empty when healthy)."""

    now = now or datetime.now(UTC)
    problems: list[str] = []
    db = database_status(settings)
    data: dict[str, Any] = {"home": str(settings.home), "database": db}
    if not db["reachable"]:
        problems.append(f"database unreachable: {db.get('error')}")
    elif db["revision"] is None:
        problems.append("database not initialized: run `ethicsflow init`")
    elif db["revision"] != db["head"]:
        problems.append(
            f"database schema {db['revision']} is not the newest ({db['head']}): "
            "back it up, then run `ethicsflow init`"
        )
    engine = engine_status(settings)
    info = read_info(settings.home) or {}
    mode = info.get("mode", "engine") if engine else None
    data["engine"] = None if engine is None else {**engine, "mode": mode}
    api = info.get("prefect_api_url") if mode == "serve" else None
    api = api or os.environ.get("PREFECT_API_URL") or None
    prefect = prefect_status(api)
    data["prefect"] = prefect
    if api and not prefect["reachable"]:
        problems.append(f"Prefect server unreachable at {api}: {prefect.get('error')}")
    if prefect["reachable"]:
        present = {d["name"] for d in prefect["deployments"]}
        missing = [d.name for d in DEPLOYMENTS if d.name not in present]
        if missing:
            problems.append(
                f"deployments not on the Prefect server: {', '.join(missing)} "
                "(start `ethicsflow serve`, or `prefect deploy --all`)"
            )
        for d in prefect["deployments"]:
            if d["paused"] or not any(s["active"] for s in d["schedules"]):
                problems.append(f"deployment {d['name']} is paused: its schedule does not run")
        problems += _schedules_off_policy(prefect["deployments"])
    if db["reachable"] and db["revision"] == db["head"]:
        data.update(records(settings, now))
        dead = data["notifications"]["dead"]
        if dead:
            problems.append(
                f"{dead} dead notification(s): see `ethicsflow notify list --status dead`"
            )
        sweep = data["last_sweep"]
        scheduled = mode == "serve" or bool(api)
        started = datetime.fromisoformat(sweep["started_at"]) if sweep else None
        if scheduled and started is not None and now - started > SWEEP_STALE:
            problems.append(
                f"the last sweep started at {sweep['started_at']}, over 26 h ago "
                "(the night sweep runs daily): is the schedule running?"
            )
    data["problems"] = problems
    data["ok"] = not problems
    return data


def status_text(data: dict[str, Any]) -> str:
    db = data["database"]
    lines = [f"home           {data['home']}"]
    if db["reachable"]:
        lines.append(f"database       {db['url']}  schema {db['revision']} (newest {db['head']})")
    else:
        lines.append(f"database       {db['url']}  UNREACHABLE")
    engine = data["engine"]
    if engine is None:
        lines.append("engine         not running (starts with the first write command)")
    else:
        lines.append(
            f"engine         {engine['mode']} pid {engine['pid']}, up {engine['uptime_s']:.0f} s, "
            f"{engine['inflight']} operation(s) running"
        )
    prefect = data["prefect"]
    if not prefect["api_url"]:
        lines.append(f"Prefect        {prefect['note']}")
    elif prefect["reachable"]:
        lines.append(f"Prefect        {prefect['api_url']}  reachable")
    else:
        lines.append(f"Prefect        {prefect['api_url']}  UNREACHABLE ({prefect.get('error')})")
    for d in prefect["deployments"]:
        crons = ", ".join(s["cron"] or "?" for s in d["schedules"]) or "no schedule"
        state = "PAUSED" if d["paused"] else f"next {d['next_run'] or '-'}"
        last = d["last_run"]
        done = f"; last {last['state']} at {last['at']}" if last else ""
        lines.append(f"  {d['name']:<12} {crons}  {state}{done}")
    if "notifications" in data:
        n = data["notifications"]
        lines.append(
            f"notifications  queued {n['queued']}, sending {n['sending']}, failed {n['failed']}, "
            f"dead {n['dead']}, sent {n['sent']}"
        )
        d = data["deadlines"]
        lines.append(
            f"deadlines      overdue on open cases {d['overdue']} "
            f"(past due, not swept yet {d['past_due_not_swept']})"
        )
        s = data["last_sweep"]
        lines.append(
            "last sweep     none"
            if s is None
            else f"last sweep     {s['started_at']} (closed {s['closed']}, missed {s['missed']}, "
            f"queued {s['queued']}, errors {s['errors']})"
        )
    lines.append("status         OK" if data["ok"] else "status         PROBLEMS:")
    lines.extend(f"  - {p}" for p in data["problems"])
    return "\n".join(lines)
