"""The archive's format, shared by backup (``archive.py``), restore (``restore.py``) and
their PostgreSQL side (``postgres.py``): the manifest and its members, safe member paths,
hashing readers and writers, and what a backup reads from a database snapshot (its
counts and document rows).
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any, Literal

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import Connection, Table
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

import ethicsflow.models.tables  # noqa: F401  (every table in the metadata)
from ethicsflow.models.errors import EthicsflowError, InvalidInput, rule

FORMAT = "ethicsflow-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DOCUMENTS = "documents/"
DB_MEMBER = {"sqlite": "database/ethicsflow.db", "postgresql": "database/ethicsflow.pgdump"}
COUNTED = {"cases": "case", "events": "event", "documents": "document"}
CHUNK = 1 << 20

Kind = Literal["sqlite", "postgresql"]
MANIFEST_RULES = frozenset(
    {
        "restore.manifest_database_member",
        "restore.manifest_database_unlisted",
        "restore.manifest_member_unknown",
        "restore.manifest_member_unsafe",
    }
)
"""The rules of :class:`Manifest`'s validator (restore names the archive in them)."""


# --- the manifest ------------------------------------------------------------------------


class Member(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int = Field(ge=0)


class DatabaseInfo(BaseModel):
    model_config = ConfigDict(extra="allow")  # PostgreSQL: schema, server_version, dump_tool
    kind: Kind
    member: str


class Counts(BaseModel):
    cases: int = Field(ge=0)
    events: int = Field(ge=0)
    documents: int = Field(ge=0)


class Manifest(BaseModel):
    """What ``manifest.json`` says (checked on restore)."""

    model_config = ConfigDict(extra="allow")
    format: Literal["ethicsflow-backup"]
    format_version: int
    created_at: datetime
    ethicsflow_version: str
    schema_revision: str = Field(min_length=1, max_length=64)
    database: DatabaseInfo
    counts: Counts
    members: dict[str, Member]

    @model_validator(mode="after")
    def _members(self) -> Manifest:
        if self.database.member != DB_MEMBER[self.database.kind]:
            raise rule("restore.manifest_database_member", member=DB_MEMBER[self.database.kind])
        if self.database.member not in self.members:
            raise rule("restore.manifest_database_unlisted")
        for name in self.members:
            if name != self.database.member:
                if not name.startswith(DOCUMENTS):
                    raise rule("restore.manifest_member_unknown", name=name)
                if not safe_relative(name.removeprefix(DOCUMENTS)):
                    raise rule("restore.manifest_member_unsafe", name=name)
        return self

    def documents(self) -> dict[str, Member]:
        """Archived documents by their path relative to ``HOME/documents``."""
        return {
            name.removeprefix(DOCUMENTS): member
            for name, member in self.members.items()
            if name.startswith(DOCUMENTS)
        }


def safe_relative(path: str) -> bool:
    """Whether ``path`` is a relative POSIX path that stays inside its folder."""
    pure = PurePosixPath(path)
    unsafe = not path or pure.is_absolute() or ".." in pure.parts or "\\" in path or "\0" in path
    return not unsafe


# --- what a backup reads from the database --------------------------------------------------


def database_kind(url: str) -> Kind:
    if url.startswith("sqlite"):
        return "sqlite"
    if url.startswith("postgresql"):
        return "postgresql"
    raise InvalidInput("backup.database_unsupported")


def sqlite_file(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise InvalidInput("backup.sqlite_in_memory")
    return Path(database).expanduser().absolute()


def _table(name: str) -> Table:
    return SQLModel.metadata.tables[name]


def count_rows(connection: Connection, name: str) -> int:
    query = sa.select(sa.func.count()).select_from(_table(name))
    return int(connection.execute(query).scalar_one())


def counts(connection: Connection) -> dict[str, int]:
    """Cases, events and documents in the database (0 for a table its revision lacks)."""
    present = set(sa.inspect(connection).get_table_names())
    return {
        label: count_rows(connection, name) if name in present else 0
        for label, name in COUNTED.items()
    }


def document_rows(connection: Connection) -> dict[str, tuple[str, int]]:
    """(sha256, size) of every document row by its path."""
    if not sa.inspect(connection).has_table("document"):
        return {}
    t = _table("document")
    found: dict[str, tuple[str, int]] = {}
    for path, sha256, size in connection.execute(
        sa.select(t.c.path, t.c.sha256, t.c.size).order_by(t.c.id)
    ):
        if not safe_relative(path):
            raise EthicsflowError("backup.document_path_unsafe", path=path)
        if found.setdefault(path, (sha256, size)) != (sha256, size):
            raise EthicsflowError("backup.document_rows_differ", path=path)
    return found


class HashingWriter(io.RawIOBase):
    """Passes writes on to ``raw`` and hashes them (the archive's SHA-256 and size)."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw, self.digest, self.size = raw, hashlib.sha256(), 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        view = memoryview(data).cast("B")
        self.digest.update(view)
        self.size += len(view)
        self.raw.write(view)
        return len(view)


class HashingReader(io.RawIOBase):
    """Reads from ``raw`` and hashes what it read."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw, self.digest, self.size = raw, hashlib.sha256(), 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data

    def drain(self) -> None:
        while self.read(CHUNK):
            pass


@dataclass
class Snapshot:
    """The database at one moment (a file) and what was read from that same moment."""

    file: Path
    revision: str
    counts: dict[str, int]
    documents: dict[str, tuple[str, int]]
    database: dict[str, Any] = field(default_factory=dict)
