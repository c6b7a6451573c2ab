"""`case ...` commands: file, import, show, status, list, actions, act, history, rate."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from ethicsflow.app.cli_commands.common import (
    Json,
    Number,
    api_get,
    call_engine,
    segment,
    server_answers,
)
from ethicsflow.app.output import case_text, emit, fail

case_app = typer.Typer(help="File, follow and act on cases.", no_args_is_help=True)


@case_app.command("rate")
def case_rate(
    number: Number,
    score: Annotated[int, typer.Option(help="satisfaction, 1 (worst) to 5 (best)")],
    by: Annotated[str | None, typer.Option(help="e-mail of the filer")] = None,
    receipt: Annotated[
        str | None, typer.Option(help="receipt code of an anonymous filer (instead of --by)")
    ] = None,
    comment: Annotated[str | None, typer.Option(help="a comment on the handling")] = None,
    as_json: Json = False,
) -> None:
    """Rate a closed case (the filer only, once per case)."""
    values = {"number": number, "score": score, "by": by, "receipt": receipt, "comment": comment}
    data = call_engine("rate_case", {"values": values})
    emit(data, as_json, lambda d: f"{d['number']} rated {d['score']}/5, thank you")


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
    confidential: Annotated[
        bool,
        typer.Option(
            help="confidential filer: name, e-mail and IIN hidden from the respondent and"
            " from everyone but the assignee, the head, the Board and the operator"
        ),
    ] = False,
    key: Annotated[str | None, typer.Option(help="idempotency key")] = None,
    related: Annotated[str | None, typer.Option(help="number of a related case")] = None,
    committed_on: Annotated[str | None, typer.Option(help="date of the conduct")] = None,
    as_json: Json = False,
) -> None:
    """Register a complaint or a restoration request."""
    values = {
        "kind": kind,
        "org": org,
        "summary": summary,
        "by": by,
        "against": against,
        "received_at": received_at,
        "anonymous": anonymous,
        "confidential": confidential,
        "key": key,
        "related": related,
        "committed_on": committed_on,
    }
    values = {k: v for k, v in values.items() if v is not None}
    if not server_answers():  # refuse bad input before an engine starts for it
        # lazy (import time): pydantic loads only when this command checks the input
        from ethicsflow.models.cases.filing import validate_filing

        validate_filing(values)
    data = call_engine("file_case", {"values": values})
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
    # lazy (import time): the csv module loads only for `case import`
    from ethicsflow.app.importing import read_rows, rendered

    rows = read_rows(file)
    progress = None
    if sys.stderr.isatty() and not as_json:
        from ethicsflow.app.importing import ProgressBar  # lazy (import time), as above

        progress = ProgressBar(len(rows))
    data = rendered(call_engine("import_cases", {"rows": rows}, progress))
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
    emit(api_get(f"/cases/{segment(number)}"), as_json, case_text)


@case_app.command("status")
def case_status(
    receipt: Annotated[str, typer.Option(help="the receipt code given at filing")],
    as_json: Json = False,
) -> None:
    """What an anonymous filer may see: status and next deadline."""
    data = api_get(f"/receipts/{segment(receipt)}")
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
    q: Annotated[
        str | None, typer.Option("--q", help="the number or the summary contains this")
    ] = None,
    sort: Annotated[
        str, typer.Option(help="filed (filing order), due (next due first), number, registered")
    ] = "filed",
    page: Annotated[int, typer.Option(help="which page, from 1")] = 1,
    per_page: Annotated[int, typer.Option(help="cases per page, at most 200")] = 50,
    as_json: Json = False,
) -> None:
    """List cases, a page at a time ("N of TOTAL" says how many match)."""
    data = api_get(
        "/cases",
        status=status,
        org=org,
        assignee=assignee,
        overdue=overdue or None,
        q=q,
        sort=sort,
        page=page,
        per_page=per_page,
    )
    emit(data, as_json, _list_text)


def _list_text(d: dict[str, Any]) -> str:
    rows = [
        f"{r['number']:<20} {r['kind']:<12} {r['status']:<16} {r['assignee'] or '-':<28} "
        + (f"{n['name']} {n['due']}" if (n := r["next_deadline"]) else "")
        for r in d["items"]
    ]
    if not d["total"]:
        return "no cases"
    first = (d["page"] - 1) * d["per_page"]
    shown = f"{first + 1}–{first + len(rows)}" if rows else "none"
    footer = f"{shown} of {d['total']}"
    if first + len(rows) < d["total"]:
        footer += f" (next: --page {d['page'] + 1})"
    return "\n".join([*rows, footer])


@case_app.command("actions")
def case_actions(number: Number, as_json: Json = False) -> None:
    """Allowed actions of a case with their payload fields."""
    emit(api_get(f"/cases/{segment(number)}/actions"), as_json, _actions_text)


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
        if_version = api_get(f"/cases/{segment(number)}")["version"]
    data = call_engine(
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
    data = api_get(f"/cases/{segment(number)}/history", verify=verify or None)
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
