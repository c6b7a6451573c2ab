"""`ethicsflow serve` as an administrator runs it: cold start, memory, CLI latency.

On a fresh temporary home (SQLite, fresh Prefect database) it starts the installed
`ethicsflow serve` and prints:

- cold start: from the command to the "ready" line (Prefect server up, flows warm,
  deployments registered);
- resident memory (RSS, from /proc) of the serve process, of a Prefect server child
  process and its children (0: serve runs the server in its own process) and of both, at
  start and after importing 10,000 cases through serve (`case import`) and reading them
  back, and once more ``--settle`` seconds later (serve hands freed heap back to the
  system every 60 s), with the CPU time serve and its scheduled runs (dispatch every
  minute) use meanwhile;
- p50 / p95 of CLI commands while serve runs, idle and right after the import (when
  the Prefect server is still storing the import's 20,000 case events): `case file`, a
  write through serve's engine; `case show`, a read; `status`.

    /work/.venv/bin/python bench/serve.py [--cases 10000] [--files 20] [--shows 10]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
CLI = shutil.which("ethicsflow", path=str(BIN)) or "ethicsflow"


def run(env: dict[str, str], *args: str, codes: tuple[int, ...] = (0,)) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run([CLI, *args], env=env, capture_output=True, text=True, timeout=900)
    took = time.perf_counter() - started
    if done.returncode not in codes:
        raise SystemExit(f"ethicsflow {' '.join(args)} failed ({done.returncode}): {done.stderr}")
    return took, done.stdout


def p(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def cpu_seconds(pid: int) -> float:
    """CPU time of a process and of its children it has waited for (utime + stime +
    cutime + cstime, /proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            stat = (entry / "stat").read_text()
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def tree(pid: int) -> list[int]:
    out = [pid]
    for child in children(pid):
        out += tree(child)
    return out


def memory(serve_pid: int) -> dict[str, float]:
    own = rss_mb(serve_pid)
    server = sum(
        rss_mb(q)
        for c in children(serve_pid)
        if b"prefect" in Path(f"/proc/{c}/cmdline").read_bytes()
        and b"server" in Path(f"/proc/{c}/cmdline").read_bytes()
        for q in tree(c)
    )
    return {"serve": own, "prefect server": server, "both": own + server}


def megabytes(mem: dict[str, float]) -> str:
    return f"{mem['serve']:.0f} / {mem['prefect server']:.0f} / {mem['both']:.0f} MB"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def write_cases(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        for i in range(count):
            row = {
                "kind": "complaint",
                "org": "MF",
                "by": "servant@bench.kz",
                "summary": f"bench case {i}",
                "key": f"bench-{i}",
            }
            out.write(json.dumps(row) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--shows", type=int, default=10)
    parser.add_argument(
        "--settle", type=float, default=75.0, help="seconds before the last RSS figure"
    )
    options = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="ethicsflow-bench-serve-"))
    home = root / "home"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ETHICSFLOW_", "PREFECT_"))}
    env.update(ETHICSFLOW_HOME=str(home), ETHICSFLOW_PREFECT_PORT=str(free_port()))
    if "ETHICSFLOW_CASE_EVENTS" in os.environ:  # to measure what the events cost
        env["ETHICSFLOW_CASE_EVENTS"] = os.environ["ETHICSFLOW_CASE_EVENTS"]
    home.mkdir(parents=True)
    out = (home / "serve.out").open("wb")
    err = (home / "serve.err").open("wb")
    rows: list[tuple[str, str]] = []
    began = time.perf_counter()
    serve = subprocess.Popen([CLI, "serve"], env=env, stdout=out, stderr=err)
    try:
        while b"ready after" not in (home / "serve.out").read_bytes():
            if serve.poll() is not None:
                raise SystemExit((home / "serve.err").read_text())
            time.sleep(0.05)
        rows.append(("serve cold start (command to ready)", f"{time.perf_counter() - began:.1f} s"))
        mem = memory(serve.pid)
        rows.append(("RSS at start: serve / Prefect server / both", megabytes(mem)))

        run(env, "org", "add", "MF", "--name", "Ministry")
        run(env, "person", "add", "comm@bench.kz", "--name", "C", "--org", "MF",
            "--role", "commissioner")  # fmt: skip
        run(env, "person", "add", "servant@bench.kz", "--name", "S", "--org", "MF")
        idle_files = [run(env, "case", "file", "--kind", "complaint", "--org", "MF",
                          "--by", "servant@bench.kz", "--summary", "bench case filed")[0]
                      for _ in range(options.files)]  # fmt: skip
        idle_shows = [run(env, "case", "show", "MF-2026-00001")[0] for _ in range(options.shows)]
        for what, samples in (("case file", idle_files), ("case show", idle_shows)):
            figure = f"{p(samples, 0.5):.2f} / {p(samples, 0.95):.2f} s (n={len(samples)})"
            rows.append((f"CLI `{what}` p50 / p95, serve idle", figure))
        cases = root / "cases.jsonl"
        write_cases(cases, options.cases)
        took, _ = run(env, "case", "import", str(cases))
        rows.append((f"case import of {options.cases} rows through serve",
                     f"{took:.1f} s ({options.cases / took:.0f} cases/s)"))  # fmt: skip
        files = [run(env, "case", "file", "--kind", "complaint", "--org", "MF",
                     "--by", "servant@bench.kz", "--summary", "bench case filed")[0]
                 for _ in range(options.files)]  # fmt: skip
        shows = [run(env, "case", "show", "MF-2026-00001")[0] for _ in range(options.shows)]
        statuses = [run(env, "status", codes=(0, 1))[0] for _ in range(5)]
        mem = memory(serve.pid)
        rows.append((f"RSS after {options.cases:,} cases: serve / Prefect server / both",
                     megabytes(mem)))  # fmt: skip
        for what, samples in (("case file (write, through serve)", files),
                              ("case show (read)", shows), ("status", statuses)):  # fmt: skip
            figure = f"{p(samples, 0.5):.2f} / {p(samples, 0.95):.2f} s (n={len(samples)})"
            rows.append((f"CLI `{what}` p50 / p95 right after the import", figure))
        if options.settle > 0:
            cpu = cpu_seconds(serve.pid)
            time.sleep(options.settle)  # a bench, not a test: wait out serve's next heap trim
            rows.append((f"RSS {options.settle:.0f} s later, idle: serve / Prefect server / both",
                         megabytes(memory(serve.pid))))  # fmt: skip
            per_minute = (cpu_seconds(serve.pid) - cpu) / options.settle * 60
            rows.append(("CPU of serve and its scheduled runs while idle",
                         f"{per_minute:.1f} s per minute"))  # fmt: skip
        log = (home / "logs" / "serve.log").read_text()
        inside = [float(ms) / 1000 for ms in re.findall(r"file_case \S+: ok (\d+) ms", log)]
        if inside:
            figure = f"{p(inside, 0.5):.2f} / {p(inside, 0.95):.2f} s (n={len(inside)})"
            rows.append(("  `case file`: the flow run inside serve p50 / p95 (all)", figure))
        stop_began = time.perf_counter()
        serve.send_signal(signal.SIGTERM)
        serve.wait(180)
        rows.append(("stop on SIGTERM", f"{time.perf_counter() - stop_began:.1f} s"))
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.wait()
        out.close()
        err.close()
        shutil.rmtree(root, ignore_errors=True)
    for what, figure in rows:
        print(f"{what:<62} {figure}")


if __name__ == "__main__":
    main()
