"""Wall-clock latency of `ethicsflow` commands as a user sees them (real subprocesses).

On a fresh temporary home (SQLite, fresh Prefect database, no PREFECT_API_URL):
the first write (the engine's cold start), p50/p95 of `case file` through the
running engine (and the part spent inside the engine, from its log), p50/p95 of
`case show` (a read through the engine's API), a write after `ethicsflow stop` (engine
restart, Prefect database already there), and p50 of
`case file` with ``ETHICSFLOW_ENGINE=inprocess`` (each process starts Prefect's
temporary server). The engine is stopped at the end.

    /work/.venv/bin/python bench/cli_latency.py [--files 20] [--shows 10] [--inprocess 5]
"""

from __future__ import annotations

import argparse
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CLI = shutil.which("ethicsflow", path=str(Path(sys.executable).parent)) or "ethicsflow"
SUMMARY = "rude behaviour at the reception desk"


def run(env: dict[str, str], *args: str) -> tuple[float, str]:
    """Seconds taken by one `ethicsflow ARGS` process, and its stdout (exit 0 required)."""
    started = time.perf_counter()
    done = subprocess.run([CLI, *args], env=env, capture_output=True, text=True, timeout=300)
    took = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"ethicsflow {' '.join(args)} failed ({done.returncode}): {done.stderr}")
    return took, done.stdout


def p(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def file_case(env: dict[str, str]) -> tuple[float, str]:
    args = ("--kind", "complaint", "--org", "MF", "--by", "servant@bench.kz", "--summary", SUMMARY)
    return run(env, "case", "file", *args)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--shows", type=int, default=10)
    parser.add_argument("--inprocess", type=int, default=5)
    options = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="ethicsflow-bench-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ETHICSFLOW_", "PREFECT_"))}
    env.update(ETHICSFLOW_HOME=str(root / "home"), ETHICSFLOW_ENGINE="auto")
    rows: list[tuple[str, int, float, float | None]] = []

    def add(what: str, samples: list[float]) -> None:
        many = len(samples) > 1
        rows.append((what, len(samples), p(samples, 0.5), p(samples, 0.95) if many else None))

    try:
        run(env, "init")
        add("`ethicsflow --help` (rendered with rich)", [run(env, "--help")[0] for _ in range(5)])
        add("first write: engine cold start, fresh Prefect DB",
            [run(env, "org", "add", "MF", "--name", "Ministry")[0]])  # fmt: skip
        run(env, "person", "add", "comm@bench.kz", "--name", "C", "--org", "MF",
            "--role", "commissioner")  # fmt: skip
        run(env, "person", "add", "servant@bench.kz", "--name", "S", "--org", "MF")
        files = [file_case(env) for _ in range(options.files)]
        add("`case file` through the running engine", [t for t, _ in files])
        log = (root / "home" / "logs" / "engine.log").read_text()
        inside = [float(ms) / 1000 for ms in re.findall(r"file_case \S+: ok (\d+) ms", log)]
        add("  of which the flow run inside the engine", inside[-options.files :])
        number = files[0][1].split()[0]
        add("`case show` (a read through the running engine's API)",
            [run(env, "case", "show", number)[0] for _ in range(options.shows)])  # fmt: skip
        run(env, "stop")
        add("write after `stop`: engine restart, Prefect DB exists", [file_case(env)[0]])
        run(env, "stop")
        if options.inprocess:
            inprocess = {**env, "ETHICSFLOW_ENGINE": "inprocess"}
            add("`case file` with ETHICSFLOW_ENGINE=inprocess",
                [file_case(inprocess)[0] for _ in range(options.inprocess)])  # fmt: skip
    finally:
        subprocess.run([CLI, "stop"], env=env, capture_output=True, timeout=120)
        shutil.rmtree(root, ignore_errors=True)

    print(f"{'what':<56} {'n':>3} {'p50 s':>7} {'p95 s':>7}")
    for what, n, p50, p95 in rows:
        print(f"{what:<56} {n:>3} {p50:>7.2f} {'' if p95 is None else f'{p95:.2f}':>7}")


if __name__ == "__main__":
    main()
