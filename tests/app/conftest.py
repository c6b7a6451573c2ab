"""Fixtures for tests that run the installed `ethicsflow` executable.

One real Prefect server is started for the whole session (a flow run against
it costs ~2 s per CLI process instead of ~6 s against a temporary server); each
test gets a `cli` runner whose environment points at that server and at the
test's own home and database (the ``home`` fixture: SQLite and PostgreSQL).
"""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.cli import (
    BIN,
    Cli,
    PrefectServer,
    clean_environment,
    cli_environment,
    free_port,
    wait_healthy,
)


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrefectServer]:
    root = tmp_path_factory.mktemp("prefect-server")
    port = free_port()
    url = f"http://127.0.0.1:{port}/api"
    env = clean_environment() | {
        "PREFECT_HOME": str(root / "server"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_UI_ENABLED": "false",
        "PREFECT_LOGGING_LEVEL": "WARNING",
    }
    log_path = root / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: teardown stops all of it
        )
        try:
            wait_healthy(process, url, log_path)
            yield PrefectServer(api_url=url, client_home=root / "client")
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()


@pytest.fixture
def cli(home: Path, db_url: str, prefect_server: PrefectServer) -> Cli:
    """The CLI on this test's initialized home and database, against the session's server."""
    return Cli(env=cli_environment(prefect_server, home, db_url), cwd=home)
