"""The process that serves the app for a home (the background engine or ``ethicsflow
serve``): who it is and how busy, for ``ethicsflow status`` and the idle timeout.

:class:`Tracked` counts the requests in flight around the whole app; the operator's
``GET /api/v1/health`` adds :meth:`Host.describe` to its answer.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import threading
import time
from pathlib import Path
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send


class Host:
    def __init__(self, home: Path) -> None:
        self.home = home
        self.started = time.monotonic()
        self._lock = threading.Lock()
        self._inflight = 0
        self._last = time.monotonic()

    def busy(self, delta: int) -> None:
        with self._lock:
            self._inflight += delta
            self._last = time.monotonic()

    def inflight(self) -> int:
        with self._lock:
            return self._inflight

    def idle_for(self) -> float:
        """Seconds since the last request ended (0 while one runs)."""
        with self._lock:
            return 0.0 if self._inflight else time.monotonic() - self._last

    def describe(self) -> dict[str, Any]:
        return {
            "pid": os.getpid(),
            "home": str(self.home),
            "uptime_s": round(time.monotonic() - self.started, 3),
            "inflight": self.inflight(),
        }


class Tracked:
    """``app`` with its HTTP requests counted on ``host`` (a streamed answer counts until
    its last byte is sent)."""

    def __init__(self, app: ASGIApp, host: Host) -> None:
        self.app = app
        self.host = host

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        self.host.busy(+1)
        try:
            await self.app(scope, receive, send)
        finally:
            self.host.busy(-1)


def give_back_memory() -> None:
    """After a bulk operation (an import of thousands of rows): collect, and hand the freed
    heap back to the system (glibc keeps it otherwise; a long-lived engine would stay at its
    peak). No-op where glibc's ``malloc_trim`` is missing."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
