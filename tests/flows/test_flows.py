"""Every change is one Prefect flow run, named and tagged, whose result is the database's.

Runs against the session's temporary Prefect server (``conftest.py``) and the
``home`` fixture's database (SQLite and PostgreSQL).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (
    FlowFilter,
    FlowFilterName,
    FlowRunFilter,
    FlowRunFilterTags,
)
from prefect.client.schemas.objects import FlowRun, StateType

from ethicsflow.flows.commands import execute
from ethicsflow.models import operations
from ethicsflow.models.db import session_scope
from ethicsflow.models.errors import ActionNotAllowed, NotPermitted
from ethicsflow.models.intake import hash_receipt
from ethicsflow.models.views import case_view, history, list_cases
from tests import factories


def runs(flow_name: str, *tags: str) -> list[FlowRun]:
    """Flow runs of the flow with this name that carry all these tags."""
    with get_client(sync_client=True) as client:
        return client.read_flow_runs(
            flow_filter=FlowFilter(name=FlowFilterName(any_=[flow_name])),
            flow_run_filter=FlowRunFilter(tags=FlowRunFilterTags(all_=list(tags)))
            if tags
            else None,
        )


def view(number: str) -> dict[str, Any]:
    with session_scope() as session:
        return case_view(session, number)


def events(number: str) -> list[dict[str, Any]]:
    with session_scope() as session:
        return history(session, number)["events"]


def filing(b: factories.Body, **values: Any) -> dict[str, Any]:
    return {
        "kind": "complaint",
        "org": b.code,
        "by": b.filer,
        "against": b.respondent,
        "summary": "Rude and humiliating remarks at a staff meeting",
        **values,
    }


def test_file_case_runs_one_file_case_flow_tagged_with_the_number(home: Path) -> None:
    b = factories.body()

    result = execute("file_case", {"values": filing(b)})

    [run] = runs("file-case", f"case:{result['number']}")
    assert run.state_type == StateType.COMPLETED
    case = view(result["number"])
    assert (result["status"], result["assignee"]) == (case["status"], case["assignee"])
    assert result["deadlines"] == [
        {k: d[k] for k in ("name", "due", "status")} for d in case["deadlines"]
    ]


def test_act_runs_act_on_case_flow_whose_result_matches_the_database(home: Path) -> None:
    b = factories.body()
    number = factories.complaint(b)["number"]

    result = execute("act", {"number": number, "action": "accept", "by": b.commissioner})

    [run] = runs("act-on-case", f"case:{number}", "action:accept")
    assert run.state_type == StateType.COMPLETED
    assert run.name == f"{number} accept"
    case = view(number)
    assert (result["from"], result["status"], result["version"]) == (
        "triage",
        case["status"],
        case["version"],
    )
    assert case["status"] == "under_review"
    assert events(number)[-1]["action"] == "accept"


@pytest.mark.parametrize(
    ("action", "actor", "error"),
    [("refer_to_board", "commissioner", ActionNotAllowed), ("accept", "filer", NotPermitted)],
)
def test_act_refused_fails_the_flow_run_and_writes_nothing(
    home: Path, action: str, actor: str, error: type[Exception]
) -> None:
    b = factories.body()
    number = factories.complaint(b)["number"]
    before = (view(number), events(number))

    with pytest.raises(error) as raised:
        execute("act", {"number": number, "action": action, "by": getattr(b, actor)})

    [run] = runs("act-on-case", f"case:{number}")
    assert run.state_type == StateType.FAILED
    assert (view(number), events(number)) == before
    if error is ActionNotAllowed:
        assert "allowed now: assign, accept, forward, dismiss, request_correction" in str(
            raised.value
        )


def test_import_cases_is_one_flow_run_for_many_rows(home: Path) -> None:
    b = factories.body()
    rows: list[list[Any]] = [[line, filing(b, key=f"row-{line}-{b.code}")] for line in range(1, 6)]
    rows.append([6, filing(b, org="NOSUCHORG")])
    rows.append([7, "not valid JSON"])
    imports_before = len(runs("import-cases"))
    filings_before = len(runs("file-case"))

    report = execute("import_cases", {"rows": rows})

    assert len(runs("import-cases")) == imports_before + 1
    assert len(runs("file-case")) == filings_before
    assert (report["filed"], report["existing"], report["failed"]) == (5, 0, 2)
    assert [e["line"] for e in report["errors"]] == [6, 7]
    with session_scope() as session:
        listed = [c["number"] for c in list_cases(session, org=b.code)]
    assert sorted(c["number"] for c in report["cases"]) == sorted(listed)

    again = execute("import_cases", {"rows": rows[:5]})

    assert (again["filed"], again["existing"], again["failed"]) == (0, 5, 0)
    assert len(runs("import-cases")) == imports_before + 2


def test_rate_case_by_receipt_gives_prefect_the_codes_hash_not_the_code(home: Path) -> None:
    b = factories.body()
    filed = execute("file_case", {"values": filing(b, by=None, against=None, anonymous=True)})
    number, code = filed["number"], filed["receipt_code"]
    operations.act(number, "dismiss", b.commissioner, {"ground": "anonymous", "reason": "Art. 88"})

    rated = execute("rate_case", {"values": {"number": number, "score": 3, "receipt": code}})

    assert (rated["number"], rated["score"]) == (number, 3)
    [run] = runs("rate-case", f"case:{number}")
    assert run.state_type == StateType.COMPLETED
    assert code not in repr(run.parameters)
    assert run.parameters["values"]["receipt_sha256"] == hash_receipt(code)
