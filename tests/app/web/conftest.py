"""The web pages: httpx against the ASGI app in this process (as the API tier); the
browser tests drive Debian's Chromium against a real server in a thread."""

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
def web() -> Client:
    from ethicsflow.app.api.app import create_app

    return Client(create_app())
