"""Mermaid diagrams of the lifecycles, generated from the action tables.

``python -m ethicsflow.models.lifecycle.diagram > docs/lifecycles.md``
regenerates the document; a test fails when the committed file is stale.
"""

from __future__ import annotations

from ethicsflow.models.lifecycle.base import Action, Lifecycle
from ethicsflow.models.lifecycle.kinds import LIFECYCLES


def mermaid(lifecycle: Lifecycle) -> str:
    lines = ["stateDiagram-v2", f"    [*] --> {lifecycle.initial}"]
    for action in lifecycle.actions:
        for source in action.source:
            dest = action.dest or source
            roles = ", ".join(action.roles)
            lines.append(f"    {source} --> {dest}: {action.name} ({roles})")
            for other in action.may_lead_to:
                lines.append(f"    {source} --> {other}: {action.name} ({roles})")
    for state in lifecycle.terminal:
        lines.append(f"    {state} --> [*]")
    return "\n".join(lines)


def _dests(action: Action) -> list[str]:
    return [action.dest or "(same)", *action.may_lead_to]


def _deadlines(lifecycle: Lifecycle) -> list[str]:
    rows = [
        "| action | from | to | roles | starts | meets | cancels |",
        "|---|---|---|---|---|---|---|",
    ]
    for a in lifecycle.actions:
        rows.append(
            f"| `{a.name}` | {', '.join(a.source)} | {' or '.join(_dests(a))} "
            f"| {', '.join(a.roles)} "
            f"| {', '.join(a.starts) or '—'} | {', '.join(a.meets) or '—'} "
            f"| {', '.join(a.cancels).replace('*', 'all open') or '—'} |"
        )
    return rows


def document() -> str:
    parts = [
        "# Lifecycles",
        "",
        "Generated from `models/lifecycle/` by "
        "`python -m ethicsflow.models.lifecycle.diagram > docs/lifecycles.md`;"
        " do not edit by hand (a test compares).",
        "",
        "Filing opens the deadlines `answer` (15 working days from receipt) and `forward`"
        " (3 working days from receipt) and assigns a commissioner without a conflict of"
        " interest (`registered` → `triage`); with none eligible the case stays `registered`.",
    ]
    for kind, lifecycle in LIFECYCLES.items():
        parts += ["", f"## {kind}", "", "```mermaid", mermaid(lifecycle), "```", ""]
        parts += _deadlines(lifecycle)
    return "\n".join(parts) + "\n"


if __name__ == "__main__":
    print(document(), end="")
