"""`ethicsflow serve`: the whole embedded platform in one foreground process.

It takes the home's engine lock, prepares both databases in a child process, runs the
local Prefect server (and its UI) in this process, serves the engine API, and serves
the scheduled deployments with Prefect's ``Runner``; SIGTERM or Ctrl-C stops it
cleanly and leaves the schedules active. The steps, and why it is built this way:
see docs/engine.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import logging
import logging.handlers
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ethicsflow.app import engine_server
from ethicsflow.app.api.host import give_back_memory
from ethicsflow.app.api.server import ServerThread, port_free
from ethicsflow.app.engine_client import (
    ALREADY_RUNNING,
    config_fingerprint,
    info_path,
    lock_holder,
    masked_url,
    package_version,
    pid_alive,
    prefect_environment,
    read_info,
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
from ethicsflow.app.prefect_auth import LOOPBACK, auth_string
from ethicsflow.app.serve_runner import RunnerHandle, start_runner, stop_runner
from ethicsflow.models.settings import Settings

MODE = "serve"
OWNER_ENV = "ETHICSFLOW_SERVE_OWNER"
"""Set in serve's environment (so in every child's): the pid of the serve that started it."""
HEALTH_TIMEOUT = 120.0
TRIM_EVERY = 60.0
"""Seconds between handing freed heap back to the system (the Prefect server in this
process frees what it held while storing a burst of events, but glibc keeps it)."""

log = logging.getLogger("ethicsflow.serve")


class ServeError(Exception):
    """serve cannot start: the message says why (exit 1 unless ``code`` says otherwise)."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def server_log_path(home: Path) -> Path:
    return home / "logs" / "prefect-server.log"


def ui_url(port: int) -> str:
    return f"http://127.0.0.1:{port}"


def api_url(port: int) -> str:
    return f"http://127.0.0.1:{port}/api"


# --- logging -------------------------------------------------------------------------------


def _setup_logging(home: Path) -> None:
    """serve.log under the home and stderr; engine messages go to both too."""
    path = home / "logs" / "serve.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    to_file = logging.handlers.RotatingFileHandler(path, maxBytes=10_000_000, backupCount=3)
    to_stderr = logging.StreamHandler(sys.stderr)
    for handler in (to_file, to_stderr):
        handler.setFormatter(fmt)
    for logger in (log, engine_server.log):
        logger.handlers[:] = [to_file, to_stderr]
        logger.setLevel(logging.INFO)
        logger.propagate = False


# --- what a killed serve left behind ------------------------------------------------------


def _leftovers(home: Path, previous: int) -> list[int]:
    """Processes a dead serve of this home started (its flow runs): they carry its pid."""
    needles = {f"ETHICSFLOW_HOME={home}".encode(), f"{OWNER_ENV}={previous}".encode()}
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        with contextlib.suppress(OSError, ValueError):
            pid = int(entry.name)
            environ = set((entry / "environ").read_bytes().split(b"\0"))
            if pid != os.getpid() and needles <= environ and pid_alive(pid):
                found.append(pid)
    return found


def _clean_up_after(home: Path, previous: int, grace: float) -> None:
    """Let the flow runs of a killed serve finish (up to ``grace`` s), then stop them.

    A run that outlives its serve goes on with what it has claimed (a dispatch run
    finishes its batch of sends and records them) and retries its calls to the Prefect
    server, which died with that serve; called once the new server listens on the same
    port, so such a run reports to it and ends as it would have.
    """
    if previous <= 0:
        return
    runs = _leftovers(home, previous)
    if not runs:
        return
    log.warning("waiting up to %.0f s for %d process(es) of serve %d", grace, len(runs), previous)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and _leftovers(home, previous):
        time.sleep(0.2)
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in _leftovers(home, previous):
            with contextlib.suppress(OSError):
                os.kill(pid, sig)
                log.warning("sent %s to pid %d, left running by serve %d", sig.name, pid, previous)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and _leftovers(home, previous):
            time.sleep(0.2)


# --- the Prefect server ------------------------------------------------------------------------


def _healthy(port: int) -> bool:
    try:
        with LOOPBACK.open(f"{api_url(port)}/health", timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


# --- the databases, prepared in a child process --------------------------------------------

PREPARE = (
    "import sys; from ethicsflow.app.serve import prepare_databases; sys.exit(prepare_databases())"
)
NO_MIGRATIONS_HERE = "PREFECT_API_DATABASE_MIGRATE_ON_START"


def _server_environment(settings: Settings, port: int) -> None:
    """Prefect's settings for this process and its children, set before Prefect is imported
    (Prefect reads its environment once, at import)."""
    if not port_free("127.0.0.1", port):
        raise ServeError(
            f"port {port} on 127.0.0.1 is in use, so the Prefect server cannot start there; "
            "choose another with `ethicsflow serve --port N` (or ETHICSFLOW_PREFECT_PORT)",
            code=2,
        )
    os.environ["PREFECT_HOME"] = str(settings.home / "prefect")
    os.environ["PREFECT_SERVER_UI_ENABLED"] = "true"
    os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    os.environ["PREFECT_UI_API_URL"] = api_url(port)
    os.environ["PREFECT_API_URL"] = api_url(port)
    auth = auth_string(settings.home, create=True)
    os.environ["PREFECT_SERVER_API_AUTH_STRING"] = str(auth)
    os.environ["PREFECT_API_AUTH_STRING"] = str(auth)
    # only the UI that this server serves may call it from a browser
    os.environ["PREFECT_SERVER_CORS_ALLOWED_ORIGINS"] = ui_url(port).rstrip("/")
    prefect_environment(settings)
    # The child below has migrated Prefect's database: the server in this process does not
    # load Alembic and Prefect's migration scripts again to check it.
    os.environ[NO_MIGRATIONS_HERE] = "false"


def _start_preparing() -> subprocess.Popen[str]:
    env = {**os.environ, NO_MIGRATIONS_HERE: "true"}
    return subprocess.Popen(
        [sys.executable, "-c", PREPARE],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _prepared(child: subprocess.Popen[str], stopping: list[str]) -> str:
    """The application's schema revision once the child has prepared both databases."""
    try:
        out, err = child.communicate(timeout=HEALTH_TIMEOUT)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        raise ServeError(f"preparing the databases took over {HEALTH_TIMEOUT:.0f} s") from None
    if stopping:
        raise ServeError(f"stopped while starting ({stopping[0]})", code=0)
    if child.returncode != 0:
        lines = err.strip().splitlines() or [f"exit status {child.returncode}"]
        raise ServeError(lines[-1])
    return out.strip()


def prepare_databases() -> int:
    """serve's child: create or upgrade the application's database and Prefect's, print the
    schema revision. Alembic and the migration scripts (their memory: docs/engine.md) then
    stay out of serve's long-lived process. A failure is one line on stderr (serve reports
    it) and exit 1."""
    # imported here: only the child that prepares the databases needs them (serve stays smaller)
    from ethicsflow.app import errors
    from ethicsflow.models.db import init_database
    from ethicsflow.models.errors import EthicsflowError
    from ethicsflow.models.settings import get_settings

    try:
        revision = init_database(get_settings().url)
    except EthicsflowError as exc:
        sys.stderr.write(" ".join(errors.message(exc).split()) + "\n")  # one line (psycopg's has 2)
        return 1
    try:
        # imported here: Prefect's migrations load only in the child preparing the databases
        from prefect.server.database import provide_database_interface

        asyncio.run(provide_database_interface().create_db())
    except Exception as exc:
        sys.stderr.write(
            " ".join(f"the Prefect database: {type(exc).__name__}: {exc}".split()) + "\n"
        )
        return 1
    sys.stdout.write(f"{revision}\n")
    return 0


def start_prefect_server(
    home: Path, port: int, stopping: list[str], create_app: Callable[..., Any]
) -> ServerThread:
    """Prefect's server on 127.0.0.1:port (database under the home, UI on); waits for it."""
    to_file = logging.FileHandler(server_log_path(home))
    to_file.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    to_file.setLevel(logging.WARNING)
    for name in ("prefect.server", "uvicorn"):
        logging.getLogger(name).addHandler(to_file)
    # with its lifespan: the scheduler, event and other services start with the app
    handle = ServerThread(
        create_app(final=True), "127.0.0.1", port, name="prefect-server", lifespan="auto"
    )
    handle.start()
    deadline = time.monotonic() + HEALTH_TIMEOUT
    while not _healthy(port):
        if not handle.alive:
            raise ServeError(f"the Prefect server did not start; see {server_log_path(home)}")
        if stopping or time.monotonic() > deadline:
            handle.stop()
            if stopping:
                raise ServeError(f"stopped while starting ({stopping[0]})", code=0)
            raise ServeError(f"the Prefect server did not answer in {HEALTH_TIMEOUT:.0f} s")
        time.sleep(0.1)
    return handle


# --- serve ---------------------------------------------------------------------------------------


def _take_over(settings: Settings) -> None:
    """Refuse when a serve runs for this home; stop a background engine instead."""
    home = settings.home
    if lock_holder(home) is None:
        return
    info = read_info(home)
    if info is not None and info.get("mode") == MODE and pid_alive(int(info["pid"])):
        raise ServeError(
            f"ethicsflow serve already runs for {home} (pid {info['pid']}, Prefect UI at "
            f"{info.get('ui_url')}); stop it first (Ctrl-C there, or `ethicsflow stop`)",
            code=ALREADY_RUNNING,
        )
    if info is None:
        holder = lock_holder(home)
        if holder is None:
            return
        raise ServeError(
            f"another ethicsflow process (pid {holder}) holds {home}'s engine lock and is "
            "starting or stopping; try again in a moment",
            code=ALREADY_RUNNING,
        )
    log.info("stopping the background engine of this home (pid %s) to serve instead", info["pid"])
    stop_engine(settings)


def _fewer_malloc_arenas(arenas: int = 2) -> None:
    """glibc gives each thread that allocates its own heap arena (up to 8 per core); serve's
    threads (Prefect's server and services, the runner, the engine's requests) then keep
    freed memory in many heaps. Fewer arenas, set before those threads start, keep RSS
    lower (docs/engine.md). No-op without glibc."""
    m_arena_max = -8  # <malloc.h>
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").mallopt(m_arena_max, arenas)


def serve(
    settings: Settings,
    port: int,
    grace: float,
    poll: float,
    web: tuple[str, int] | None = None,
) -> int:
    """Run the platform until SIGTERM/SIGINT; the exit status. ``web``: where the REST
    API listens (host, port); default the settings' ``web_host``, ``web_port``."""
    web_host, web_port = web or (settings.web_host, settings.web_port)
    _fewer_malloc_arenas()
    home = settings.home
    home.mkdir(parents=True, exist_ok=True)
    _setup_logging(home)
    try:
        _take_over(settings)
    except ServeError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return exc.code
    locked = acquire_lock(home, wait=5.0)
    if locked is None:
        sys.stderr.write(
            f"error: another ethicsflow process (pid {lock_holder(home)}) took {home}'s engine "
            "lock meanwhile; run `ethicsflow status`\n"
        )
        return ALREADY_RUNNING
    fd, previous = locked
    stopping: list[str] = []

    def on_signal(signum: int, _frame: Any) -> None:
        stopping.append(signal.Signals(signum).name)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    os.environ[OWNER_ENV] = str(os.getpid())
    prefect: ServerThread | None = None
    runner: RunnerHandle | None = None
    local: ServerThread | None = None
    api: ServerThread | None = None
    began = time.perf_counter()
    try:
        log.info("starting pid=%d version=%s home=%s", os.getpid(), package_version(), home)
        info_path(home).unlink(missing_ok=True)
        stop_leftovers(home, previous)  # of a dead background engine

        # imported here: the deployments import the flows, so Prefect (after its settings)
        from ethicsflow.deployments import schedules_of
        from ethicsflow.models.policy import load_policy

        policy = load_policy()
        schedules = schedules_of(policy)
        if not port_free(web_host, web_port):
            raise ServeError(
                f"port {web_port} on {web_host} is in use, so the API cannot listen there; "
                "choose another with `ethicsflow serve --web-port N` (or ETHICSFLOW_WEB_PORT)",
                code=2,
            )
        _server_environment(settings, port)
        preparing = _start_preparing()
        from prefect.server.api.server import create_app  # imported while the child migrates

        revision = _prepared(preparing, stopping)
        log.info("databases ready (schema %s)", revision)

        prefect = start_prefect_server(home, port, stopping, create_app)
        log.info("Prefect server ready at %s (%.1f s)", ui_url(port), time.perf_counter() - began)
        _clean_up_after(home, previous, grace)  # the server is back: they can report and end

        warm_up()
        local, host = engine_server.operator_server(home)
        local.start()
        local.wait_started()

        # imported here: FastAPI and the routes load once the databases are ready
        from ethicsflow.app.api.app import create_app as create_api
        from ethicsflow.app.api.host import Tracked

        api = ServerThread(Tracked(create_api(), host), web_host, web_port, name="api-http")
        api.start()
        api.wait_started()
        log.info("API listening at %s and on %s", api.address, socket_path(home))

        runner = start_runner(policy.zone, schedules, poll)
        runner.ready.wait()
        if runner.error is not None:
            raise ServeError(f"the Prefect runner did not start: {runner.error}")
        write_info(
            home,
            {
                "pid": os.getpid(),
                "socket": SOCKET_NAME,
                "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "version": package_version(),
                "config": config_fingerprint(settings),
                "mode": MODE,
                "prefect_api_url": api_url(port),
                "ui_url": ui_url(port),
                "api_url": api.address,
            },
        )
        elapsed = time.perf_counter() - began
        log.info("ready after %.1f s", elapsed)
        _announce(settings, port, revision, schedules, policy.zone, elapsed, api.address)
        next_trim = time.monotonic() + TRIM_EVERY
        while not stopping:
            if time.monotonic() >= next_trim:
                give_back_memory()
                next_trim = time.monotonic() + TRIM_EVERY
            if runner.thread is not None and not runner.thread.is_alive():
                raise ServeError(f"the Prefect runner stopped: {runner.error or 'no reason given'}")
            if not prefect.alive:
                raise ServeError(f"the Prefect server stopped; see {server_log_path(home)}")
            if not api.alive or not local.alive:
                error = api.error or local.error or "no reason given"
                raise ServeError(f"the API stopped: {error}")
            time.sleep(0.2)
        log.info("stopping (%s)", stopping[0])
        return 0
    except ServeError as exc:
        if exc.code:
            log.error("%s", exc)
            sys.stderr.write(f"error: {exc}\n")
        return exc.code
    except Exception as exc:
        log.exception("serve failed")
        sys.stderr.write(f"error: serve failed: {type(exc).__name__}: {exc}\n")
        return 1
    finally:
        info_path(home).unlink(missing_ok=True)  # new commands wait elsewhere
        if runner is not None:
            stop_runner(runner, grace)
        if api is not None:
            api.stop(grace)
        if local is not None:
            local.stop(grace)  # in-flight requests finish
            socket_path(home).unlink(missing_ok=True)
        if prefect is not None:
            _flush_events()
            prefect.stop()
        release_lock(fd)
        log.info("stopped")


def _flush_events() -> None:
    """Case events queued by the last commits reach the server before it stops."""
    with contextlib.suppress(Exception):
        # imported here: flows.events loads Prefect's event client, present only once a flow ran
        from ethicsflow.flows.events import flush

        flush(5)


def _announce(
    settings: Settings,
    port: int,
    revision: str,
    schedules: dict[str, tuple[str, ...]],
    zone: str,
    elapsed: float,
    api: str,
) -> None:
    lines = [
        f"ethicsflow serve: ready after {elapsed:.1f} s",
        f"  home       {settings.home}",
        f"  database   {masked_url(settings.url)} (schema {revision})",
        f"  REST API   {api}/api/v1   (docs {api}/api/v1/docs)",
        f"  Prefect UI {ui_url(port)}   (API {api_url(port)})",
    ]
    for name, crons in schedules.items():
        lines.append(f"  {name:<10} {', '.join(crons)}  ({zone})")
    lines.append("  every other ethicsflow command of this home now runs through this process;")
    lines.append("  Ctrl-C or SIGTERM stops it (schedules stay active)")
    sys.stdout.write("\n".join(lines) + "\n")
    sys.stdout.flush()
