"""`board`, `doc` and `templates` commands: Ethics Boards and generated documents."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from ethicsflow.app.cli_commands.common import Json, Number, api_get, call_engine, segment
from ethicsflow.app.errors import message
from ethicsflow.app.output import emit
from ethicsflow.models.errors import InvalidInput, option

board_app = typer.Typer(
    help="Ethics Boards of the regions and their members.", no_args_is_help=True
)
member_app = typer.Typer(help="Members of a board.", no_args_is_help=True)
board_app.add_typer(member_app, name="member")
doc_app = typer.Typer(
    help="Word documents of a case (kk/ru/en): render, list the issued versions.",
    no_args_is_help=True,
)
templates_app = typer.Typer(help="Document templates (.docx).", no_args_is_help=True)

BoardCode = Annotated[str, typer.Argument(help="short code of the board, A-Z and digits")]


@board_app.command("add")
def board_add(
    code: BoardCode,
    name: Annotated[str, typer.Option(help="name of the board")],
    region: Annotated[str, typer.Option(help="region whose cases it hears (one board each)")],
    secretary: Annotated[str, typer.Option(help="e-mail of the secretary (does not vote)")],
    as_json: Json = False,
) -> None:
    """Add the Ethics Board of a region."""
    values = {"code": code, "name": name, "region": region, "secretary": secretary}
    data = call_engine("add_board", {"values": values})
    emit(data, as_json, lambda d: f"board {d['code']} added for {d['region']}")


@member_app.command("add")
def board_member_add(
    code: BoardCode,
    email: Annotated[str, typer.Argument(help="e-mail of the member")],
    chair: Annotated[bool, typer.Option("--chair", help="the member chairs the board")] = False,
    as_json: Json = False,
) -> None:
    """Add a member to a board (at most one chair)."""
    data = call_engine(
        "add_board_member", {"values": {"code": code, "email": email, "chair": chair}}
    )
    emit(
        data,
        as_json,
        lambda d: f"{email.strip().lower()} added to {d['code']} ({len(d['members'])} members)",
    )


@board_app.command("list")
def board_list(as_json: Json = False) -> None:
    """List the boards with their secretary and members."""
    emit(api_get("/boards"), as_json, _boards_text)


def _boards_text(rows: list[dict[str, Any]]) -> str:
    lines = []
    for b in rows:
        lines.append(
            f"{b['code']}  {b['name']}  region: {b['region']}  secretary: {b['secretary']}"
        )
        for m in b["members"]:
            lines.append(f"    {m['email']:<32} {m['name']}{'  (chair)' if m['chair'] else ''}")
        if not b["members"]:
            lines.append("    no members yet (`board member add`)")
    return "\n".join(lines) or "no boards"


@doc_app.command("render")
def doc_render(
    number: Number,
    kind: Annotated[
        str,
        typer.Argument(
            help="coupon, acknowledgment, extension_notice, forwarding_notice,"
            " explanation_request, board_decision, hearing_minutes, formal_request, answer,"
            " measures_letter"
        ),
    ],
    out: Annotated[Path, typer.Option(help="where to write a copy of the issued document")],
    language: Annotated[
        str | None, typer.Option(help="kk, ru or en (default: the case's language)")
    ] = None,
    format: Annotated[str, typer.Option("--format", help="docx or pdf (LibreOffice)")] = "docx",
    by: Annotated[str | None, typer.Option(help="e-mail of the author (recorded)")] = None,
    to: Annotated[
        str | None,
        typer.Option(help="measures_letter: only the measures of this responsible person"),
    ] = None,
    as_json: Json = False,
) -> None:
    """Issue a document of the case (stored with its SHA-256) and copy it to --out."""
    # lazy (import time): httpx loads only for commands that talk to the API
    from ethicsflow.app.client import Api, with_api

    target = out.expanduser().absolute()
    if target.is_dir():  # refused before anything is issued
        raise InvalidInput(
            "document.out_is_folder",
            option("out"),
            out=str(target),
            example=str(target / f"{number.strip().upper()}-{kind}.{format}"),
        )
    body = {"kind": kind, "language": language, "format": format, "to": to}

    def issue(api: Api) -> tuple[dict[str, Any], bytes]:
        data = api.request("POST", f"/cases/{segment(number)}/documents", body=body, act_for=by)
        return data, api.content(f"/documents/{int(data['id'])}")

    data, content = with_api(issue)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    except OSError as exc:
        raise InvalidInput(
            "document.out_unwritable",
            option("out"),
            out=str(target),
            reason=str(exc.strerror or exc),
        ) from None
    emit({**data, "out": str(target)}, as_json, _rendered_text)


def _rendered_text(d: dict[str, Any]) -> str:
    state = "issued" if d["created"] else "unchanged, already issued"
    return (
        f"{d['kind']} ({d['language']}, {d['format']}) version {d['version']} {state}:"
        f" sha256 {d['sha256'][:16]}…  {d['size']} bytes\n  written to {d['out']}"
    )


@doc_app.command("list")
def doc_list(number: Number, as_json: Json = False) -> None:
    """List every issued document of the case, all versions."""
    emit(api_get(f"/cases/{segment(number)}/documents")["documents"], as_json, _documents_text)


def _documents_text(rows: list[dict[str, Any]]) -> str:
    lines = [
        f"{r['kind']:<20} {r['language']} {r['format']:<4} v{r['version']:<3}"
        f" {r['sha256'][:12]}  {r['size']:>7} B  {str(r['created_at'])[:19]}  {r['created_by']}"
        for r in rows
    ]
    return "\n".join(lines) or "no documents issued"


@templates_app.command("check")
def templates_check(as_json: Json = False) -> None:
    """Validate every document template: parses, variables known, all three languages."""
    # lazy (import time): docxtpl, Jinja2 and the database layer load only for this command
    from ethicsflow.models.documents.render import check_templates

    problems = check_templates()
    data: dict[str, Any] = {"ok": not problems, "problems": [_problem(p) for p in problems]}
    if problems:
        if as_json:
            emit(data, as_json)
        for problem in problems:
            sys.stderr.write(f"error: {problem.where}: {_problem_message(problem)}\n")
        raise typer.Exit(2)
    emit(data, as_json, lambda d: "all templates ok: kk, ru and en for every kind")


def _problem(problem: Any) -> dict[str, Any]:
    return {
        "file": str(problem.file),
        "kind": problem.kind,
        "variable": problem.variable,
        "message": _problem_message(problem),
    }


def _problem_message(problem: Any) -> str:
    """Why a template is wrong: a load error as the CLI words errors, else the check's
    own text (a plain record, not an error)."""
    return message(problem.error) if problem.error is not None else str(problem.message)
