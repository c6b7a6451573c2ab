"""The browser tests' tools: the app served by uvicorn from a thread of the test process,
axe-core's accessibility check of a page, and a screenshot of each step.

The server thread runs in a copy of the starting thread's context: Prefect's test
harness keeps its settings in a context variable, and every form that changes a case
runs a flow against that harness. The database is the one the test's environment names
at each request (``home``), so one server serves a whole module of tests.
"""

from __future__ import annotations

import contextvars
import logging
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn

CHROMIUM = Path("/usr/bin/chromium")
"""Debian's Chromium (package chromium), driven by the dev extra's Playwright."""
SCREENSHOTS = Path(__file__).resolve().parents[1] / ".screenshots"
BLOCKING = frozenset({"serious", "critical"})
"""axe-core's impacts that fail a page."""
START_TIMEOUT = 30.0
LOGGERS = ("ethicsflow.api", "ethicsflow.engine", "uvicorn.error")
"""Where the app and uvicorn report a request they could not serve."""


class _Failures(logging.Handler):
    """The server's errors (a 500's traceback is logged, the page says nothing)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(self.format(record))


class AppServer:
    """``create_app()`` served on a free port of 127.0.0.1 until :meth:`stop`."""

    def __init__(self, app: Any) -> None:
        # bound here, so the port is ours: no window between choosing and listening
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        config = uvicorn.Config(
            app,
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            access_log=False,
            log_config=None,  # the test process's logging, not uvicorn's own
            lifespan="off",
            ws="none",
        )
        self.server = uvicorn.Server(config)
        self.error: BaseException | None = None
        self.failures = _Failures()
        context = contextvars.copy_context()  # Prefect's harness settings come along
        self.thread = threading.Thread(
            target=context.run, args=(self._run,), name="web-app", daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _run(self) -> None:
        try:
            self.server.run(sockets=[self.sock])
        except BaseException as exc:  # reported by start()
            self.error = exc

    def start(self, timeout: float = START_TIMEOUT) -> None:
        """Return once the server accepts connections (or raise why it could not)."""
        for name in LOGGERS:
            logging.getLogger(name).addHandler(self.failures)
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            self.thread.join(0.02)  # wait on the thread: it ending is an answer too
            if not self.thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the app did not start on {self.url}: {self.error}")

    def stop(self, timeout: float = 30.0) -> None:
        """Finish the requests in flight, then stop."""
        self.server.should_exit = True
        self.thread.join(timeout)
        self.sock.close()
        for name in LOGGERS:
            logging.getLogger(name).removeHandler(self.failures)
        if self.thread.is_alive():
            raise RuntimeError(f"the app on {self.url} did not stop in {timeout} s")

    def take_failures(self) -> list[str]:
        """The errors the server logged since the last call."""
        records, self.failures.records = self.failures.records, []
        return records


@contextmanager
def serve(app: Any) -> Iterator[AppServer]:
    """``app`` served from a thread for the ``with`` block."""
    server = AppServer(app)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def blocking_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's violations of ``page`` as it is now whose impact is serious or
    critical (the rules of WCAG 2.x A/AA and axe's best practices)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"resultTypes": ["violations"]})
    return [v for v in results.response["violations"] if v.get("impact") in BLOCKING]


def describe(violations: list[dict[str, Any]], where: str = "") -> str:
    """One line per element: ``page: rule (impact): help -- selector: html``."""
    lines = []
    for violation in violations:
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node.get("target", ()))
            lines.append(
                f"{where}: {violation['id']} ({violation['impact']}): {violation['help']}"
                f" -- {target}: {node.get('html', '')[:200]}"
            )
    return "\n".join(lines)


def screenshot(page: Any, test: str, step: str) -> Path:
    """Save the whole page as ``tests/.screenshots/<test>-<step>.png``."""
    SCREENSHOTS.mkdir(exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{test}-{step}").strip("_")
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
