"""Backup of an installation: the database and the issued documents in one archive.

``ethicsflow backup --out FILE`` writes one gzip-compressed tar file: ``manifest.json``
first (``manifest.py``), then the database snapshot (SQLite's online backup API, or
``pg_dump`` in ``postgres.py``), then every document a row of that snapshot names. The
snapshot comes first and the documents are listed from it, so the archive is consistent
while the platform runs; each document is hashed while it is copied, and the archive is
written to a temporary file (mode 0600) renamed to FILE at the end. README "Backup and
restore" has the whole format. Messages name files, members and tables, never personal
data.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
import time
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from ethicsflow.app.backup import postgres
from ethicsflow.app.backup.manifest import (
    CHUNK,
    DB_MEMBER,
    DOCUMENTS,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    HashingReader,
    HashingWriter,
    Kind,
    Snapshot,
    counts,
    database_kind,
    document_rows,
    sqlite_file,
)
from ethicsflow.models.db import require_schema
from ethicsflow.models.errors import EthicsflowError, InvalidInput, option
from ethicsflow.models.settings import Settings, get_settings, package_version

OUT, FORCE = option("out"), option("force")


def backup(out: Path, *, force: bool = False, settings: Settings | None = None) -> dict[str, Any]:
    """Write the archive of this installation to ``out`` (``force``: replace it).

    Returns the archive's path, size and SHA-256, the counts and the duration.
    """
    began = time.perf_counter()
    settings = settings or get_settings()
    url = settings.url
    kind = database_kind(url)
    out = Path(out).expanduser().absolute()
    if out.is_dir():
        raise InvalidInput("backup.out_is_folder", OUT, path=str(out))
    if out.exists() and not force:
        raise InvalidInput("backup.out_exists", OUT, path=str(out), force=FORCE)
    if kind == "sqlite" and out.resolve() == sqlite_file(url).resolve():
        raise InvalidInput("backup.out_is_database", OUT)
    require_schema(url)
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    try:
        if kind == "sqlite":
            snapshot = _sqlite_snapshot(url, work / "ethicsflow.db")
        else:
            snapshot = postgres.snapshot(url, work / "ethicsflow.pgdump")
        manifest = _manifest(kind, snapshot)
        temporary = work / "archive"
        digest, size = _write_archive(temporary, manifest, snapshot, settings.home / "documents")
        _publish(temporary, out, force)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {
        "archive": str(out),
        "size": size,
        "sha256": digest,
        "database": kind,
        "schema_revision": snapshot.revision,
        "counts": snapshot.counts,
        "created_at": manifest["created_at"],
        "duration_s": round(time.perf_counter() - began, 3),
    }


def _sqlite_snapshot(url: str, target: Path) -> Snapshot:
    with (
        closing(sqlite3.connect(sqlite_file(url), timeout=60)) as source,
        closing(sqlite3.connect(target)) as copy,
    ):
        source.backup(copy)  # pages=-1: the whole database in one step, one read transaction
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    engine = sa.create_engine(f"sqlite:///{target}", poolclass=sa.NullPool)
    try:
        with engine.connect() as connection:
            revision = connection.execute(sa.text("SELECT version_num FROM alembic_version"))
            return Snapshot(
                target, str(revision.scalar_one()), counts(connection), document_rows(connection)
            )
    finally:
        engine.dispose()


def _manifest(kind: Kind, snapshot: Snapshot) -> dict[str, Any]:
    sha256, size = _sha256_file(snapshot.file)
    members = {DB_MEMBER[kind]: {"sha256": sha256, "size": size}}
    for path, (digest, length) in snapshot.documents.items():
        members[DOCUMENTS + path] = {"sha256": digest, "size": length}
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "ethicsflow_version": package_version(),
        "schema_revision": snapshot.revision,
        "database": {"kind": kind, "member": DB_MEMBER[kind], **snapshot.database},
        "counts": snapshot.counts,
        "members": members,
    }


def _sha256_file(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _info(name: str, size: int, mode: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = size, mode, int(time.time())
    return info  # uid/gid 0 and no account names


def _write_archive(
    path: Path, manifest: dict[str, Any], snapshot: Snapshot, documents: Path
) -> tuple[str, int]:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as raw:
        sink = HashingWriter(raw)
        with tarfile.open(fileobj=sink, mode="w:gz", compresslevel=6) as tar:
            data = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
            tar.addfile(_info(MANIFEST, len(data), 0o444), io.BytesIO(data))
            member = manifest["database"]["member"]
            with snapshot.file.open("rb") as handle:
                tar.addfile(_info(member, manifest["members"][member]["size"], 0o600), handle)
            for relative, (sha256, size) in snapshot.documents.items():
                _add_document(tar, documents, relative, sha256, size)
        raw.flush()
        os.fsync(raw.fileno())
    return sink.digest.hexdigest(), sink.size


def _add_document(
    tar: tarfile.TarFile, documents: Path, relative: str, sha256: str, size: int
) -> None:
    """Copy one issued document into the archive, checking it against its row."""

    try:
        handle = (documents / relative).open("rb")
    except FileNotFoundError:
        raise EthicsflowError("backup.document_missing", path=relative) from None
    with handle:
        if os.fstat(handle.fileno()).st_size != size:
            raise EthicsflowError("backup.document_size_changed", path=relative, size=size)
        reader = HashingReader(handle)
        tar.addfile(_info(DOCUMENTS + relative, size, 0o444), reader)
        if reader.digest.hexdigest() != sha256 or handle.read(1):
            raise EthicsflowError("backup.document_hash_changed", path=relative)


def _publish(temporary: Path, out: Path, force: bool) -> None:
    """Rename the finished archive to ``out``; never over an existing file without force."""
    if force:
        os.replace(temporary, out)
    else:
        try:
            os.link(temporary, out)  # fails if ``out`` appeared meanwhile
        except FileExistsError:
            raise InvalidInput("backup.out_appeared", OUT, path=str(out), force=FORCE) from None
        except OSError:  # a file system without hard links
            if out.exists():
                raise InvalidInput(
                    "backup.out_appeared_no_link", OUT, path=str(out), force=FORCE
                ) from None
            os.replace(temporary, out)
    with contextlib.suppress(OSError):
        directory = os.open(out.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
