"""How every write of the API runs: one named operation of ``flows/commands.py`` (one
flow run), with one line in the engine's log naming the operation, the case number and
the outcome (never a person)."""

from __future__ import annotations

import logging
import time
from typing import Any

from ethicsflow.models.errors import EthicsflowError

log = logging.getLogger("ethicsflow.engine")


def run(op: str, params: dict[str, Any], progress: Any = None) -> dict[str, Any]:
    """Run ``op`` in this thread, with one line in the engine's log (names no person)."""
    # imported here (import time): the flows load Prefect
    from ethicsflow.flows.commands import execute
    from ethicsflow.models.cases.operations import PROGRESS

    started = time.perf_counter()
    what = f"{op} {params['number']}" if params.get("number") else op
    token = PROGRESS.set(progress)
    try:
        result = execute(op, params)
    except EthicsflowError as exc:
        log.info("%s: %s %s %.0f ms", what, type(exc).__name__, exc.code, _ms(started))
        raise
    except Exception:
        log.exception("%s: internal error %.0f ms", what, _ms(started))
        raise
    finally:
        PROGRESS.reset(token)
    if isinstance(result, dict) and result.get("number") and not params.get("number"):
        what = f"{op} {result['number']}"
    counts = ""
    if isinstance(result, dict) and "filed" in result:
        counts = f" filed={result['filed']} existing={result['existing']} failed={result['failed']}"
    log.info("%s: ok%s %.0f ms", what, counts, _ms(started))
    return result


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000
