"""`ethicsflow status` through the real CLI (SQLite and PostgreSQL), without `serve`.

`serve`'s side of it (engine mode, deployments and their next runs) is checked in
tests/app/test_serve.py.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

from ethicsflow.models.db import get_engine
from ethicsflow.models.deadlines import sweep_runs as sweep_run
from ethicsflow.models.types import utcnow
from tests.support import factories
from tests.support.cli import Cli, free_port
from tests.support.notify import add_rows


def without_prefect(cli: Cli) -> Cli:
    return Cli(env={k: v for k, v in cli.env.items() if k != "PREFECT_API_URL"}, cwd=cli.cwd)


def status(cli: Cli, code: int) -> Any:
    result = cli.run("status", "--json")
    assert result.code == code, result
    return json.loads(result.out)  # one JSON document, healthy or not


def test_a_fresh_home_is_healthy_and_says_there_is_no_prefect_server(cli: Cli) -> None:
    cli = without_prefect(cli)
    data = status(cli, 0)
    assert data["ok"] is True and data["problems"] == []
    db = data["database"]
    assert db["reachable"] and db["revision"] == db["head"]
    assert data["engine"] is None
    assert data["prefect"]["reachable"] is False and "serve" in data["prefect"]["note"]
    assert data["notifications"] == {"queued": 0, "sending": 0, "failed": 0, "dead": 0, "sent": 0}
    assert data["last_sweep"] is None
    assert data["deadlines"] == {"overdue": 0, "past_due_not_swept": 0}
    text = cli.ok("status").out
    assert "status         OK" in text and "no Prefect server" in text


def test_dead_notifications_overdue_deadlines_and_the_last_sweep_are_shown(cli: Cli) -> None:
    b = factories.body()
    cli.ok("case", "file", "--kind", "complaint", "--org", b.code, "--by", b.filer, "--summary",
           "Rude at the desk", "--received-at", "2025-03-03T10:00:00+05:00")  # fmt: skip
    before = status(without_prefect(cli), 0)
    assert before["deadlines"]["past_due_not_swept"] >= 1
    assert before["deadlines"]["overdue"] >= 1

    cli.ok("sweep")
    add_rows("json://127.0.0.1:9/x", 2, status="dead", last_error="gave up")
    data = status(without_prefect(cli), 1)
    assert data["deadlines"]["past_due_not_swept"] == 0
    assert data["deadlines"]["overdue"] >= 1  # missed now, still on an open case
    assert data["last_sweep"]["missed"] >= 1 and data["last_sweep"]["errors"] == 0
    assert data["notifications"]["dead"] == 2
    assert any("2 dead notification" in p for p in data["problems"])
    result = without_prefect(cli).run("status")
    assert result.code == 1 and "PROBLEMS:" in result.out and "notify list" in result.out


def test_an_unreachable_prefect_server_missing_deployments_or_an_old_sweep_are_problems(
    cli: Cli,
) -> None:
    old = utcnow() - timedelta(hours=30)
    summary = {"now": old.isoformat(), "closed": 0, "missed": 0, "queued": {}, "errors": []}
    sweep_run.record(old, summary, None)
    data = status(cli, 1)  # the session's Prefect server: reachable, no ethicsflow deployments
    assert data["prefect"]["reachable"] is True
    assert any("deployments not on the Prefect server" in p for p in data["problems"])
    assert any("over 26 h ago" in p for p in data["problems"])
    gone = Cli(env={**cli.env, "PREFECT_API_URL": f"http://127.0.0.1:{free_port()}/api"},
               cwd=cli.cwd)  # fmt: skip
    data = status(gone, 1)
    assert data["prefect"]["reachable"] is False
    assert any("Prefect server unreachable" in p for p in data["problems"])


def test_an_uninitialized_or_outdated_database_is_a_problem(cli: Cli, db_url: str) -> None:
    cli = without_prefect(cli)
    with get_engine(db_url).begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0005'")
    data = status(cli, 1)
    assert any("is not the newest" in p for p in data["problems"])
    assert "notifications" not in data  # counts are not read from an old schema

    fresh = Cli(env={**cli.env, "ETHICSFLOW_DATABASE_URL": f"sqlite:///{Path(cli.cwd) / 'n.db'}"},
                cwd=cli.cwd)  # fmt: skip
    data = status(fresh, 1)
    assert any("not initialized" in p for p in data["problems"])
    assert not (Path(cli.cwd) / "n.db").exists()  # looking created nothing
