"""`ethicsflow backup` and `ethicsflow restore` through the installed executable.

Neither command runs a flow, so these tests need no Prefect server: the data is made
in-process with the factories, the commands under test run as real processes.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from ethicsflow.app.engine_client import lock_path
from ethicsflow.models.cases import operations
from ethicsflow.models.db import schema_revision
from ethicsflow.models.documents import render_document
from tests.support import factories as f
from tests.support.cli import Cli, clean_environment


def cli_for(home: Path, url: str, cwd: Path) -> Cli:
    env = clean_environment() | {
        "ETHICSFLOW_ENGINE": "inprocess",
        "ETHICSFLOW_HOME": str(home),
        "ETHICSFLOW_DATABASE_URL": url,
        "PYTHONIOENCODING": "utf-8",
    }
    return Cli(env=env, cwd=cwd)


def populate() -> list[str]:
    b = f.body()
    numbers = []
    for _ in range(2):
        number = f.complaint(b)["number"]
        operations.act(number, "accept", b.commissioner, {})
        render_document({"number": number, "kind": "coupon"})
        numbers.append(number)
    return numbers


def test_backup_and_restore_json_then_history_verifies(
    home: Path, db_url: str, restore_target: tuple[Path, str], tmp_path: Path
) -> None:
    numbers = populate()
    source = cli_for(home, db_url, home)
    out = tmp_path / "backups" / "ethicsflow.tar.gz"
    made = source.json("backup", "--out", out)
    assert made["archive"] == str(out) and made["size"] == out.stat().st_size
    assert made["counts"]["cases"] == 2 and made["counts"]["documents"] == 2
    assert set(made) >= {"sha256", "schema_revision", "database", "duration_s"}
    assert "--out" in source.fails(2, "backup", "--out", out)

    target = cli_for(*restore_target, tmp_path)
    restored = target.json("restore", out)
    assert restored["counts"] == made["counts"]
    assert restored["verified"] == {"audit_chains": 2, "documents": 2}
    assert restored["sha256"] == made["sha256"]
    assert target.json("case", "history", numbers[0], "--verify")["verified"] is True
    assert target.ok("case", "history", numbers[1], "--verify").err == ""
    assert (restore_target[0] / "documents" / numbers[0] / "coupon-ru-v1.docx").read_bytes() == (
        home / "documents" / numbers[0] / "coupon-ru-v1.docx"
    ).read_bytes()

    assert "--force" in target.fails(3, "restore", out)  # it holds data now
    text = target.ok("restore", out, "--force").out
    assert text.startswith("restored 2 cases") and "the data that was there is replaced" in text
    again = source.ok("backup", "--out", out, "--force").out
    assert again.startswith(f"backup written: {out}")


def test_restore_refusals_exit_codes_and_write_nothing(
    home: Path, db_url: str, restore_target: tuple[Path, str], tmp_path: Path
) -> None:
    populate()
    archive = tmp_path / "a.tar.gz"
    cli_for(home, db_url, home).ok("backup", "--out", archive)
    target = cli_for(*restore_target, tmp_path)
    random = tmp_path / "random.bin"
    random.write_bytes(os.urandom(2048))
    assert "not an ethicsflow backup" in target.fails(2, "restore", random, "--json")
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    assert "corrupt" in target.fails(2, "restore", truncated, "--json")
    assert not restore_target[0].exists()  # not even the home

    restore_target[0].mkdir()
    fd = os.open(
        lock_path(restore_target[0]), os.O_RDWR | os.O_CREAT, 0o600
    )  # as the engine holds it
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        message = target.fails(3, "restore", archive, "--json")
        assert "stop it first" in message and str(os.getpid()) in message
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
    assert (
        schema_revision(restore_target[1]) is None
        and not (restore_target[0] / "documents").exists()
    )
    assert "history" not in target.fails(2, "restore")  # FILE is required: a usage error
