"""The API served by a process that hosts the engine (``ethicsflow serve``): uvicorn in a
thread, on TCP (``--web-port``, 127.0.0.1 unless ``--host`` says otherwise)."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from typing import Any

import uvicorn

START_TIMEOUT = 30.0


class ApiServer:
    """uvicorn serving ``app`` from a thread until :meth:`stop` (requests in flight end)."""

    def __init__(self, app: Any, host: str, port: int) -> None:
        self.host, self.port = host, port
        config = uvicorn.Config(
            app, host=host, port=port, log_level="warning", access_log=False, lifespan="off"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self._run, name="api-http", daemon=True)
        self.error: BaseException | None = None

    def _run(self) -> None:
        try:
            asyncio.run(self.server.serve())
        except BaseException as exc:  # reported by start(); the thread must not die silently
            self.error = exc

    def start(self) -> None:
        """Serve; return once it listens (or raise why it could not)."""
        self.thread.start()
        deadline = time.monotonic() + START_TIMEOUT
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(
                    f"the API did not start on {self.host}:{self.port}: {self.error or 'timeout'}"
                )
            time.sleep(0.02)

    @property
    def alive(self) -> bool:
        return self.thread.is_alive()

    def stop(self, timeout: float = 30.0) -> None:
        self.server.should_exit = True
        self.thread.join(timeout)

    @property
    def address(self) -> str:
        shown = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{shown}:{self.port}"


def port_free(host: str, port: int) -> bool:
    """Whether a server could listen on ``host:port`` now (a port in TIME_WAIT counts as
    free, as it does for servers that set SO_REUSEADDR, uvicorn's and Prefect's)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True
