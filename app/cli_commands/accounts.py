"""`account set-password`, `account invite` and `token create/list/revoke`.

They run in the CLI process straight against the database, like `init`, never through
the engine: they carry secrets (a password, a raw token), and the engine's operations
become Prefect flow runs whose parameters Prefect stores. A password is read from
stdin only (`--password-stdin`), never from the command line, where other users and
the shell's history would see it; a raw token or link is printed once.
"""

from __future__ import annotations

import sys
from datetime import date, datetime, timedelta
from typing import Annotated, Any

import typer

from ethicsflow.app.cli_commands.common import Json
from ethicsflow.app.output import emit, fail

account_app = typer.Typer(
    help="Accounts: set a password, invite a person to set one (run here, not in the engine).",
    no_args_is_help=True,
)
token_app = typer.Typer(
    help="API tokens for the REST API: create (shown once), list, revoke.",
    no_args_is_help=True,
)

Email = Annotated[str, typer.Argument(help="e-mail of the person")]


@account_app.command("set-password")
def set_password(
    email: Email,
    password_stdin: Annotated[
        bool,
        typer.Option(
            "--password-stdin",
            help="read the password from the first line of stdin (required: a password"
            " is never taken from the command line)",
        ),
    ] = False,
    as_json: Json = False,
) -> None:
    """Set a person's password (at least 12 characters), read from stdin."""
    if not password_stdin:
        fail(
            "--password-stdin: required: the password is read from stdin, never taken from"
            " the command line (e.g. `ethicsflow account set-password EMAIL --password-stdin"
            " < file`)",
            2,
        )
    password = _read_password()
    # lazy (import time): argon2, SQLAlchemy and SQLModel load only for account commands
    from ethicsflow.models.accounts import operations

    data = operations.set_password(email, password)
    emit(data, as_json, lambda d: f"password set for {d['email']}")


def _read_password() -> str:
    """One line of stdin without its line break (a prompt without echo on a terminal)."""
    if sys.stdin.isatty():
        # lazy (import time): getpass only when a person types the password
        from getpass import getpass

        return getpass("password: ")
    return sys.stdin.readline().removesuffix("\n").removesuffix("\r")


@account_app.command("invite")
def invite(
    email: Email,
    hours: Annotated[
        int, typer.Option(min=1, max=720, help="how long the link is valid, in hours")
    ] = 72,
    as_json: Json = False,
) -> None:
    """Print a one-time link with which the person sets a password (ETHICSFLOW_PUBLIC_URL)."""
    # lazy (import time): argon2, SQLAlchemy and SQLModel load only for account commands
    from ethicsflow.models.accounts import operations

    raw, expires_at = operations.invite(email, ttl=timedelta(hours=hours))
    data = {
        "email": email.strip().lower(),
        "link": operations.invitation_link(raw),
        "expires_at": expires_at.isoformat(),
    }
    emit(data, as_json, _invite_text)


def _invite_text(d: dict[str, Any]) -> str:
    return (
        f"{d['link']}\n"
        f"one-time link for {d['email']} to set a password; valid until"
        f" {_local(d['expires_at'])}"
    )


@token_app.command("create")
def token_create(
    email: Email,
    name: Annotated[str, typer.Option(help="what the token is for, e.g. the machine using it")],
    expires: Annotated[
        str | None,
        typer.Option(help="last day the token works, YYYY-MM-DD (default: it does not expire)"),
    ] = None,
    as_json: Json = False,
) -> None:
    """Create an API token of a person; it is printed once, only its SHA-256 is kept."""
    last_day = None
    if expires is not None:
        try:
            last_day = date.fromisoformat(expires)
        except ValueError:
            fail(f"--expires {expires!r}: expected a date YYYY-MM-DD, e.g. 2027-06-30", 2)
    # lazy (import time): argon2, SQLAlchemy and SQLModel load only for token commands
    from ethicsflow.models.accounts import tokens

    raw, row = tokens.create_token(email, name, expires=last_day)
    emit({"token": raw, **row, "shown_once": True}, as_json, _created_text)


def _created_text(d: dict[str, Any]) -> str:
    until = f"works until {_local(d['expires_at'])}" if d["expires_at"] else "does not expire"
    return (
        f"{d['token']}\n"
        f"API token {d['id']} ({d['name']}) of {d['email']}, {until}\n"
        "this token is shown once: store it now (ethicsflow keeps only its SHA-256)"
    )


@token_app.command("list")
def token_list(
    email: Annotated[str | None, typer.Argument(help="only this person's tokens")] = None,
    as_json: Json = False,
) -> None:
    """List API tokens: id, first characters, name, person, status, times (never the token)."""
    # lazy (import time): argon2, SQLAlchemy and SQLModel load only for token commands
    from ethicsflow.models.accounts import tokens

    emit(tokens.list_tokens(email), as_json, _list_text)


def _list_text(rows: list[dict[str, Any]]) -> str:
    lines = []
    for r in rows:
        used = f"last used {_moment(r['last_used_at'])}" if r["last_used_at"] else "never used"
        until = f"expires {_moment(r['expires_at'])}" if r["expires_at"] else "no expiry"
        lines.append(
            f"{r['id']:>5} {r['prefix']}…  {r['status']:<8} {r['name']}  {r['email']}"
            f"  created {_moment(r['created_at'])}, {until}, {used}"
        )
    if lines:
        lines.append(f"(times in {_zone()})")
    return "\n".join(lines) or "no API tokens"


@token_app.command("revoke")
def token_revoke(
    token_id: Annotated[int, typer.Argument(metavar="ID", help="token id (`token list` shows it)")],
    as_json: Json = False,
) -> None:
    """Revoke an API token at once (revoking it again changes nothing)."""
    # lazy (import time): argon2, SQLAlchemy and SQLModel load only for token commands
    from ethicsflow.models.accounts import tokens

    data = tokens.revoke_token(token_id)
    emit(
        data,
        as_json,
        lambda d: (
            f"API token {d['id']} ({d['name']}) of {d['email']} revoked {_local(d['revoked_at'])}"
        ),
    )


def _local(iso: str) -> str:
    """A stored moment in the policy's time zone: ``2026-12-31 23:59 (Asia/Almaty)``."""
    return f"{_moment(iso)} ({_zone()})"


def _moment(iso: str) -> str:
    """A stored moment in the policy's time zone, without the zone's name."""
    # lazy (import time): zoneinfo only when a time is shown
    from zoneinfo import ZoneInfo

    return f"{datetime.fromisoformat(iso).astimezone(ZoneInfo(_zone())):%Y-%m-%d %H:%M}"


def _zone() -> str:
    # lazy (import time): the policy file is read only when a time is shown
    from ethicsflow.models.policy import load_policy

    return load_policy().zone
