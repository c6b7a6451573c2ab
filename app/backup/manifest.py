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
from ethicsflow.models.errors import EthicsflowError, InvalidInput

FORMAT = "ethicsflow-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DOCUMENTS = "documents/"
DB_MEMBER = {"sqlite": "database/ethicsflow.db", "postgresql": "database/ethicsflow.pgdump"}
COUNTED = {"cases": "case", "events": "event", "documents": "document"}
CHUNK = 1 << 20

Kind = Literal["sqlite", "postgresql"]


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
            raise ValueError(f"database.member must be {DB_MEMBER[self.database.kind]}")
        if self.database.member not in self.members:
            raise ValueError("members: the database is not listed")
        for name in self.members:
            if name != self.database.member:
                if not name.startswith(DOCUMENTS):
                    raise ValueError(f"members: {name!r} is neither the database nor a document")
                safe_relative(name.removeprefix(DOCUMENTS), f"members: {name!r}")
        return self

    def documents(self) -> dict[str, Member]:
        """Archived documents by their path relative to ``HOME/documents``."""
        return {
            name.removeprefix(DOCUMENTS): member
            for name, member in self.members.items()
            if name.startswith(DOCUMENTS)
        }


def safe_relative(path: str, what: str) -> PurePosixPath:
    """A relative POSIX path inside its folder, or ValueError naming ``what``."""
    pure = PurePosixPath(path)
    if not path or pure.is_absolute() or ".." in pure.parts or "\\" in path or "\0" in path:
        raise ValueError(f"{what}: not a safe relative path")
    return pure


# --- what a backup reads from the database --------------------------------------------------


def database_kind(url: str) -> Kind:
    if url.startswith("sqlite"):
        return "sqlite"
    if url.startswith("postgresql"):
        return "postgresql"
    raise InvalidInput("ETHICSFLOW_DATABASE_URL: backup and restore know SQLite and PostgreSQL")


def sqlite_file(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise InvalidInput("ETHICSFLOW_DATABASE_URL: an in-memory SQLite database has no file")
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
        try:
            safe_relative(path, f"document {path!r}")
        except ValueError as exc:
            raise EthicsflowError(f"backup: {exc}; the archive was not written") from None
        if found.setdefault(path, (sha256, size)) != (sha256, size):
            raise EthicsflowError(f"backup: two document rows name {path} with other contents")
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
