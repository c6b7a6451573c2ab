"""The engine process through real subprocesses of the installed `ethicsflow` (no mocks).

One engine serves the module's home for the tests that leave it running (its cold
start costs ~10-15 s); the tests that kill or stop an engine, the start race and the
idle stop use homes of their own, so no test depends on another or on their order.
Every process whose environment names a test home is stopped in teardown, even when a
test fails. The last two tests are plain unit tests of the client (not slow).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from ethicsflow.app.client import absolute_paths, problem_error
from ethicsflow.app.engine_client import (
    engine_status,
    lock_holder,
    pid_alive,
    read_info,
    stop_engine,
)
from ethicsflow.app.errors import exit_code, message
from ethicsflow.models import errors
from ethicsflow.models.settings import Settings
from tests.support.cli import wait_for

slow = pytest.mark.slow

CLI = shutil.which("ethicsflow", path=str(Path(sys.executable).parent)) or "ethicsflow"
STARTED = "ethicsflow: started the engine for"
COMMISSIONER, SERVANT = "comm@example.kz", "servant@example.kz"
SUMMARY = "rude behaviour at the reception desk"


def processes_of(home: Path) -> list[int]:
    """Live processes whose environment names this home (engine, Prefect server, CLIs)."""
    needle = f"ETHICSFLOW_HOME={home}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        with contextlib.suppress(OSError):
            if needle in (entry / "environ").read_bytes().split(b"\0") and pid_alive(
                int(entry.name)
            ):
                found.append(int(entry.name))
    return found


def engine_pids(home: Path) -> list[int]:
    pids = []
    for pid in processes_of(home):
        with contextlib.suppress(OSError):
            if b"ethicsflow.app.engine_server" in Path(f"/proc/{pid}/cmdline").read_bytes():
                pids.append(pid)
    return pids


@dataclass
class Home:
    path: Path
    env: dict[str, str]
    outputs: list[subprocess.CompletedProcess[str]] = field(default_factory=list)

    def run(self, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [CLI, *args], env=self.env, capture_output=True, text=True, timeout=180
        )
        self.outputs.append(done)
        if ok:
            assert done.returncode == 0, done.stderr
        return done

    def popen(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [CLI, *args], env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )

    def json(self, *args: str) -> Any:
        return json.loads(self.run(*args, "--json").stdout)

    @property
    def settings(self) -> Settings:
        return Settings(home=self.path)


@contextlib.contextmanager
def make_home(path: Path, idle: str = "900") -> Iterator[Home]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ETHICSFLOW_", "PREFECT_"))}
    env.update(
        ETHICSFLOW_HOME=str(path), ETHICSFLOW_ENGINE="auto", ETHICSFLOW_ENGINE_IDLE_SECONDS=idle
    )
    home = Home(path, env)
    try:
        yield home
    finally:
        with contextlib.suppress(Exception):
            stop_engine(home.settings)
        for pid in processes_of(path):  # only processes started for this test home
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def populate(home: Home) -> Home:
    """An organization and two people, added through the engine (the first write starts it)."""
    home.run("init")
    home.run("org", "add", "MF", "--name", "Ministry of Finance")
    for email, role in ((COMMISSIONER, "commissioner"), (SERVANT, "servant")):
        home.run("person", "add", email, "--name", role, "--org", "MF", "--role", role)
    return home


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Home]:
    """A running engine shared by the tests that leave it running (none kills or stops it)."""
    with make_home(tmp_path_factory.mktemp("engine") / "home") as home:
        yield populate(home)


@pytest.fixture
def own_world(tmp_path: Path) -> Iterator[Home]:
    """Like ``world``, for one test that kills or stops the engine."""
    with make_home(tmp_path / "home") as home:
        yield populate(home)


def file_case(home: Home) -> dict[str, Any]:
    return home.json(
        "case", "file", "--kind", "complaint", "--org", "MF", "--by", SERVANT, "--summary", SUMMARY
    )


@slow
def test_first_write_starts_the_engine_and_later_ones_reuse_it(world: Home) -> None:
    init, first = world.outputs[:2]
    assert STARTED not in init.stderr  # reads and init do not need the engine
    assert first.stderr.count(STARTED) == 1 and f"for {world.path} (pid" in first.stderr
    info = read_info(world.path)
    assert info is not None and engine_pids(world.path) == [info["pid"]]
    assert oct((world.path / "engine.json").stat().st_mode & 0o777) == "0o600"
    socket = world.path / "api.sock"
    assert socket.is_socket() and oct(socket.stat().st_mode & 0o777) == "0o600"
    numbers = {file_case(world)["number"] for _ in range(3)}
    assert len(numbers) == 3
    assert all(STARTED not in done.stderr for done in world.outputs[2:])
    assert read_info(world.path) == info and lock_holder(world.path) == info["pid"]
    log = (world.path / "logs" / "engine.log").read_text()
    assert "file_case MF-" in log and SERVANT not in log and "Ministry" not in log


@slow
def test_domain_errors_keep_their_message_and_exit_code(world: Home) -> None:
    args = ["--kind", "complaint", "--org", "NOPE", "--by", SERVANT, "--summary", SUMMARY]
    unknown = world.run("case", "file", *args, ok=False)
    assert unknown.returncode == 2
    assert unknown.stderr.startswith("error: ") and "NOPE" in unknown.stderr
    duplicate = world.run("org", "add", "MF", "--name", "Again", ok=False)
    assert duplicate.returncode == 3
    assert duplicate.stderr == "error: CODE: organization MF already exists\n"
    assert "Traceback" not in unknown.stderr + duplicate.stderr


@slow
def test_concurrent_acts_on_one_case_give_one_winner(world: Home) -> None:
    number = file_case(world)["number"]
    version = str(world.json("case", "show", number)["version"])
    # Hold SQLite's write lock so both requests are inside the engine at once.
    db = sqlite3.connect(world.path / "ethicsflow.db", isolation_level=None, timeout=30)
    try:
        db.execute("BEGIN IMMEDIATE")
        args = ("case", "act", number, "accept", "--by", COMMISSIONER, "--if-version", version)
        racers = [world.popen(*args), world.popen(*args)]
        try:
            settings = world.settings
            wait_for("2 in flight", lambda: (engine_status(settings) or {}).get("inflight") == 2)
        finally:
            db.execute("ROLLBACK")
    finally:
        db.close()
    results = [(p.wait(timeout=120), *p.communicate()) for p in racers]
    assert sorted(code for code, _, _ in results) == [0, 3], results
    loser = next(err for code, _, err in results if code == 3)
    assert loser.startswith("error: ") and "Traceback" not in loser
    assert world.json("case", "show", number)["status"] == "under_review"


CLIENT = """
import json, sys
from ethicsflow.app.client import run_operation
from ethicsflow.app.errors import exit_code, message
from ethicsflow.models.errors import EthicsflowError
from ethicsflow.models.settings import get_settings

settings, seen, out = get_settings(), [], {}
row = {"kind": "complaint", "org": "MF", "by": sys.argv[1], "summary": "an imported complaint"}
rows = [[i + 1, {**row, "key": f"import-{i}"}] for i in range(600)]
out["filed"] = run_operation("import_cases", {"rows": rows}, seen.append, settings)["filed"]
out["progress"] = seen
for op in ("add_org", "no_such_op"):
    try:
        run_operation(op, {}, None, settings)
    except EthicsflowError as exc:
        out[op] = [type(exc).__name__, exit_code(exc), message(exc)]
out["prefect"] = sorted(m for m in sys.modules if m.split(".")[0] == "prefect")
print(json.dumps(out))
"""


@slow
def test_client_streams_progress_reports_errors_and_never_imports_prefect(world: Home) -> None:
    done = subprocess.run(
        [sys.executable, "-c", CLIENT, SERVANT],
        env=world.env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["filed"] == 600 and sum(out["progress"]) == 600 and len(out["progress"]) >= 2
    assert out["add_org"][:2] == ["InvalidInput", 2] and "code" in out["add_org"][2]
    assert out["no_such_op"] == ["EthicsflowError", 1, "no such operation 'no_such_op'"]
    assert out["prefect"] == []
    # the CLI's own path: `python -X importtime` lists every module imported
    cli = [sys.executable, "-X", "importtime", "-c", "from ethicsflow.app.cli import main; main()"]
    args = [
        "case",
        "file",
        "--kind",
        "complaint",
        "--org",
        "MF",
        "--by",
        SERVANT,
        "--summary",
        SUMMARY,
    ]
    number = ""
    for command in (args, ["case", "show", "MF-2026-00001"], ["case", "list", "--org", "MF"]):
        timed = subprocess.run(
            [*cli, *command], env=world.env, capture_output=True, text=True, timeout=60
        )
        assert timed.returncode == 0, timed.stderr
        imported = [line.rsplit("|", 1)[-1].strip() for line in timed.stderr.splitlines()]
        assert {"ethicsflow.app.client", "http.client"} <= set(imported), command
        # neither Prefect nor the database layer: the engine does the work (and checks
        # the schema itself); nor httpx, uvicorn or pydantic-settings (~0.35 s together)
        slow = ("prefect", "sqlalchemy", "sqlmodel", "httpx", "uvicorn", "pydantic_settings")
        heavy = [m for m in imported if m.split(".")[0] in slow]
        assert not heavy, (command, heavy[:5])
        number = number or timed.stdout.split()[0]
    assert number.startswith("MF-")


@slow
def test_a_second_engine_for_the_same_home_refuses(world: Home) -> None:
    info = read_info(world.path)
    assert info is not None
    second = subprocess.run(
        [sys.executable, "-m", "ethicsflow.app.engine_server"],
        env=world.env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert second.returncode == 3
    assert second.stderr == (
        f"ethicsflow engine: another engine already runs for {world.path} "
        f"(pid {info['pid']}); stop it with `ethicsflow stop`\n"
    )
    assert engine_pids(world.path) == [info["pid"]] and read_info(world.path) == info


@slow
def test_a_killed_engine_is_replaced_and_its_leftovers_stopped(own_world: Home) -> None:
    old = read_info(own_world.path)
    assert old is not None
    leftovers = [pid for pid in processes_of(own_world.path) if pid != old["pid"]]
    assert leftovers  # Prefect's temporary server, in the engine's process group
    os.kill(old["pid"], signal.SIGKILL)
    wait_for("the engine to die", lambda: not pid_alive(old["pid"]))
    filed = own_world.run("case", "file", "--kind", "complaint", "--org", "MF", "--by", SERVANT,
                      "--summary", SUMMARY)  # fmt: skip
    new = read_info(own_world.path)
    assert new is not None and new["pid"] != old["pid"]
    assert filed.stderr.count(STARTED) == 1 and f"(pid {new['pid']})" in filed.stderr
    wait_for("leftovers stopped", lambda: not any(pid_alive(pid) for pid in leftovers), 15)
    log = (own_world.path / "logs" / "engine.log").read_text()
    assert f"left running by engine {old['pid']}" in log
    assert engine_pids(own_world.path) == [new["pid"]]


@slow
def test_stop_stops_the_engine_and_everything_it_started(own_world: Home) -> None:
    info = read_info(own_world.path)
    assert info is not None and len(processes_of(own_world.path)) >= 2  # engine + Prefect server
    stopped = own_world.run("stop")
    assert stopped.stdout == f"stopped the engine for {own_world.path} (pid {info['pid']})\n"
    assert not (own_world.path / "engine.json").exists() and not pid_alive(info["pid"])
    assert lock_holder(own_world.path) is None
    wait_for("no process of this home left", lambda: not processes_of(own_world.path), 15)
    again = own_world.run("stop")
    assert again.stdout == f"no engine running for {own_world.path}\n"


@slow
def test_two_commands_starting_at_once_end_with_one_engine(tmp_path: Path) -> None:
    with make_home(tmp_path / "home") as home:
        home.run("init")
        racers = [home.popen("org", "add", code, "--name", code) for code in ("AA", "BB")]
        results = [(p.wait(timeout=150), *p.communicate()) for p in racers]
        assert [code for code, _, _ in results] == [0, 0], results
        assert sum(err.count(STARTED) for _, _, err in results) == 1
        info = read_info(home.path)
        assert info is not None and engine_pids(home.path) == [info["pid"]]
        assert home.json("org", "add", "CC", "--name", "C")["code"] == "CC"


@slow
def test_an_idle_engine_stops_by_itself(tmp_path: Path) -> None:
    with make_home(tmp_path / "home", idle="1") as home:
        home.run("init")
        home.run("org", "add", "AA", "--name", "A")
        wait_for("the idle engine to stop", lambda: lock_holder(home.path) is None)
        assert not (home.path / "engine.json").exists()
        assert "stopping (idle for 1 s)" in (home.path / "logs" / "engine.log").read_text()
        wait_for("no process of this home left", lambda: not processes_of(home.path), 15)


@slow
def test_an_engine_that_cannot_start_says_why_and_leaves_nothing_running(tmp_path: Path) -> None:
    # A Prefect server that never gets time to start: the engine's warm-up fails.
    with make_home(tmp_path / "home") as home:
        home.run("init")
        home.env["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] = "0"
        failed = home.run("org", "add", "AA", "--name", "A", ok=False)
        assert failed.returncode == 1
        assert "exited with status 1 while starting" in failed.stderr
        assert "RuntimeError: Timed out while attempting to connect" in failed.stderr
        assert "Traceback" not in failed.stderr
        assert lock_holder(home.path) is None and not (home.path / "engine.json").exists()
        wait_for("no process of this home left", lambda: not processes_of(home.path), 15)
        del home.env["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"]
        assert home.json("org", "add", "BB", "--name", "B")["code"] == "BB"  # the next one starts


@pytest.mark.parametrize(
    ("status", "cls", "code"),
    [
        (404, errors.NotFound, 2),
        (422, errors.InvalidInput, 2),
        (409, errors.Conflict, 3),
        (403, errors.NotPermitted, 4),
        (500, errors.EthicsflowError, 1),
    ],
)
def test_problems_without_a_domain_error_keep_their_class(
    status: int, cls: type[errors.EthicsflowError], code: int
) -> None:
    exc = problem_error({"type": "about:blank", "title": "t", "status": status, "detail": "m"}, 0)
    assert type(exc) is cls and message(exc) == "m" and exit_code(exc) == code


def test_problems_keep_the_domain_errors_code_field_and_params() -> None:
    sent = errors.NotFound("rating.not_filer", errors.ACTOR, email="a@b.kz", number="KZ-1")
    exc = problem_error({"status": 404, "detail": "API text", "error": errors.to_dict(sent)}, 404)
    assert type(exc) is errors.NotFound and (exc.code, exc.field) == (sent.code, sent.field)
    assert message(exc) == message(sent) and message(exc).startswith("--by: a@b.kz is not")


def test_file_arguments_of_actions_are_made_absolute(tmp_path: Path) -> None:
    values = {"evidence": "@proof.pdf", "measures": "@/abs/m.json", "reason": "why"}
    fixed = absolute_paths("act", {"number": "N", "values": values})["values"]
    assert fixed == {
        "evidence": f"@{Path.cwd() / 'proof.pdf'}",
        "measures": "@/abs/m.json",
        "reason": "why",
    }
    filing = {"values": {"summary": "@not a path"}}
    assert absolute_paths("file_case", filing) == filing
