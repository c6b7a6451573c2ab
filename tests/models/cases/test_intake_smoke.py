from pathlib import Path

from ethicsflow.models.cases import operations
from tests.support import factories as f


def test_file_assigns_commissioner_and_opens_deadlines(home: Path) -> None:
    b = f.body()
    filed = f.complaint(b, received_at="2025-03-20T10:00:00+05:00")
    assert filed["status"] == "triage"
    assert filed["assignee"] == b.commissioner
    assert {d["name"]: d["due"] for d in filed["deadlines"]} == {
        "answer": "2025-04-15",
        "forward": "2025-03-28",
    }
    result = operations.act(filed["number"], "accept", b.commissioner, {})
    assert result["status"] == "under_review"
