"""Shared set-up for the benchmarks: a fresh embedded home with one body."""

from __future__ import annotations

import os
import statistics
import tempfile
from pathlib import Path


def fresh_home(prefix: str) -> Path:
    home = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ["ETHICSFLOW_HOME"] = str(home)
    os.environ.setdefault("ETHICSFLOW_ENGINE", "inprocess")
    if "ETHICSFLOW_BENCH_DATABASE_URL" in os.environ:
        os.environ["ETHICSFLOW_DATABASE_URL"] = os.environ["ETHICSFLOW_BENCH_DATABASE_URL"]
    else:
        os.environ.pop("ETHICSFLOW_DATABASE_URL", None)
    from ethicsflow.models.db import init_database

    init_database()
    return home


def seed_body(commissioners: int = 3) -> dict[str, str]:
    from ethicsflow.models.cases import operations

    operations.add_org({"code": "BENCH", "name": "Benchmark body", "region": "Astana"})
    people = {"filer": "filer@bench.kz", "head": "head@bench.kz"}
    operations.add_person(
        {"email": people["filer"], "name": "Filer", "org": "BENCH", "iin": "900101300123"}
    )
    operations.add_person(
        {"email": people["head"], "name": "Head", "org": "BENCH", "roles": ["head"]}
    )
    for i in range(commissioners):
        email = f"c{i}@bench.kz"
        operations.add_person(
            {"email": email, "name": f"Commissioner {i}", "org": "BENCH", "roles": ["commissioner"]}
        )
    return people


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return statistics.median(ordered), p95
