"""Shared fixtures: a fresh database per test, on SQLite and on PostgreSQL.

PostgreSQL tests use 127.0.0.1:5432 (user postgres, database test) with a
fresh schema per test; where the server is not reachable they are skipped
with the reason shown in the summary (pytest -ra).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.db import fresh_pg_schema


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh, empty schema."""
    with fresh_pg_schema() as url:
        yield url


@pytest.fixture
def restore_target(db_url: str, tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """Another home and an empty database of the test's kind (where a backup goes back)."""
    home = tmp_path / "restored"
    if db_url.startswith("sqlite"):
        yield home, f"sqlite:///{home / 'ethicsflow.db'}"
        return
    with fresh_pg_schema("r") as url:
        yield home, url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ethicsflow.db'}"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def home(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An initialized installation: ETHICSFLOW_HOME and the database of this test."""
    from ethicsflow.models.db import init_database

    monkeypatch.setenv("ETHICSFLOW_HOME", str(tmp_path))
    monkeypatch.setenv("ETHICSFLOW_DATABASE_URL", db_url)
    monkeypatch.setenv("ETHICSFLOW_ENGINE", "inprocess")
    init_database(db_url)
    return tmp_path
