"""Restore of an archive written by ``archive.py``, verified before anything live changes.

The file is checked member by member while it is extracted into a staging folder in the
home; the extracted database is checked against the manifest (counts, every audit chain,
every document); only then, holding the home's engine lock, is the target replaced —
SQLite with its backup API in one transaction, PostgreSQL in ``postgres.py``'s one
transaction — and the documents folder swapped in. A refusal writes nothing (README
"Backup and restore" lists the refusals). Messages name files, members, tables and case
numbers, never personal data.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
import time
import zlib
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError

from ethicsflow.app.backup import postgres
from ethicsflow.app.backup.manifest import (
    CHUNK,
    DOCUMENTS,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MANIFEST_RULES,
    HashingReader,
    Kind,
    Manifest,
    Member,
    database_kind,
    sqlite_file,
)
from ethicsflow.app.backup.staging import (
    Exclusive,
    Unpacked,
    documents_swapped,
    held,
    named,
    refuse_data,
    verify,
)
from ethicsflow.models.db import alembic_config, get_engine, init_database, session_scope
from ethicsflow.models.errors import InvalidInput
from ethicsflow.models.settings import Settings, get_settings, package_version

MANIFEST_LIMIT = 64 << 20
GZIP_MAGIC = b"\x1f\x8b"
READ_ERRORS = (tarfile.TarError, EOFError, zlib.error, OSError)


def restore(
    archive: Path,
    *,
    exclusive: Exclusive,
    force: bool = False,
    settings: Settings | None = None,
) -> dict[str, Any]:
    """Restore ``archive`` into the configured database and home, verified first.

    ``exclusive(home)`` holds the home's engine lock meanwhile; ``force`` replaces a
    target that holds data. Returns the counts restored and what was checked.
    """
    began = time.perf_counter()
    settings = settings or get_settings()
    kind = database_kind(settings.url)
    archive = Path(archive).expanduser().absolute()
    if archive.is_dir():
        raise InvalidInput("restore.archive_is_folder", **named(archive))
    if not archive.is_file():
        raise InvalidInput("restore.no_such_file", **named(archive))
    live_documents = settings.home / "documents"
    if live_documents.is_symlink() or (live_documents.exists() and live_documents.is_mount()):
        raise InvalidInput("restore.documents_not_plain", folder=str(live_documents))
    staging: list[Path] = []
    new_home, done = not settings.home.exists(), False
    try:
        unpacked = _unpack(archive, kind, lambda: _staging(settings.home, staging))
        if kind == "sqlite":
            restored, replaced = _restore_sqlite(unpacked, settings, force, exclusive)
        else:
            restored, replaced = postgres.restore(unpacked, settings, force, exclusive)
        done = True
    finally:
        for path in staging:
            shutil.rmtree(path, ignore_errors=True)
        if new_home and not done:  # refused: the home made for it goes again (if empty)
            with contextlib.suppress(OSError):
                settings.home.rmdir()
    manifest = unpacked.manifest
    return {
        "archive": str(archive),
        "size": unpacked.size,
        "sha256": unpacked.sha256,
        "database": kind,
        "created_at": manifest.created_at.isoformat().replace("+00:00", "Z"),
        "made_by": manifest.ethicsflow_version,
        "schema_revision": manifest.schema_revision,
        "upgraded_to": _revisions()[1],
        "counts": restored,
        "verified": {"audit_chains": restored["cases"], "documents": restored["documents"]},
        "replaced_existing_data": replaced,
        "duration_s": round(time.perf_counter() - began, 3),
    }


def _staging(home: Path, made: list[Path]) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    made.append(Path(tempfile.mkdtemp(prefix=".restore-", dir=home)))
    return made[-1]


def _revisions() -> tuple[set[str], str]:
    """Every schema revision this code knows, and the newest."""
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return {r.revision for r in script.walk_revisions()}, str(script.get_current_head())


def _accept(archive: Path, data: bytes, kind: Kind) -> Manifest:
    """The manifest, checked: ours, readable by this version, for this database."""
    try:
        raw = json.loads(data)
    except ValueError:
        raise InvalidInput("restore.not_json", **named(archive)) from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        marker = raw.get("format") if isinstance(raw, dict) else None
        raise InvalidInput(
            "restore.foreign_format", **named(archive), found=repr(marker), expected=FORMAT
        )
    version = raw.get("format_version")
    if isinstance(version, int) and version > FORMAT_VERSION:
        raise InvalidInput(
            "restore.newer_format",
            **named(archive),
            version=version,
            reads=FORMAT_VERSION,
            made_by=str(raw.get("ethicsflow_version")),
        )
    try:
        manifest = Manifest.model_validate(raw)
    except ValidationError as exc:
        raise _manifest_refused(archive, exc) from None
    if manifest.format_version != FORMAT_VERSION:
        raise InvalidInput(
            "restore.unknown_format", **named(archive), version=manifest.format_version
        )
    theirs = manifest.database.kind
    if theirs != kind:
        raise InvalidInput(
            "restore.other_database_kind", **named(archive), theirs=theirs, ours=kind
        )
    known, head = _revisions()
    if manifest.schema_revision not in known:
        raise InvalidInput(
            "restore.unknown_revision",
            **named(archive),
            revision=manifest.schema_revision,
            version=package_version(),
            head=head,
            made_by=manifest.ethicsflow_version,
        )
    return manifest


def _manifest_refused(archive: Path, exc: ValidationError) -> InvalidInput:
    """The first thing wrong with the manifest, where in it: a rule of its validator
    keeps its code, pydantic's own checks are quoted."""
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "manifest"
    params = (first.get("ctx") or {}).get("params")
    if first["type"] in MANIFEST_RULES and isinstance(params, dict):
        return InvalidInput(first["type"], **named(archive), where=where, **params)
    detail = str(first["msg"]).removeprefix("Value error, ")
    return InvalidInput("restore.manifest_invalid", **named(archive), where=where, detail=detail)


def _unpack(archive: Path, kind: Kind, staging: Callable[[], Path]) -> Unpacked:
    """Check the archive member by member while extracting it into a staging folder
    (made only once the manifest is accepted)."""
    with archive.open("rb") as raw, contextlib.ExitStack() as stack:
        if raw.peek(2)[:2] != GZIP_MAGIC:
            raise InvalidInput("restore.not_gzip", **named(archive))
        source = HashingReader(raw)
        # gzip's own CRC catches damage tar would not see (in the padding between members)
        unzipped = stack.enter_context(gzip.GzipFile(fileobj=source, mode="rb"))
        try:
            tar = stack.enter_context(tarfile.open(fileobj=unzipped, mode="r|"))
            first = tar.next()
        except READ_ERRORS:
            raise InvalidInput("restore.not_tar", **named(archive)) from None
        if first is None or first.name != MANIFEST or not first.isfile():
            raise InvalidInput("restore.no_manifest", **named(archive))
        if first.size > MANIFEST_LIMIT:
            raise InvalidInput("restore.manifest_too_large", **named(archive))
        manifest = _accept(archive, _read_member(archive, tar, first), kind)
        if kind == "postgresql":
            postgres.tool("pg_restore", "restore.pg_tool_missing")  # before anything is written
        root = staging()
        unpacked = Unpacked(archive, manifest, root / "database", root / "documents")
        unpacked.documents.mkdir()
        seen: set[str] = set()
        while True:
            try:
                info = tar.next()
            except READ_ERRORS:
                raise InvalidInput("restore.truncated", **named(archive)) from None
            if info is None:
                break
            expected = manifest.members.get(info.name)
            if expected is None or info.name in seen or not info.isfile():
                raise InvalidInput("restore.member_unlisted", **named(archive), member=info.name)
            seen.add(info.name)
            if info.name == manifest.database.member:
                target = unpacked.database
            else:
                target = unpacked.documents / info.name.removeprefix(DOCUMENTS)
                target.parent.mkdir(parents=True, exist_ok=True)
            _extract(archive, tar, info, target, expected)
        missing = sorted(set(manifest.members) - seen)
        if missing:
            raise InvalidInput("restore.member_missing", **named(archive), member=missing[0])
        tar.close()
        try:
            while unzipped.read(CHUNK):  # to the end: the CRC is checked there
                pass
        except READ_ERRORS:
            raise InvalidInput("restore.gzip_checksum", **named(archive)) from None
        source.drain()
    unpacked.sha256, unpacked.size = source.digest.hexdigest(), source.size
    return unpacked


def _read_member(archive: Path, tar: tarfile.TarFile, info: tarfile.TarInfo) -> bytes:
    handle = tar.extractfile(info)
    assert handle is not None
    try:
        return handle.read()
    except READ_ERRORS:
        raise InvalidInput("restore.member_damaged", **named(archive), member=info.name) from None


def _extract(
    archive: Path, tar: tarfile.TarFile, info: tarfile.TarInfo, target: Path, expected: Member
) -> None:
    handle = tar.extractfile(info)
    assert handle is not None
    digest, size = hashlib.sha256(), 0
    with target.open("xb") as out:
        while True:
            try:
                chunk = handle.read(CHUNK)
            except READ_ERRORS:
                raise InvalidInput(
                    "restore.member_damaged", **named(archive), member=info.name
                ) from None
            if not chunk:
                break
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    if size != expected.size or digest.hexdigest() != expected.sha256:
        raise InvalidInput("restore.member_hash_differs", **named(archive), member=info.name)
    os.chmod(target, 0o444 if info.name.startswith(DOCUMENTS) else 0o600)


def _restore_sqlite(
    unpacked: Unpacked, settings: Settings, force: bool, exclusive: Exclusive
) -> tuple[dict[str, int], bool]:
    staged, staged_url = unpacked.database, f"sqlite:///{unpacked.database}"
    try:
        with closing(sqlite3.connect(staged)) as check:
            sound = check.execute("PRAGMA quick_check").fetchone()
            check.execute("SELECT version_num FROM alembic_version").fetchone()
        if sound is None or sound[0] != "ok":
            raise sqlite3.DatabaseError("quick_check")
        init_database(staged_url)  # an older revision is upgraded here, before the checks
        with session_scope(url=staged_url) as session:
            restored = verify(session, unpacked)
    except (sqlite3.DatabaseError, DBAPIError):
        member = unpacked.manifest.database.member
        raise InvalidInput("restore.database_unsound", **unpacked.named, member=member) from None
    finally:
        get_engine(staged_url).dispose()
    live, url = sqlite_file(settings.url), settings.url
    with exclusive(settings.home):
        rows: dict[str, int] = {}
        if live.exists():
            try:
                with get_engine(url).connect() as connection:
                    rows = held(connection)
            finally:
                get_engine(url).dispose()
        if rows and not force:
            raise refuse_data(rows)
        with documents_swapped(settings.home, unpacked.documents):
            _sqlite_install(staged, live)
    return restored, bool(rows)


def _sqlite_install(staged: Path, live: Path) -> None:
    """Write the verified copy into the live database file in one SQLite transaction."""
    live.parent.mkdir(parents=True, exist_ok=True)
    with (
        closing(sqlite3.connect(staged)) as source,
        closing(sqlite3.connect(live, timeout=60)) as target,
    ):
        page_size = source.execute("PRAGMA page_size").fetchone()[0]
        if target.execute("PRAGMA page_size").fetchone()[0] != page_size:
            target.execute("PRAGMA journal_mode=DELETE")  # WAL cannot change its page size
        source.backup(target)
