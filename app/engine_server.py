"""The background engine: one long-lived process per ETHICSFLOW_HOME that serves the
home's API to its operator and runs flows warm.

``python -m ethicsflow.app.engine_server`` (started by the CLI on first use,
``app/engine_client.py``) holds the home's engine lock, warms Prefect up, and serves the
FastAPI app (``app/api/``) on the Unix socket ``HOME/api.sock`` (mode 0600) until
``ethicsflow stop``, a signal or the idle timeout. Importing it does not import Prefect.
Its life cycle and files: see docs/engine.md.
"""

from __future__ import annotations

import contextlib
import logging
import logging.handlers
import os
import signal
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ethicsflow.app.api.server import ServerThread, bind_socket
from ethicsflow.app.engine_client import (
    ALREADY_RUNNING,
    config_fingerprint,
    engine_status,
    info_path,
    lock_holder,
    log_path,
    package_version,
    prefect_environment,
    stop_engine,
)
from ethicsflow.app.engine_host import (
    acquire_lock,
    release_lock,
    stop_leftovers,
    warm_up,
    write_info,
)
from ethicsflow.app.http_client import SOCKET_NAME, socket_path
from ethicsflow.models.settings import Settings, get_settings

__all__ = ["engine_status", "main", "operator_server", "stop_engine"]

IDLE_ENV = "ETHICSFLOW_ENGINE_IDLE_SECONDS"
OP_GRACE = 1800.0
"""How long a stopping engine lets the requests in flight finish."""

log = logging.getLogger("ethicsflow.engine")


def operator_server(home: Path) -> tuple[ServerThread, Any]:
    """The app on ``HOME/api.sock`` for the operator, not started; and its host, which
    counts the requests in flight."""
    # imported here: FastAPI and the routes load once Prefect's settings are set
    from ethicsflow.app.api.app import create_app
    from ethicsflow.app.api.auth import OperatorSocket
    from ethicsflow.app.api.host import Host, Tracked

    host = Host(home)
    app = OperatorSocket(Tracked(create_app(host), host))
    sock = bind_socket(socket_path(home))
    return ServerThread(app, "", 0, name="api-socket", sock=sock), host


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def _setup_logging(home: Path) -> None:
    path = log_path(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=10_000_000, backupCount=3)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s engine: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
    # the app's own failures (ethicsflow.api) and uvicorn's (a request it could not serve)
    for name in ("ethicsflow.api", "uvicorn.error"):
        logging.getLogger(name).addHandler(handler)


def _idle_seconds() -> float:
    raw = os.environ.get(IDLE_ENV, "3600")
    try:
        value = float(raw)
    except ValueError:
        raise SystemExit(f"ethicsflow engine: {IDLE_ENV}={raw!r} is not a number") from None
    return max(value, 0.0)


def _stop_prefect_server() -> None:
    """Stop Prefect's temporary server (if we started one) while we still hold the lock;
    the case events queued by the last commits are sent to it first."""
    if "prefect.server.api.server" not in sys.modules:
        return
    with contextlib.suppress(Exception):
        # imported here: loaded only when a flow ran (Prefect's server is up, checked above)
        from ethicsflow.flows.events import flush

        flush(5)
    with contextlib.suppress(Exception):
        # imported here: loaded only when a flow ran (Prefect's server is up, checked above)
        from prefect.server.api.server import SubprocessASGIServer

        SubprocessASGIServer().stop()


def serve(settings: Settings, idle_seconds: float) -> int:
    """Run the engine of ``settings.home`` until a signal or the idle timeout; exit status."""
    home = settings.home
    home.mkdir(parents=True, exist_ok=True)
    locked = acquire_lock(home)
    if locked is None:
        holder = lock_holder(home) or "unknown"
        sys.stderr.write(
            f"ethicsflow engine: another engine already runs for {home} (pid {holder}); "
            "stop it with `ethicsflow stop`\n"
        )
        return ALREADY_RUNNING
    fd, previous = locked
    stopping: list[str] = []

    def on_signal(signum: int, _frame: Any) -> None:
        stopping.append(signal.Signals(signum).name)  # only a flag: safe in a handler

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        _setup_logging(home)
        log.info("starting pid=%d version=%s", os.getpid(), package_version())
        info_path(home).unlink(missing_ok=True)  # left by an engine that died
        stop_leftovers(home, previous)
        began = time.perf_counter()
        prefect_environment(settings)
        warm_up()
        if stopping:
            log.info("stopped before serving (%s)", stopping[0])
            return 0
        return _serve(settings, began, idle_seconds, stopping)
    except Exception as error:
        cause = f"{type(error).__name__}: {error}".splitlines()[0][:500]
        log.error("engine failed: %s\n%s", cause, traceback.format_exc())
        return 1
    finally:
        info_path(home).unlink(missing_ok=True)
        _stop_prefect_server()
        release_lock(fd)
        log.info("stopped")


def _serve(settings: Settings, began: float, idle_seconds: float, stopping: list[str]) -> int:
    home = settings.home
    server, host = operator_server(home)
    server.start()
    try:
        server.wait_started()
        write_info(
            home,
            {
                "pid": os.getpid(),
                "socket": SOCKET_NAME,
                "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "version": package_version(),
                "config": config_fingerprint(settings),
            },
        )
        log.info("ready on %s after %.1f s", socket_path(home), _ms(began) / 1000)
        while not stopping:
            if idle_seconds and host.idle_for() > idle_seconds:
                stopping.append(f"idle for {idle_seconds:.0f} s")
                break
            if not server.alive:
                raise RuntimeError(f"the API server stopped: {server.error or 'no reason given'}")
            time.sleep(0.2)
        log.info("stopping (%s)", stopping[0])
        info_path(home).unlink(missing_ok=True)  # new commands start waiting for a new engine
    finally:
        server.stop(timeout=OP_GRACE)  # requests in flight finish
        socket_path(home).unlink(missing_ok=True)
    return 0


def main() -> int:
    return serve(get_settings(), _idle_seconds())


if __name__ == "__main__":
    sys.exit(main())
