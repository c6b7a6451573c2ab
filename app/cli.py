"""The `ethicsflow` command line (DESIGN §5): assembles the command groups of
``app/cli_commands/`` into one Typer app and runs it.

Reads go straight to the database; every change goes through the engine as a
Prefect flow run (``app/engine_client.py``). Domain errors become
``error: ...`` on stderr and the exit codes of DESIGN §5; never a traceback.
"""

from __future__ import annotations

import os
import sys

import typer

from ethicsflow.app import errors
from ethicsflow.app.cli_commands import platform
from ethicsflow.app.cli_commands.accounts import account_app, token_app
from ethicsflow.app.cli_commands.backup import backup_command, restore_command
from ethicsflow.app.cli_commands.boards import board_app, doc_app, templates_app
from ethicsflow.app.cli_commands.cases import case_app
from ethicsflow.app.cli_commands.notifications import notify_app
from ethicsflow.app.cli_commands.people import org_app, person_app
from ethicsflow.app.cli_commands.policy import policy_app
from ethicsflow.app.cli_commands.reports import report_app
from ethicsflow.models.errors import EthicsflowError

app = typer.Typer(
    help="ethicsflow: ethics-commissioner cases of the civil service of Kazakhstan.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# `ethicsflow --help` lists the commands in this order, then the groups in theirs
app.command("backup")(backup_command)
app.command("restore")(restore_command)
app.command("init")(platform.init)
app.command("sweep")(platform.sweep)
app.command("demo")(platform.demo)
app.command("serve")(platform.serve)
app.command("status")(platform.status)
app.command("stop")(platform.stop)
app.add_typer(org_app, name="org")
app.add_typer(person_app, name="person")
app.add_typer(case_app, name="case")
app.add_typer(policy_app, name="policy")
app.add_typer(notify_app, name="notify")
app.add_typer(board_app, name="board")
app.add_typer(doc_app, name="doc")
app.add_typer(templates_app, name="templates")
app.add_typer(report_app, name="report")
app.add_typer(account_app, name="account")
app.add_typer(token_app, name="token")


def _unexpected(exc: Exception) -> str:
    # sqlalchemy.exc only when a command loaded it (import time: see docs/engine.md)
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
        sys.stderr.write(f"error: {errors.message(exc)}\n")
        sys.exit(errors.exit_code(exc))
    except KeyboardInterrupt:
        sys.stderr.write("error: interrupted\n")
        sys.exit(130)
    except Exception as exc:  # a bug or an unreachable service: one line, not a traceback
        if os.environ.get("ETHICSFLOW_DEBUG"):
            raise
        sys.stderr.write(f"error: {_unexpected(exc)}\n")
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)
