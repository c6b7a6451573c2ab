"""Printing results: one JSON document with ``--json``, readable text otherwise."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any, NoReturn

import typer


def emit(data: Any, as_json: bool, text: Callable[[Any], str] | None = None) -> None:
    if as_json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
    else:
        sys.stdout.write((text(data) if text else _plain(data)) + "\n")


def fail(message: str, code: int) -> NoReturn:
    sys.stderr.write(f"error: {message}\n")
    raise typer.Exit(code)


def _plain(data: Any, indent: str = "") -> str:
    if isinstance(data, dict):
        lines = []
        for key, value in data.items():
            if isinstance(value, dict | list) and value:
                lines.append(f"{indent}{key}:")
                lines.append(_plain(value, indent + "  "))
            else:
                lines.append(f"{indent}{key}: {'' if value is None else value}")
        return "\n".join(lines)
    if isinstance(data, list):
        return "\n".join(f"{indent}- " + _plain(item, indent + "  ").lstrip() for item in data)
    return f"{indent}{data}"


def case_text(view: dict[str, Any]) -> str:
    lines = [
        f"{view['number']}  {view['kind']}  status: {view['status']}  (version {view['version']})",
        f"  organization: {view['org']}   assignee: {view['assignee'] or '— unassigned'}",
    ]
    if not view["assignee"] and view.get("assignment_note"):
        lines.append(f"  why unassigned: {view['assignment_note']}")
    lines.append(f"  received: {view['received_at']}   registered: {view['registered_on']}")
    if view.get("missing_requisites"):
        lines.append(f"  missing details (APPK Art. 63): {', '.join(view['missing_requisites'])}")
    if view.get("limitation_date"):
        lines.append(f"  disciplinary limitation: last day {view['limitation_date']}")
    if view.get("related"):
        rel = ", ".join(f"{r['number']} ({r['direction']})" for r in view["related"])
        lines.append(f"  related: {rel}")
    board = view.get("board")
    if board:
        h = board["hearing"]
        lines.append(
            f"  board {board['board']}: hearing {h['date']} {h['time']}, {h['place']}"
            f" ({h['status']})"
        )
        recused = [r["member"] for r in board["recused"] if r["upheld"]]
        if recused:
            lines.append(f"    recused: {', '.join(recused)}")
        if board["present"] is not None:
            lines.append(f"    present: {', '.join(board['present'])}")
        if board["votes"]:
            lines.append(
                "    votes: " + ", ".join(f"{v['member']} {v['vote']}" for v in board["votes"])
            )
        decision = board["decision"]
        if decision:
            tally = decision["votes"]
            lines.append(
                f"    decision {decision['decided_on']}: {decision['outcome']}"
                f" {','.join(decision['standards'])} {decision['penalty'] or ''}"
                f" ({tally['for']} for, {tally['against']} against, {tally['abstain']} abstain)"
            )
    restoration = view.get("restoration")
    if restoration:
        for m in restoration["measures"]:
            lines.append(
                f"  measure {m['measure']}: {m['what']} — {m['responsible']}, due {m['due']}"
                f" ({m['status']})"
            )
        for f in restoration["follow_ups"]:
            found = f"; new case {f['new_case']}" if f["new_case"] else ""
            lines.append(
                f"  follow-up {f['deadline']} on {f['checked_on']}: retaliation"
                f" {f['retaliation']}{found}"
            )
    lines.append("  deadlines:")
    for d in view["deadlines"]:
        lines.append(f"    {d['name']:<18} {d['due']}  {d['status']:<10} {d['basis']}")
    lines.append(f"  allowed actions: {', '.join(view['allowed_actions']) or 'none'}")
    return "\n".join(lines)
