"""Two app processes on one PostgreSQL serve the same users (DESIGN §10: the app keeps no
state outside the database, so several processes scale out behind a load balancer).

Real ``python -m uvicorn --factory ...create_app`` processes, each with a home of its own,
both on this test's fresh PostgreSQL schema and on the session's Prefect server
(tests/app/conftest.py); the data is set up with the model layer in this process, and
what the processes wrote is read back from the database here too. Flow runs in the app
have heartbeats off without any setting (flows/runtime.run_flow). Every process is
stopped in teardown (SIGTERM, then SIGKILL), whatever happened.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from ethicsflow.app.api.auth import COOKIE
from ethicsflow.models.accounts.operations import set_password
from ethicsflow.models.accounts.tokens import create_token
from tests.support import factories as f
from tests.support.cases import file_complaint, snapshot
from tests.support.cli import PrefectServer, clean_environment, free_port, wait_for
from tests.support.db import PG_PROBLEM

pytestmark = [
    pytest.mark.slow,
    pytest.mark.postgres,
    # before the session's Prefect server is started for nothing (pg_url would skip too)
    pytest.mark.skipif(PG_PROBLEM is not None, reason=PG_PROBLEM or ""),
    pytest.mark.parametrize("db_url", ["postgresql"], indirect=True),
]

PASSWORD = "correct horse battery staple"
V1 = "/api/v1"
CLIENTS = 8
"""Clients acting at once, split over the two processes."""
START = 60.0
"""Seconds an app process may take to answer /health (imports on a busy machine)."""
STOP = 10.0
"""Seconds an app process may take to exit after SIGTERM before it is killed."""
REQUEST = 150.0
"""Seconds one request may take. An action is a flow run; under concurrent runs the
Prefect server on SQLite (the session's) may leave a call unanswered until the Prefect
client's 60 s timeout and its retry (bench/api_http.py), which is slow, not wrong."""


@dataclass
class AppProcess:
    """One uvicorn process serving the app; its output goes to a file in its home."""

    name: str
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def healthy(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(
                f"app {self.name} exited with {self.process.returncode}:\n{self.output()[-3000:]}"
            )
        try:
            return httpx.get(f"{self.url}{V1}/health", timeout=2).status_code == 200
        except httpx.TransportError:
            return False

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
        try:
            self.process.wait(STOP)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def start_app(name: str, home: Path, db_url: str, prefect: PrefectServer) -> AppProcess:
    home.mkdir(parents=True)
    port = free_port()
    env = clean_environment() | {
        "ETHICSFLOW_HOME": str(home),
        "ETHICSFLOW_DATABASE_URL": db_url,
        "PREFECT_API_URL": prefect.api_url,
        "PREFECT_HOME": str(prefect.client_home),
        "PREFECT_LOGGING_LEVEL": "WARNING",
        # as the engine sets them (app/engine_client.prefect_environment): a refused action
        # is a failed flow run, which Prefect would log with its traceback
        "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL": "CRITICAL",
        "PREFECT_LOGGING_HANDLERS_CONSOLE_FLOW_RUNS_LEVEL": "CRITICAL",
        "PYTHONIOENCODING": "utf-8",
    }
    log = home / "uvicorn.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "uvicorn", "--factory"),
                "ethicsflow.app.api.app:create_app",
                *("--host", "127.0.0.1", "--port", str(port)),
                *("--log-level", "warning", "--no-access-log"),
            ],
            env=env,
            cwd=home,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: teardown kills all of it
        )
    return AppProcess(name, f"http://127.0.0.1:{port}", process, log)


@pytest.fixture
def apps(
    home: Path, db_url: str, prefect_server: PrefectServer, tmp_path: Path
) -> Iterator[tuple[AppProcess, AppProcess]]:
    """Two app processes on this test's database, both answering; stopped afterwards."""
    started: list[AppProcess] = []
    try:
        for name in ("a", "b"):
            started.append(start_app(name, tmp_path / f"app-{name}", db_url, prefect_server))
        for app in started:
            wait_for(f"app {app.name} to answer {V1}/health", app.healthy, START)
        yield started[0], started[1]
        for app in started:  # an error the app logged (a 500's traceback) is a failure
            assert "Traceback" not in app.output(), app.output()[-3000:]
    finally:
        for app in started:
            app.stop()


@dataclass(frozen=True)
class World:
    body: f.Body
    token: str
    """An API token of the body's commissioner (the assignee of every case)."""
    cases: list[str]


@pytest.fixture
def world(home: Path) -> World:
    b = f.body()
    set_password(b.commissioner, PASSWORD)
    token, _ = create_token(b.commissioner, "two processes", expires=None)
    cases = [file_complaint(b, "2026-11-16")["number"] for _ in range(1 + CLIENTS)]
    return World(b, token, cases)


def session_client(app: AppProcess, cookie: str, csrf: str) -> httpx.Client:
    """A client of ``app`` that carries the session cookie and its CSRF token by hand (an
    httpx cookie jar does not tell 127.0.0.1's ports apart)."""
    headers = {"Cookie": f"{COOKIE}={cookie}", "X-CSRF-Token": csrf}
    return httpx.Client(base_url=app.url, headers=headers, timeout=REQUEST)


def test_a_session_made_on_one_process_works_on_the_other_until_signed_out_there(
    apps: tuple[AppProcess, AppProcess], world: World
) -> None:
    a, b = apps
    number, commissioner = world.cases[0], world.body.commissioner
    with httpx.Client(base_url=a.url, timeout=REQUEST) as signing_in:
        signed = signing_in.post(
            f"{V1}/session", json={"email": commissioner, "password": PASSWORD}
        )
        assert signed.status_code == 200, signed.text
        cookie = signed.cookies[COOKIE]
    csrf = signed.json()["csrf_token"]

    with session_client(a, cookie, csrf) as on_a, session_client(b, cookie, csrf) as on_b:
        assert on_b.get(f"{V1}/me").json()["email"] == commissioner
        version = on_b.get(f"{V1}/cases/{number}").json()["version"]
        done = on_b.post(f"{V1}/cases/{number}/actions/accept", json={"if_version": version})
        assert done.status_code == 200, done.text
        assert (done.json()["status"], done.json()["version"]) == ("under_review", version + 1)
        events = on_a.get(f"{V1}/cases/{number}/history").json()["events"]
        assert (events[-1]["action"], events[-1]["actor"]) == ("accept", commissioner)

        assert on_b.delete(f"{V1}/session").status_code == 204
        for after in (on_a.get(f"{V1}/me"), on_b.get(f"{V1}/cases/{number}")):
            assert after.status_code == 401, after.text
            assert after.json()["code"] == "account.session_expired"


def act_at_once(
    apps: tuple[AppProcess, AppProcess], token: str, requests: list[tuple[str, int]]
) -> list[httpx.Response]:
    """Client i (on process i % 2) accepts case ``requests[i][0]`` with ``if_version``
    ``requests[i][1]``; all are sent together (a barrier releases them)."""
    barrier = threading.Barrier(len(requests))
    headers = {"Authorization": f"Bearer {token}"}

    def one(i: int) -> httpx.Response:
        number, version = requests[i]
        app = apps[i % 2]
        with httpx.Client(base_url=app.url, headers=headers, timeout=REQUEST) as client:
            client.get(f"{V1}/health").raise_for_status()  # connected before the barrier
            barrier.wait(timeout=REQUEST)
            return client.post(f"{V1}/cases/{number}/actions/accept", json={"if_version": version})

    with ThreadPoolExecutor(len(requests)) as pool:
        return list(pool.map(one, range(len(requests))))


def test_clients_on_both_processes_acting_at_once_lose_no_update(
    apps: tuple[AppProcess, AppProcess], world: World
) -> None:
    # one case, the same version, everyone at once: one wins, the others are told why
    shared = world.cases[0]
    before = snapshot(shared)
    answers = act_at_once(apps, world.token, [(shared, before.version)] * CLIENTS)
    seen = [(r.status_code, r.text) for r in answers]
    assert sorted(r.status_code for r in answers) == [200] + [409] * (CLIENTS - 1), seen
    assert {r.json()["code"] for r in answers if r.status_code == 409} == {
        "action.version_mismatch"
    }
    (won,) = (r.json() for r in answers if r.status_code == 200)
    after = snapshot(shared)
    assert after.version == before.version + 1 == won["version"]
    assert after.status == won["status"] == "under_review"
    assert after.events == after.event_rows == before.event_rows + 1
    headers = {"Authorization": f"Bearer {world.token}"}
    history = httpx.get(
        f"{apps[1].url}{V1}/cases/{shared}/history?verify=true", headers=headers, timeout=REQUEST
    ).json()
    assert history["verified"] is True
    assert [e["action"] for e in history["events"]].count("accept") == 1

    # different cases at once, one client each: every change lands, none overwrites another
    own = world.cases[1:]
    earlier = {number: snapshot(number) for number in own}
    answers = act_at_once(apps, world.token, [(n, earlier[n].version) for n in own])
    assert [r.status_code for r in answers] == [200] * CLIENTS, [r.text for r in answers]
    for number, answer in zip(own, answers, strict=True):
        final = snapshot(number)
        assert answer.json()["number"] == number
        assert final.version == answer.json()["version"] == earlier[number].version + 1
        assert final.events == final.event_rows == earlier[number].event_rows + 1
