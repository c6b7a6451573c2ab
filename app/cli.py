"""The `ethicsflow` command line (DESIGN §5).

Reads go straight to the database; every change goes through the engine as a
Prefect flow run (``app/engine_client.py``). Domain errors become
``error: ...`` on stderr and the exit codes of DESIGN §5; never a traceback.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from ethicsflow.app.cli_board import board_app, doc_app, templates_app
from ethicsflow.app.cli_common import Json, Number, _call, _read
from ethicsflow.app.cli_ops import backup_command, restore_command
from ethicsflow.app.cli_restoration import case_rate, report_app
from ethicsflow.app.output import case_text, emit, fail

app = typer.Typer(
    help="ethicsflow: ethics-commissioner cases of the civil service of Kazakhstan.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
org_app = typer.Typer(help="State bodies (organizations).", no_args_is_help=True)
person_app = typer.Typer(
    help="People: filers, commissioners, heads, board members.", no_args_is_help=True
)
case_app = typer.Typer(help="File, follow and act on cases.", no_args_is_help=True)
app.add_typer(org_app, name="org")
app.add_typer(person_app, name="person")
app.add_typer(case_app, name="case")
policy_app = typer.Typer(
    help="The statutory policy file: rules, calendar overrides.", no_args_is_help=True
)
app.add_typer(policy_app, name="policy")
notify_app = typer.Typer(
    help="Notifications: deliver the outbox, see each delivery, re-queue a dead one.",
    no_args_is_help=True,
)
app.add_typer(notify_app, name="notify")

app.add_typer(board_app, name="board")
app.add_typer(doc_app, name="doc")
app.add_typer(templates_app, name="templates")
app.add_typer(report_app, name="report")
case_app.command("rate")(case_rate)
app.command("backup")(backup_command)
app.command("restore")(restore_command)


@app.command()
def init(as_json: Json = False) -> None:
    """Create or upgrade the database (idempotent)."""
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
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@org_app.command("add")
def org_add(
    code: Annotated[str, typer.Argument(help="short code, A-Z and digits; starts case numbers")],
    name: Annotated[str, typer.Option(help="name of the state body")],
    region: Annotated[str | None, typer.Option(help="region (oblast or city)")] = None,
    parent: Annotated[str | None, typer.Option(help="code of the parent organization")] = None,
    as_json: Json = False,
) -> None:
    """Add a state body."""
    data = _call(
        "add_org", {"values": {"code": code, "name": name, "region": region, "parent": parent}}
    )
    emit(data, as_json, lambda d: f"organization {d['code']} added")


@person_app.command("add")
def person_add(
    email: Annotated[str, typer.Argument(help="e-mail, the person's identifier")],
    name: Annotated[str, typer.Option(help="full name")],
    org: Annotated[str, typer.Option(help="code of the person's organization")],
    role: Annotated[
        list[str] | None,
        typer.Option(
            help="servant, commissioner, head, board_secretary, board_member, agency, admin"
        ),
    ] = None,
    notify: Annotated[list[str] | None, typer.Option(help="apprise URL (repeatable)")] = None,
    language: Annotated[str, typer.Option(help="kk, ru or en")] = "ru",
    manager: Annotated[str | None, typer.Option(help="e-mail of the line manager")] = None,
    iin: Annotated[str | None, typer.Option(help="12-digit IIN")] = None,
    as_json: Json = False,
) -> None:
    """Add a person with roles, language and notification targets."""
    values = {
        "email": email,
        "name": name,
        "org": org,
        "roles": role or ["servant"],
        "notify": notify or [],
        "language": language,
        "manager": manager,
        "iin": iin,
    }
    data = _call("add_person", {"values": values})
    emit(data, as_json, lambda d: f"person {d['email']} added ({', '.join(d['roles'])})")


@case_app.command("file")
def case_file(
    kind: Annotated[str, typer.Option(help="complaint or restoration")],
    org: Annotated[str, typer.Option(help="code of the organization")],
    summary: Annotated[str, typer.Option(help="what happened")],
    by: Annotated[str | None, typer.Option(help="e-mail of the filer")] = None,
    against: Annotated[str | None, typer.Option(help="e-mail of the respondent")] = None,
    received_at: Annotated[
        str | None, typer.Option(help="ISO 8601 with offset (default: now)")
    ] = None,
    anonymous: Annotated[bool, typer.Option(help="anonymous appeal (no --by)")] = False,
    key: Annotated[str | None, typer.Option(help="idempotency key")] = None,
    related: Annotated[str | None, typer.Option(help="number of a related case")] = None,
    committed_on: Annotated[str | None, typer.Option(help="date of the conduct")] = None,
    as_json: Json = False,
) -> None:
    """Register a complaint or a restoration request."""
    from ethicsflow.models.cases.filing import validate_filing

    values = {
        "kind": kind,
        "org": org,
        "summary": summary,
        "by": by,
        "against": against,
        "received_at": received_at,
        "anonymous": anonymous,
        "key": key,
        "related": related,
        "committed_on": committed_on,
    }
    values = {k: v for k, v in values.items() if v is not None}
    validate_filing(values)  # refuse bad input before reaching the engine
    data = _call("file_case", {"values": values})
    emit(data, as_json, _filed_text)


def _filed_text(d: dict[str, Any]) -> str:
    head = f"{d['number']} {'registered' if d['created'] else 'already registered (same key)'}"
    lines = [head, f"  status: {d['status']}   assignee: {d['assignee'] or '— unassigned'}"]
    lines += [f"  {x['name']:<10} due {x['due']}" for x in d["deadlines"]]
    if d.get("receipt_code"):
        lines.append(f"  receipt code (shown once, keep it): {d['receipt_code']}")
    return "\n".join(lines)


@case_app.command("import")
def case_import(
    file: Annotated[Path, typer.Argument(help="JSONL or CSV; keys are `case file`'s options")],
    as_json: Json = False,
) -> None:
    """File many cases from a JSONL or CSV file in one flow run."""
    from ethicsflow.app.importing import read_rows

    rows = read_rows(file)
    progress = None
    if sys.stderr.isatty() and not as_json:
        from ethicsflow.app.importing import ProgressBar

        progress = ProgressBar(len(rows))
    data = _call("import_cases", {"rows": rows}, progress)
    if progress:
        progress.close()
    emit(data, as_json, _import_text)
    if data["failed"]:
        raise typer.Exit(2)


def _import_text(d: dict[str, Any]) -> str:
    lines = [f"filed {d['filed']}, already there {d['existing']}, failed {d['failed']}"]
    lines += [f"  line {e['line']}: {e['error']}" for e in d["errors"]]
    return "\n".join(lines)


@case_app.command("show")
def case_show(number: Number, as_json: Json = False) -> None:
    """Show a case: status, assignee, deadlines, allowed actions."""
    from ethicsflow.models.cases.views import case_view

    emit(_read(case_view, number), as_json, case_text)


@case_app.command("status")
def case_status(
    receipt: Annotated[str, typer.Option(help="the receipt code given at filing")],
    as_json: Json = False,
) -> None:
    """What an anonymous filer may see: status and next deadline."""
    from ethicsflow.models.cases.views import status_by_receipt

    data = _read(status_by_receipt, receipt)
    emit(
        data,
        as_json,
        lambda d: (
            f"{d['number']}: {d['status']}"
            + (f", answer due {d['next_deadline']['due']}" if d["next_deadline"] else "")
        ),
    )


@case_app.command("list")
def case_list(
    status: Annotated[str | None, typer.Option(help="only this status")] = None,
    org: Annotated[str | None, typer.Option(help="only this organization")] = None,
    assignee: Annotated[str | None, typer.Option(help="only this commissioner")] = None,
    overdue: Annotated[bool, typer.Option(help="only cases with an open deadline past")] = False,
    as_json: Json = False,
) -> None:
    """List cases."""
    from ethicsflow.models.cases.views import list_cases
    from ethicsflow.models.deadlines.rules import local_date
    from ethicsflow.models.policy import load_policy
    from ethicsflow.models.types import utcnow

    today = local_date(utcnow(), load_policy().zone) if overdue else None
    rows = _read(list_cases, status=status, org=org, assignee=assignee, overdue_on=today)
    emit(
        rows,
        as_json,
        lambda rs: (
            "\n".join(
                f"{r['number']:<20} {r['kind']:<12} {r['status']:<16} {r['assignee'] or '-':<28} "
                + (
                    f"{r['next_deadline']['name']} {r['next_deadline']['due']}"
                    if r["next_deadline"]
                    else ""
                )
                for r in rs
            )
            or "no cases"
        ),
    )


@case_app.command("actions")
def case_actions(number: Number, as_json: Json = False) -> None:
    """Allowed actions of a case with their payload fields."""
    from ethicsflow.models.cases.views import case_actions as view

    data = _read(view, number)
    emit(data, as_json, _actions_text)


def _actions_text(d: dict[str, Any]) -> str:
    lines = [f"{d['number']} ({d['status']}):"]
    for a in d["actions"]:
        lines.append(f"  {a['name']} -> {a['to']}  [{', '.join(a['roles'])}]  {a['description']}")
        for f in a["fields"]:
            req = "required" if f["required"] else "optional"
            choices = f" ({'|'.join(f['choices'])})" if f.get("choices") else ""
            lines.append(f"      {f['name']}: {f['type']}{choices}, {req} — {f['description']}")
    return "\n".join(lines)


@case_app.command("act")
def case_act(
    number: Number,
    action: Annotated[str, typer.Argument(help="lifecycle action; `case actions` lists them")],
    by: Annotated[str, typer.Option(help="e-mail of the person acting")],
    reason: Annotated[str | None, typer.Option(help="sets the payload field `reason`")] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="KEY=VALUE payload field (repeatable); @PATH reads a file"),
    ] = None,
    if_version: Annotated[
        int | None,
        typer.Option(
            help="refuse (exit 3) unless the case is at this version"
            " (default: the version this command reads first)"
        ),
    ] = None,
    as_json: Json = False,
) -> None:
    """Apply a lifecycle action to a case."""
    values: dict[str, Any] = {}
    for item in set_ or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            fail(f"--set {item!r}: expected KEY=VALUE", 2)
        if key.strip() in values:
            fail(f"--set {key.strip()}: given twice", 2)
        values[key.strip()] = value
    if reason is not None:
        if "reason" in values:
            fail("--reason: given twice (also as --set reason=...)", 2)
        values["reason"] = reason
    if if_version is None:
        # Act on the version this command saw: a change that lands between this read and
        # the engine's write is a conflict (exit 3), never a silent act on a newer state.
        if_version = _read(_version_of, number)
    data = _call(
        "act",
        {"number": number, "action": action, "by": by, "values": values, "if_version": if_version},
    )
    emit(
        data,
        as_json,
        lambda d: (
            f"{d['number']}: {d['action']} — {d['from']} → {d['status']}"
            + "".join(f"\n  {c['deadline']:<18} {c['due']}  {c['status']}" for c in d["deadlines"])
        ),
    )


@case_app.command("history")
def case_history(
    number: Number,
    verify: Annotated[bool, typer.Option(help="check the hash chain; exit 1 if broken")] = False,
    as_json: Json = False,
) -> None:
    """The audit log of a case, optionally verified."""
    from ethicsflow.models.cases.views import history

    data = _read(history, number, verify=verify)
    emit(data, as_json, _history_text)
    if verify and not data["verified"]:
        sys.stderr.write(f"error: audit chain of {data['number']} is broken: {data['problem']}\n")
        raise typer.Exit(1)


def _history_text(d: dict[str, Any]) -> str:
    lines = [f"{d['number']}:"]
    for e in d["events"]:
        move = f"{e['from'] or '·'} → {e['to']}" if e["from"] != e["to"] else e["to"]
        lines.append(f"  {e['seq']:>3} {e['at'][:19]} {e['actor']:<28} {e['action']:<20} {move}")
    if "verified" in d:
        lines.append("  chain verified" if d["verified"] else f"  CHAIN BROKEN: {d['problem']}")
    return "\n".join(lines)


@policy_app.command("show")
def policy_show(as_json: Json = False) -> None:
    """Validate the policy file and show its rules with their legal basis."""
    from ethicsflow.models.policy import load_policy, packaged_policy_path
    from ethicsflow.models.settings import get_settings

    policy = load_policy()
    path = get_settings().policy_file or packaged_policy_path()
    data = {
        "file": str(path),
        "version": policy.version,
        "zone": policy.zone,
        "rules": {
            name: {
                "amount": r.amount,
                "unit": r.unit,
                "from": r.from_,
                "basis": r.basis,
                "status": r.status,
            }
            for name, r in policy.rules.items()
        },
        "calendar_overrides": policy.calendar_overrides.model_dump(mode="json"),
    }
    emit(
        data,
        as_json,
        lambda d: "\n".join(
            [f"policy {d['version']} ({d['file']}), zone {d['zone']}"]
            + [
                f"  {n:<16} {r['amount']} {r['unit']} from {r['from']} [{r['status']}] {r['basis']}"
                for n, r in d["rules"].items()
            ]
        ),
    )


@policy_app.command("apply")
def policy_apply(as_json: Json = False) -> None:
    """Recompute open deadlines after the calendar overrides changed (audited per case)."""
    from ethicsflow.models.policy import load_policy

    load_policy()  # a broken file is refused before anything runs
    data = _call("recompute_deadlines", {})
    emit(
        data,
        as_json,
        lambda d: (
            f"checked {d['checked']} open deadlines; moved on"
            f" {d['cases']} case(s)"
            + "".join(
                f"\n  {m['number']}: "
                + ", ".join(f"{c['deadline']} {c['from']} -> {c['to']}" for c in m["deadlines"])
                for m in d["moved"]
            )
        ),
    )


@app.command()
def sweep(
    now: Annotated[
        str | None,
        typer.Option(help="the moment to sweep, ISO 8601 with offset (default: now)"),
    ] = None,
    as_json: Json = False,
) -> None:
    """Deadlines: reminders, overdue and escalation, auto-close, digests (idempotent)."""
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
    data = _call("sweep", params)
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


@app.command()
def demo(
    out: Annotated[Path | None, typer.Option(help="folder for the demo home")] = None,
) -> None:
    """A scripted scenario on a fresh embedded database, with a summary."""
    from ethicsflow.app.demo import run_demo

    run_demo(out)


@app.command()
def serve(
    port: Annotated[
        int | None,
        typer.Option(min=1, max=65535, help="port of the Prefect server and UI (default 4200)"),
    ] = None,
) -> None:
    """Run the platform in the foreground: Prefect server and UI, the engine, the schedules.

    Ctrl-C or SIGTERM stops it; the schedules stay active for the next `serve`.
    """
    from ethicsflow.app.serve import serve as run_serve
    from ethicsflow.models.settings import get_settings

    settings = get_settings()
    code = run_serve(
        settings,
        port or settings.prefect_port,
        settings.serve_grace_seconds,
        settings.serve_poll_seconds,
    )
    raise typer.Exit(code)


@app.command()
def status(as_json: Json = False) -> None:
    """Health: database, engine or serve, Prefect server and deployments, outbox, deadlines."""
    from ethicsflow.app.status import status as read_status
    from ethicsflow.app.status import status_text
    from ethicsflow.models.settings import get_settings

    data = read_status(get_settings())
    emit(data, as_json, status_text)
    if not data["ok"]:
        raise typer.Exit(1)


@app.command()
def stop(as_json: Json = False) -> None:
    """Stop the background engine (or `ethicsflow serve`) of this ETHICSFLOW_HOME."""
    from ethicsflow.app.engine_server import stop_engine
    from ethicsflow.models.settings import get_settings

    data = stop_engine(get_settings())
    emit(data, as_json, lambda d: d["message"])


@notify_app.command("dispatch")
def notify_dispatch(
    limit: Annotated[
        int | None, typer.Option(min=1, help="send at most this many notifications")
    ] = None,
    recover_now: Annotated[
        bool,
        typer.Option(
            help="take notifications still `sending` for abandoned now (their dispatcher"
            " stopped) instead of after ETHICSFLOW_NOTIFY_LEASE_SECONDS: they are marked"
            " dead with an unknown outcome, never re-sent; only when no other dispatcher runs"
        ),
    ] = False,
    as_json: Json = False,
) -> None:
    """Deliver due notifications now (retries with backoff; dead after N attempts)."""
    data = _call("notify_dispatch", {"limit": limit, "recover_now": recover_now})
    emit(data, as_json, _dispatch_text)


def _dispatch_text(d: dict[str, Any]) -> str:
    text = (
        f"claimed {d['claimed']}: sent {d['sent']}, failed {d['failed']} (will retry),"
        f" dead {d['dead']}"
    )
    if d["lost"]:
        text += f", {d['lost']} re-queued by an operator while sending"
    if d["recovered"]:
        ids = ", ".join(map(str, d["recovered_ids"]))
        text += (
            f"\n  {d['recovered']} left `sending` by a stopped dispatcher, now dead with an"
            f" unknown outcome: {ids} (check with the recipient, then `notify retry ID`)"
        )
    return text


@notify_app.command("list")
def notify_list(
    status: Annotated[
        str | None, typer.Option(help="only this status: queued sending sent failed dead")
    ] = None,
    case: Annotated[str | None, typer.Option(help="only notifications of this case")] = None,
    limit: Annotated[int, typer.Option(min=1, help="at most this many, newest first")] = 100,
    as_json: Json = False,
) -> None:
    """List notifications with their delivery state (URLs with secrets masked)."""
    from ethicsflow.flows.sending import privacy_url
    from ethicsflow.models.notifications.delivery import list_notifications

    rows = _read(list_notifications, status=status, case=case, limit=limit, mask=privacy_url)
    emit(rows, as_json, _notifications_text)


def _notifications_text(rows: list[dict[str, Any]]) -> str:
    lines = []
    for r in rows:
        when = f"sent {r['sent_at'][:19]}" if r["sent_at"] else f"next {r['next_attempt_at'][:19]}"
        lines.append(
            f"{r['id']:>6} {r['case'] or '-':<20} {r['event']:<20} {r['status']:<8}"
            f" {r['attempts']}x {when}  {r['recipient']}  {r['url'].split('?')[0]}"
        )
        if r["last_error"] and r["status"] != "sent":
            lines.append(f"         {r['last_error']}")
    return "\n".join(lines) or "no notifications"


@notify_app.command("retry")
def notify_retry(
    notification_id: Annotated[
        int, typer.Argument(metavar="ID", help="notification id (`notify list` shows it)")
    ],
    as_json: Json = False,
) -> None:
    """Re-queue a dead or failed notification; it is sent again (attempts start at 0)."""
    data = _call("notify_retry", {"id": notification_id})
    emit(data, as_json, lambda d: f"notification {d['id']} queued again ({d['last_error']})")


def _version_of(session: Any, number: str) -> int:
    from ethicsflow.models.cases.access import get_case

    return get_case(session, number).version


def _unexpected(exc: Exception) -> str:
    # sqlalchemy.exc only when a command loaded it (importing it costs every command ~0.14 s)
    sqlalchemy_exc = sys.modules.get("sqlalchemy.exc")
    if sqlalchemy_exc is not None and isinstance(exc, sqlalchemy_exc.OperationalError):
        return f"database unavailable: {str(exc.orig).strip()}"
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    if "Failed to reach API" in text:
        return f"{text} (is the Prefect server running? check PREFECT_API_URL)"
    return (
        f"internal error: {type(exc).__name__}: {text}"
        " (set ETHICSFLOW_DEBUG=1 to see the traceback)"
    )


def main() -> None:
    """Console entry point: run the app, turning every error into ``error: ...`` and
    the exit codes of DESIGN §5 (usage errors too: Click's own boxes would not say
    ``error:``)."""
    from ethicsflow.models.errors import EthicsflowError

    try:
        code = app(standalone_mode=False)
    except typer.TyperException as exc:  # usage errors of the (vendored) Click parser
        if type(exc).__name__ == "NoArgsIsHelpError":
            sys.exit(2)  # the group's help is already printed
        ctx = getattr(exc, "ctx", None)
        hint = f" (see `{ctx.command_path} --help`)" if ctx is not None else ""
        sys.stderr.write(f"error: {exc.format_message()}{hint}\n")
        sys.exit(exc.exit_code)
    except typer.Abort:
        sys.stderr.write("error: aborted\n")
        sys.exit(1)
    except EthicsflowError as exc:
        sys.stderr.write(f"error: {exc.message}\n")
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        sys.stderr.write("error: interrupted\n")
        sys.exit(130)
    except Exception as exc:  # a bug or an unreachable service: one line, not a traceback
        if os.environ.get("ETHICSFLOW_DEBUG"):
            raise
        sys.stderr.write(f"error: {_unexpected(exc)}\n")
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)
