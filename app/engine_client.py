"""The local engine's life, seen from a command: find the one long-lived process that
serves this ``ETHICSFLOW_HOME``'s app on ``HOME/api.sock`` (``app/engine_server.py``, or
``ethicsflow serve``), start it on first use, stop it. A command then talks to it with
``app/client.py`` and never imports Prefect; ``ETHICSFLOW_ENGINE=inprocess`` runs the
flow in the command's own process instead. The engine's files under HOME: see
docs/engine.md.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ethicsflow.app.http_client import Client, TransportError, reachable, socket_path
from ethicsflow.app.prefect_auth import auth_string
from ethicsflow.models.errors import EthicsflowError, operation
from ethicsflow.models.installation import Installation, package_version

START_TIMEOUT = 90.0
STOP_TIMEOUT = 60.0
POLL = 0.05
ALREADY_RUNNING = 3
"""Exit status of an engine that found another engine holding the lock."""


def prefect_environment(settings: Installation) -> None:
    """Point Prefect at this home and keep its console quiet (set before import).

    While `ethicsflow serve` runs for this home, flows run against its Prefect server.
    """
    info = read_info(settings.home)
    if info is not None and info.get("mode") == "serve" and info.get("prefect_api_url"):
        os.environ.setdefault("PREFECT_API_URL", str(info["prefect_api_url"]))
    # Prefect's API asks for the home's secret: serve's server and the temporary server an
    # engine starts alike (set for both: the temporary one runs with this environment)
    auth = auth_string(settings.home, create=True)
    os.environ.setdefault("PREFECT_SERVER_API_AUTH_STRING", str(auth))
    os.environ.setdefault("PREFECT_API_AUTH_STRING", str(auth))
    os.environ.setdefault("PREFECT_HOME", str(settings.home / "prefect"))
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_FLOW_RUNS_LEVEL", "CRITICAL")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_UI_ENABLED", "false")
    # Prefect's own limit is too tight for its temporary server's first migration (see
    # docs/engine.md); below START_TIMEOUT, so a command waiting for the engine hears why.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "75")


def run_inprocess(
    op: str, params: dict[str, Any], progress: Callable[[int], None] | None = None
) -> dict[str, Any]:
    # lazy (import time): pydantic-settings (~0.14 s) only where this process runs flows
    from ethicsflow.models.settings import get_settings

    prefect_environment(get_settings())
    # imported here: Prefect reads its settings on first import; prefect_environment() sets them
    from ethicsflow.flows.commands import execute
    from ethicsflow.models.cases.operations import PROGRESS

    token = PROGRESS.set(progress)
    try:
        return execute(op, params)
    finally:
        PROGRESS.reset(token)


def _require_schema(settings: Installation) -> None:
    """Refuse at once, before Prefect or an engine starts, on a database never initialized.
    (Each operation checks it again in the engine, so a client of a running engine loads
    no SQLAlchemy.)"""
    # imported here: SQLAlchemy costs a client of a running engine ~0.25 s (docs/engine.md)
    from ethicsflow.models.db import require_schema

    require_schema(settings.url)


# --- files of an engine ------------------------------------------------------------------


def info_path(home: Path) -> Path:
    return home / "engine.json"


def lock_path(home: Path) -> Path:
    return home / "engine.lock"


def log_path(home: Path) -> Path:
    return home / "logs" / "engine.log"


def masked_url(url: str) -> str:
    """A database URL as it may be printed: the password hidden."""
    # imported here: SQLAlchemy costs a client of a running engine ~0.25 s (docs/engine.md)
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "(unreadable URL)"


def config_fingerprint(settings: Installation) -> str:
    """What an engine must share with a client: database and policy (hashed, no secrets)."""
    text = json.dumps([settings.url, str(settings.policy_file or "")])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def try_lock(home: Path, wait: float) -> int | None:
    """An open fd holding HOME's engine lock exclusively, or None when another process
    holds it for longer than ``wait`` seconds (clients' probes hold a shared lock for an
    instant, so the caller retries for a moment to get past them)."""
    home.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path(home), os.O_RDWR | os.O_CREAT, 0o600)
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except BlockingIOError:
            if time.monotonic() > deadline:
                os.close(fd)
                return None
            time.sleep(0.02)


def lock_holder(home: Path) -> int | None:
    """Pid of the engine holding HOME's lock (0: not written yet), None when none runs.

    Probes take a shared lock for an instant, so probes never block each other;
    the engine retries its exclusive lock for a moment to get past them.
    """
    try:
        fd = os.open(lock_path(home), os.O_RDONLY)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise EthicsflowError(
            "engine.lock_unreadable", path=str(lock_path(home)), reason=exc.strerror
        ) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            return int(text) if text.isdigit() else 0
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


def pid_alive(pid: int) -> bool:
    """Whether a process runs under this pid (an unreaped zombie counts as gone)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    with contextlib.suppress(OSError):
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[-1].split()[0] != "Z"
    return True


def read_info(home: Path) -> dict[str, Any] | None:
    try:
        info = json.loads(info_path(home).read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(info, dict):
        return None
    types = {"pid": int, "socket": str}
    return info if all(isinstance(info.get(k), t) for k, t in types.items()) else None


# --- asking an engine how it is ------------------------------------------------------------


def _health(settings: Installation, info: dict[str, Any]) -> dict[str, Any] | None:
    """The operator's ``GET /api/v1/health`` over the home's socket, if the engine of
    ``info`` answers it."""
    try:
        with reachable(socket_path(settings.home)) as where:
            answer = Client(uds=where, timeout=5.0).get("/api/v1/health")
            data = answer.json() if answer.status_code == 200 else None
    except (TransportError, OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("pid") == info["pid"] else None


def running_engine(settings: Installation) -> dict[str, Any] | None:
    """The engine.json of this home's engine if that engine answers, else None."""
    info = read_info(settings.home)
    if info is None or not pid_alive(int(info["pid"])) or _health(settings, info) is None:
        return None
    return info


def engine_status(settings: Installation) -> dict[str, Any] | None:
    """pid, socket, uptime_s, inflight (requests running), version, started_at; or None."""
    info = read_info(settings.home)
    health = _health(settings, info) if info else None
    if info is None or health is None:
        return None
    return {
        "pid": info["pid"],
        "socket": str(settings.home / info["socket"]),
        "home": str(settings.home),
        "uptime_s": health.get("uptime_s"),
        "inflight": health.get("inflight"),
        "version": info.get("version"),
        "started_at": info.get("started_at"),
    }


# --- starting and stopping ---------------------------------------------------------------


def ensure_engine(settings: Installation) -> dict[str, Any]:
    """The running engine of this home, started first when none answers."""
    info = running_engine(settings)
    if info is None:
        return _start(settings)
    if info.get("config") != config_fingerprint(settings):
        raise EthicsflowError(
            "engine.other_config", home=str(settings.home), stop=operation("stop", program=True)
        )
    if info.get("version") != package_version() and info.get("mode") == "serve":
        raise EthicsflowError(
            "engine.serve_version",
            serve=operation("serve", program=True),
            home=str(settings.home),
            running=str(info.get("version")),
            version=package_version(),
        )
    if info.get("version") != package_version():
        sys.stderr.write(
            f"ethicsflow: the engine for {settings.home} runs version {info.get('version')}; "
            f"restarting it for {package_version()}\n"
        )
        stop_engine(settings)
        return _start(settings)
    return info


def _spawn(settings: Installation) -> subprocess.Popen[bytes]:
    log = log_path(settings.home)
    env = {**os.environ, "ETHICSFLOW_HOME": str(settings.home)}
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(log, "ab") as out:
            return subprocess.Popen(
                [sys.executable, "-m", "ethicsflow.app.engine_server"],
                start_new_session=True,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=out,
                env=env,
            )
    except OSError as exc:
        raise EthicsflowError("engine.cannot_start", reason=str(exc)) from None


def _detach(child: subprocess.Popen[bytes]) -> None:
    """Forget a child that outlives us on purpose: never waited for, so no ResourceWarning."""
    child.returncode = 0


def _failure_in(path: Path) -> str:
    """Why an engine stopped, from the end of its log: its last error line (the engine
    writes the cause on it, before the traceback), else its last line."""
    with contextlib.suppress(OSError), open(path, "rb") as log:
        log.seek(max(0, log.seek(0, os.SEEK_END) - 65536))
        lines = log.read().decode("utf-8", "replace").strip().splitlines()
        errors = [line for line in lines if " ERROR engine: " in line]
        return (errors or lines or ["no output"])[-1].strip()
    return "no log"


def _start(settings: Installation) -> dict[str, Any]:
    """Start the engine (or wait for the one another command is starting) until it answers."""
    _require_schema(settings)
    home = settings.home
    deadline = time.monotonic() + START_TIMEOUT
    child: subprocess.Popen[bytes] | None = None
    announced = False
    try:
        while True:
            info = running_engine(settings)
            if info is not None:
                return info
            if child is not None:
                status = child.poll()
                if status is not None and status != ALREADY_RUNNING:
                    raise EthicsflowError(
                        "engine.exited_starting",
                        home=str(home),
                        status=status,
                        failure=_failure_in(log_path(home)),
                        log=str(log_path(home)),
                    )
                if status is not None:
                    child = None  # another command's engine won the lock: wait for it
                elif not announced and lock_holder(home) == child.pid:
                    sys.stderr.write(
                        f"ethicsflow: started the engine for {home} (pid {child.pid}); it keeps "
                        "running for fast commands — stop it with `ethicsflow stop`\n"
                    )
                    sys.stderr.flush()
                    announced = True
            if child is None and lock_holder(home) is None:
                child = _spawn(settings)
            if time.monotonic() > deadline:
                raise EthicsflowError(
                    "engine.start_timeout",
                    home=str(home),
                    seconds=START_TIMEOUT,
                    log=str(log_path(home)),
                )
            time.sleep(POLL)
    finally:
        if child is not None and child.poll() is None:
            _detach(child)


def stop_engine(settings: Installation) -> dict[str, Any]:
    """SIGTERM this home's engine and wait (bounded) until it has exited."""
    home = settings.home
    pid = lock_holder(home)
    deadline = time.monotonic() + 5.0
    while pid == 0 and time.monotonic() < deadline:  # lock taken, pid not written yet
        time.sleep(POLL)
        pid = lock_holder(home)
    if not pid:
        return {"stopped": False, "pid": None, "message": f"no engine running for {home}"}
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT
    while lock_holder(home) == pid or pid_alive(pid):
        if time.monotonic() > deadline:
            return {
                "stopped": False,
                "pid": pid,
                "message": f"the engine for {home} (pid {pid}) is still finishing its work; "
                "it stops when done",
            }
        time.sleep(POLL)
    return {"stopped": True, "pid": pid, "message": f"stopped the engine for {home} (pid {pid})"}
