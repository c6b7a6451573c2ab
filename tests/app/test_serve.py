"""`ethicsflow serve` and `ethicsflow status` as real processes (no mocks).

Each test starts the installed `ethicsflow serve` on its own home, Prefect port and
policy file whose schedules run sweep and dispatch every minute, so a scheduled run is
due within a minute. Waits are on conditions (a line in the log, a row in the database,
a message at a loopback sink) with timeouts that only guard against a hang.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlmodel import col, select

from ethicsflow.app.prefect_auth import LOOPBACK, auth_string, authorization
from ethicsflow.models.db import session_scope
from ethicsflow.models.deadlines.tables import SweepRun
from ethicsflow.models.notifications.tables import Notification
from ethicsflow.models.policy import packaged_policy_path
from tests.support.cli import EXECUTABLE, Cli, clean_environment, free_port, wait_for
from tests.support.notify import HttpSink, add_rows

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)

READY = 60.0
SLOT = 150.0
"""A minute until the next cron slot, the runner's poll, a flow run in a child process."""


class Serve:
    """One `ethicsflow serve` process; stdout and stderr go to files in the home."""

    def __init__(self, env: dict[str, str], home: Path, tag: str) -> None:
        self.out = home / f"serve-{tag}.out"
        self.err = home / f"serve-{tag}.err"
        with self.out.open("wb") as out, self.err.open("wb") as err:
            self.process = subprocess.Popen(
                [str(EXECUTABLE), "serve"],
                env=env,
                cwd=home,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                start_new_session=True,  # its own process group, as in a terminal
            )

    def text(self) -> str:
        return self.out.read_text(errors="replace") + self.err.read_text(errors="replace")

    def wait_ready(self, timeout: float = READY) -> None:
        def ready() -> bool:
            if self.process.poll() is not None:
                raise AssertionError(f"serve exited with {self.process.returncode}:\n{self.text()}")
            return "ready after" in self.out.read_text(errors="replace")

        wait_for("serve to be ready", ready, timeout)

    def stop(self, sig: signal.Signals = signal.SIGTERM, timeout: float = 90.0) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        return self.process.wait(timeout)

    def kill_if_running(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(30)


@pytest.fixture
def sink() -> Iterator[HttpSink]:
    """A loopback json:// receiver (tests/support/notify.py)."""
    receiver = HttpSink()
    yield receiver
    receiver.close()


@pytest.fixture
def serve_env(home: Path, db_url: str) -> dict[str, str]:
    """Environment of serve and of the CLI next to it: this home, a port, fast schedules."""
    policy = yaml.safe_load(packaged_policy_path().read_text(encoding="utf-8"))
    policy["schedules"] = {
        "sweep": ["* * * * *"],
        "dispatch": ["* * * * *"],
        "digest": ["0 9 * * *"],
    }
    policy_file = home / "policy.yaml"
    policy_file.write_text(yaml.safe_dump(policy, allow_unicode=True), encoding="utf-8")
    return clean_environment() | {
        "ETHICSFLOW_HOME": str(home),
        "ETHICSFLOW_DATABASE_URL": db_url,
        "ETHICSFLOW_POLICY_FILE": str(policy_file),
        "ETHICSFLOW_PREFECT_PORT": str(free_port()),
        "ETHICSFLOW_WEB_PORT": str(free_port()),
        "ETHICSFLOW_SERVE_POLL_SECONDS": "1",
        "ETHICSFLOW_SERVE_GRACE_SECONDS": "60",
        "PYTHONIOENCODING": "utf-8",
    }


@pytest.fixture
def started(serve_env: dict[str, str], home: Path) -> Iterator[list[Serve]]:
    """Every serve a test starts is stopped at its end (SIGKILL if it hangs)."""
    processes: list[Serve] = []
    yield processes
    for process in processes:
        process.kill_if_running()
    for pid in _children_of_home(home):
        os.kill(pid, signal.SIGKILL)


def _children_of_home(home: Path) -> list[int]:
    needle = f"ETHICSFLOW_HOME={home}".encode()
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            if needle in (entry / "environ").read_bytes().split(b"\0"):
                found.append(int(entry.name))
        except (OSError, ValueError):
            continue
    return [pid for pid in found if pid != os.getpid()]


def _schedules(home: Path) -> list[tuple[str, int, int]]:
    """(deployment, paused, schedule active) from Prefect's own database under the home."""
    with sqlite3.connect(home / "prefect" / "prefect.db") as db:
        return db.execute(
            "SELECT d.name, d.paused, s.active FROM deployment d "
            "JOIN deployment_schedule s ON s.deployment_id = d.id ORDER BY d.name"
        ).fetchall()


def _statuses(ids: list[int]) -> set[str]:
    with session_scope() as session:
        query = select(Notification.status).where(col(Notification.id).in_(ids))
        return set(session.exec(query).all())


def _scheduled_sweeps() -> list[SweepRun]:
    with session_scope() as session:
        query = select(SweepRun).where(col(SweepRun.flow_run_id).is_not(None))
        return list(session.exec(query).all())


def refused(cli: Cli, code: int) -> str:
    """serve exits ``code`` with one ``error:`` line (its log goes to stderr as well)."""
    result = cli.run("serve")
    assert result.code == code and result.out == "", result
    errors = [line for line in result.err.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and "Traceback" not in result.err, result.err
    return errors[0].removeprefix("error: ")


def test_serve_refuses_an_unreachable_database_or_a_taken_port_and_leaves_nothing(
    serve_env: dict[str, str], home: Path
) -> None:
    """The databases are prepared in a child process (Alembic stays out of serve's own
    process): its failure is serve's one error line, with nothing left running or written."""
    unreachable = f"postgresql://postgres@127.0.0.1:{free_port()}/test"
    message = refused(Cli(env=serve_env | {"ETHICSFLOW_DATABASE_URL": unreachable}, cwd=home), 1)
    assert re.fullmatch(r"database .*: cannot open it \(.*refused.*\)", message), message
    assert not (home / "engine.json").exists() and not _children_of_home(home)
    assert not (home / "prefect" / "prefect.db").exists()  # the child stopped at the first

    prefect_db = {"PREFECT_API_DATABASE_CONNECTION_URL": unreachable.replace("ql:", "ql+asyncpg:")}
    message = refused(Cli(env=serve_env | prefect_db, cwd=home), 1)
    assert message.startswith("the Prefect database: ") and "refused" in message.lower(), message
    assert not (home / "engine.json").exists() and not _children_of_home(home)

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        message = refused(Cli(env=serve_env | {"ETHICSFLOW_PREFECT_PORT": port}, cwd=home), 2)
    assert f"port {port} on 127.0.0.1 is in use" in message and "--port" in message
    assert not (home / "engine.json").exists() and not _children_of_home(home)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        message = refused(Cli(env=serve_env | {"ETHICSFLOW_WEB_PORT": port}, cwd=home), 2)
    assert f"port {port} on 127.0.0.1 is in use" in message and "--web-port" in message
    assert not (home / "engine.json").exists() and not _children_of_home(home)


def test_serve_schedules_serves_the_cli_refuses_a_second_and_stops_with_schedules_active(
    serve_env: dict[str, str], home: Path, started: list[Serve], sink: HttpSink
) -> None:
    ids = add_rows(sink.url, 3)  # queued before serve: the scheduled dispatch sends them
    serve = Serve(serve_env, home, "1")
    started.append(serve)
    serve.wait_ready()
    info = json.loads((home / "engine.json").read_text())
    assert info["mode"] == "serve" and info["pid"] == serve.process.pid
    port = serve_env["ETHICSFLOW_PREFECT_PORT"]
    assert f"Prefect UI http://127.0.0.1:{port}" in serve.out.read_text()

    # Other commands of this home go through serve's engine, with no configuration.
    cli = Cli(env=serve_env, cwd=home)
    cli.ok("org", "add", "MINFIN", "--name", "Ministry of Finance", "--region", "Astana")
    cli.ok("person", "add", "zhanar.secret@minfin.kz", "--name", "Zhanar Secretname",
           "--org", "MINFIN", "--role", "commissioner")  # fmt: skip
    cli.ok("person", "add", "filer.secret@minfin.kz", "--name", "Filer Secretname",
           "--org", "MINFIN")  # fmt: skip
    filed = cli.json("case", "file", "--kind", "complaint", "--org", "MINFIN", "--by",
                     "filer.secret@minfin.kz", "--summary", "SECRET-SUMMARY-TEXT")  # fmt: skip
    assert "started the engine" not in serve.text()

    # The REST API of serve: nothing without credentials, the commissioner's cases with
    # their token.
    api = info["api_url"]
    assert f"REST API   {api}/api/v1" in serve.out.read_text()
    with LOOPBACK.open(f"{api}/api/v1/health", timeout=10) as answer:
        assert json.load(answer)["status"] == "ok"
    with pytest.raises(urllib.error.HTTPError) as anonymous:
        LOOPBACK.open(f"{api}/api/v1/cases", timeout=10)
    assert anonymous.value.code == 401
    token = cli.json("token", "create", "zhanar.secret@minfin.kz", "--name", "t")["token"]
    listed = urllib.request.Request(
        f"{api}/api/v1/cases", headers={"Authorization": f"Bearer {token}"}
    )
    with LOOPBACK.open(listed, timeout=10) as answer:
        assert [c["number"] for c in json.load(answer)["items"]] == [filed["number"]]
    inprocess = Cli(env={**serve_env, "ETHICSFLOW_ENGINE": "inprocess"}, cwd=home)
    inprocess.ok("org", "add", "MINJUST", "--name", "Ministry of Justice")  # serve's server too
    with sqlite3.connect(home / "prefect" / "prefect.db") as db:
        names = [
            n
            for (n,) in db.execute("SELECT f.name FROM flow_run r JOIN flow f ON f.id = r.flow_id")
        ]
    assert names.count("add-organization") == 2
    wait_for("the engine log line", lambda: "add_person: ok" in serve.err.read_text(), 10)

    # A second serve on the same home refuses, naming the first.
    second = cli.fails(3, "serve")
    assert "already runs" in second and str(serve.process.pid) in second

    # A scheduled sweep and a scheduled dispatch happen.
    sweeps = wait_for("a scheduled sweep", _scheduled_sweeps, SLOT)
    assert sweeps[0].errors == 0
    wait_for("the scheduled dispatch", lambda: len(sink.keys()) == 3, SLOT)
    # The receiver has them before dispatch records them sent: wait for the record too.
    wait_for("the three to be recorded sent", lambda: _statuses(ids) == {"sent"}, 30)
    assert all(n == 1 for n in sink.keys().values())

    status = cli.json("status")
    assert status["engine"]["mode"] == "serve"
    assert status["prefect"]["reachable"] is True
    deployments = {d["name"]: d for d in status["prefect"]["deployments"]}
    assert set(deployments) == {"sweep", "dispatch", "digest"}
    assert all(d["next_run"] for d in deployments.values())
    assert deployments["dispatch"]["schedules"][0]["timezone"] == "Asia/Almaty"
    assert status["last_sweep"] is not None
    assert status["problems"] == []
    # The policy file edited (here: another one) and serve not restarted: a problem.
    edited = Cli(env={**serve_env, "ETHICSFLOW_POLICY_FILE": str(packaged_policy_path())},
                 cwd=home)  # fmt: skip
    result = edited.run("status", "--json")
    assert result.code == 1, result
    off = [p for p in json.loads(result.out)["problems"] if "but the policy file says" in p]
    assert len(off) == 1 and off[0].startswith("deployment sweep runs on * * * * * (Asia/Almaty)")

    # Ctrl-C in serve's terminal (SIGINT to its whole process group) while a scheduled
    # dispatch is sending: that run finishes, then serve stops; the schedules stay active.
    more = add_rows(sink.url, 24)
    sink.latency = 1.0  # 8 sends at a time: the run lasts ~3 s
    wait_for("the next dispatch to be under way", lambda: len(sink.keys()) >= 3 + 4, SLOT)
    os.killpg(serve.process.pid, signal.SIGINT)
    assert serve.process.wait(120) == 0
    assert _statuses(ids + more) == {"sent"}  # the run in flight was not interrupted
    assert len(sink.keys()) == 27 and all(n == 1 for n in sink.keys().values())
    assert not (home / "engine.json").exists()
    assert _schedules(home) and all(p == 0 and a == 1 for _, p, a in _schedules(home))
    wait_for("serve's children to exit", lambda: not _children_of_home(home), 30)
    text = serve.text()
    assert "stopping (SIGINT)" in text and "stopped" in text

    # Logs carry case numbers at most: no names, e-mails or summaries.
    logs = "".join(p.read_text(errors="replace") for p in (home / "logs").iterdir())
    logs += serve.text()
    for secret in ("Secretname", "zhanar.secret", "filer.secret", "SECRET-SUMMARY-TEXT"):
        assert secret not in logs
    assert filed["number"] in logs  # the number is fine, and useful


def test_sigkill_of_serve_mid_dispatch_then_restart_loses_and_doubles_nothing(
    serve_env: dict[str, str], home: Path, started: list[Serve], sink: HttpSink
) -> None:
    ids = add_rows(sink.url, 64)
    with session_scope() as session:
        keys = {
            n.id: n.dedup_key
            for n in session.exec(select(Notification).where(col(Notification.id).in_(ids)))
        }
    sink.latency = 1.0  # 8 sends at a time: the scheduled dispatch run lasts ~8 s
    first = Serve(serve_env, home, "1")
    started.append(first)
    first.wait_ready()
    wait_for("the scheduled dispatch to be under way", lambda: len(sink.keys()) >= 8, SLOT)

    assert first.stop(signal.SIGKILL) == -signal.SIGKILL  # like the OOM killer: serve only
    assert len(sink.keys()) < len(ids)  # killed mid-dispatch
    second = Serve(serve_env, home, "2")
    started.append(second)
    second.wait_ready(READY + 60)  # it lets the old run finish first

    def all_done() -> bool:
        with session_scope() as session:
            rows = session.exec(select(Notification).where(col(Notification.id).in_(ids))).all()
        return all(r.status == "sent" for r in rows)

    wait_for("every notification to be sent", all_done, SLOT)
    received = sink.keys()
    assert set(received) == set(keys.values())  # nothing lost
    assert all(n == 1 for n in received.values()), received  # nothing doubled
    assert second.stop(signal.SIGTERM) == 0
    assert all(p == 0 and a == 1 for _, p, a in _schedules(home))  # SIGTERM: still active
    # The dead serve's dispatch run went on, reported to the new server and completed.
    assert re.search(r"waiting up to \d+ s for \d+ process\(es\) of serve", second.err.read_text())
    with sqlite3.connect(home / "prefect" / "prefect.db") as db:
        states = db.execute(
            "SELECT r.state_type FROM flow_run r JOIN deployment d ON d.id = r.deployment_id "
            "WHERE d.name = 'dispatch' AND r.state_type != 'SCHEDULED'"
        ).fetchall()
    assert {s for (s,) in states} == {"COMPLETED"}


CHROMIUM = Path("/usr/bin/chromium")
CASE_EVENTS = {"ethics.case.file", "ethics.case.assign"}


def prefect_post(api: str, path: str, body: dict[str, Any], auth: str | None) -> Any:
    """POST to serve's Prefect API, with the home's auth string if ``auth``."""
    headers = {"Content-Type": "application/json"}
    if auth:
        headers["Authorization"] = authorization(auth)
    request = urllib.request.Request(
        f"{api}{path}", data=json.dumps(body).encode(), headers=headers
    )
    with LOOPBACK.open(request, timeout=10) as response:
        return json.load(response)


def stored(api: str, number: str, auth: str) -> set[str]:
    """The names of the stored events about case ``number`` (what the UI's feed reads)."""
    query = {"filter": {"any_resource": {"id": [f"ethics.case.{number}"]}}, "limit": 50}
    return {event["event"] for event in prefect_post(api, "/events/filter", query, auth)["events"]}


def test_the_prefect_ui_of_serve_shows_the_deployments_and_the_case_events(
    serve_env: dict[str, str], home: Path, started: list[Serve]
) -> None:
    """What an operator sees in a browser (Debian's Chromium driven by Playwright)."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    if not CHROMIUM.exists():
        pytest.skip(f"no browser: {CHROMIUM} is missing (Debian package chromium)")
    serve = Serve(serve_env, home, "ui")
    started.append(serve)
    serve.wait_ready()
    ui = json.loads((home / "engine.json").read_text())["ui_url"]
    api = json.loads((home / "engine.json").read_text())["prefect_api_url"]
    # Prefect's API is the operator's: without the home's secret, 401 (the health probe aside)
    auth = auth_string(home)
    assert auth and (home / "prefect-auth").stat().st_mode & 0o777 == 0o600
    for wrong in (None, "ethicsflow:guess"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            prefect_post(api, "/deployments/filter", {"limit": 1}, wrong)
        assert refused.value.code == 401
    assert len(prefect_post(api, "/deployments/filter", {"limit": 5}, auth)) == 3
    cli = Cli(env=serve_env, cwd=home)
    cli.ok("org", "add", "MINFIN", "--name", "Ministry of Finance")
    cli.ok("person", "add", "comm@minfin.kz", "--name", "C", "--org", "MINFIN",
           "--role", "commissioner")  # fmt: skip
    cli.ok("person", "add", "filer@minfin.kz", "--name", "F", "--org", "MINFIN")
    filed = cli.json("case", "file", "--kind", "complaint", "--org", "MINFIN", "--by",
                     "filer@minfin.kz", "--summary", "rude words at the reception")  # fmt: skip
    number = filed["number"]

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.set_default_timeout(60_000)
            # the UI asks for the secret once, as it would ask the operator
            page.goto(f"{ui}/deployments")
            page.locator("input[type=password]").fill(auth)
            page.keyboard.press("Enter")
            page.goto(f"{ui}/deployments")
            page.get_by_text("3 Deployments").wait_for()
            flows = {"sweep": "sweep-deadlines", "dispatch": "dispatch-notifications",
                     "digest": "send-digest"}  # fmt: skip
            for flow in flows.values():  # the UI fetches the flows' names after the list
                page.get_by_text(flow, exact=True).wait_for()
            body = page.inner_text("body")
            for name, flow in flows.items():
                assert re.search(rf"^{name}\s+{flow}\s+Ready", body, re.MULTILINE), body
            assert "Paused" not in body

            # The server stores an event at its next write (seconds later, more under load)
            # and the feed reads stored events when it opens, then once a minute (Prefect
            # UI's Events page): wait until they are stored, or it may miss them for 60 s.
            wait_for(
                "the case's events stored", lambda: stored(api, number, auth) >= CASE_EVENTS, 60
            )
            page.goto(f"{ui}/events")
            for text in (
                *sorted(CASE_EVENTS),
                f"ethics.case.{number}",
                "ethics.organization.MINFIN",
            ):
                page.get_by_text(text, exact=True).first.wait_for()
            body = page.inner_text("body")
            assert "filer@minfin.kz" not in body and "rude words" not in body
        finally:
            browser.close()
