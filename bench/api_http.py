"""The REST API under load over loopback HTTP, against a real uvicorn process of the app
(issue 12's goals: an action with its flow run p50 <= 150 ms; 50 clients reading at once
>= 300 requests/s with p95 <= 200 ms and no error; clients acting on shared cases lose no
update).

Seeds N open complaints under review (``sweep.py``'s seed, straight into the database),
starts a Prefect server (its database SQLite, or ``--prefect-database-url``; or uses
``PREFECT_API_URL`` if set) and one app process (``python -m uvicorn --factory
ethicsflow.app.api.app:create_app``, one worker), and times requests made with an API
token of one commissioner (who sees the body's N cases and is the assignee of a twentieth
of them: the seed spreads them over 20 commissioners):

1. actions, one at a time, on one case assigned to them: ``request_explanation`` and
   ``record_explanation`` in turn (each a flow run), with ``if_version``;
2. ``--actors`` clients at once, ``--attempts`` times each, on ``--shared`` other cases
   assigned to them: read a random one of those cases, act on it with the version read;
   every 200 must have added one audit event and one version, every refusal must be 409
   ``action.version_mismatch`` (counted from the database afterwards);
3. ``--clients`` clients, each a thread with its own connection, reading for
   ``--seconds``: the list (50 rows, organization and status, by due date), one case,
   and one case's history, in turn.

The clients run in this process, on the same machine as the server (and the Prefect
server): on a small machine they take CPU from the server, so the figures are a floor.
Every action is a flow run, so step 2 also loads the Prefect server: on SQLite it answers
some of 20 concurrent runs' calls with 503 and leaves others unanswered until the Prefect
client's 60 s timeout (then retried), which the action waits out; on PostgreSQL it does not.

Run: `python bench/api_http.py [--cases 2000] [--clients 50] [--seconds 10]
[--database-url postgresql://...] [--prefect-database-url postgresql+asyncpg://...]`
(SQLite by default; a PostgreSQL database for the app must be empty: one per run).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from _common import fresh_home, percentiles
from api import free_port
from sweep import NOW, seed

BIN = Path(sys.executable).parent
V1 = "/api/v1"
WHO = "c0@bench.kz"
START_TIMEOUT = 120.0
RESPONDENT = "respondent@bench.kz"
MISMATCH = "action.version_mismatch"
ACTION_TIMEOUT = 300.0
"""Seconds a client waits for an action under contention (a Prefect server on SQLite can
make one wait out its client's 60 s timeout more than once); one given up on would leave
its outcome, and so the count of lost updates, unknown."""


# --- processes -----------------------------------------------------------------------------


def spawn(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            args,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped whole
        )


def wait_healthy(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{url} exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(url, timeout=2).status_code == 200:
                return
        time.sleep(0.1)
    raise SystemExit(f"{url} not healthy after {START_TIMEOUT:.0f} s:\n{log.read_text()[-3000:]}")


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@contextlib.contextmanager
def platform(
    home: Path, database_url: str | None, prefect_database_url: str | None
) -> Iterator[tuple[str, int]]:
    """A Prefect server (unless PREFECT_API_URL is set) and the app; yields the app's URL
    and process id."""
    started: list[subprocess.Popen[bytes]] = []
    ours = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "ETHICSFLOW_"))}
    try:
        prefect = {k: v for k, v in os.environ.items() if k.startswith("PREFECT_")}
        if "PREFECT_API_URL" not in prefect:
            port = free_port()
            prefect = {"PREFECT_API_URL": f"http://127.0.0.1:{port}/api"}
            log = home / "prefect-server.log"
            server_env = ours | {
                "PREFECT_HOME": str(home / "prefect-server"),
                "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                "PREFECT_UI_ENABLED": "false",
                "PREFECT_LOGGING_LEVEL": "WARNING",
            }
            if prefect_database_url:
                server_env["PREFECT_API_DATABASE_CONNECTION_URL"] = prefect_database_url
            command = [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1"]
            started.append(spawn([*command, "--port", str(port)], server_env, log))
            wait_healthy(f"{prefect['PREFECT_API_URL']}/health", started[-1], log)
        port = free_port()
        app_env = ours | {
            "ETHICSFLOW_HOME": str(home),
            **({"ETHICSFLOW_DATABASE_URL": database_url} if database_url else {}),
            "PREFECT_HOME": str(home / "prefect"),
            "PREFECT_LOGGING_LEVEL": "WARNING",
            # as the engine sets them: a refused action is a failed flow run, which Prefect
            # would log with its traceback
            "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL": "CRITICAL",
            "PREFECT_LOGGING_HANDLERS_CONSOLE_FLOW_RUNS_LEVEL": "CRITICAL",
            **prefect,
        }
        log = home / "app.log"
        command = [sys.executable, "-m", "uvicorn", "--factory"]
        command += ["ethicsflow.app.api.app:create_app", "--host", "127.0.0.1"]
        command += ["--port", str(port), "--log-level", "warning", "--no-access-log"]
        started.append(spawn(command, app_env, log))
        url = f"http://127.0.0.1:{port}"
        wait_healthy(f"{url}{V1}/health", started[-1], log)
        yield url, started[-1].pid
    finally:
        for process in reversed(started):
            stop(process)


# --- the three measurements ----------------------------------------------------------------


@dataclass
class Figure:
    what: str
    value: str
    goal: str
    met: bool | None  # None: no goal


def flip(i: int) -> tuple[str, dict[str, Any]]:
    """The i-th action of a back-and-forth that any case under review allows."""
    if i % 2 == 0:
        return "request_explanation", {"respondent": RESPONDENT, "questions": f"Question {i}"}
    return "record_explanation", {"text": f"Answer {i}"}


def ok(answer: httpx.Response) -> Any:
    if answer.status_code != 200:
        raise SystemExit(f"{answer.request.url}: {answer.status_code} {answer.text}")
    return answer.json()


def act(client: httpx.Client, number: str, i: int, version: int) -> httpx.Response:
    action, fields = flip(i)
    return client.post(
        f"{V1}/cases/{number}/actions/{action}", json={"fields": fields, "if_version": version}
    )


def actions_one_at_a_time(client: httpx.Client, number: str, n: int) -> list[Figure]:
    version = ok(client.get(f"{V1}/cases/{number}"))["version"]
    for i in range(2):  # the first flow runs in the process start Prefect's client: untimed
        version = ok(act(client, number, i, version))["version"]
    samples = []
    for i in range(n):
        started = time.perf_counter()
        answer = act(client, number, i, version)
        samples.append((time.perf_counter() - started) * 1000)
        version = ok(answer)["version"]
    p50, p95 = percentiles(samples)
    return [
        Figure(
            f"action over HTTP, flow run included ({n}, one at a time)",
            f"p50 {p50:.0f} ms, p95 {p95:.0f} ms",
            "p50 <= 150 ms",
            p50 <= 150,
        )
    ]


def event_counts(numbers: list[str]) -> dict[str, tuple[int, int]]:
    """(audit events, version) of each case, read from the database."""
    from sqlalchemy import func
    from sqlmodel import col, select

    from ethicsflow.models.audit.tables import Event
    from ethicsflow.models.cases.tables import Case
    from ethicsflow.models.db import session_scope

    with session_scope() as session:
        rows = session.exec(
            select(Case.number, func.count(col(Event.id)), Case.version)
            .join(Event, col(Event.case_id) == Case.id, isouter=True)
            .where(col(Case.number).in_(numbers))
            .group_by(col(Case.number), col(Case.version))
        ).all()
    return {number: (int(events), int(version)) for number, events, version in rows}


def actors_on_shared_cases(
    url: str, headers: dict[str, str], shared: list[str], actors: int, attempts: int
) -> list[Figure]:
    before = event_counts(shared)
    barrier = threading.Barrier(actors)

    def actor(seed: int) -> list[tuple[str, int, str, float]]:
        """(case, status, problem code, ms) of each attempt (status 0: no answer)."""
        rng = random.Random(seed)
        done = []
        with httpx.Client(base_url=url, headers=headers, timeout=ACTION_TIMEOUT) as client:
            client.get(f"{V1}/health")
            barrier.wait()
            for i in range(attempts):
                number = rng.choice(shared)
                try:
                    read = client.get(f"{V1}/cases/{number}")
                    if read.status_code != 200:
                        done.append((number, read.status_code, "reading the case", 0.0))
                        continue
                    started = time.perf_counter()
                    answer = act(client, number, rng.randrange(2) + i, read.json()["version"])
                    took = (time.perf_counter() - started) * 1000
                except httpx.HTTPError as exc:
                    done.append((number, 0, type(exc).__name__, 0.0))
                    continue
                code = answer.json().get("code", "") if answer.status_code != 200 else ""
                done.append((number, answer.status_code, code, took))
        return done

    started = time.perf_counter()
    with ThreadPoolExecutor(actors) as pool:
        results = [r for rs in pool.map(actor, range(actors)) for r in rs]
    took = time.perf_counter() - started
    after = event_counts(shared)
    answers = Counter(f"{status} {code}".strip() for _, status, code, _ in results)
    won_all, mismatch = answers.pop("200", 0), answers.pop(f"409 {MISMATCH}", 0)
    latency = []
    for status in (200, 409):
        p50, p95 = percentiles([ms for _, s, _, ms in results if s == status] or [0.0])
        latency.append(f"{status}: p50 {p50:.0f} ms, p95 {p95:.0f} ms")
    lost = 0
    for number in shared:
        won = sum(1 for n, s, _, _ in results if n == number and s == 200)
        events = after[number][0] - before[number][0]
        versions = after[number][1] - before[number][1]
        lost += abs(won - events) + abs(won - versions)
    return [
        Figure(
            f"{actors} clients x {attempts} actions on {len(shared)} shared cases ({took:.0f} s)",
            f"{won_all} x 200, {mismatch} x 409 version_mismatch",
            "",
            None,
        ),
        Figure("  time to answer an action", "; ".join(latency), "", None),
        Figure("  other answers", counted(answers), "0", not answers),
        Figure("  lost updates (200s vs events, versions added)", str(lost), "0", lost == 0),
    ]


@dataclass
class Reader:
    samples: dict[str, list[float]] = field(default_factory=dict)
    errors: Counter[str] = field(default_factory=Counter)


def read_mix(
    url: str,
    headers: dict[str, str],
    cases: list[str],
    histories: list[str],
    clients: int,
    seconds: float,
) -> tuple[list[Figure], int]:
    """The figures of the read mix, and how many requests it made."""
    listing = f"{V1}/cases?org=BENCH&status=under_review&sort=due&per_page=50"
    kinds: list[tuple[str, Callable[[random.Random], str]]] = [
        ("list", lambda rng: listing),
        ("case", lambda rng: f"{V1}/cases/{rng.choice(cases)}"),
        ("history", lambda rng: f"{V1}/cases/{rng.choice(histories)}/history"),
    ]
    began: list[float] = []
    # the barrier's action runs once, before any reader is released
    barrier = threading.Barrier(clients + 1, action=lambda: began.append(time.perf_counter()))

    def reader(seed: int) -> Reader:
        rng, mine = random.Random(seed), Reader()
        with httpx.Client(base_url=url, headers=headers, timeout=30) as client:
            client.get(f"{V1}/health")
            barrier.wait()
            i = seed
            while time.perf_counter() < began[0] + seconds:
                kind, path = kinds[i % len(kinds)]
                i += 1
                started = time.perf_counter()
                try:
                    answer = client.get(path(rng))
                except httpx.HTTPError as exc:
                    mine.errors[type(exc).__name__] += 1
                    continue
                took = (time.perf_counter() - started) * 1000
                if answer.status_code != 200:
                    mine.errors[str(answer.status_code)] += 1
                else:
                    mine.samples.setdefault(kind, []).append(took)
        return mine

    with ThreadPoolExecutor(clients) as pool:
        running = [pool.submit(reader, i) for i in range(clients)]
        barrier.wait()
        readers = [r.result() for r in running]
        elapsed = time.perf_counter() - began[0]
    everything = [t for r in readers for ts in r.samples.values() for t in ts]
    errors: Counter[str] = Counter()
    for r in readers:
        errors += r.errors
    rate = (len(everything) + errors.total()) / elapsed
    p50, p95 = percentiles(everything or [0.0])
    by_kind = []
    for kind, _ in kinds:
        k50, k95 = percentiles([t for r in readers for t in r.samples.get(kind, [])] or [0.0])
        by_kind.append(f"{kind} {k50:.0f}/{k95:.0f}")
    return [
        Figure(
            f"{clients} clients reading for {elapsed:.0f} s: requests/s",
            f"{rate:.0f}",
            ">= 300",
            rate >= 300,
        ),
        Figure("  latency", f"p50 {p50:.0f} ms, p95 {p95:.0f} ms", "p95 <= 200 ms", p95 <= 200),
        Figure("  p50/p95 ms by request", ", ".join(by_kind), "", None),
        Figure("  errors", counted(errors), "0", not errors),
    ], len(everything) + errors.total()


def counted(counter: Counter[str]) -> str:
    return ", ".join(f"{n} x {what}" for what, n in counter.most_common()) or "0"


def table(figures: list[Figure]) -> str:
    rows = [("figure", "measured", "goal", "")]
    for f in figures:
        verdict = "" if f.met is None else "met" if f.met else "not met"
        rows.append((f.what, f.value, f.goal, verdict))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    return "\n".join(line.rstrip() for line in lines)


def analyze() -> None:
    """Statistics for PostgreSQL's planner after the bulk seed, as autovacuum would gather
    them soon after (without them it joins 2,000 cases by nested loops: the list takes
    ~1 s instead of milliseconds, on a server running with autovacuum off)."""
    from ethicsflow.models.db import get_engine

    with get_engine().connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2_000, help="cases to seed")
    parser.add_argument("--clients", type=int, default=50, help="clients reading at once")
    parser.add_argument("--seconds", type=float, default=10.0, help="how long they read")
    parser.add_argument("--actions", type=int, default=40, help="actions timed one at a time")
    parser.add_argument("--actors", type=int, default=20, help="clients acting at once")
    parser.add_argument("--shared", type=int, default=5, help="cases the actors share")
    parser.add_argument("--attempts", type=int, default=5, help="actions per actor")
    parser.add_argument("--database-url", help="an empty PostgreSQL database (default: SQLite)")
    parser.add_argument(
        "--prefect-database-url",
        help="the Prefect server's database (postgresql+asyncpg://...; default: SQLite)",
    )
    args = parser.parse_args()
    if args.database_url:
        os.environ["ETHICSFLOW_BENCH_DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("ETHICSFLOW_BENCH_DATABASE_URL", None)
    home = fresh_home("ethicsflow-bench-api-http-")
    started = time.perf_counter()
    seed(args.cases, 0, NOW)
    if args.database_url:
        analyze()
    from ethicsflow.models.accounts.tokens import create_token

    token, _ = create_token(WHO, "bench", expires=None)
    headers = {"Authorization": f"Bearer {token}"}
    database = "PostgreSQL" if args.database_url else "SQLite"
    print(f"seeded {args.cases:,} cases ({database}) in {time.perf_counter() - started:.1f} s")

    figures: list[Figure] = []
    started = time.perf_counter()
    with platform(home, args.database_url, args.prefect_database_url) as (url, pid):
        print(f"Prefect server and app up in {time.perf_counter() - started:.1f} s; home {home}")
        with httpx.Client(base_url=url, headers=headers, timeout=120) as client:
            seen = ok(client.get(f"{V1}/cases?per_page=200"))
            assigned = ok(client.get(f"{V1}/cases?assignee={WHO}&per_page=200"))
            visible = [item["number"] for item in seen["items"]]
            mine = [item["number"] for item in assigned["items"]]
            if len(mine) < 1 + args.shared:
                raise SystemExit(f"{WHO} is assigned {len(mine)} cases: seed more (--cases)")
            print(f"{WHO} sees {seen['total']:,} of the {args.cases:,} cases, assigned {len(mine)}")
            alone, shared = mine[0], mine[1 : 1 + args.shared]
            figures += actions_one_at_a_time(client, alone, args.actions)
        figures += actors_on_shared_cases(url, headers, shared, args.actors, args.attempts)
        cpu, own_cpu = cpu_seconds(pid), time.process_time()
        reads, requests = read_mix(
            url, headers, visible, [alone, *shared], args.clients, args.seconds
        )
        cpu, own_cpu = cpu_seconds(pid) - cpu, time.process_time() - own_cpu
        figures += reads
        figures.append(
            Figure(
                "  CPU per request: app process / these clients",
                f"{1000 * cpu / requests:.1f} ms / {1000 * own_cpu / requests:.1f} ms",
                "",
                None,
            )
        )
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} (1 min)")
    print(table(figures))


if __name__ == "__main__":
    main()
