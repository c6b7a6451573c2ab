"""How a CLI command reaches the engine that runs flows.

``ETHICSFLOW_ENGINE=inprocess`` runs the flow in this process;
``auto`` (the default) sends it to the engine process of this
``ETHICSFLOW_HOME`` (see ``app/engine_server.py``), starting it on first use.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from ethicsflow.models.settings import Settings, get_settings


def prefect_environment(settings: Settings) -> None:
    """Point Prefect at this home and keep its console quiet (set before import)."""
    os.environ.setdefault("PREFECT_HOME", str(settings.home / "prefect"))
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_FLOW_RUNS_LEVEL", "CRITICAL")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_UI_ENABLED", "false")


def run_inprocess(
    op: str, params: dict[str, Any], progress: Callable[[int], None] | None = None
) -> dict[str, Any]:
    prefect_environment(get_settings())
    from ethicsflow.flows.commands import execute
    from ethicsflow.models.operations import PROGRESS

    token = PROGRESS.set(progress)
    try:
        return execute(op, params)
    finally:
        PROGRESS.reset(token)


def call(
    op: str, params: dict[str, Any], progress: Callable[[int], None] | None = None
) -> dict[str, Any]:
    """Run one operation as a flow and return its result (domain errors propagate)."""
    settings = get_settings()
    if settings.engine == "inprocess":
        return run_inprocess(op, params, progress)
    from ethicsflow.app.engine_server import call_engine

    return call_engine(settings, op, params, progress)
