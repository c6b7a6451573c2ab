"""What every process that hosts the engine does, shared by the background engine
(``engine_server.py``) and ``ethicsflow serve`` (``serve.py``): hold the home's engine
lock, stop what a dead engine left running, warm Prefect up, publish ``engine.json``
and hand freed memory back to the system.

Importing this module does not import Prefect (``ethicsflow stop`` imports the engine).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import signal
import time
from pathlib import Path
from typing import Any

from ethicsflow.app.engine_client import info_path, try_lock

log = logging.getLogger("ethicsflow.engine")


def acquire_lock(home: Path, wait: float = 1.0) -> tuple[int, int] | None:
    """(fd, pid of the previous engine or 0): HOME's engine lock, now holding our pid.

    None while another engine holds it. An engine that stopped cleanly leaves the
    file empty; one that died (SIGKILL, OOM) leaves its pid.
    """
    fd = try_lock(home, wait)
    if fd is None:
        return None
    text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
    return fd, int(text) if text.isdigit() else 0


def stop_leftovers(home: Path, previous: int) -> None:
    """SIGTERM what a dead engine left running (its Prefect server): the processes of its
    process group whose environment names this home (Linux /proc; nothing elsewhere)."""
    if previous <= 0 or previous == os.getpid():
        return
    needle = f"ETHICSFLOW_HOME={home}".encode()
    for entry in Path("/proc").glob("[0-9]*"):
        with contextlib.suppress(OSError, ValueError):
            pid = int(entry.name)
            if os.getpgid(pid) != previous:
                continue
            environ = (entry / "environ").read_bytes().split(b"\0")
            if any(v.startswith(b"ETHICSFLOW_SERVE_OWNER=") for v in environ):
                continue  # a flow run of a dead `serve`: app/serve.py lets it finish
            if needle in environ:
                os.kill(pid, signal.SIGTERM)
                log.warning("stopped pid %d, left running by engine %d", pid, previous)


def release_lock(fd: int) -> None:
    os.ftruncate(fd, 0)
    fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)


def write_info(home: Path, info: dict[str, Any]) -> None:
    """engine.json, mode 0600, replaced atomically."""
    target = info_path(home)
    temp = target.with_name(f".engine.{os.getpid()}.tmp")
    temp.unlink(missing_ok=True)
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        json.dump(info, out)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temp, target)


def warm_up() -> None:
    """Import the flows and run one trivial flow, so Prefect's API is up before we serve."""
    began = time.perf_counter()
    # lazy (import time): Prefect loads only in a process that hosts the engine
    from prefect import flow

    from ethicsflow.flows import commands  # noqa: F401  (imports every flow)
    from ethicsflow.flows.runtime import run_flow

    @flow(name="engine-warm-up", log_prints=False)
    def engine_warm_up() -> str:
        return "ok"

    imported = time.perf_counter()
    run_flow(engine_warm_up)
    ran = time.perf_counter() - imported
    log.info("imports %.1f s, first flow run %.1f s", imported - began, ran)
