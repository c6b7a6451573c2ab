"""`case rate` and `report restoration`: the filer's rating and the restoration report."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from ethicsflow.app.cli_common import Json, Number, _call
from ethicsflow.app.output import emit

report_app = typer.Typer(help="Reports over many cases.", no_args_is_help=True)


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
    data = _call("rate_case", {"values": values})
    emit(data, as_json, lambda d: f"{d['number']} rated {d['score']}/5, thank you")


@report_app.command("restoration")
def report_restoration(
    org: Annotated[str | None, typer.Option(help="only cases of this organization")] = None,
    date_from: Annotated[
        str | None, typer.Option("--from", help="registered on or after this date")
    ] = None,
    date_to: Annotated[
        str | None, typer.Option("--to", help="registered on or before this date")
    ] = None,
    csv: Annotated[bool, typer.Option("--csv", help="print CSV (section,key,value)")] = False,
    as_json: Json = False,
) -> None:
    """Restoration cases: by category and outcome, measures on time, days to restoration,
    follow-ups and retaliation found, satisfaction."""
    from ethicsflow.models.errors import InvalidInput
    from ethicsflow.models.restoration.reports import report_csv, restoration_report

    if csv and as_json:
        raise InvalidInput("--csv and --json: choose one")
    data = restoration_report(org=org, date_from=date_from, date_to=date_to)
    if csv:
        sys.stdout.write(report_csv(data))
        return
    emit(data, as_json)
