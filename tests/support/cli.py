"""Running the installed `ethicsflow` executable and the Prefect server it talks to.

Plain helpers (the fixtures that use them are in ``tests/app/conftest.py``).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BIN = Path(sys.executable).parent
EXECUTABLE = BIN / "ethicsflow"
SERVER_START_DEADLINE = 90.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(what: str, check: Callable[[], Any], timeout: float = 60.0) -> Any:
    """Poll ``check()`` until it returns something true (and return it); fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.05)


def clean_environment() -> dict[str, str]:
    """This process's environment without any Prefect or ethicsflow settings."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "ETHICSFLOW_"))}


@dataclass(frozen=True)
class PrefectServer:
    api_url: str
    client_home: Path
    """PREFECT_HOME for the CLI processes (profiles, local storage)."""


def wait_healthy(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_DEADLINE
    while True:
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"Prefect server not healthy after {SERVER_START_DEADLINE}s:\n"
                + log.read_text(errors="replace")[-3000:]
            )
        try:  # the poll interval doubles as a check that the server is still alive
            process.wait(timeout=0.25)
        except subprocess.TimeoutExpired:
            continue
        raise RuntimeError(
            f"Prefect server exited with {process.returncode}:\n"
            + log.read_text(errors="replace")[-3000:]
        )


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        """The whole of stdout as exactly one JSON document (else a failure that says what
        the command printed on stderr, and its exit code)."""
        try:
            return json.loads(self.out)
        except ValueError:
            raise AssertionError(
                f"stdout is not one JSON document (exit {self.code}): {self.out[:500]!r}; "
                f"stderr: {self.err[-2000:]!r}"
            ) from None


@dataclass(frozen=True)
class Cli:
    """Runs `ethicsflow ARGS...` as a real process; checks exit code and stderr."""

    env: dict[str, str]
    cwd: Path

    def run(self, *args: str | Path, stdin: str | None = None) -> Result:
        """``stdin``: text the command reads (default: none, stdin is /dev/null)."""
        proc = subprocess.run(
            [str(EXECUTABLE), *map(str, args)],
            env=self.env,
            cwd=self.cwd,
            **({"input": stdin} if stdin is not None else {"stdin": subprocess.DEVNULL}),
            capture_output=True,
            encoding="utf-8",
            timeout=120,
            check=False,
        )
        assert "Traceback" not in proc.stderr, proc.stderr
        return Result(proc.returncode, proc.stdout, proc.stderr)

    def ok(self, *args: str | Path, stdin: str | None = None) -> Result:
        result = self.run(*args, stdin=stdin)
        assert result.code == 0, f"ethicsflow {' '.join(map(str, args))}: {result}"
        return result

    def json(self, *args: str | Path, stdin: str | None = None) -> Any:
        """Run with --json; exit 0 and stdout is exactly one JSON document."""
        return self.ok(*args, "--json", stdin=stdin).json()

    def fails(self, code: int, *args: str | Path, stdin: str | None = None) -> str:
        """Run, expect exit `code`, one `error: ...` line first on stderr, nothing on
        stdout; return the error message."""
        result = self.run(*args, stdin=stdin)
        assert result.code == code, f"ethicsflow {' '.join(map(str, args))}: {result}"
        assert result.err.startswith("error: "), result.err
        assert result.out == "", result.out
        return result.err.splitlines()[0].removeprefix("error: ")


def cli_environment(server: PrefectServer, home: Path, db_url: str) -> dict[str, str]:
    return clean_environment() | {
        "ETHICSFLOW_ENGINE": "inprocess",
        "ETHICSFLOW_HOME": str(home),
        "ETHICSFLOW_DATABASE_URL": db_url,
        "PREFECT_API_URL": server.api_url,
        "PREFECT_HOME": str(server.client_home),
        "PYTHONIOENCODING": "utf-8",
    }
