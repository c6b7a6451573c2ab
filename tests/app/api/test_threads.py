"""Reads run on their own few threads (``app/api/threads.py``), writes on anyio's."""

from __future__ import annotations

import inspect
import threading
from pathlib import Path
from typing import Any

import pytest
from anyio import from_thread
from fastapi import FastAPI
from fastapi.routing import APIRoute

from ethicsflow.app.api import threads
from ethicsflow.app.api.app import create_app
from tests.support.api import Client


def test_every_read_of_the_api_runs_on_the_read_threads(home: Path) -> None:
    def routes(within: Any) -> list[Any]:  # the included routers' routes too
        found: list[Any] = []
        for route in within.routes:
            inner = getattr(route, "original_router", None)
            found.extend(routes(inner) if inner is not None else [route])
        return found

    gets = [
        route
        for route in routes(create_app())
        if isinstance(route, APIRoute) and "GET" in route.methods and route.include_in_schema
    ]
    assert len(gets) >= 15
    for route in gets:
        assert inspect.iscoroutinefunction(route.endpoint), route.path
        assert route.endpoint.__code__ is threads.reads(len).__code__, route.path  # type: ignore[attr-defined]


def test_a_read_holds_one_of_the_configured_threads_and_writes_hold_none(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ETHICSFLOW_READ_THREADS", "3")
    app = FastAPI()

    def tokens() -> tuple[float, float]:
        limiter = threads._limiter()
        return limiter.total_tokens, limiter.borrowed_tokens

    @app.get("/read")
    @threads.reads
    def read() -> dict[str, object]:
        total, borrowed = from_thread.run_sync(tokens)
        return {"total": total, "borrowed": borrowed, "worker": threading.current_thread().name}

    @app.post("/write")
    def write() -> dict[str, object]:
        total, borrowed = from_thread.run_sync(tokens)
        return {"total": total, "borrowed": borrowed}

    client = Client(app)
    answer = client.get("/read").json()
    assert (answer["total"], answer["borrowed"]) == (3, 1)
    assert answer["worker"] != threading.current_thread().name
    assert client.post("/write").json() == {"total": 3, "borrowed": 0}
