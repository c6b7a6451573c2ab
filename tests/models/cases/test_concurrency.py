"""Real processes writing one database at once, on SQLite and on PostgreSQL.

Each child imports the models, warms its engine, prints ``ready`` and waits on stdin;
the test releases all children together once every one is ready (a start barrier, no
sleeps). A child exits with the error's exit code (2 invalid, 3 conflict, 4 not permitted).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.support import factories as f
from tests.support.cases import SUMMARY, deadlines, file_complaint, history, show, snapshot

pytestmark = pytest.mark.slow

CHILD = r"""
import datetime as dt
import json
import sys

from ethicsflow.app.errors import exit_code, message
from ethicsflow.models.cases import operations
from ethicsflow.models.deadlines.calendar import calendar_for
from ethicsflow.models.db import require_schema
from ethicsflow.models.errors import EthicsflowError
from ethicsflow.models.policy import load_policy

job = json.loads(sys.argv[1])
require_schema()  # connect now, not after the start
calendar_for(load_policy()).add_working_days(dt.date(2025, 3, 17), 15)
print("ready", flush=True)
sys.stdin.readline()  # the start barrier
results = []
try:
    for filing in job.get("filings", []):
        results.append(operations.file_one(filing))
    if "act" in job:
        a = job["act"]
        results.append(
            operations.act(
                a["number"],
                a["action"],
                a["by"],
                a.get("values", {}),
                if_version=a.get("if_version"),
                at=dt.datetime.fromisoformat(a["at"]),
            )
        )
except EthicsflowError as exc:
    print(json.dumps({"error": type(exc).__name__, "message": message(exc), "results": results}))
    sys.exit(exit_code(exc))
print(json.dumps({"results": results}))
"""


@dataclass
class Child:
    code: int
    out: dict[str, Any]
    err: str


def run_together(*jobs: dict[str, Any]) -> list[Child]:
    """Start one process per job, release them at once, wait for all."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, json.dumps(job)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=dict(os.environ),  # ETHICSFLOW_DATABASE_URL of this test
        )
        for job in jobs
    ]
    try:
        for proc in procs:
            assert proc.stdout is not None
            line = proc.stdout.readline()
            if line.strip() != "ready":
                _, err = proc.communicate(timeout=60)
                pytest.fail(f"child did not start: {line!r} {err}")
        for proc in procs:
            assert proc.stdin is not None
            proc.stdin.write("go\n")
            proc.stdin.flush()
        children = []
        for proc in procs:
            out, err = proc.communicate(timeout=120)
            last = out.strip().splitlines()[-1] if out.strip() else "{}"
            children.append(Child(proc.returncode, json.loads(last), err))
        return children
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def filing(b: f.Body, **values: Any) -> dict[str, Any]:
    return {
        "kind": "complaint",
        "org": b.code,
        "by": b.filer,
        "against": b.respondent,
        "summary": SUMMARY,
        "received_at": "2025-03-17T10:00:00+05:00",
        **values,
    }


def test_file_concurrently_numbers_without_gaps(home: Path) -> None:
    b = f.body()
    jobs = [
        {"filings": [filing(b, summary=f"{SUMMARY} ({p}/{i})") for i in range(15)]} for p in (1, 2)
    ]
    children = run_together(*jobs)
    assert [c.code for c in children] == [0, 0], [c.err for c in children]
    numbers = [r["number"] for c in children for r in c.out["results"]]
    assert sorted(numbers) == [f"{b.code}-2025-{n:05d}" for n in range(1, 31)]
    for child in children:  # each process saw its own numbers rise
        own = [r["number"] for r in child.out["results"]]
        assert own == sorted(own)
    assert file_complaint(b, "2025-03-17")["number"] == f"{b.code}-2025-00031"


def test_file_concurrently_same_key_makes_one_case(home: Path) -> None:
    b = f.body()
    job = {"filings": [filing(b, key=f"portal-{f.uid()}")]}
    children = run_together(job, job)
    assert [c.code for c in children] == [0, 0], [c.err for c in children]
    results = [c.out["results"][0] for c in children]
    assert {r["number"] for r in results} == {f"{b.code}-2025-00001"}
    assert sorted(r["created"] for r in results) == [False, True]
    # the loser's number was rolled back with it: the next filing gets 00002
    assert file_complaint(b, "2025-03-17")["number"] == f"{b.code}-2025-00002"
    assert [e["action"] for e in history(f"{b.code}-2025-00001")["events"]] == ["file", "assign"]


def test_act_concurrently_with_same_version_one_wins(home: Path) -> None:
    b = f.body()
    number = file_complaint(b, "2025-03-17")["number"]
    before = snapshot(number)
    job = {
        "act": {
            "number": number,
            "action": "accept",
            "by": b.commissioner,
            "if_version": before.version,
            "at": "2025-03-18T10:00:00+05:00",
        }
    }
    children = sorted(run_together(job, job), key=lambda c: c.code)
    assert [c.code for c in children] == [0, 3], children[-1].err[-3000:]
    assert children[1].out["error"] == "Conflict"
    assert "changed meanwhile" in children[1].out["message"]
    after = snapshot(number)
    assert after.events == after.event_rows == before.events + 1
    assert after.version == children[0].out["results"][0]["version"]
    assert show(number)["status"] == "under_review"
    assert deadlines(number, "limitation") == [("limitation", "2025-04-17", "open")]
    assert history(number, verify=True)["verified"] is True


def test_act_concurrently_without_version_one_wins(home: Path) -> None:
    b = f.body()
    number = file_complaint(b, "2025-03-17")["number"]
    before = snapshot(number)
    job = {
        "act": {
            "number": number,
            "action": "accept",
            "by": b.commissioner,
            "at": "2025-03-18T10:00:00+05:00",
        }
    }
    children = sorted(run_together(job, job), key=lambda c: c.code)
    # the loser waits for the winner and then finds the case accepted already
    assert [c.code for c in children] == [0, 2], children[-1].err[-3000:]
    assert children[1].out["error"] == "ActionNotAllowed"
    assert "accept: not allowed from status under_review" in children[1].out["message"]
    after = snapshot(number)
    assert after.events == before.events + 1
    assert deadlines(number, "limitation") == [("limitation", "2025-04-17", "open")]
