"""`org add` and `person add`: the state bodies and the people of an installation."""

from __future__ import annotations

from typing import Annotated

import typer

from ethicsflow.app.cli_commands.common import Json, call_engine
from ethicsflow.app.output import emit

org_app = typer.Typer(help="State bodies (organizations).", no_args_is_help=True)
person_app = typer.Typer(
    help="People: filers, commissioners, heads, board members.", no_args_is_help=True
)


@org_app.command("add")
def org_add(
    code: Annotated[str, typer.Argument(help="short code, A-Z and digits; starts case numbers")],
    name: Annotated[str, typer.Option(help="name of the state body")],
    region: Annotated[str | None, typer.Option(help="region (oblast or city)")] = None,
    parent: Annotated[str | None, typer.Option(help="code of the parent organization")] = None,
    as_json: Json = False,
) -> None:
    """Add a state body."""
    data = call_engine(
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
            " (of the person's body), platform_admin (of the installation)"
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
    data = call_engine("add_person", {"values": values})
    emit(data, as_json, lambda d: f"person {d['email']} added ({', '.join(d['roles'])})")
