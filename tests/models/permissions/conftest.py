"""One database per test module (on SQLite and on PostgreSQL), for tests that only read
what they build themselves: the worlds of ``tests/support/permissions.py`` are built with
unique data, so no test depends on another or on their order."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from ethicsflow.models.db import init_database
from tests.support.db import fresh_pg_schema
from tests.support.permissions import World, world


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def module_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """An initialized installation for the whole module: its home and database URL in the
    environment while the module's tests run."""
    home: Path = tmp_path_factory.mktemp("permissions")
    with contextlib.ExitStack() as stack:
        if request.param == "sqlite":
            url = f"sqlite:///{home / 'ethicsflow.db'}"
        else:
            url = stack.enter_context(fresh_pg_schema())
        patch = stack.enter_context(pytest.MonkeyPatch.context())
        patch.setenv("ETHICSFLOW_HOME", str(home))
        patch.setenv("ETHICSFLOW_DATABASE_URL", url)
        patch.setenv("ETHICSFLOW_ENGINE", "inprocess")
        init_database(url)
        yield url


@pytest.fixture(scope="module")
def shared_world(module_db: str) -> World:
    """One case and one person per relation, shared by the module's read-only tests."""
    return world()
