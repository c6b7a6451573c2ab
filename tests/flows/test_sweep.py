"""`sweep-deadlines`: one flow run per sweep, through `execute("sweep")` (the CLI's path)."""

from __future__ import annotations

from pathlib import Path

from prefect.client.schemas.objects import StateType

from ethicsflow.flows.commands import execute
from ethicsflow.models.cases import operations
from ethicsflow.models.cases.views import case_view
from ethicsflow.models.db import session_scope
from tests.support import factories
from tests.support.flows import filing, runs


def test_sweep_runs_one_sweep_deadlines_flow_and_replays_a_moment(home: Path) -> None:
    b = factories.body()
    number = operations.file_one(filing(b, received_at="2025-02-27T10:00:00+05:00"))["number"]
    before = len(runs("sweep-deadlines"))

    result = execute("sweep", {"now": "2025-03-27T10:00:00+05:00"})

    assert (result["today"], result["missed"], result["errors"]) == ("2025-03-27", 2, [])
    with session_scope() as session:
        statuses = {d["name"]: d["status"] for d in case_view(session, number)["deadlines"]}
    assert statuses == {"answer": "missed", "forward": "missed"}
    sweeps = runs("sweep-deadlines")
    assert len(sweeps) == before + 1
    assert all(run.state_type == StateType.COMPLETED for run in sweeps)

    again = execute("sweep", {"now": "2025-03-27T10:00:00+05:00"})

    assert again["missed"] == 0 and not any(again["queued"].values())
