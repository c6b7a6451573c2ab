"""The case version counts changes: 1 at filing, +1 per action, whatever is flushed."""

from pathlib import Path

from ethicsflow.models.cases import operations
from ethicsflow.models.cases.views import case_view
from ethicsflow.models.db import session_scope
from tests.support import factories as f


def test_version_counts_one_per_action(home: Path) -> None:
    b = f.body()
    filed = f.complaint(b)
    with session_scope() as session:
        assert case_view(session, filed["number"])["version"] == 1
    result = operations.act(
        filed["number"], "accept", b.commissioner, {"committed_on": "2025-01-10"}
    )
    assert result["version"] == 2
    result = operations.act(
        filed["number"], "request_explanation", b.commissioner, {"questions": "What happened?"}
    )
    assert result["version"] == 3
