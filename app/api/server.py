"""An ASGI app served by uvicorn from a thread of the process that hosts the engine:
the REST API on the home's Unix socket (the background engine and ``ethicsflow serve``)
and on TCP (``serve``), and Prefect's server beside it. Signals stay with the main thread
(uvicorn installs no handlers outside it)."""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path
from typing import Any, Literal

import uvicorn

from ethicsflow.app.http_client import reachable

START_TIMEOUT = 30.0


class ServerThread:
    """uvicorn serving ``app`` on ``host:port`` from a thread until :meth:`stop` (requests
    in flight end). ``lifespan``: uvicorn's default "auto" for an app whose services start
    with it (Prefect's), "off" for ours. Logs go to this process's logging (no uvicorn
    configuration of its own, which would replace the handlers already set on its
    loggers)."""

    def __init__(
        self,
        app: Any,
        host: str,
        port: int,
        *,
        name: str,
        lifespan: Literal["auto", "on", "off"] = "off",
        sock: socket.socket | None = None,
    ) -> None:
        self.host, self.port = host, port
        self.sock = sock
        config = uvicorn.Config(
            app,
            host=host,
            port=port,
            log_level="warning",
            access_log=False,
            log_config=None,
            lifespan=lifespan,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self._run, name=name, daemon=True)
        self.error: BaseException | None = None

    def _run(self) -> None:
        try:
            self.server.run(sockets=[self.sock] if self.sock is not None else None)
        except BaseException as exc:  # reported by the owner; the thread must not die silently
            self.error = exc

    def start(self) -> None:
        self.thread.start()

    def wait_started(self, timeout: float = START_TIMEOUT) -> None:
        """Return once it listens (or raise why it could not)."""
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(
                    f"{self.thread.name} did not start on {self.host}:{self.port}: "
                    f"{self.error or 'timeout'}"
                )
            time.sleep(0.02)

    @property
    def alive(self) -> bool:
        return self.thread.is_alive()

    def stop(self, timeout: float = 30.0) -> None:
        self.server.should_exit = True
        self.thread.join(timeout)
        if self.sock is not None:
            self.sock.close()

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


def bind_socket(path: Path) -> socket.socket:
    """A listening Unix socket at ``path`` that only this user may connect to (mode 0600;
    the caller holds the home's engine lock, so a file left there is a dead engine's)."""
    path.unlink(missing_ok=True)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        with reachable(path) as where:
            # the umask (022 by default) already leaves others no write, i.e. no connect,
            # between bind and chmod
            sock.bind(where)
            os.chmod(where, 0o600)
        sock.listen(128)
    except BaseException:
        sock.close()
        raise
    return sock
