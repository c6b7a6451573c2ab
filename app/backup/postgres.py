"""The PostgreSQL side of backup and restore (``archive.py``, ``restore.py``).

**Backup.** One REPEATABLE READ transaction exports its snapshot
(``pg_export_snapshot()``), reads the Alembic revision, the counts and the document rows
in it, and stays open while ``pg_dump -Fc -E UTF8 --schema=<ours> --snapshot=<it>``
dumps the schema the application's tables live in (``current_schema()`` of the
configured URL, so a URL with ``?options=-csearch_path%3D<schema>`` dumps that schema).
The dump and the list of documents are the same moment. The SQLAlchemy URL is handed to
pg_dump as a libpq conninfo string; a password goes through ``PGPASSWORD``, never the
command line.

**Restore, and why not ``pg_restore --single-transaction`` into the target.** pg_restore
recreates the schema the dump was taken from — it cannot put it into the schema of the
configured URL — and with ``--single-transaction`` it commits before the audit chains
could be checked, so a failed check would leave unverified data live. Here pg_restore
only *reads* the dump (``--data-only --use-list=<tables in foreign-key order>`` to
stdout; no server connection) and everything else happens in ONE transaction on the
target: lock the application's tables (waiting at most ``LOCK_TIMEOUT``) and refuse if
they hold data without ``force``, drop them, create the tables of the archive's schema revision
with the Alembic migrations, COPY each table's rows (table and column names checked
against that revision), reset the sequences, upgrade to this code's newest revision,
verify every audit chain and document row (``staging.verify``), swap the
documents folder in and only then COMMIT (the folder is put back if the COMMIT fails).
A failed check rolls everything back: the target never holds unverified or
half-restored data. The price: only what the migrations create is restored (indexes or
grants a DBA added by hand are not), and the load is one transaction as large as the
database.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import alembic.command
import sqlalchemy as sa
from psycopg import Error, sql
from sqlalchemy import Connection, MetaData
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, SQLModel

from ethicsflow.app.backup.manifest import Snapshot, counts, document_rows
from ethicsflow.app.backup.staging import (
    Exclusive,
    Unpacked,
    documents_swapped,
    held,
    refuse_data,
    verify,
)
from ethicsflow.models.db import alembic_config, get_engine
from ethicsflow.models.errors import Conflict, EthicsflowError, InvalidInput, Param, operation
from ethicsflow.models.settings import Settings

LOCK_TIMEOUT = "30s"
"""How long a restore waits for another session's lock on a table before it gives up."""
TOC_DATA = re.compile(r"^\d+; \d+ \d+ TABLE DATA (\S+) (\S+)(?: .*)?$")
IDENTIFIER = r'(?:"(?:[^"]|"")+"|[^".\s(),]+)'
COPY = re.compile(rf"^COPY {IDENTIFIER}\.({IDENTIFIER}) \((.*)\) FROM stdin;$")
COLUMN = re.compile(rf"({IDENTIFIER})(?:, |$)")
HARMLESS = (b"--", b"SET ", b"SELECT pg_catalog.set_config(", b"\\restrict ", b"\\unrestrict ")
"""Lines of pg_restore's script that are not data (``\\restrict``: the guard of newer psql)."""


def tool(name: str, missing: str) -> str:
    """The path of the PostgreSQL client program ``name``, or InvalidInput ``missing``
    (the code that says what needs it)."""
    found = shutil.which(name)
    if found is None:
        raise InvalidInput(missing, tool=name)
    return found


def libpq(url: str) -> tuple[str, dict[str, str]]:
    """The SQLAlchemy URL as a libpq conninfo string, and the environment for its password."""
    parsed = make_url(url)
    params = {
        key: str(value)
        for key, value in (
            ("host", parsed.host),
            ("port", parsed.port),
            ("dbname", parsed.database),
            ("user", parsed.username),
        )
        if value not in (None, "")
    }
    env = {"PGPASSWORD": str(parsed.password)} if parsed.password else {}
    for key, value in parsed.query.items():
        value = value[-1] if isinstance(value, tuple) else value
        if key == "password":
            env["PGPASSWORD"] = value
        else:
            params[key] = value  # options (search_path), sslmode ...: libpq's own names

    def quote(value: str) -> str:
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"

    return " ".join(f"{key}={quote(value)}" for key, value in params.items()), env


def run(
    command: list[str], env: dict[str, str], codes: tuple[str, str], **params: Param
) -> subprocess.CompletedProcess[bytes]:
    """Run ``command``; ``codes``: the errors it cannot run and it failed, with ``params``."""
    unrunnable, failed = codes
    try:
        done = subprocess.run(
            command,
            env={**os.environ, **env},
            stdin=subprocess.DEVNULL,
            capture_output=True,
            check=False,
        )
    except OSError as exc:
        raise EthicsflowError(unrunnable, reason=str(exc.strerror), **params) from None
    if done.returncode != 0:
        raise EthicsflowError(failed, status=done.returncode, stderr=said(done.stderr), **params)
    return done


def said(stderr: bytes) -> str:
    lines = [line.strip() for line in stderr.decode(errors="replace").splitlines()]
    return "; ".join(line for line in lines if line)[:400] or "no message"


# --- backup ----------------------------------------------------------------------------------


def snapshot(url: str, target: Path) -> Snapshot:
    """Dump the application's schema to ``target`` and read the same moment's facts."""
    pg_dump = tool("pg_dump", "backup.pg_tool_missing")
    conninfo, env = libpq(url)
    with get_engine(url).connect() as connection:
        connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            exported = connection.execute(sa.text("SELECT pg_export_snapshot()")).scalar_one()
            schema = str(connection.execute(sa.text("SELECT current_schema()")).scalar_one())
            server = str(connection.execute(sa.text("SHOW server_version")).scalar_one())
            revision = connection.execute(sa.text("SELECT version_num FROM alembic_version"))
            taken = Snapshot(
                target, str(revision.scalar_one()), counts(connection), document_rows(connection)
            )
            pattern = '"' + schema.replace('"', '""') + '"'  # exactly this schema
            run(
                [
                    pg_dump,
                    "--format=custom",
                    "--encoding=UTF8",
                    "--no-password",
                    "--lock-wait-timeout=60s",
                    f"--schema={pattern}",
                    f"--snapshot={exported}",
                    f"--file={target}",
                    f"--dbname={conninfo}",
                ],
                env,
                ("backup.pg_dump_unrunnable", "backup.pg_dump_failed"),
                server=server,
            )
    checked = run(
        [pg_dump, "--version"],
        {},
        ("backup.tool_unrunnable", "backup.tool_failed"),
        program="pg_dump --version",
    )
    version = checked.stdout.decode().strip()
    taken.database = {"schema": schema, "server_version": server, "dump_tool": version}
    return taken


# --- restore ---------------------------------------------------------------------------------


def restore(
    unpacked: Unpacked, settings: Settings, force: bool, exclusive: Exclusive
) -> tuple[dict[str, int], bool]:
    """Load the verified dump into the configured database; see the module docstring."""
    pg_restore = tool("pg_restore", "restore.pg_tool_missing")
    made_by = unpacked.manifest.database.model_extra or {}
    listing = subprocess.run(
        [pg_restore, "--list", str(unpacked.database)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        check=False,
    )
    if listing.returncode != 0:
        raise InvalidInput(
            "restore.pg_dump_unreadable",
            **unpacked.named,
            stderr=said(listing.stderr),
            dump_tool=str(made_by.get("dump_tool", "unknown")),
        )
    entries: dict[str, str] = {}
    for line in listing.stdout.decode(errors="replace").splitlines():
        found = TOC_DATA.match(line)
        if found:
            entries[found.group(2)] = line
    url = settings.url
    with exclusive(settings.home), get_engine(url).connect() as connection:
        transaction = connection.begin()
        try:
            restored, rows = _load(connection, url, pg_restore, entries, unpacked, force)
            with documents_swapped(settings.home, unpacked.documents):
                transaction.commit()
        except OperationalError as exc:
            if type(exc.orig).__name__ != "LockNotAvailable":
                raise
            raise Conflict(
                "restore.database_in_use", timeout=LOCK_TIMEOUT, serve=operation("serve")
            ) from None
        finally:
            if transaction.is_active:
                transaction.rollback()
    return restored, bool(rows)


def _load(
    connection: Connection,
    url: str,
    pg_restore: str,
    entries: dict[str, str],
    unpacked: Unpacked,
    force: bool,
) -> tuple[dict[str, int], dict[str, int]]:
    """Everything up to the COMMIT, in the caller's transaction."""
    schema = connection.execute(sa.text("SELECT current_schema()")).scalar()
    if schema is None:
        raise InvalidInput("restore.no_schema")
    connection.execute(sa.text(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'"))
    quote = connection.dialect.identifier_preparer.quote
    ours = sorted(
        name
        for name in sa.inspect(connection).get_table_names()
        if name in SQLModel.metadata.tables or name == "alembic_version"
    )
    rows: dict[str, int] = {}
    if ours:
        names = ", ".join(map(quote, ours))
        connection.execute(sa.text(f"LOCK TABLE {names} IN ACCESS EXCLUSIVE MODE"))
        rows = held(connection)
        if rows and not force:
            raise refuse_data(rows)
        connection.execute(sa.text(f"DROP TABLE {names}"))
    config = alembic_config(url)
    config.attributes["connection"] = connection
    alembic.command.upgrade(config, unpacked.manifest.schema_revision)
    tables = set(sa.inspect(connection).get_table_names()) - {"alembic_version"}
    unknown = sorted(set(entries) - tables - {"alembic_version"})
    if unknown:
        raise InvalidInput(
            "restore.dump_unknown_table",
            **unpacked.named,
            table=unknown[0],
            revision=unpacked.manifest.schema_revision,
        )
    metadata = MetaData()
    metadata.reflect(bind=connection, only=sorted(tables))
    order = [table for table in metadata.sorted_tables if table.name in entries]
    _copy_rows(connection, pg_restore, [entries[t.name] for t in order], metadata, unpacked)
    for table in metadata.sorted_tables:
        _reset_sequence(connection, table, quote)
    alembic.command.upgrade(config, "head")
    with Session(bind=connection) as session:
        return verify(session, unpacked), rows


def _copy_rows(
    connection: Connection,
    pg_restore: str,
    listed: list[str],
    metadata: MetaData,
    unpacked: Unpacked,
) -> None:
    """Stream the dump's rows of the listed tables, in that order, into COPY."""
    with tempfile.TemporaryDirectory(dir=unpacked.database.parent) as work:
        use_list = Path(work) / "tables.list"
        use_list.write_text("".join(f"{line}\n" for line in listed))
        errors = Path(work) / "stderr"
        command = [
            pg_restore,
            "--data-only",
            f"--use-list={use_list}",
            "--file=-",
            str(unpacked.database),
        ]
        driver: Any = connection.connection.driver_connection
        table = ""
        with (
            errors.open("wb") as stderr,
            subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=stderr
            ) as process,
        ):
            assert process.stdout is not None
            try:
                lines = iter(process.stdout)
                with driver.cursor() as cursor:
                    cursor.execute("SET LOCAL client_encoding = 'UTF8'")  # pg_dump -E UTF8
                    for line in lines:
                        if not line.startswith(b"COPY "):
                            if line.strip() and not line.startswith(HARMLESS):
                                raise InvalidInput("restore.dump_statement", **unpacked.named)
                            continue
                        table, columns = _copy_target(line, metadata, unpacked)
                        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
                            sql.Identifier(table),
                            sql.SQL(", ").join(map(sql.Identifier, columns)),
                        )
                        with cursor.copy(statement) as copy:
                            for row in lines:
                                if row == b"\\.\n":
                                    break
                                copy.write(row)
                            else:
                                raise InvalidInput(
                                    "restore.dump_ends_early", **unpacked.named, table=table
                                )
            except Error as exc:  # its message may quote row values: only the class and code
                process.kill()
                raise InvalidInput(
                    "restore.dump_rows_fail",
                    **unpacked.named,
                    table=table,
                    error=type(exc).__name__,
                    sqlstate=str(exc.sqlstate),
                ) from None
            except BaseException:
                process.kill()
                raise
        if process.returncode != 0:
            raise InvalidInput(
                "restore.dump_unreadable", **unpacked.named, stderr=said(errors.read_bytes())
            )


def _copy_target(line: bytes, metadata: MetaData, unpacked: Unpacked) -> tuple[str, list[str]]:
    """The table and columns of a dump's ``COPY schema.table (a, b) FROM stdin;`` line,
    checked against the tables just created."""
    found = COPY.match(line.decode(errors="replace").rstrip("\n"))
    if found is None:
        raise InvalidInput("restore.dump_copy_line", **unpacked.named)
    table = _unquote(found.group(1))
    columns = [_unquote(name) for name in COLUMN.findall(found.group(2))]
    known = metadata.tables.get(table)
    if known is None or not columns or not set(columns) <= set(known.columns.keys()):
        raise InvalidInput("restore.dump_rows_misfit", **unpacked.named, table=table)
    return table, columns


def _unquote(identifier: str) -> str:
    if identifier.startswith('"'):
        return identifier[1:-1].replace('""', '"')
    return identifier


def _reset_sequence(connection: Connection, table: sa.Table, quote: Any) -> None:
    """Point the table's id sequence past the restored rows."""
    key = list(table.primary_key.columns)
    if len(key) != 1:
        return
    sequence = connection.execute(
        sa.text("SELECT pg_get_serial_sequence(:table, :column)"),
        {"table": quote(table.name), "column": key[0].name},
    ).scalar()
    if sequence is None:
        return
    highest = f"SELECT COALESCE(MAX({quote(key[0].name)}), 0) + 1 FROM {quote(table.name)}"
    connection.execute(
        sa.text(f"SELECT setval(CAST(:sequence AS regclass), ({highest}), false)"),
        {"sequence": sequence},
    )
