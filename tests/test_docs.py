"""Generated documentation stays in step with the code."""

from pathlib import Path

from ethicsflow.models.lifecycle.diagram import document
from ethicsflow.models.permissions import table

ROOT = Path(__file__).resolve().parents[1]


def test_lifecycle_docs_match_tables() -> None:
    committed = (ROOT / "docs" / "lifecycles.md").read_text(encoding="utf-8")
    assert committed == document(), (
        "docs/lifecycles.md is stale: run "
        "`python -m ethicsflow.models.lifecycle.diagram > docs/lifecycles.md`"
    )


def test_access_docs_match_the_table() -> None:
    committed = (ROOT / "docs" / "access.md").read_text(encoding="utf-8")
    assert committed == table.document(), (
        "docs/access.md is stale: run "
        "`python -m ethicsflow.models.permissions.table > docs/access.md`"
    )
