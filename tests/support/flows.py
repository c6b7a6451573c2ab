"""Filing values and reading flow runs back from Prefect (for the flow tests)."""

from __future__ import annotations

from typing import Any

from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (
    FlowFilter,
    FlowFilterName,
    FlowRunFilter,
    FlowRunFilterTags,
)
from prefect.client.schemas.objects import FlowRun

from tests.support import factories


def runs(flow_name: str, *tags: str) -> list[FlowRun]:
    """Flow runs of the flow with this name that carry all these tags."""
    with get_client(sync_client=True) as client:
        return client.read_flow_runs(
            flow_filter=FlowFilter(name=FlowFilterName(any_=[flow_name])),
            flow_run_filter=FlowRunFilter(tags=FlowRunFilterTags(all_=list(tags)))
            if tags
            else None,
        )


def filing(b: factories.Body, **values: Any) -> dict[str, Any]:
    return {
        "kind": "complaint",
        "org": b.code,
        "by": b.filer,
        "against": b.respondent,
        "summary": "Rude and humiliating remarks at a staff meeting",
        **values,
    }
