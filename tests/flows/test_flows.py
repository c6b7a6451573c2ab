"""Every change is one Prefect flow run, named and tagged, whose result is the database's.

Runs against the session's temporary Prefect server (``conftest.py``) and the
``home`` fixture's database (SQLite and PostgreSQL).
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from prefect import flow
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (
    FlowFilter,
    FlowFilterName,
    LogFilter,
    LogFilterFlowRunId,
)
from prefect.client.schemas.objects import StateType
from prefect.client.schemas.sorting import FlowRunSort
from prefect.logging.handlers import APILogHandler

from ethicsflow.flows.commands import execute
from ethicsflow.flows.runtime import PRIVATE, private_parameters, run_flow
from ethicsflow.models.cases import operations
from ethicsflow.models.cases.intake import hash_receipt
from ethicsflow.models.cases.views import case_view, history, list_cases
from ethicsflow.models.db import session_scope
from ethicsflow.models.errors import ActionNotAllowed, NotFound, NotPermitted
from tests.support import factories
from tests.support.flows import filing, runs


def view(number: str) -> dict[str, Any]:
    with session_scope() as session:
        return case_view(session, number)


def events(number: str) -> list[dict[str, Any]]:
    with session_scope() as session:
        return history(session, number)["events"]


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


def test_an_action_asks_prefect_for_its_flow_once_and_names_its_run_when_creating_it(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A flow run is created in one request, with its name (no `POST /flows/` every run,
    no rename afterwards); a flow deleted in Prefect's UI meanwhile is made again."""
    b = factories.body()
    number = factories.complaint(b)["number"]
    execute("act", {"number": number, "action": "accept", "by": b.commissioner})
    sent: list[tuple[str, str]] = []
    send = httpx.Client.send

    def recorded(self: httpx.Client, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        sent.append((request.method, request.url.path.removeprefix("/api")))
        return send(self, request, **kwargs)

    monkeypatch.setattr(httpx.Client, "send", recorded)
    explain = {"respondent": b.respondent, "questions": "Why were you late?"}
    execute(
        "act",
        {"number": number, "action": "request_explanation", "by": b.commissioner,
         "values": explain},
    )  # fmt: skip
    creates = [path for method, path in sent if method == "POST" and path.startswith("/flow")]
    assert creates[:2] == ["/flow_runs/", f"/flow_runs/{creates[1].split('/')[2]}/set_state"]
    assert "/flows/" not in creates and not [m for m, _ in sent if m == "PATCH"], sent
    [run] = runs("act-on-case", f"case:{number}", "action:request_explanation")
    assert run.name == f"{number} request_explanation"

    with get_client(sync_client=True) as client:
        client.delete_flow(run.flow_id)
    execute("act", {"number": number, "action": "record_explanation", "by": b.commissioner,
                    "values": {"text": "The bus was late"}})  # fmt: skip
    [again] = runs("act-on-case", f"case:{number}", "action:record_explanation")
    assert (again.name, again.state_type) == (f"{number} record_explanation", StateType.COMPLETED)
    assert again.flow_id != run.flow_id


def test_only_the_run_started_takes_its_name_not_its_subflows(home: Path) -> None:
    mark = uuid.uuid4().hex[:8]

    @flow(name=f"inner-{mark}")
    def inner() -> str:
        return "done"

    @flow(name=f"outer-{mark}", flow_run_name="outer {word}")
    def outer(word: str) -> str:
        return inner()

    assert run_flow(outer, "named") == "done"
    [started] = runs(f"outer-{mark}")
    [sub] = runs(f"inner-{mark}")
    assert started.name == "outer named"
    assert sub.name != "outer named" and sub.parent_task_run_id is not None


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
    assert code not in repr(run.parameters) and hash_receipt(code) not in repr(run.parameters)
    assert run.parameters == {"values": PRIVATE}


def test_prefect_stores_no_personal_data_or_secret_among_the_parameters(home: Path) -> None:
    """Prefect keeps every flow run's parameters (its database, the UI's Parameters tab):
    the engine's flows give it the case number and the action, never what a person wrote,
    an e-mail, a name, an IIN or a notification URL with its password."""
    b = factories.body()
    mark = uuid.uuid4().hex[:10]
    summary = f"Shouted at the reception desk, case {mark}"
    filed = execute("file_case", {"values": filing(b, summary=summary)})
    number = filed["number"]
    execute("act", {"number": number, "action": "accept", "by": b.commissioner})
    email = f"private-{mark}@example.kz"
    url = f"mailto://clerk:pw-{mark}@127.0.0.1:2525?from=ethics@example.kz&to={email}"
    person = {"email": email, "name": f"Name {mark}", "org": b.code, "notify": [url],
              "iin": "900101300123"}  # fmt: skip
    execute("add_person", {"values": person})

    [filed_run] = runs("file-case", f"case:{number}")
    assert filed_run.parameters == {"values": PRIVATE, "operator": None}  # as act-on-case
    [acted] = runs("act-on-case", f"case:{number}")
    assert (acted.parameters["number"], acted.parameters["action"]) == (number, "accept")
    assert acted.parameters["by"] == acted.parameters["values"] == PRIVATE
    added = [r for r in runs("add-person") if r.parameters == {"values": PRIVATE}]
    assert added  # ours among them
    stored = repr([r.parameters for r in runs("add-person")] + [filed_run.parameters,
                  acted.parameters])  # fmt: skip
    for secret in (mark, b.filer, b.commissioner, b.respondent, "900101300123"):
        assert secret not in stored


def test_a_private_parameter_must_exist() -> None:
    with pytest.raises(TypeError, match="no parameter summary"):
        private_parameters("summary")(flow(name="x")(lambda values: values))


def test_a_refused_run_leaves_no_e_mail_in_prefects_state_message_or_logs(home: Path) -> None:
    b = factories.body()
    stranger = f"stranger-{uuid.uuid4().hex[:8]}@example.kz"

    with pytest.raises(NotFound) as refused:
        execute("file_case", {"values": filing(b, by=stranger)})

    assert stranger in refused.value.message  # the user is told which address
    APILogHandler().flush()
    with get_client(sync_client=True) as client:
        [run] = client.read_flow_runs(  # the newest: tests run one at a time
            flow_filter=FlowFilter(name=FlowFilterName(any_=["file-case"])),
            sort=FlowRunSort.START_TIME_DESC,
            limit=1,
        )
        logs = client.read_logs(LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run.id])))
    assert run.state_type == StateType.FAILED and run.state is not None
    assert "no person with e-mail <e-mail>" in str(run.state.message)
    assert any("Encountered exception" in log.message for log in logs)
    stored = repr(run.parameters) + str(run.state.message) + "".join(log.message for log in logs)
    assert stranger not in stored and b.respondent not in stored
