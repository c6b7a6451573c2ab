"""The flow tier: one temporary Prefect server for the whole session, heartbeats off."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(scope="session", autouse=True)
def prefect_harness() -> Iterator[None]:
    from prefect.settings import temporary_settings
    from prefect.testing.utilities import prefect_test_harness

    heartbeats_off: dict = {"flows.heartbeat_frequency": None}
    with temporary_settings(updates=heartbeats_off), prefect_test_harness():
        yield
