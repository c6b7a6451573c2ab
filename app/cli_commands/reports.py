"""`report restoration`: the restoration report over many cases (table, CSV or JSON)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from ethicsflow.app.cli_commands.common import Json, api_get
from ethicsflow.app.output import emit
from ethicsflow.models.errors import InvalidInput, option

report_app = typer.Typer(help="Reports over many cases.", no_args_is_help=True)


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
    if csv and as_json:
        raise InvalidInput("platform.report_csv_or_json", csv=option("csv"), json=option("json"))
    query = {"org": org, "from": date_from, "to": date_to}
    if csv:
        # lazy (import time): httpx loads only for commands that talk to the API
        from ethicsflow.app.client import with_api

        query["format"] = "csv"
        text = with_api(lambda api: api.content("/reports/restoration", query))
        sys.stdout.write(text.decode("utf-8"))
        return
    emit(api_get("/reports/restoration", **query), as_json)
