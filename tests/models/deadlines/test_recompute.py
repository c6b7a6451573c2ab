"""Calendar overrides recompute the open deadlines, audited on each case."""

from pathlib import Path

import pytest
import yaml

from ethicsflow.models.cases import operations
from ethicsflow.models.cases.views import case_view, history
from ethicsflow.models.db import session_scope
from ethicsflow.models.policy import packaged_policy_path
from tests.support import factories as f


def _policy_with_day_off(tmp_path: Path, day: str) -> Path:
    data = yaml.safe_load(packaged_policy_path().read_text(encoding="utf-8"))
    data["calendar_overrides"] = {
        "days_off": [{"date": day, "decree": "Test decree No. 1"}],
        "working_days": [],
    }
    data["version"] = "2026.test"
    path = tmp_path / "policy.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_recompute_moves_open_deadlines_after_new_day_off(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    b = f.body()
    # Received Friday 2026-11-20: 15 working days -> Friday 2026-12-11
    # (Mon 23 Nov .. Fri 11 Dec, no holiday in between); forward: 3 wd -> Wed 2026-11-25.
    filed = f.complaint(b, received_at="2026-11-20T10:00:00+05:00")
    due = {d["name"]: d["due"] for d in filed["deadlines"]}
    assert due == {"answer": "2026-12-11", "forward": "2026-11-25"}

    # A decree makes Tuesday 2026-11-24 a day off: both move one working day later.
    monkeypatch.setenv("ETHICSFLOW_POLICY_FILE", str(_policy_with_day_off(tmp_path, "2026-11-24")))
    result = operations.recompute_deadlines()
    assert result["cases"] == 1
    with session_scope() as session:
        view = case_view(session, filed["number"])
        events = history(session, filed["number"], verify=True)
    moved = {d["name"]: d["due"] for d in view["deadlines"]}
    assert moved == {"answer": "2026-12-14", "forward": "2026-11-26"}
    assert events["verified"] is True
    last = events["events"][-1]
    assert last["action"] == "recompute_deadlines"
    assert last["payload"]["policy_version"] == "2026.test"

    # Running it again changes nothing and writes no event.
    again = operations.recompute_deadlines()
    assert again["cases"] == 0
    with session_scope() as session:
        assert len(history(session, filed["number"])["events"]) == len(events["events"])
