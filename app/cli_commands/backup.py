"""`ethicsflow backup` and `ethicsflow restore` (the work is in ``app/backup/``)."""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from ethicsflow.app.cli_commands.common import Json
from ethicsflow.app.output import emit
from ethicsflow.models.errors import Conflict, operation

LOCK_WAIT = 1.0
"""Seconds to get past the shared lock a client's probe holds for an instant."""


def backup_command(
    out: Annotated[
        Path,
        typer.Option(
            "--out", metavar="FILE", help="the archive to write (.tar.gz); must not exist"
        ),
    ],
    force: Annotated[bool, typer.Option("--force", help="replace FILE if it exists")] = False,
    as_json: Json = False,
) -> None:
    """Write the database and the issued documents into one archive, consistent while the
    platform runs."""
    # lazy (import time): the backup package loads SQLAlchemy, SQLModel, psycopg and alembic
    from ethicsflow.app.backup.archive import backup

    emit(backup(out, force=force), as_json, _backup_text)


def restore_command(
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help="an archive written by `ethicsflow backup`")
    ],
    force: Annotated[
        bool, typer.Option("--force", help="replace a database that already holds data")
    ] = False,
    as_json: Json = False,
) -> None:
    """Restore an archive into this home and database, verified first (audit chains,
    document hashes); refused while an engine or `serve` runs for this home."""
    # lazy (import time): the backup package loads SQLAlchemy, SQLModel, psycopg and alembic
    from ethicsflow.app.backup.restore import restore

    emit(restore(file, force=force, exclusive=hold_engine_lock), as_json, _restore_text)


@contextlib.contextmanager
def hold_engine_lock(home: Path) -> Iterator[None]:
    """Hold HOME's engine lock (``engine.lock``) for a restore: refused while an engine or
    `serve` holds it, and none can start meanwhile (it finds the lock taken and stops).
    The file's content (the last engine's pid) is left as it is."""
    # lazy (import time): the engine client loads pydantic; here only `restore` needs it
    from ethicsflow.app.engine_client import lock_holder, try_lock

    def running(pid: int | None) -> Conflict:
        return Conflict(
            "restore.engine_running",
            pid=str(pid or "unknown"),
            serve_program=operation("serve", program=True),
            stop=operation("stop", program=True),
            serve=operation("serve"),
        )

    holder = lock_holder(home)
    if holder is not None:
        raise running(holder)
    fd = try_lock(home, LOCK_WAIT)
    if fd is None:
        raise running(lock_holder(home))
    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n / 1e3:.1f} kB"


def _backup_text(d: dict[str, Any]) -> str:
    c = d["counts"]
    return (
        f"backup written: {d['archive']} ({_size(d['size'])}, sha256 {d['sha256']})\n"
        f"  {c['cases']} cases, {c['events']} events, {c['documents']} documents; "
        f"{d['database']} database at schema {d['schema_revision']}; {d['duration_s']} s"
    )


def _restore_text(d: dict[str, Any]) -> str:
    c = d["counts"]
    replaced = "; the data that was there is replaced" if d["replaced_existing_data"] else ""
    return (
        f"restored {c['cases']} cases, {c['events']} events, {c['documents']} documents from "
        f"{d['archive']} (made {d['created_at']} by ethicsflow {d['made_by']}){replaced}\n"
        f"  every audit chain and document SHA-256 verified; schema {d['schema_revision']}"
        f" → {d['upgraded_to']}; {d['duration_s']} s"
    )
