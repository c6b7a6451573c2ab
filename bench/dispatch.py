"""Dispatch throughput to a loopback SMTP server (goal: >= 200 messages/s).

Queues N e-mails (default 1000) to the loopback SMTP sink (`app/smtp_sink.py`, the one
the demo and the tests use) running in its own process, then
delivers them with the plain functions (`flows.dispatch.dispatch`) for several window
sizes (ETHICSFLOW_NOTIFY_WORKERS), and through the `dispatch-notifications` flow.
Prints messages/s and checks that the sink received each message once.

Run: `python bench/dispatch.py [N]` (SQLite under a fresh home; set
ETHICSFLOW_BENCH_DATABASE_URL for PostgreSQL). The flow uses Prefect's temporary server
unless PREFECT_API_URL is set. `--no-tls-fix` also measures apprise's e-mail plugin as
shipped (an SSL context built for every message; see flows/sending.py).
"""

from __future__ import annotations

import os
import signal
import ssl
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from typing import Any

from _common import fresh_home

SINK = r"""
import signal
from ethicsflow.app.smtp_sink import SmtpSink

signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})  # the sink's thread inherits it
with SmtpSink(keep=False) as sink:  # counts, does not parse: the sink is not what is measured
    print(sink.port, flush=True)
    signal.sigwait({signal.SIGTERM})
print(sink.received, flush=True)
"""


def queue(n: int, url: str) -> None:
    from ethicsflow.models.db import session_scope
    from ethicsflow.models.notifications.tables import Notification

    run = uuid.uuid4().hex[:8]
    with session_scope(write=True) as session:
        for i in range(n):
            session.add(
                Notification(
                    recipient="filer@bench.kz",
                    url=url,
                    event="acknowledgment",
                    language="ru",
                    subject=f"Обращение BENCH-2026-{i:05d} зарегистрировано",
                    body=f"Ваше обращение BENCH-2026-{i:05d} зарегистрировано.\n"
                    "Срок ответа: 15 рабочих дней.\n",
                    dedup_key=f"bench:{run}:{i}",
                )
            )


def measure(label: str, n: int, url: str, run: Callable[[], dict[str, Any]]) -> float:
    queue(n, url)
    started = time.perf_counter()
    counts = run()
    elapsed = time.perf_counter() - started
    assert counts["sent"] == n, counts
    rate = n / elapsed
    print(f"  {label:<44} {n:>5} sent in {elapsed:5.2f} s = {rate:6.0f} messages/s")
    return rate


def main(n: int, tls_fix: bool) -> None:
    home = fresh_home("ethicsflow-bench-dispatch-")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    sink = subprocess.Popen([sys.executable, "-c", SINK], stdout=subprocess.PIPE, text=True)
    assert sink.stdout is not None
    port = int(sink.stdout.readline())
    url = f"mailto://127.0.0.1:{port}?from=noreply@bench.kz&to=filer@bench.kz"
    from ethicsflow.flows.dispatch import dispatch

    print(f"home: {home}\nsink: app/smtp_sink.py in its own process on 127.0.0.1:{port}")
    print(f"goal >= 200 messages/s; {os.cpu_count()} CPUs; {ssl.OPENSSL_VERSION}")
    sent = 0
    print("plain functions (flows.dispatch.dispatch):")
    for workers in (1, 4, 8, 16):
        os.environ["ETHICSFLOW_NOTIFY_WORKERS"] = str(workers)
        measure(f"window {workers:>2} (ETHICSFLOW_NOTIFY_WORKERS)", n, url, dispatch)
        sent += n
    os.environ.pop("ETHICSFLOW_NOTIFY_WORKERS")
    if not tls_fix:
        from apprise.plugins.email import base

        base.ssl = ssl  # type: ignore[attr-defined]  # as shipped: a CA store per e-mail
        print("apprise's e-mail plugin as shipped (no lazy TLS context):")
        small = max(n // 5, 50)
        measure("window  8", small, url, dispatch)
        sent += small
        from ethicsflow.flows import sending

        sending._prepare_apprise()
    print("through the flow (run_inprocess('notify_dispatch'), one task run per 200 rows):")
    from ethicsflow.app.engine_client import run_inprocess

    queue(1, url)
    run_inprocess("notify_dispatch", {})  # starts Prefect's temporary server
    sent += 1
    measure("dispatch-notifications flow, default window", n, url,
            lambda: run_inprocess("notify_dispatch", {}))  # fmt: skip
    sent += n
    sink.send_signal(signal.SIGTERM)
    received = int(sink.stdout.readline())
    sink.wait()
    sink.stdout.close()
    print(f"sink received {received} messages, dispatch sent {sent}")
    assert received == sent


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(int(args[0]) if args else 1000, tls_fix="--no-tls-fix" not in sys.argv)
