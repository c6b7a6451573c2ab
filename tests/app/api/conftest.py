"""The API tier: httpx against the ASGI app in this process; Prefect only where a test
changes a case (every change is a flow run)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.api import Client


@pytest.fixture(scope="module")
def prefect_harness() -> Iterator[None]:
    from prefect.settings import temporary_settings
    from prefect.testing.utilities import prefect_test_harness

    heartbeats_off: dict = {"flows.heartbeat_frequency": None}
    with temporary_settings(updates=heartbeats_off), prefect_test_harness():
        yield


@pytest.fixture
def api() -> Client:
    from ethicsflow.app.api.app import create_app

    return Client(create_app())


@pytest.fixture
def operator_api() -> Client:
    """The app as served on the operator's socket."""
    from ethicsflow.app.api.app import create_app
    from ethicsflow.app.api.auth import OperatorSocket

    return Client(OperatorSocket(create_app()))
