"""`policy show` and `policy apply`: the statutory policy file and its calendar overrides."""

from __future__ import annotations

import typer

from ethicsflow.app.cli_commands.common import Json, call_engine
from ethicsflow.app.output import emit

policy_app = typer.Typer(
    help="The statutory policy file: rules, calendar overrides.", no_args_is_help=True
)


@policy_app.command("show")
def policy_show(as_json: Json = False) -> None:
    """Validate the policy file and show its rules with their legal basis."""
    # lazy (import time): pydantic and PyYAML load only for commands that read the policy
    from ethicsflow.models.policy import policy_summary

    data = policy_summary()
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
    # lazy (import time): pydantic and PyYAML load only for commands that read the policy
    from ethicsflow.models.policy import load_policy

    load_policy()  # a broken file is refused before anything runs
    data = call_engine("recompute_deadlines", {})
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
