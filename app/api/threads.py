"""Which threads run a request's blocking work.

FastAPI runs a plain (``def``) endpoint or dependency on anyio's worker threads, at most
40 at once. A read is CPU work under the GIL: with 50 clients reading, 40 threads at once
made each read cost twice the CPU that 4 do (GIL hand-offs, and each SQLite connection
warming its own page cache), and the app answered fewer requests (docs/api.md). A write
mostly waits, on its flow run's requests to the Prefect server. So the reads and the
signing-in of every request run on a few threads of their own (:func:`reads`, 8 by default,
``ETHICSFLOW_READ_THREADS`` at once per process) and the writes keep anyio's 40, where
a slow flow run never holds up a read.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from anyio import CapacityLimiter, to_thread
from anyio.lowlevel import RunVar

from ethicsflow.models.settings import get_settings

P = ParamSpec("P")
R = TypeVar("R")

_LIMITER: RunVar[CapacityLimiter] = RunVar("ethicsflow_read_threads")


def _limiter() -> CapacityLimiter:
    """This event loop's limiter of reads (made on first use, in the loop)."""
    try:
        return _LIMITER.get()
    except LookupError:
        limiter = CapacityLimiter(get_settings().read_threads)
        _LIMITER.set(limiter)
        return limiter


def reads(fn: Callable[P, R]) -> Callable[P, Any]:
    """Run ``fn`` (an endpoint or a dependency that only reads) on the read threads.

    The wrapper is a coroutine function with ``fn``'s signature (``functools.wraps``), so
    FastAPI reads its parameters from ``fn`` and awaits it on the event loop."""

    @functools.wraps(fn)
    async def on_read_thread(*args: P.args, **kwargs: P.kwargs) -> R:
        call = functools.partial(fn, *args, **kwargs)
        return await to_thread.run_sync(call, limiter=_limiter())

    return on_read_thread
