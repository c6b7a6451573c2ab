"""Backup and restore (app/backup/) on SQLite and PostgreSQL, with real files,
real threads writing meanwhile and the real engine lock; no mocks.

A restore goes into a fresh home and database (``target``) or back over the source
(``--force``); every refusal is checked to have written nothing.
"""

from __future__ import annotations

import fcntl
import gzip
import hashlib
import io
import json
import os
import re
import sqlite3
import tarfile
import threading
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel, select

from ethicsflow.app.backup.archive import backup
from ethicsflow.app.backup.manifest import FORMAT
from ethicsflow.app.backup.restore import restore
from ethicsflow.app.cli_commands.backup import hold_engine_lock
from ethicsflow.app.engine_client import lock_path
from ethicsflow.app.errors import message as cli_message
from ethicsflow.models.audit.tables import Event
from ethicsflow.models.cases import operations, views
from ethicsflow.models.cases.tables import Case
from ethicsflow.models.db import get_engine, schema_revision, session_scope
from ethicsflow.models.documents import render_document
from ethicsflow.models.documents.tables import Document
from ethicsflow.models.errors import Conflict, EthicsflowError, InvalidInput
from ethicsflow.models.settings import Settings, get_settings
from tests.support import factories as f

# --- helpers -------------------------------------------------------------------------------


def populate(cases: int = 3) -> list[str]:
    """Cases with a few audit events each and an issued document (the coupon)."""
    b = f.body()
    numbers = []
    for _ in range(cases):
        number = f.complaint(b)["number"]
        operations.act(number, "accept", b.commissioner, {})
        render_document({"number": number, "kind": "coupon"})
        numbers.append(number)
    return numbers


@pytest.fixture
def target(restore_target: tuple[Path, str]) -> Settings:
    """A fresh home and an empty database of the same kind as the test's."""
    home, url = restore_target
    return Settings(home=home, database_url=url)


def rows(url: str) -> dict[str, int] | None:
    """Rows of every table (None: the database was never initialized)."""
    if schema_revision(url) is None:
        return None
    with session_scope(url=url) as session:
        return {
            table.name: int(session.exec(select(func.count()).select_from(table)).one())
            for table in SQLModel.metadata.sorted_tables
        }


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def state(settings: Settings) -> dict[str, Any]:
    """Everything a restore could write: database bytes (SQLite) and rows, documents."""
    out: dict[str, Any] = {"rows": rows(settings.url)}
    if settings.url.startswith("sqlite"):
        path = Path(str(make_url(settings.url).database))
        if path.exists():
            get_engine(settings.url).dispose()  # (get_engine makes the folder: not before)
            with closing(sqlite3.connect(path)) as conn:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            out["db"] = sha(path.read_bytes())
        else:
            out["db"] = None
    docs = settings.home / "documents"
    out["documents"] = (
        {
            str(p.relative_to(docs)): (sha(p.read_bytes()), p.stat().st_mode)
            for p in sorted(docs.rglob("*"))
            if p.is_file()
        }
        if docs.exists()
        else None
    )
    leftovers = list(settings.home.glob(".restore-*")) if settings.home.exists() else []
    assert not leftovers, leftovers
    return out


def refused(
    settings: Settings, error: type[Exception], match: str, attempt: Callable[[], object]
) -> str:
    """``attempt`` raises ``error`` whose CLI message matches ``match`` and writes nothing."""
    before = state(settings)
    with pytest.raises(error) as info:
        attempt()
    assert state(settings) == before
    assert isinstance(info.value, EthicsflowError)
    text = cli_message(info.value)
    assert re.search(match, text), text
    return text


def restore_into(settings: Settings | None, archive: Path, force: bool = False) -> dict[str, Any]:
    return restore(archive, exclusive=hold_engine_lock, force=force, settings=settings)


def read_members(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive, "r:gz") as tar:
        out = {}
        for info in tar.getmembers():
            handle = tar.extractfile(info)
            assert handle is not None
            out[info.name] = handle.read()
        return out


def pack(path: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def edit_manifest(members: dict[str, bytes], change: Callable[[dict[str, Any]], None]) -> None:
    manifest = json.loads(members["manifest.json"])
    change(manifest)
    members["manifest.json"] = json.dumps(manifest).encode()


def verified(url: str, numbers: list[str]) -> None:
    with session_scope(url=url) as session:
        for number in numbers:
            report = views.history(session, number, verify=True)
            assert report["verified"], (number, report["problem"])


def documents_match(settings: Settings) -> int:
    """Every document row of the database has its file, read-only, with its SHA-256."""
    with session_scope(url=settings.url) as session:
        documents = session.exec(select(Document)).all()
    for document in documents:
        path = settings.home / "documents" / document.path
        assert sha(path.read_bytes()) == document.sha256
        assert path.stat().st_mode & 0o777 == 0o444
    return len(documents)


@pytest.fixture
def archive(home: Path, tmp_path: Path) -> Path:
    """A backup of three cases with their documents."""
    populate(3)
    out = tmp_path / "backup.tar.gz"
    backup(out)
    return out


# --- round trip ------------------------------------------------------------------------------


def test_backup_then_restore_into_a_fresh_home_keeps_every_chain_and_document(
    home: Path, target: Settings, tmp_path: Path
) -> None:
    numbers = populate(3)
    source = get_settings()
    out = tmp_path / "archives" / "backup.tar.gz"
    made = backup(out)
    assert made["counts"] == {"cases": 3, "events": made["counts"]["events"], "documents": 3}
    assert made["counts"]["events"] >= 9
    data = out.read_bytes()
    assert (made["size"], made["sha256"]) == (len(data), sha(data))
    assert out.stat().st_mode & 0o777 == 0o600  # personal data
    assert [p.name for p in out.parent.iterdir()] == ["backup.tar.gz"]  # no temporary left

    members = read_members(out)
    assert next(iter(members)) == "manifest.json"
    manifest = json.loads(members["manifest.json"])
    assert manifest["format"] == FORMAT and manifest["format_version"] == 1
    assert manifest["created_at"].endswith("Z")
    assert manifest["schema_revision"] == schema_revision(source.url)
    assert manifest["database"]["kind"] == ("sqlite" if "sqlite" in source.url else "postgresql")
    assert manifest["counts"] == made["counts"]
    assert set(manifest["members"]) == set(members) - {"manifest.json"}
    for name, entry in manifest["members"].items():
        assert entry == {"sha256": sha(members[name]), "size": len(members[name])}
    assert sum(name.startswith("documents/") for name in members) == 3

    result = restore_into(target, out)
    assert result["counts"] == made["counts"]
    assert result["verified"] == {"audit_chains": 3, "documents": 3}
    assert result["sha256"] == made["sha256"] and not result["replaced_existing_data"]
    assert rows(target.url) == rows(source.url)
    verified(target.url, numbers)
    assert documents_match(target) == 3
    for name, data in members.items():
        if name.startswith("documents/"):
            assert (target.home / name).read_bytes() == data
    assert not list(target.home.glob(".restore-*"))


def test_backup_while_cases_are_filed_restores_one_consistent_moment(
    home: Path, target: Settings, tmp_path: Path
) -> None:
    b = f.body()
    running, stop = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def write() -> None:
        try:
            while not stop.is_set():
                number = f.complaint(b)["number"]
                render_document({"number": number, "kind": "coupon"})  # file, then its row
                operations.act(number, "accept", b.commissioner, {})
                running.set()
        except BaseException as exc:  # reported by the test
            failures.append(exc)
            running.set()

    def cases() -> int:
        with session_scope() as session:
            return int(session.exec(select(func.count()).select_from(Case)).one())

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    try:
        assert running.wait(60)
        for attempt in range(20):  # until a backup ran while a case was being filed
            out = tmp_path / f"backup-{attempt}.tar.gz"
            before = cases()
            made = backup(out)
            after = cases()
            if after > before:
                break
    finally:
        stop.set()
        writer.join(60)
    assert not failures, failures
    assert after > before, "the writer never wrote during a backup"
    assert before <= made["counts"]["cases"] <= after

    result = restore_into(target, out)
    assert before <= result["counts"]["cases"] <= after
    with session_scope(url=target.url) as session:
        numbers = [c.number for c in session.exec(select(Case)).all()]
        events = int(session.exec(select(func.count()).select_from(Event)).one())
    assert len(numbers) == result["counts"]["cases"] and events == result["counts"]["events"]
    verified(target.url, numbers)
    assert documents_match(target) == result["counts"]["documents"]


def test_restore_over_data_needs_force_and_then_replaces_it(
    home: Path, archive: Path, tmp_path: Path
) -> None:
    source = get_settings()
    at_backup = rows(source.url)
    later = populate(1)[0]  # a case and a document the archive does not have
    message = refused(source, Conflict, "already holds data", lambda: restore_into(None, archive))
    assert "--force" in message and "case 4" in message

    result = restore_into(None, archive, force=True)
    assert result["replaced_existing_data"] and result["counts"]["cases"] == 3
    assert rows(source.url) == at_backup
    with session_scope() as session:
        assert later not in {c.number for c in session.exec(select(Case)).all()}
        verified(source.url, [c.number for c in session.exec(select(Case)).all()])
    assert not (source.home / "documents" / later).exists()
    assert documents_match(source) == 3


# --- refusals of the file ---------------------------------------------------------------------


def flip_byte(archive: Path, tmp_path: Path) -> Path:
    data = bytearray(archive.read_bytes())
    data[len(data) * 3 // 4] ^= 0xFF  # past the manifest: inside the members
    return pack_bytes(tmp_path / "flipped.tar.gz", bytes(data))


def truncate(archive: Path, tmp_path: Path) -> Path:
    data = archive.read_bytes()
    return pack_bytes(tmp_path / "truncated.tar.gz", data[: len(data) * 2 // 3])


def changed_member(archive: Path, tmp_path: Path) -> Path:
    members = read_members(archive)
    name = next(n for n in members if n.startswith("documents/"))
    members[name] = members[name][:-1] + bytes([members[name][-1] ^ 1])
    return pack(tmp_path / "changed.tar.gz", members)


def missing_member(archive: Path, tmp_path: Path) -> Path:
    members = read_members(archive)
    del members[next(n for n in members if n.startswith("documents/"))]
    return pack(tmp_path / "missing.tar.gz", members)


def extra_member(archive: Path, tmp_path: Path) -> Path:
    members = read_members(archive)
    members["documents/X-2026-00001/evil.docx"] = b"not listed"
    return pack(tmp_path / "extra.tar.gz", members)


def flip_in_padding(archive: Path, tmp_path: Path) -> Path:
    """A byte flipped where tar itself never looks (the padding after the manifest):
    only gzip's checksum shows it."""
    plain = gzip.decompress(archive.read_bytes())
    size = tarfile.TarInfo.frombuf(plain[:512], "utf-8", "surrogateescape").size
    assert size % 512, "no padding after the manifest"
    stored = bytearray(gzip.compress(plain, compresslevel=0))  # bytes as they are
    stored[stored.find(plain[:2048]) + 512 + size] ^= 0xFF
    return pack_bytes(tmp_path / "padding.tar.gz", bytes(stored))


def pack_bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "damage",
    [flip_byte, flip_in_padding, truncate, changed_member, missing_member, extra_member],
)
def test_restore_refuses_a_corrupt_archive_and_writes_nothing(
    home: Path, archive: Path, tmp_path: Path, damage: Callable[[Path, Path], Path]
) -> None:
    damaged = damage(archive, tmp_path)
    source = get_settings()  # restore over the live data, --force: still nothing is written
    message = refused(
        source, InvalidInput, "corrupt", lambda: restore_into(None, damaged, force=True)
    )
    assert str(damaged) in message and "nothing was restored" in message


def test_restore_refuses_a_document_that_is_not_the_one_on_record(
    home: Path, archive: Path, target: Settings, tmp_path: Path
) -> None:
    members = read_members(archive)
    name = next(n for n in members if n.startswith("documents/"))
    members[name] = b"another file"

    def rehash(manifest: dict[str, Any]) -> None:  # the archive itself is consistent
        manifest["members"][name] = {"sha256": sha(b"another file"), "size": 12}

    edit_manifest(members, rehash)
    forged = pack(tmp_path / "forged.tar.gz", members)
    message = refused(
        target, InvalidInput, "not the one on record", lambda: restore_into(target, forged)
    )
    assert name in message


def test_restore_refuses_a_broken_audit_chain(home: Path, target: Settings, tmp_path: Path) -> None:
    number = populate(2)[0]
    with session_scope(write=True) as session:
        case = session.exec(select(Case).where(Case.number == number)).one()
        event = session.exec(select(Event).where(Event.case_id == case.id, Event.seq == 2)).one()
        event.payload = json.dumps({"edited": True})
        session.add(event)
    out = tmp_path / "tampered.tar.gz"
    backup(out)  # a copy of what is there, tampering included
    message = refused(target, InvalidInput, "audit chain", lambda: restore_into(target, out))
    assert number in message and "event 2" in message


def foreign(tmp_path: Path, archive: Path) -> dict[str, tuple[Path, str]]:
    members = read_members(archive)
    other = dict(members)
    edit_manifest(other, lambda m: m.update(format="someone-elses-backup"))
    newer = dict(members)
    edit_manifest(newer, lambda m: m.update(format_version=99))
    unknown = dict(members)
    edit_manifest(unknown, lambda m: m.update(schema_revision="9999"))
    no_members = dict(members)
    edit_manifest(no_members, lambda m: m.pop("members"))
    not_json = dict(members) | {"manifest.json": b"{not json"}
    without = {k: v for k, v in members.items() if k != "manifest.json"}
    tmp_path.mkdir()
    random = tmp_path / "random.bin"
    random.write_bytes(os.urandom(4096))
    return {
        "random bytes": (random, "not an ethicsflow backup"),
        "no file": (tmp_path / "nowhere.tar.gz", "no such file"),
        "a folder": (tmp_path, "is a folder"),
        "no manifest": (pack(tmp_path / "t1.tar.gz", without), "not an ethicsflow backup"),
        "other format": (pack(tmp_path / "t2.tar.gz", other), "someone-elses-backup"),
        "not json": (pack(tmp_path / "t3.tar.gz", not_json), "not an ethicsflow backup"),
        "no members": (pack(tmp_path / "t4.tar.gz", no_members), "members"),
        "newer format": (pack(tmp_path / "t5.tar.gz", newer), "newer ethicsflow"),
        "unknown revision": (pack(tmp_path / "t6.tar.gz", unknown), "'9999' is unknown"),
    }


def test_restore_refuses_a_foreign_file_and_writes_nothing(
    home: Path, archive: Path, target: Settings, tmp_path: Path
) -> None:
    for what, (path, match) in foreign(tmp_path / "foreign", archive).items():
        message = refused(target, InvalidInput, match, lambda p=path: restore_into(target, p))
        assert message.startswith("FILE"), what
    assert not target.home.exists()  # not even the home was made


def test_restore_refuses_a_backup_of_the_other_database_kind(
    home: Path, archive: Path, target: Settings, tmp_path: Path
) -> None:
    members = read_members(archive)
    manifest = json.loads(members["manifest.json"])
    ours = manifest["database"]["kind"]
    theirs = "postgresql" if ours == "sqlite" else "sqlite"
    member = {"sqlite": "database/ethicsflow.db", "postgresql": "database/ethicsflow.pgdump"}
    members[member[theirs]] = members.pop(member[ours])

    def other_kind(m: dict[str, Any]) -> None:
        m["database"] = {"kind": theirs, "member": member[theirs]}
        m["members"][member[theirs]] = m["members"].pop(member[ours])

    edit_manifest(members, other_kind)
    forged = pack(tmp_path / "other.tar.gz", members)
    message = refused(
        target, InvalidInput, f"holds a {theirs} database", lambda: restore_into(target, forged)
    )
    assert f"is {ours}" in message


# --- refusals of the target ---------------------------------------------------------------------


def test_restore_refuses_while_an_engine_holds_the_lock(
    home: Path, archive: Path, target: Settings
) -> None:
    target.home.mkdir(parents=True)
    fd = os.open(lock_path(target.home), os.O_RDWR | os.O_CREAT, 0o600)  # as the engine does
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        message = refused(target, Conflict, "stop it first", lambda: restore_into(target, archive))
        assert f"pid {os.getpid()}" in message
        assert rows(target.url) is None
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
    assert restore_into(target, archive)["counts"]["cases"] == 3


# --- refusals of the backup ---------------------------------------------------------------------


def test_backup_refuses_to_overwrite_without_force(home: Path, tmp_path: Path) -> None:
    populate(1)
    out = tmp_path / "kept.tar.gz"
    out.write_bytes(b"an older archive")
    with pytest.raises(InvalidInput) as info:
        backup(out)
    assert re.search(r"--out: .* exists; .*--force", cli_message(info.value))
    assert out.read_bytes() == b"an older archive"
    made = backup(out, force=True)
    assert sha(out.read_bytes()) == made["sha256"]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


@pytest.mark.parametrize("fault", ["missing", "changed"])
def test_backup_fails_when_a_document_file_is_missing_or_changed(
    home: Path, tmp_path: Path, fault: str
) -> None:
    number = populate(2)[1]
    path = home / "documents" / number / "coupon-ru-v1.docx"
    if fault == "missing":
        path.unlink()
    else:
        data = path.read_bytes()
        path.chmod(0o644)
        path.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    out = tmp_path / "out" / "backup.tar.gz"
    with pytest.raises(EthicsflowError) as info:
        backup(out)
    assert re.search(f"document {number}/coupon-ru-v1.docx .*{fault}", cli_message(info.value))
    assert list(out.parent.iterdir()) == []  # neither the archive nor a temporary


def test_backup_of_an_uninitialized_database_says_run_init(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, database_url=f"sqlite:///{tmp_path / 'none.db'}")
    with pytest.raises(InvalidInput) as info:
        backup(tmp_path / "b.tar.gz", settings=settings)
    assert "ethicsflow init" in cli_message(info.value)
    assert not (tmp_path / "none.db").exists() and not (tmp_path / "b.tar.gz").exists()


def test_restore_upgrades_a_backup_of_an_older_schema_revision(
    db_url: str, target: Settings, tmp_path: Path
) -> None:
    from alembic import command

    from ethicsflow.models.db import alembic_config

    with get_engine(db_url).begin() as connection:
        config = alembic_config(db_url)
        config.attributes["connection"] = connection
        command.upgrade(config, "0005")
    source = Settings(home=tmp_path / "old", database_url=db_url)
    out = tmp_path / "old.tar.gz"
    assert backup(out, settings=source)["schema_revision"] == "0005"

    result = restore_into(target, out)
    assert result["schema_revision"] == "0005"
    assert result["upgraded_to"] == schema_revision(target.url) != "0005"


def test_libpq_keeps_the_password_off_the_command_line() -> None:
    from ethicsflow.app.backup.postgres import libpq

    conninfo, env = libpq(
        "postgresql+psycopg://ops:s3cr%27et@db.example:6432/ef?options=-csearch_path%3Dapp"
        "&sslmode=require"
    )
    assert "s3cr" not in conninfo and env == {"PGPASSWORD": "s3cr'et"}
    assert conninfo == (
        "host='db.example' port='6432' dbname='ef' user='ops'"
        " options='-csearch_path=app' sslmode='require'"
    )
