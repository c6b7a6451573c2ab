"""The flow tier: one temporary Prefect server for the whole session, heartbeats off;
loopback receivers (SMTP, STARTTLS SMTP, json:// HTTP) for the dispatch tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ethicsflow.app.smtp_sink import SmtpSink
from tests.support.notify import HttpSink, self_signed


@pytest.fixture(scope="session", autouse=True)
def prefect_harness() -> Iterator[None]:
    from prefect.settings import temporary_settings
    from prefect.testing.utilities import prefect_test_harness

    heartbeats_off: dict = {"flows.heartbeat_frequency": None}
    with temporary_settings(updates=heartbeats_off), prefect_test_harness():
        yield


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    sink = SmtpSink()
    yield sink
    sink.stop()


@pytest.fixture
def tls_smtp_sink(tmp_path: Path) -> Iterator[SmtpSink]:
    sink = SmtpSink(tls=self_signed(tmp_path))
    yield sink
    sink.stop()


@pytest.fixture
def http_sink() -> Iterator[HttpSink]:
    sink = HttpSink()
    yield sink
    sink.close()
