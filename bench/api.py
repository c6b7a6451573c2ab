"""Latency of the REST API's reads over HTTP on loopback (issue 12's goals: the case list,
50 rows filtered by organization and status and sorted by due date over 100,000 cases,
p50 <= 50 ms; one case p50 <= 30 ms).

Seeds N open complaints under review with their answer deadlines (``sweep.py``'s seed,
straight into the database), serves the API with uvicorn on a free loopback port (as
``serve`` does) and times requests made with an API token of the body's head (who sees
all N) and of one commissioner (who sees their own share), one at a time.

Run: `python bench/api.py [N] [--requests R]` (SQLite; ETHICSFLOW_BENCH_DATABASE_URL for
PostgreSQL: one database per run).
"""

from __future__ import annotations

import argparse
import socket
import time

import httpx
from _common import fresh_home, percentiles
from sweep import NOW, seed


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def timed(client: httpx.Client, url: str, requests: int) -> tuple[float, float, dict]:
    body: dict = {}
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        answer = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        answer.raise_for_status()
        body = answer.json()
    p50, p95 = percentiles(samples)
    return p50, p95, body


def vacuum() -> None:
    """On PostgreSQL, what autovacuum does soon after a bulk insert: the planner's
    statistics, and the visibility map that lets a COUNT read the index alone (without it
    the list's COUNT of 100,000 rows visits every row: ~45 ms)."""
    from ethicsflow.models.db import get_engine

    engine = get_engine()
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            auto = connection.execution_options(isolation_level="AUTOCOMMIT")
            auto.exec_driver_sql("VACUUM ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="?", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    fresh_home("ethicsflow-bench-api-")
    started = time.perf_counter()
    seed(args.cases, 0, NOW)
    print(f"seeded {args.cases:,} cases in {time.perf_counter() - started:.1f} s")
    vacuum()

    from ethicsflow.app.api.app import create_app
    from ethicsflow.app.api.server import ServerThread
    from ethicsflow.models.accounts.tokens import create_token

    server = ServerThread(create_app(), "127.0.0.1", free_port(), name="api-http")
    server.start()
    server.wait_started()
    try:
        for who in ("head@bench.kz", "c0@bench.kz"):
            token, _ = create_token(who, "bench", expires=None)
            headers = {"Authorization": f"Bearer {token}"}
            with httpx.Client(base_url=server.address, headers=headers, timeout=30) as client:
                client.get("/api/v1/health").raise_for_status()  # warm the connection
                query = "/api/v1/cases?org=BENCH&status=under_review&per_page=50"
                p50, p95, page = timed(client, query, args.requests)
                print(
                    f"{who}: case list (50 of {page['total']:,}, by due date) "
                    f"p50 {p50:.1f} ms, p95 {p95:.1f} ms"
                )
                number = page["items"][0]["number"]
                p50, p95, _ = timed(client, f"/api/v1/cases/{number}", args.requests)
                print(f"{who}: one case p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
